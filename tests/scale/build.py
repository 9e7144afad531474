"""Compile a synthetic contract in memory and write it to a folder (shared by the scale tests)."""

from __future__ import annotations

from pathlib import Path

from luaugen.compiler import compile_project
from luaugen.config import Config

from .synthetic import synthetic_sources


def compile_synthetic(messages: int, root: Path, edit=None) -> dict[str, str]:
    """Every generated file of an N-message synthetic contract; `edit` may rewrite the sources first."""
    sources = synthetic_sources(messages)
    if edit is not None:
        sources = edit(sources)
    result = compile_project(Config(root=root), sources, None)
    assert result.ok, result.diagnostics
    return result.files


def write_files(files: dict[str, str], root: Path) -> None:
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
