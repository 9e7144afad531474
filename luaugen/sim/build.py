"""Compile a project in memory and lay out its Luau modules in a folder the simulator can mount."""

from __future__ import annotations

from pathlib import Path

from ..compiler import compile_project
from ..config import Config
from ..diagnostics import render_text
from ..project import read_previous_manifest, read_sources


def build_luau(config: Config, folder: Path, extra_sources: dict[str, str] | None = None) -> Path:
    """Write the Networking modules `config` produces (plus `extra_sources` schema files) into `folder`."""
    sources, problems = read_sources(config)
    previous, manifest_problems = read_previous_manifest(config)
    sources = sources | (extra_sources or {})
    result = compile_project(config, sources, previous)
    diagnostics = problems + manifest_problems + result.diagnostics
    if not result.ok or problems or manifest_problems:
        raise ValueError("the schemas do not compile:\n" + render_text(diagnostics, sources))
    prefix = config.luau_out + "/"
    for path, text in result.files.items():
        if path.startswith(prefix):
            target = folder / path[len(prefix):]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    return folder
