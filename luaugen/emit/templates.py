"""Where the templates are: inside the installed package (wheel), else the repository's top-level `templates/`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
import jinja2.bccache


def templates_dir() -> Path:
    packaged = Path(__file__).resolve().parent.parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "templates"


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
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )


def luau_templates() -> list[str]:
    """Templates emitted one to one into the Luau output folder; `_`-prefixed files are partials."""
    root = templates_dir() / "luau"
    names = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not any(part.startswith("_") for part in path.relative_to(root).parts):
            names.append(path.relative_to(templates_dir()).as_posix())
    return names
