"""Path globs for `[lint]` settings, matched by wcmatch with globstar semantics.

Globs are relative to the project root: `**` spans folders, `*`, `?` and `[ab]` stay within one segment, `{a,b}`
expands, and wildcards match dot-folders too (as in .gitignore). A glob naming a folder ("src/legacy") also covers
everything below it, and a leading `./` is the root itself (`./.lune/**` is `.lune/**`).
"""

from __future__ import annotations

from functools import lru_cache

from wcmatch import glob as wcglob

_FLAGS = wcglob.GLOBSTAR | wcglob.BRACE | wcglob.DOTGLOB | wcglob.FORCEUNIX


def _normal(pattern: str) -> str:
    pattern = pattern.strip()
    while pattern.startswith("./"):
        pattern = pattern[2:]
    return pattern.rstrip("/")


@lru_cache(maxsize=256)
def compile_globs(globs: tuple[str, ...]):
    patterns: list[str] = []
    for glob in globs:
        pattern = _normal(glob)
        if pattern:
            patterns += [pattern, pattern + "/**"]
    return wcglob.compile(patterns, flags=_FLAGS) if patterns else None


def matches(path: str, globs) -> bool:
    matcher = compile_globs(tuple(globs))
    return matcher is not None and matcher.match(path)
