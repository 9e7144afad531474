"""Path globs for `[lint]` settings: gitignore matching by `pathspec`, braces expanded by `bracex`.

Globs are anchored at the project root (each is matched as the gitignore pattern `/<glob>`): `**` spans folders,
`*`, `?` and `[ab]` stay within one segment and match dot-names too, `{a,b}` expands, and a glob naming a folder
("src/legacy") covers everything below it. A leading `./` is the root itself (`./.lune/**` is `.lune/**`).
"""

from __future__ import annotations

from functools import lru_cache

import bracex
import pathspec

from .rules import LintConfigError

MAX_EXPANSION = 256  # patterns one glob's braces may expand to


def _normal(glob: str) -> str:
    glob = glob.strip()
    while glob.startswith("./"):
        glob = glob[2:]
    return glob


@lru_cache(maxsize=256)
def compile_globs(globs: tuple[str, ...]) -> pathspec.PathSpec | None:
    """One matcher for all `globs`; LintConfigError for a glob whose braces expand beyond MAX_EXPANSION."""
    lines: list[str] = []
    for glob in globs:
        pattern = _normal(glob)
        if not pattern:
            continue
        try:
            expanded = bracex.expand(pattern, limit=MAX_EXPANSION)
        except bracex.ExpansionLimitException:
            raise LintConfigError(f"glob {glob!r} expands to more than {MAX_EXPANSION} patterns") from None
        lines += ["/" + p.lstrip("/") for p in expanded]
    return pathspec.PathSpec.from_lines("gitignore", lines) if lines else None


def matches(path: str, globs) -> bool:
    matcher = compile_globs(tuple(globs))
    return matcher is not None and matcher.match_file(path)
