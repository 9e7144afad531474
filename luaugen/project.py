"""Reading a project from disk: the schema files and the previous manifest (the edge before the pure core).

Every I/O problem becomes a diagnostic: an unreadable file or folder, a symlink loop, a FIFO or device named like a
schema, an oversized or non-UTF-8 file. A schema that cannot be read is an error, never a silent skip: the build
would otherwise drop its channels.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from .config import Config
from .diagnostics import Diagnostic, Span, error, warning
from .load.lockfile import check_lockfile

SCHEMA_SUFFIXES = (".yaml", ".yml")


def decode_utf8(data: bytes, path: str) -> tuple[str | None, Diagnostic | None]:
    """The text, or an error at the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, error("encoding", f"not UTF-8 text: {exc.reason}", Span(path, line, col), "save the file as UTF-8")


def too_large(path: str, size: int, limit: int) -> Diagnostic | None:
    if size <= limit:
        return None
    return error("file-too-large", f"schema file is {size:,} bytes; the limit is {limit:,}", Span(path, 1, 1),
                 "split it, or raise [project] max_schema_bytes in luaugen.toml")


def _schema_files(config: Config, folder: Path) -> tuple[list[Path], list[Diagnostic]]:
    """Schema files under `folder`, following symlinks once each (a loop is reported, not followed)."""
    found, problems = [], []
    seen: set[tuple[int, int]] = set()
    pending = [folder]
    while pending:
        current = pending.pop()
        relative = current.relative_to(config.root).as_posix()
        try:
            info = current.stat()
            if (info.st_dev, info.st_ino) in seen:
                problems.append(warning("symlink-loop", f"folder '{relative}' is reached again through a symlink; "
                                        "skipped (its schemas are read once)", Span(relative, 1, 1)))
                continue
            seen.add((info.st_dev, info.st_ino))
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as exc:
            problems.append(error("unreadable", f"cannot read folder '{relative}': {exc.strerror or exc}",
                                  Span(relative, 1, 1), "fix its permissions; its schemas would be missing"))
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                pending.append(path)
            elif entry.name.endswith(SCHEMA_SUFFIXES):
                found.append(path)
    return sorted(found), problems


def _read_schema(config: Config, path: Path) -> tuple[str | None, Diagnostic | None]:
    relative = path.relative_to(config.root).as_posix()
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return None, error("not-a-file", f"'{relative}' is not a regular file (a FIFO, device or socket)",
                               Span(relative, 1, 1), "schemas must be ordinary files")
        problem = too_large(relative, info.st_size, config.max_schema_bytes)
        if problem:
            return None, problem
        with path.open("rb") as handle:
            data = handle.read(config.max_schema_bytes + 1)
    except OSError as exc:
        return None, error("unreadable", f"cannot read '{relative}': {exc.strerror or exc}", Span(relative, 1, 1),
                           "fix its permissions (a symlink loop or dangling link also ends here)")
    problem = too_large(relative, len(data), config.max_schema_bytes)  # it grew while being read
    return (None, problem) if problem else decode_utf8(data, relative)


def read_sources(config: Config) -> tuple[dict[str, str], list[Diagnostic]]:
    folder = config.root / config.schemas
    if not folder.is_dir():
        return {}, [error("no-schemas", f"schemas folder '{config.schemas}' does not exist", None,
                          "create it or set [project] schemas in luaugen.toml")]
    paths, problems = _schema_files(config, folder)
    sources = {}
    for path in paths:
        text, problem = _read_schema(config, path)
        if problem is not None:
            problems.append(problem)
        else:
            sources[path.relative_to(config.root).as_posix()] = text
    if not sources and not problems:
        problems.append(warning("no-schemas", f"no schema files (*.yaml, *.yml) in '{config.schemas}'", None,
                                "add a channel file; the build has no channels"))
    return sources, problems


def read_previous_manifest(config: Config) -> tuple[dict | None, list[Diagnostic]]:
    path = config.root / config.manifest
    if not path.exists():
        return None, []
    try:
        text = path.read_bytes().decode("utf-8")
        data = json.loads(text)
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) else exc
        return None, [error("bad-manifest", f"cannot read the previous manifest (it locks message ids): {detail}",
                            Span(config.manifest, getattr(exc, "lineno", 1), getattr(exc, "colno", 1)),
                            "restore it from version control")]
    problems = check_lockfile(config.manifest, text, data)
    return (None if problems else data), problems
