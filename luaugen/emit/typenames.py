"""Type expressions for the generated Luau `Types` module and the Python mirror's `types.py`."""

from __future__ import annotations

import keyword
from dataclasses import dataclass

from ..model import ir
from ..model.walk import descendants
from .escape import luau_string, python_string
from .layout import fits, union_lines


def pascal(name: str) -> str:
    return name[:1].upper() + name[1:]


def luau_type(project: ir.Project, t: ir.Type, indent: int = 0) -> str:
    pad = "\t" * indent
    kind = type(t)  # tested with `is`: every field of every message is typed through here
    if kind is ir.BoolType:
        return "boolean"
    if kind is ir.StringType:
        return "string"
    if kind is ir.NumberType or kind is ir.IntegerType:
        return "number"
    if kind is ir.DatatypeType:
        return t.luau_name
    if kind is ir.InstanceType:
        return t.class_name
    if kind is ir.EnumType:
        return " | ".join(luau_string(v) for v in t.values)
    if kind is ir.RefType:
        return project.named(t.target).generated_name
    if kind is ir.ArrayType:
        return "{ " + luau_type(project, t.items, indent) + " }"
    if kind is ir.MapType:
        return "{ [" + luau_type(project, t.key, indent) + "]: " + luau_type(project, t.value, indent) + " }"
    if kind is ir.StructType:
        return luau_fields(project, t.fields, indent)
    variants = [luau_fields(project, v.fields, indent + 1, (t.tag, f'"{v.name}"')) for v in t.variants]
    return "".join("\n" + pad + "\t| " + variant for variant in variants)


def luau_definition(project: ir.Project, t: ir.Type, name: str) -> str:
    """What follows `export type <name> =`: the type on the same line, or a union's variants one per line below
    (tagged unions always, literal unions when the line would be too long for StyLua)."""
    text = luau_type(project, t)
    if isinstance(t, ir.EnumType) and not fits(0, f"export type {name} = {text}"):
        return "\n" + "\n".join(union_lines(1, [luau_string(v) for v in t.values]))
    return text if text.startswith("\n") else " " + text


def _field_line(project: ir.Project, f, indent: int) -> str:
    """`name: type,` at `indent` tabs; a literal union or inline struct too long for one line is laid out over
    lines the way StyLua lays it out."""
    pad = "\t" * indent
    inner = luau_type(project, f.type, indent - 1)
    text = f"{f.name}: {(f'({inner})?' if '|' in inner else f'{inner}?') if f.optional else inner},"
    if fits(indent, text):
        return pad + text
    if isinstance(f.type, ir.EnumType):
        values = [luau_string(v) for v in f.type.values]
        if not f.optional:
            lines = union_lines(indent + 1, values)
            return f"{pad}{f.name}: {lines[0].lstrip()}\n" + "\n".join(lines[1:]) + ","
        body = [pad + "\t" + inner] if fits(indent + 1, inner) else union_lines(indent + 1, values)
        return "\n".join([f"{pad}{f.name}: (", *body, pad + ")?,"])
    if isinstance(f.type, ir.StructType) and not inner.startswith("{\n"):
        inner = luau_fields(project, f.type.fields, indent - 1, expand=True)
        return f"{pad}{f.name}: {inner}{'?' if f.optional else ''},"
    return pad + text


def luau_fields(project: ir.Project, fields, indent: int, tag: tuple[str, str] | None = None,
                expand: bool = False) -> str:
    pad = "\t" * (indent + 1)
    lines = [f"{pad}{tag[0]}: {tag[1]},"] if tag else []
    lines += [_field_line(project, f, indent + 1) for f in fields]
    if not lines:
        return "{}"
    inline = "{ " + " ".join(line.strip() for line in lines).rstrip(",") + " }"
    if not expand and "\n" not in inline and len(inline) <= 80:
        return inline
    return "{\n" + "\n".join(lines) + "\n" + "\t" * indent + "}"


@dataclass(frozen=True)
class PyClass:
    """A TypedDict to emit; `alias` set instead of fields for named unions and non-struct named types."""

    name: str
    fields: tuple[tuple[str, str, bool], ...] = ()
    alias: str | None = None
    doc: str | None = None

    @property
    def needs_functional_syntax(self) -> bool:
        return any(keyword.iskeyword(name) for name, _, _ in self.fields)


class PythonTypes:
    """Collects TypedDicts (dependencies first) while turning IR types into annotations."""

    def __init__(self, project: ir.Project):
        self.project = project
        self.classes: list[PyClass] = []
        self._taken: set[str] = set()

    def _unique(self, name: str) -> str:
        candidate, n = name, 2
        while candidate in self._taken:
            candidate, n = f"{name}{n}", n + 1
        self._taken.add(candidate)
        return candidate

    def struct(self, name: str, fields, doc: str | None = None, tag: tuple[str, str] | None = None) -> str:
        rendered = [(tag[0], f'Literal["{tag[1]}"]', False)] if tag else []
        for f in fields:
            rendered.append((f.name, self.annotation(f.type, name + pascal(f.name)), f.optional))
        final = self._unique(name)
        self.classes.append(PyClass(final, tuple(rendered), doc=doc))
        return final

    def annotation(self, t: ir.Type, context: str) -> str:
        kind = type(t)
        if kind is ir.BoolType:
            return "bool"
        if kind is ir.StringType:
            return "str"
        if kind is ir.IntegerType:
            return "int"
        if kind is ir.NumberType:
            return "float"
        if kind is ir.DatatypeType:
            return f"roblox.{t.luau_name}"
        if kind is ir.InstanceType:
            return "roblox.Instance"
        if kind is ir.EnumType:
            return "Literal[" + ", ".join(python_string(v) for v in t.values) + "]"
        if kind is ir.RefType:
            return self.project.named(t.target).generated_name
        if kind is ir.ArrayType:
            return f"list[{self.annotation(t.items, context + 'Item')}]"
        if kind is ir.MapType:
            return f"dict[{self.annotation(t.key, context + 'Key')}, {self.annotation(t.value, context + 'Value')}]"
        if kind is ir.StructType:
            return self.struct(context, t.fields)
        return " | ".join(self.struct(context + pascal(v.name), v.fields, tag=(t.tag, v.name)) for v in t.variants)

    def named(self, named: ir.NamedType) -> None:
        t = named.type
        if isinstance(t, ir.StructType):
            self.struct(named.generated_name, t.fields, named.description)
        else:
            self._taken.add(named.generated_name)
            self.classes.append(PyClass(named.generated_name, alias=self.annotation(t, named.generated_name),
                                        doc=named.description))


def named_types_in_dependency_order(project: ir.Project) -> list[ir.NamedType]:
    ordered: list[ir.NamedType] = []
    done: set[str] = set()
    for named in project.types:
        _visit(project, named, done, ordered)
    return ordered


def _visit(project: ir.Project, named: ir.NamedType, done: set[str], ordered: list[ir.NamedType]) -> None:
    """Appends `named` after the types it refers to. A module-level function, not a closure calling itself: that
    would be a reference cycle holding the whole project until a full cycle collection."""
    if named.key in done:
        return
    done.add(named.key)
    for t in descendants(named.type):
        if isinstance(t, ir.RefType) and t.target is not None:
            _visit(project, project.named(t.target), done, ordered)
    ordered.append(named)
