"""Compile the golden fixture in memory (shared by the golden test and its update command)."""

from __future__ import annotations

from pathlib import Path

from luaugen.compiler import compile_project
from luaugen.config import load_config
from luaugen.project import read_sources

FIXTURE = Path(__file__).parent / "fixture"
EXPECTED = Path(__file__).parent / "expected"


def compile_fixture(profile: str = "dev") -> dict[str, str]:
    config = load_config(FIXTURE).with_profile(profile)
    sources, problems = read_sources(config)
    result = compile_project(config, sources, None)
    assert not problems and result.ok, result.diagnostics
    return result.files
