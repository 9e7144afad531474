"""One scope of generated Luau checks as a `do ... end` block, so its locals end with the block.

Written in Python rather than as a Jinja macro: a 1,000-message build writes thousands of these, and the macro's
per-line machinery cost about 15 ms of CPU; the text is the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # templates.py (used by `luaugen init` too) need not load the validator emitter for a name
    from .validators import Scope

GROUPED = "\tlocal K = {} -- too many constants and helpers here to give each its own local"


def luau_scope(scope: Scope, assign: str) -> str:
    """The block, starting with a line break (it follows a `-- Channel.Message` comment): imports of named checks,
    constants, functions (a blank line before each but a leading one), then `assign` (what the module exports)."""
    parts = ["\ndo"]
    if scope.grouped:
        parts.append(GROUPED)
    parts += [f"\tlocal {name} = TypeChecks.{name}" for name in scope.imports]
    parts += [f"\t{constant}" for constant in scope.constants]
    declare = "function K." if scope.grouped else "local function "
    blank_first = bool(scope.imports or scope.constants)
    for i, fn in enumerate(scope.functions):
        if i or blank_first:
            parts.append("")
        returns = "(boolean, string?)" if fn.entry else "string?"
        parts.append(f"\t{declare}{fn.name}(value: any): {returns}")
        parts.append("\t" + fn.body.replace("\n", "\n\t"))
        parts.append("\tend")
    parts.append(f"\t{assign}")
    parts.append("end")
    return "\n".join(parts)
