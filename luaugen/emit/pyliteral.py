"""Python literals laid out the way a person (or black) would write them, for the mirror's data modules."""

from __future__ import annotations

from .escape import python_string

WIDTH = 100


def py_literal(value, indent: int = 0) -> str:
    """`value` (dicts, lists, strings, numbers, bools, None) as Python source; short containers stay on one line."""
    flat = _flat(value)
    if len(flat) + indent * 4 <= WIDTH or not isinstance(value, (dict, list)) or not value:
        return flat
    pad, inner = "    " * indent, "    " * (indent + 1)
    if isinstance(value, dict):
        items = [f"{inner}{_flat(k)}: {py_literal(v, indent + 1)}," for k, v in value.items()]
        return "{\n" + "\n".join(items) + f"\n{pad}}}"
    items = [f"{inner}{py_literal(v, indent + 1)}," for v in value]
    return "[\n" + "\n".join(items) + f"\n{pad}]"


def _flat(value) -> str:
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, str):
        return python_string(value)
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_flat(k)}: {_flat(v)}" for k, v in value.items()) + "}"
    return "[" + ", ".join(_flat(v) for v in value) + "]"
