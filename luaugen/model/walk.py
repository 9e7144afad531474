"""Walk every type in a project with a readable location, for the semantic rules."""

from __future__ import annotations

from typing import Iterator

from . import ir


def children(type_: ir.Type) -> tuple[ir.Type, ...]:
    kind = type(type_)  # one dispatch on the class: every rule and emitter walks every type through here
    if kind is ir.StructType:
        return tuple(f.type for f in type_.fields)
    if kind is ir.ArrayType:
        return (type_.items,)
    if kind is ir.MapType:
        return (type_.key, type_.value)
    if kind is ir.UnionType:
        return tuple(f.type for v in type_.variants for f in v.fields)
    return ()


def descendants(type_: ir.Type) -> Iterator[ir.Type]:
    """`type_` and every type inside it, parents before children, in declaration order: one generator and a stack,
    not a chain of generators one per level (each type passed up through every level above it)."""
    stack = [type_]
    while stack:
        t = stack.pop()
        yield t
        inner = children(t)
        if inner:
            stack.extend(reversed(inner))


def roots(project: ir.Project) -> Iterator[ir.Type]:
    for named in project.types:
        yield named.type
    for message in project.messages():
        yield message.payload
        if message.reply is not None:
            yield message.reply


def all_types(project: ir.Project) -> Iterator[ir.Type]:
    for root in roots(project):
        yield from descendants(root)


def field_lists(type_: ir.Type) -> tuple[tuple[ir.Field, ...], ...]:
    kind = type(type_)  # a tuple, not a generator: the name rules ask this of every type
    if kind is ir.StructType:
        return (type_.fields,)
    if kind is ir.UnionType:
        return tuple(variant.fields for variant in type_.variants)
    return ()
