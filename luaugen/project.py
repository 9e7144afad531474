"""Reading a project from disk: the schema files and the previous manifest (the edge before the pure core)."""

from __future__ import annotations

import json

from .config import Config
from .diagnostics import Diagnostic, Span, error, warning

SCHEMA_SUFFIXES = (".yaml", ".yml")


def read_sources(config: Config) -> tuple[dict[str, str], list[Diagnostic]]:
    folder = config.root / config.schemas
    if not folder.is_dir():
        return {}, [error("no-schemas", f"schemas folder '{config.schemas}' does not exist", None,
                          "create it or set [project] schemas in luaugen.toml")]
    sources, problems = {}, []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in SCHEMA_SUFFIXES:
            relative = path.relative_to(config.root).as_posix()
            data = path.read_bytes()
            try:
                sources[relative] = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                line = data.count(b"\n", 0, exc.start) + 1
                col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
                problems.append(error("encoding", f"not UTF-8 text: {exc.reason}", Span(relative, line, col),
                                      "save the file as UTF-8"))
    if not sources and not problems:
        problems.append(warning("no-schemas", f"no schema files (*.yaml, *.yml) in '{config.schemas}'", None,
                                "add a channel file; the build has no channels"))
    return sources, problems


def read_previous_manifest(config: Config) -> tuple[dict | None, list[Diagnostic]]:
    path = config.root / config.manifest
    if not path.is_file():
        return None, []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return None, [error("bad-manifest", f"cannot read the previous manifest (it locks message ids): {exc}",
                            Span(config.manifest, getattr(exc, "lineno", 1), getattr(exc, "colno", 1)),
                            "restore it from version control")]
    if not isinstance(data, dict) or not isinstance(data.get("channels"), list):
        return None, [error("bad-manifest", "the previous manifest has no channel list", Span(config.manifest, 1, 1),
                            "restore it from version control")]
    return data, []
