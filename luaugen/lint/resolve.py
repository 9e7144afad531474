"""Finding uses of the generated Networking module in one parsed file, scope-aware.

Only the text that can matter is visited: the `require` calls that end at the networking module, then every
textual occurrence of each alias name (located with a regex, mapped to its tree node in C), resolved to its
innermost visible declaration by lexical scope ranges. Comments and strings never yield identifier nodes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tree_sitter import Node, Tree

from .parse import string_value, text

_WORD = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_BEFORE = _WORD | frozenset(b".:")
_CHILD_LOOKUPS = ("WaitForChild", "FindFirstChild")
_INDEX = ("dot_index_expression", "bracket_index_expression", "method_index_expression")


@dataclass(frozen=True)
class Segment:
    name: str | None  # None when not a literal (dynamic)
    node: Node
    inherited: bool = False  # comes from an alias declaration (already checked there)


@dataclass
class Use:
    """A reference `<module>.<segments...>`, possibly called: the call's function is the last segment."""

    segments: list[Segment]
    node: Node
    args: list[Node] | None = None  # None when not called


@dataclass
class _Decl:
    start: int  # scope range, byte offsets
    end: int
    segments: list[Segment] | None = None  # None: an unrelated local that shadows


@dataclass
class _Name:
    decls: list[_Decl] = field(default_factory=list)
    uses: list[Node] = field(default_factory=list)


def find_uses(tree: Tree, source: bytes, module: str) -> list[Use]:
    if module.encode() not in source:
        return []
    root = tree.root_node
    uses: list[Use] = []
    names: dict[str, _Name] = {}
    pending: list[tuple[str, _Decl]] = []
    for start in find_word(source, b"require"):
        ident = root.descendant_for_byte_range(start, start + 7)
        call = ident.parent if ident is not None and ident.type == "identifier" else None
        if call is None or call.type != "function_call" or call.child_by_field_name("name") != ident:
            continue
        args = _args(call)
        if args and _ends_at_module(args[0], module):
            _climb(call, [], uses, pending)
    while pending:
        name, decl = pending.pop()
        entry = names.get(name)
        if entry is None:
            entry = names[name] = _occurrences(root, source, name)
        same = [d for d in entry.decls if d.start == decl.start and d.end == decl.end]
        if same:
            same[0].segments = decl.segments
            decl = same[0]
        else:
            entry.decls.append(decl)
        for node in list(entry.uses):
            if _innermost(entry.decls, node.start_byte) is decl:
                entry.uses.remove(node)
                _climb(node, decl.segments, uses, pending)
    return uses


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


def _args(call: Node) -> list[Node]:
    arguments = call.child_by_field_name("arguments")
    if arguments is None:
        return []
    return [child for child in arguments.named_children if child.type != "comment"]


def _ends_at_module(node: Node, module: str) -> bool:
    kind = node.type
    if kind == "dot_index_expression":
        return text(node.child_by_field_name("field")) == module
    if kind == "identifier":
        return text(node) == module
    if kind == "string":
        value = string_value(node) or ""
        return re.split(r"[/.]", value)[-1] == module
    if kind == "bracket_index_expression":
        return string_value(node.child_by_field_name("field")) == module
    if kind == "function_call":
        name = node.child_by_field_name("name")
        if name is not None and name.type == "method_index_expression":
            if text(name.child_by_field_name("method")) in _CHILD_LOOKUPS:
                args = _args(node)
                return bool(args) and string_value(args[0]) == module
    if kind in ("parenthesized_expression", "cast_expression") and node.named_children:
        return _ends_at_module(node.named_children[0], module)
    return False


def _climb(node: Node, prefix: list[Segment], uses: list[Use], pending: list[tuple[str, _Decl]]) -> None:
    """Follow `node` up through indexing and calls; record the Use; register an alias when assigned to a local."""
    segments = [s if s.inherited else Segment(s.name, s.node, True) for s in prefix]
    current = node
    while True:
        parent = current.parent
        if parent is None:
            break
        kind = parent.type
        if kind in _INDEX and parent.child_by_field_name("table") == current:
            if kind == "method_index_expression":
                method = parent.child_by_field_name("method")
                segments.append(Segment(text(method), method))
                call = parent.parent
                if call is not None and call.type == "function_call" and call.child_by_field_name("name") == parent:
                    uses.append(Use(segments, call, _args(call)))
                return
            key = parent.child_by_field_name("field")
            name = text(key) if kind == "dot_index_expression" else string_value(key)
            segments.append(Segment(name, key))
            current = parent
            if name is None:
                break
        elif kind == "function_call" and parent.child_by_field_name("name") == current:
            uses.append(Use(segments, parent, _args(parent)))
            return
        elif kind == "cast_expression" or kind == "parenthesized_expression":
            current = parent
        else:
            break
    uses.append(Use(segments, current))
    if segments and segments[-1].name is None:
        return
    _bind(current, segments, pending)


def _bind(value: Node, segments: list[Segment], pending: list[tuple[str, _Decl]]) -> None:
    values = value.parent
    if values is None or values.type != "expression_list":
        return
    assignment = values.parent
    if assignment is None or assignment.type != "assignment_statement":
        return
    index = [v.id for v in values.children_by_field_name("value")].index(value.id)
    variables = assignment.named_children[0]
    targets = variables.children_by_field_name("name") if variables.type == "variable_list" else []
    if index >= len(targets) or targets[index].type != "identifier":
        return
    statement = assignment.parent
    if statement is not None and statement.type == "variable_declaration":
        decl = _Decl(statement.end_byte, statement.parent.end_byte, segments)
    else:  # a global: visible everywhere unless a local shadows it
        decl = _Decl(-1, 1 << 62, segments)
    pending.append((text(targets[index]), decl))


def _occurrences(root: Node, source: bytes, name: str) -> _Name:
    """Every declaration (with its scope) and every indexed/called reference of identifier `name`."""
    entry = _Name()
    word = name.encode()
    for start in find_word(source, word):
        node = root.descendant_for_byte_range(start, start + len(word))
        if node is None or node.type != "identifier":
            continue
        scope = _declares(node)
        if scope is not None:
            entry.decls.append(_Decl(*scope))
            continue
        parent = node.parent
        if parent.type in _INDEX and parent.child_by_field_name("table") == node:
            entry.uses.append(node)
        elif parent.type == "function_call" and parent.child_by_field_name("name") == node:
            entry.uses.append(node)
    return entry


def _declares(node: Node) -> tuple[int, int] | None:
    parent = node.parent
    kind = parent.type
    if kind == "variable_list":
        holder = parent.parent
        if node not in parent.children_by_field_name("name"):
            return None
        if holder.type == "assignment_statement" and holder.parent.type == "variable_declaration":
            holder = holder.parent
        if holder.type == "variable_declaration":
            return holder.end_byte, holder.parent.end_byte
        if holder.type == "for_generic_clause":
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
    return None


def _innermost(decls: list[_Decl], offset: int) -> _Decl | None:
    best = None
    for decl in decls:
        if decl.start <= offset < decl.end and (best is None or decl.start > best.start):
            best = decl
    return best
