"""Lexical scopes of one parsed file, built only for the names lint follows.

Occurrences of a name are located with `bytes.find` and mapped to tree nodes in C, so the cost is proportional to
the text of the names followed, not to the file. Comments and strings never yield identifier nodes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tree_sitter import Node


_WORD = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_BEFORE = _WORD | frozenset(b".:")
GLOBAL = (-1, 1 << 62)  # the scope of a global: everywhere a local does not shadow it


@dataclass(eq=False)
class Decl:
    """A declaration of a name: its scope (byte range) and the identifier node that declares it (None: implicit global)."""

    name: str
    start: int
    end: int
    node: Node | None = None


@dataclass
class Name:
    decls: list[Decl] = field(default_factory=list)
    references: list[Node] = field(default_factory=list)  # every identifier occurrence that is not a declaration


class Scopes:
    def __init__(self, root: Node, source: bytes):
        self.root = root
        self.source = source
        self._names: dict[str, Name] = {}

    def name(self, name: str) -> Name:
        entry = self._names.get(name)
        if entry is None:
            entry = self._names[name] = self._occurrences(name)
        return entry

    def visible(self, name: str, offset: int) -> Decl:
        """The declaration of `name` seen at `offset` (an implicit global one when nothing declares it)."""
        entry = self.name(name)
        best = None
        for decl in entry.decls:  # a global's range spans the file, so the innermost local wins over it
            if decl.start <= offset < decl.end and (best is None or decl.start > best.start):
                best = decl
        if best is None:
            best = Decl(name, *GLOBAL)
            entry.decls.append(best)
        return best

    def declared_by(self, node: Node) -> Decl:
        """The declaration made by identifier `node` (a local, a parameter, a loop variable or a function name)."""
        name = node.text.decode("utf-8", "replace")
        for decl in self.name(name).decls:
            if decl.node is not None and decl.node.start_byte == node.start_byte:
                return decl
        return self.visible(name, node.start_byte)

    def _occurrences(self, name: str) -> Name:
        entry = Name()
        word = name.encode()
        for start in find_word(self.source, word):
            node = self.root.descendant_for_byte_range(start, start + len(word))
            if node is None or node.type != "identifier":
                continue
            scope = declares(node)
            if scope is not None:
                entry.decls.append(Decl(name, *scope, node))
            elif not _is_key(node):
                entry.references.append(node)
        return entry

    def function_named(self, table: str, method: str) -> Node | None:
        """The `function table.method(...)` / `function table:method(...)` declaration of this file, if one."""
        pattern = rb"function\s+" + re.escape(table.encode()) + rb"\s*[.:]\s*" + re.escape(method.encode()) + rb"\s*[(<]"
        match = re.search(pattern, self.source)
        if match is None:
            return None
        node = self.root.descendant_for_byte_range(match.start(), match.start() + 8)
        return node.parent if node is not None and node.parent is not None and node.parent.type == "function_declaration" else None


def find_word(source: bytes, word: bytes):
    """Offsets of `word` as a whole identifier not preceded by `.` or `:` (bytes.find is far faster than a regex)."""
    find, size, start = source.find, len(word), 0
    while True:
        start = find(word, start)
        if start < 0:
            return
        end = start + size
        if (start == 0 or source[start - 1] not in _BEFORE) and (end == len(source) or source[end] not in _WORD):
            yield start
        start = end


def _is_key(node: Node) -> bool:
    """`{ Net = 1 }`: the identifier names a table key, it does not read the variable."""
    parent = node.parent
    return parent.type == "field" and parent.child_by_field_name("name") == node and parent.children[0].type != "["


def declares(node: Node) -> tuple[int, int] | None:
    """The scope (byte range) of the variable `node` declares, or None when it is a reference."""
    parent = node.parent
    kind = parent.type
    if kind == "variable_list":
        holder = parent.parent
        if node not in parent.children_by_field_name("name"):
            return None
        if holder.type == "assignment_statement" and holder.parent.type == "variable_declaration":
            holder = holder.parent
        if holder.type in ("variable_declaration", "for_generic_clause"):
            return holder.end_byte, holder.parent.end_byte
        return None
    if kind == "parameter" and parent.named_children[0] == node:
        params = parent.parent
        return params.end_byte, params.parent.end_byte
    if kind == "for_numeric_clause" and parent.child_by_field_name("name") == node:
        return parent.end_byte, parent.parent.end_byte
    if kind == "function_declaration" and parent.child_by_field_name("name") == node:
        if parent.children and parent.children[0].type == "local":
            return node.start_byte, parent.parent.end_byte
        return GLOBAL
    return None


def function_of(decl: Decl) -> Node | None:
    """The function a declaration names: `local function f`, `function f`, or `local f = function ... end`."""
    node = decl.node
    if node is None:
        return None
    parent = node.parent
    if parent.type == "function_declaration":
        return parent
    if parent.type == "variable_list" and parent.parent.type == "assignment_statement":
        index = parent.children_by_field_name("name").index(node)
        values = _values(parent.parent)
        if index < len(values) and values[index].type == "function_definition":
            return values[index]
    return None


def _values(assignment: Node) -> list[Node]:
    values = next((c for c in assignment.named_children if c.type == "expression_list"), None)
    return values.children_by_field_name("value") if values is not None else []


def parameter(function: Node, index: int) -> Node | None:
    """The identifier receiving argument `index` (0-based; a `:` call's object is argument 0), None for self or `...`."""
    name = function.child_by_field_name("name")
    if name is not None and name.type == "method_index_expression":
        if index == 0:
            return None  # the implicit self: not a name lint can follow in the body
        index -= 1
    params = function.child_by_field_name("parameters")
    items = [p for p in params.named_children if p.type == "parameter"] if params is not None else []
    if index >= len(items):
        return None
    first = items[index].named_children[0] if items[index].named_children else None
    return first if first is not None and first.type == "identifier" else None

