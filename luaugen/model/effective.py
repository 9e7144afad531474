"""What a type means on the wire: named types resolved and, for client→server payloads, open sizes bounded.

Validators, the manifest and the packed layout are all written from `effective`, so they cannot disagree.
"""

from __future__ import annotations

from ..config import Limits
from ..records import evolve
from . import ir


def resolve(project: ir.Project, type_: ir.Type) -> ir.Type:
    while isinstance(type_, ir.RefType):
        type_ = project.named(type_.target).type
    return type_


def effective(project: ir.Project, type_: ir.Type, strict: bool, limits: Limits) -> ir.Type:
    """The type with references resolved and, for client→server payloads (`strict`), open sizes bounded."""
    # Called for every type by every emitter and rule: the class is tested with `is`, commonest cases first.
    kind = type(type_)
    if kind is ir.RefType:
        type_ = resolve(project, type_)
        kind = type(type_)
    if not strict:
        return type_
    if kind is ir.StringType and type_.max_length is None:
        return _bounded(project, type_, "max_length", limits.string_max_length)
    if kind is ir.ArrayType and type_.max_items is None:
        return _bounded(project, type_, "max_items", limits.array_max_items)
    if kind is ir.MapType and type_.max_entries is None:
        return _bounded(project, type_, "max_entries", limits.map_max_entries)
    return type_


def _bounded(project: ir.Project, type_: ir.Type, bound: str, value: int) -> ir.Type:
    """Validators, the manifest and the layout ask for the same bounded types, and making a record is slow enough
    to matter: each is made once per project. Remembered by the type's identity, not its value, whose hash covers
    its span and costs more than the copy it saves; the type is kept with it, so an identity is never mistaken
    for another's."""
    key = (id(type_), bound, value)
    known = project.bounded_types.get(key)
    if known is not None and known[0] is type_:
        return known[1]
    bounded = evolve(type_, **{bound: value})
    project.bounded_types[key] = (type_, bounded)
    return bounded
