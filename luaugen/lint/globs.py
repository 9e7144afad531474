"""Path globs for config: `**` spans folders, `*` and `?` stay within one path segment."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=512)
def compile_glob(glob: str) -> re.Pattern[str]:
    out, i = [], 0
    glob = glob.strip().lstrip("./") if glob.startswith("./") else glob.strip()
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    # A folder glob ("src/legacy") also covers everything below it.
    return re.compile("".join(out) + "(?:/.*)?\\Z")


def matches(path: str, globs) -> bool:
    return any(compile_glob(glob).match(path) for glob in globs)
