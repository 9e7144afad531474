"""What a type means on the wire: named types resolved, default bounds applied, expectation texts for messages.

Validators in both languages and the manifest are written from these, so they cannot disagree.
"""

from __future__ import annotations

from ..config import Limits
from ..model import ir
from ..model.effective import effective, resolve  # noqa: F401 (re-exported: emitters import them from here)


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
    kind = type(type_)
    if kind is ir.IntegerType:
        return "integer" + _range(type_.effective_min, type_.effective_max)
    if kind is ir.StringType:
        return _size("string", type_.min_length, type_.max_length, "bytes")
    if kind is ir.BoolType:
        return "boolean"
    if kind is ir.NumberType:
        return ("finite number" if type_.finite else "number") + _range(type_.min, type_.max)
    if kind is ir.DatatypeType:
        return type_.luau_name
    if kind is ir.InstanceType:
        return type_.class_name
    if kind is ir.EnumType:
        return "one of " + ", ".join(f'"{v}"' for v in type_.values)
    if kind is ir.ArrayType:
        return _size("array", type_.min_items, type_.max_items, "items")
    if kind is ir.MapType:
        return _size("table", None, type_.max_entries, "entries")
    return "table"


def type_json(project: ir.Project, type_: ir.Type, strict: bool, limits: Limits) -> dict:
    """The manifest's description of a type (effective constraints, named types inlined). Keys are written in
    sorted order, as the manifest prints them: its encoder then has nothing to sort (manifest.py)."""
    name = project.named(type_.target).generated_name if type(type_) is ir.RefType else None
    t = effective(project, type_, strict, limits)
    kind = type(t)  # tested with `is`: the manifest describes every field of every message
    if kind is ir.IntegerType:
        return {"format": t.format, "kind": "integer", "max": t.effective_max, "min": t.effective_min}
    if kind is ir.StringType:
        return {"kind": "string", "max_length": t.max_length, "min_length": t.min_length}
    if kind is ir.BoolType:
        return {"kind": "bool"}
    if kind is ir.NumberType:
        return {"finite": t.finite, "format": t.format, "kind": "number", "max": t.max, "min": t.min}
    if kind is ir.DatatypeType:
        return {"kind": t.kind}
    if kind is ir.InstanceType:
        return {"class": t.class_name, "kind": "instance"}
    if kind is ir.EnumType:
        return {"kind": "enum", "values": list(t.values)}
    if kind is ir.ArrayType:
        return {"items": type_json(project, t.items, strict, limits), "kind": "array", "max_items": t.max_items,
                "min_items": t.min_items}
    if kind is ir.MapType:
        return {"key": type_json(project, t.key, strict, limits), "kind": "map", "max_entries": t.max_entries,
                "value": type_json(project, t.value, strict, limits)}
    if kind is ir.StructType:
        return {"fields": _fields_json(project, t.fields, strict, limits), "kind": "struct", "name": name}
    return {"kind": "union", "name": name, "tag": t.tag,
            "variants": [{"fields": _fields_json(project, v.fields, strict, limits), "name": v.name}
                         for v in t.variants]}


def _fields_json(project: ir.Project, fields: tuple[ir.Field, ...], strict: bool, limits: Limits) -> list[dict]:
    return [{"name": f.name, "optional": f.optional, "type": type_json(project, f.type, strict, limits)}
            for f in fields]
