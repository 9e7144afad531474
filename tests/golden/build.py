"""Compile the golden fixture (or another test project) in memory; shared by the golden test, its update command
and the type-check test."""

from __future__ import annotations

from pathlib import Path

from luaugen.compiler import compile_project
from luaugen.config import load_config
from luaugen.project import read_sources

FIXTURE = Path(__file__).parent / "fixture"
EXPECTED = Path(__file__).parent / "expected"


def compile_fixture(profile: str = "dev", root: Path = FIXTURE) -> dict[str, str]:
    config = load_config(root).with_profile(profile)
    sources, problems = read_sources(config)
    result = compile_project(config, sources, None)
    assert not problems and result.ok, result.diagnostics
    return result.files
