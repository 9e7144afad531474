"""Walk every type in a project with a readable location, for the semantic rules."""

from __future__ import annotations

from typing import Iterator

from . import ir


def children(type_: ir.Type) -> Iterator[ir.Type]:
    if isinstance(type_, ir.ArrayType):
        yield type_.items
    elif isinstance(type_, ir.MapType):
        yield type_.key
        yield type_.value
    elif isinstance(type_, ir.StructType):
        yield from (f.type for f in type_.fields)
    elif isinstance(type_, ir.UnionType):
        yield from (f.type for v in type_.variants for f in v.fields)


def descendants(type_: ir.Type) -> Iterator[ir.Type]:
    yield type_
    for child in children(type_):
        yield from descendants(child)


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


def field_lists(type_: ir.Type) -> Iterator[tuple[ir.Field, ...]]:
    if isinstance(type_, ir.StructType):
        yield type_.fields
    elif isinstance(type_, ir.UnionType):
        for variant in type_.variants:
            yield variant.fields
