"""Where the templates and the static Luau runtime are: inside the installed package (wheel), else the
repository's top-level `templates/` and `runtime/`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
import jinja2.bccache

from .escape import luau_comment, luau_string, python_comment, python_docstring, python_string
from .luau_scopes import luau_scope


def _data_dir(name: str) -> Path:
    packaged = Path(__file__).resolve().parent.parent / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / name


def templates_dir() -> Path:
    return _data_dir("templates")


def runtime_dir() -> Path:
    """The static runtime: plain `.luau` modules copied into `Runtime/` of the Luau output."""
    return _data_dir("runtime")


class _BestEffortCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs in Jinja's per-user temporary folder (entries are checked against the
    template's source, so a stale one is never used); a cache that cannot be read or written is not used."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError):
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    try:
        return _BestEffortCache()
    except (OSError, RuntimeError):  # no safe temporary folder
        return None


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    # Schema text reaches the output only through these filters (see luaugen.emit.escape).
    env.filters.update(luau_comment=luau_comment, luau_string=luau_string, python_comment=python_comment,
                       python_string=python_string, python_docstring=python_docstring)
    env.globals.update(luau_scope=luau_scope)  # a validator scope's `do ... end` block
    return env


def luau_templates() -> list[str]:
    """Templates emitted one to one into the Luau output folder; `_`-prefixed files are partials."""
    root = templates_dir() / "luau"
    names = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not any(part.startswith("_") for part in path.relative_to(root).parts):
            names.append(path.relative_to(templates_dir()).as_posix())
    return names


def _sources(folder: Path) -> tuple[tuple[str, str], ...]:
    return tuple((path.name, path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.luau")))


@lru_cache(maxsize=1)
def runtime_sources() -> tuple[tuple[str, str], ...]:
    """(file name, text) of every static runtime module of the shared Luau module, sorted by name."""
    return _sources(runtime_dir())


@lru_cache(maxsize=1)
def server_runtime_sources() -> tuple[tuple[str, str], ...]:
    """(file name, text) of the static modules of the server-only Luau module (`runtime/server/`)."""
    return _sources(runtime_dir() / "server")
