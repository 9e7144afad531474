"""What a type means on the wire: named types resolved, default bounds applied, expectation texts for messages.

Validators in both languages and the manifest are written from these, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from ..config import Limits
from ..model import ir


def format_number(value: float) -> str:
    """Numbers in messages: integers plainly, others with 14 significant digits (same rule in Luau and Python)."""
    value = float(value)
    if value != value:
        return "nan"
    if value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    if value.is_integer() and abs(value) < 2**53:
        return "%d" % value
    return "%.14g" % value


def resolve(project: ir.Project, type_: ir.Type) -> ir.Type:
    while isinstance(type_, ir.RefType):
        type_ = project.named(type_.target).type
    return type_


def effective(project: ir.Project, type_: ir.Type, strict: bool, limits: Limits) -> ir.Type:
    """The type with references resolved and, for client→server payloads (`strict`), open sizes bounded."""
    type_ = resolve(project, type_)
    if not strict:
        return type_
    if isinstance(type_, ir.StringType) and type_.max_length is None:
        return _bounded(type_, "max_length", limits.string_max_length)
    if isinstance(type_, ir.ArrayType) and type_.max_items is None:
        return _bounded(type_, "max_items", limits.array_max_items)
    if isinstance(type_, ir.MapType) and type_.max_entries is None:
        return _bounded(type_, "max_entries", limits.map_max_entries)
    return type_


@lru_cache(maxsize=4096)
def _bounded(type_: ir.Type, bound: str, value: int) -> ir.Type:
    # Both validators and the manifest ask for the same bounded types: `replace` is slow enough to matter.
    return replace(type_, **{bound: value})


def _range(low, high) -> str:
    if low is not None and high is not None:
        return f" in {format_number(low)}..{format_number(high)}"
    if low is not None:
        return f" >= {format_number(low)}"
    if high is not None:
        return f" <= {format_number(high)}"
    return ""


def _size(what: str, low: int | None, high: int | None, unit: str) -> str:
    if low is not None and high is not None:
        return f"{what} of {low}..{high} {unit}"
    if high is not None:
        return f"{what} of at most {high} {unit}"
    if low is not None:
        return f"{what} of at least {low} {unit}"
    return what


def expectation(type_: ir.Type) -> str:
    """The `expected …` text for a value of this (effective) type."""
    if isinstance(type_, ir.BoolType):
        return "boolean"
    if isinstance(type_, ir.StringType):
        return _size("string", type_.min_length, type_.max_length, "bytes")
    if isinstance(type_, ir.NumberType):
        return ("finite number" if type_.finite else "number") + _range(type_.min, type_.max)
    if isinstance(type_, ir.IntegerType):
        return "integer" + _range(type_.effective_min, type_.effective_max)
    if isinstance(type_, ir.DatatypeType):
        return type_.luau_name
    if isinstance(type_, ir.InstanceType):
        return type_.class_name
    if isinstance(type_, ir.EnumType):
        return "one of " + ", ".join(f'"{v}"' for v in type_.values)
    if isinstance(type_, ir.ArrayType):
        return _size("array", type_.min_items, type_.max_items, "items")
    if isinstance(type_, ir.MapType):
        return _size("table", None, type_.max_entries, "entries")
    return "table"


def type_json(project: ir.Project, type_: ir.Type, strict: bool, limits: Limits) -> dict:
    """The manifest's description of a type (effective constraints, named types inlined)."""
    name = type_.name if isinstance(type_, ir.RefType) else None
    if isinstance(type_, ir.RefType):
        name = project.named(type_.target).generated_name
    t = effective(project, type_, strict, limits)
    sub = lambda inner: type_json(project, inner, strict, limits)  # noqa: E731
    fields = lambda fs: [{"name": f.name, "optional": f.optional, "type": sub(f.type)} for f in fs]  # noqa: E731
    if isinstance(t, ir.BoolType):
        return {"kind": "bool"}
    if isinstance(t, ir.StringType):
        return {"kind": "string", "min_length": t.min_length, "max_length": t.max_length}
    if isinstance(t, ir.NumberType):
        return {"kind": "number", "format": t.format, "min": t.min, "max": t.max, "finite": t.finite}
    if isinstance(t, ir.IntegerType):
        return {"kind": "integer", "format": t.format, "min": t.effective_min, "max": t.effective_max}
    if isinstance(t, ir.DatatypeType):
        return {"kind": t.kind}
    if isinstance(t, ir.InstanceType):
        return {"kind": "instance", "class": t.class_name}
    if isinstance(t, ir.EnumType):
        return {"kind": "enum", "values": list(t.values)}
    if isinstance(t, ir.ArrayType):
        return {"kind": "array", "items": sub(t.items), "min_items": t.min_items, "max_items": t.max_items}
    if isinstance(t, ir.MapType):
        return {"kind": "map", "key": sub(t.key), "value": sub(t.value), "max_entries": t.max_entries}
    if isinstance(t, ir.StructType):
        return {"kind": "struct", "name": name, "fields": fields(t.fields)}
    return {"kind": "union", "name": name, "tag": t.tag,
            "variants": [{"name": v.name, "fields": fields(v.fields)} for v in t.variants]}
