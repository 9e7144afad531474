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
_ITEMS = {
    "values": lambda node: node.children_by_field_name("value"),
    "names": lambda node: node.children_by_field_name("name"),
    "arguments": lambda node: [child for child in node.named_children if child.type != "comment"],
    "positional": lambda node: [f for f in node.named_children if f.type == "field" and f.child_by_field_name("name") is None],
}


@dataclass(eq=False, slots=True)
class Decl:
    """A declaration of a name: its scope (byte range) and the identifier node that declares it (None: implicit global)."""

    name: str
    start: int
    end: int
    node: Node | None = None


@dataclass(slots=True)
class Name:
    references: list[Node] = field(default_factory=list)  # every identifier occurrence that is not a declaration
    decls: dict[int, Decl] = field(default_factory=dict)  # by the declaring identifier's start byte
    owners: dict[int, Decl] = field(default_factory=dict)  # reference start byte -> the declaration it sees
    seen_by: dict[Decl, list[Node]] = field(default_factory=dict)  # declaration -> the references that see it
    global_decl: Decl | None = None
    reassigned: bool | None = None


class Scopes:
    def __init__(self, root: Node, source: bytes):
        self.root = root
        self.source = source
        self._names: dict[str, Name] = {}
        self._items: dict[tuple[int, str], list[Node]] = {}
        self._positions: dict[tuple[int, str], dict[int, int]] = {}

    def items(self, parent: Node, among: str) -> list[Node]:
        """The `values`, `names`, `arguments` or `positional` fields of `parent`, once per parent: walking a
        10,000-item list again for each of its items would make hostile files quadratic."""
        key = (parent.id, among)
        found = self._items.get(key)
        if found is None:
            found = self._items[key] = _ITEMS[among](parent)
            self._positions[key] = {node.start_byte: i for i, node in enumerate(found)}
        return found

    def position(self, node: Node, among: str) -> int:
        """Index of `node` in `items(node.parent, among)`, -1 when not there."""
        self.items(node.parent, among)
        return self._positions[(node.parent.id, among)].get(node.start_byte, -1)

    def reassigned(self, name: str) -> bool:
        """Whether `name` is the target of a plain assignment anywhere in the file."""
        entry = self.name(name)
        if entry.reassigned is None:
            entry.reassigned = any(ref.parent.type == "variable_list" for ref in entry.references)
        return entry.reassigned

    def assigned_value(self, target: Node) -> Node | None:
        """The expression assigned to identifier `target` in `local a, b = x, y` / `a, b = x, y` (None: none)."""
        names = target.parent
        if names.type != "variable_list" or names.parent.type != "assignment_statement":
            return None
        values = next((c for c in names.parent.named_children if c.type == "expression_list"), None)
        index = self.position(target, "names")
        items = self.items(values, "values") if values is not None else []
        return items[index] if 0 <= index < len(items) else None

    def function_of(self, decl: Decl) -> Node | None:
        """The function a declaration names: `local function f`, `function f`, or `local f = function ... end`."""
        node = decl.node
        if node is None:
            return None
        if node.parent.type == "function_declaration":
            return node.parent
        value = self.assigned_value(node)
        return value if value is not None and value.type == "function_definition" else None

    def name(self, name: str) -> Name:
        entry = self._names.get(name)
        if entry is None:
            entry = self._names[name] = self._occurrences(name)
        return entry

    def visible(self, name: str, offset: int) -> Decl:
        """The declaration of `name` seen by the reference at `offset` (the name's global when no local is in scope)."""
        entry = self.name(name)
        owner = entry.owners.get(offset)
        if owner is None:  # not a reference's offset: the innermost local around it, by a scan
            around = [d for d in entry.decls.values() if d.start <= offset < d.end and (d.start, d.end) != GLOBAL]
            owner = max(around, key=lambda d: d.start) if around else self._global(entry, name)
        return owner

    def references_of(self, decl: Decl) -> list[Node]:
        return self.name(decl.name).seen_by.get(decl, [])

    def declared_by(self, node: Node) -> Decl:
        """The declaration made by identifier `node` (a local, a parameter, a loop variable or a function name)."""
        name = node.text.decode("utf-8", "replace")
        entry = self.name(name)
        decl = entry.decls.get(node.start_byte)
        if decl is None or (decl.start, decl.end) == GLOBAL:
            return self._global(entry, name)
        return decl

    def _global(self, entry: Name, name: str) -> Decl:
        """One declaration per global name: its first `function name()` if the file has one, else an implicit one."""
        if entry.global_decl is None:
            explicit = (d for d in entry.decls.values() if (d.start, d.end) == GLOBAL)
            entry.global_decl = next(explicit, None) or Decl(name, *GLOBAL)
        return entry.global_decl

    def _occurrences(self, name: str) -> Name:
        entry = Name()
        word = name.encode()
        for start in find_word(self.source, word):
            node = self.root.descendant_for_byte_range(start, start + len(word))
            if node is None or node.type != "identifier":
                continue
            scope = declares(node)
            if scope is not None:
                entry.decls[start] = Decl(name, *scope, node)
            elif not _is_key(node):
                entry.references.append(node)
        self._assign_owners(entry, name)
        return entry

    def _assign_owners(self, entry: Name, name: str) -> None:
        """Each reference's innermost declaration, in one sweep: local scopes are nested or disjoint byte ranges."""
        locals_ = sorted((d for d in entry.decls.values() if (d.start, d.end) != GLOBAL), key=lambda d: d.start)
        open_: list[Decl] = []
        i = 0
        for node in entry.references:  # in source order
            offset = node.start_byte
            while i < len(locals_) and locals_[i].start <= offset:
                open_.append(locals_[i])
                i += 1
            while open_ and open_[-1].end <= offset:
                open_.pop()
            owner = open_[-1] if open_ else self._global(entry, name)
            entry.owners[offset] = owner
            entry.seen_by.setdefault(owner, []).append(node)

    def function_named(self, table: str, method: str) -> Node | None:
        """The `function table.method(...)` / `function table:method(...)` declaration of this file, if one."""
        pattern = rb"function\s+" + re.escape(table.encode()) + rb"\s*[.:]\s*" + re.escape(method.encode()) + rb"\s*[(<]"
        match = re.search(pattern, self.source)
        if match is None:
            return None
        node = self.root.descendant_for_byte_range(match.start(), match.start() + 8)
        return node.parent if node is not None and node.parent is not None and node.parent.type == "function_declaration" else None


def find_word(source: bytes, word: bytes, *, members: bool = False):
    """Offsets of `word` as a whole identifier, not preceded by `.` or `:` unless `members` (bytes.find is far
    faster than a regex)."""
    find, size, start = source.find, len(word), 0
    before = _WORD if members else _BEFORE
    while True:
        start = find(word, start)
        if start < 0:
            return
        end = start + size
        if (start == 0 or source[start - 1] not in before) and (end == len(source) or source[end] not in _WORD):
            yield start
        start = end


def _is_key(node: Node) -> bool:
    """`{ Net = 1 }`: the identifier names a table key, it does not read the variable."""
    parent = node.parent
    return parent.type == "field" and parent.child_by_field_name("name") == node and parent.children[0].type != "["


def is_target_name(node: Node) -> bool:
    """An identifier in a variable list is a name unless it is a type after `:` (checked in O(1), not by a scan)."""
    before = node.prev_sibling
    return before is None or before.type == ","


def declares(node: Node) -> tuple[int, int] | None:
    """The scope (byte range) of the variable `node` declares, or None when it is a reference."""
    parent = node.parent
    kind = parent.type
    if kind == "variable_list":
        holder = parent.parent
        if not is_target_name(node):
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

