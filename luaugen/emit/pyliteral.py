"""Python literals laid out the way a person (or black) would write them, for the mirror's data modules."""

from __future__ import annotations

from functools import lru_cache

from .escape import python_string

WIDTH = 100


def py_literal(value, indent: int = 0) -> str:
    """`value` (dicts, lists, strings, numbers, bools, None) as Python source; short containers stay on one line."""
    return _layout(value, indent)[1]


def _layout(value, indent: int) -> tuple[str, str]:
    """(the value on one line, the value laid out at `indent`), each child laid out once: linear in the size."""
    if not isinstance(value, (dict, list)):
        flat = _scalar(value)
        return flat, flat
    if isinstance(value, dict):
        children = [(_scalar(k), _layout(v, indent + 1)) for k, v in value.items()]
        flat = "{" + ", ".join(f"{k}: {v[0]}" for k, v in children) + "}"
    else:
        children = [(None, _layout(v, indent + 1)) for v in value]
        flat = "[" + ", ".join(v[0] for _, v in children) + "]"
    if len(flat) + indent * 4 <= WIDTH or not value:
        return flat, flat
    pad, inner = "    " * indent, "    " * (indent + 1)
    items = [f"{inner}{k}: {v[1]}," if k is not None else f"{inner}{v[1]}," for k, v in children]
    brackets = "{}" if isinstance(value, dict) else "[]"
    return flat, brackets[0] + "\n" + "\n".join(items) + f"\n{pad}" + brackets[1]


def _scalar(value) -> str:
    if isinstance(value, str):
        return _string(value)
    return repr(value)


_string = lru_cache(maxsize=8192)(python_string)
