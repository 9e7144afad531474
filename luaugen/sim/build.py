"""Compile a project in memory and lay out its Luau modules where the simulator can mount them."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from ..compiler import compile_project
from ..config import Config
from ..diagnostics import render_text
from ..project import read_previous_manifest, read_sources


def networking_mounts(config: Config, root: Path) -> dict[str, Path]:
    """Where a game's Rojo project puts the two Luau modules of a build under `root`: the shared one in
    ReplicatedStorage, the server half in ServerScriptService (which the simulator gives the server only)."""
    return {
        f"ReplicatedStorage/{PurePosixPath(config.luau_out).name}": root / config.luau_out,
        f"ServerScriptService/{config.server_module}": root / config.luau_server,
    }


def build_luau(config: Config, folder: Path, extra_sources: dict[str, str] | None = None) -> dict[str, Path]:
    """Write the Luau modules `config` produces (plus `extra_sources` schema files) under `folder`, at their
    configured paths; returns the simulator's mounts for them."""
    sources, problems = read_sources(config)
    previous, manifest_problems = read_previous_manifest(config)
    sources = sources | (extra_sources or {})
    result = compile_project(config, sources, previous)
    diagnostics = problems + manifest_problems + result.diagnostics
    if not result.ok or problems or manifest_problems:
        raise ValueError("the schemas do not compile:\n" + render_text(diagnostics, sources))
    prefixes = (config.luau_out + "/", config.luau_server + "/")
    for path, text in result.files.items():
        if path.startswith(prefixes):
            target = folder / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    return networking_mounts(config, folder)
