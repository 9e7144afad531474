"""Lint tests run against manifests the compiler produces, never hand-written ones.

`manifest` compiles the fixture schemas under tests/lint/fixtures/schemas/ (the channels the corpus and rule tests
rely on); `real_manifest` compiles the repository's own schemas/ (never the committed generated/ output).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from luaugen.compiler import compile_project
from luaugen.config import load_config
from luaugen.diagnostics import render_text
from luaugen.project import read_sources

HERE = Path(__file__).parent
CORPUS = HERE / "corpus"
FIXTURES = HERE / "fixtures"
REPO = HERE.parent.parent


def compile_manifest(root: Path) -> dict:
    """Compile the schemas of the project at `root` (its luaugen.toml, or defaults) and return the manifest."""
    config = load_config(root)
    sources, problems = read_sources(config)
    assert not problems, render_text(problems, sources)
    result = compile_project(config, sources, None)
    assert result.ok, render_text(result.diagnostics, sources)
    return json.loads(result.files[config.manifest])


@pytest.fixture(scope="session")
def manifest() -> dict:
    return compile_manifest(FIXTURES)


@pytest.fixture(scope="session")
def real_manifest() -> dict:
    return compile_manifest(REPO)
