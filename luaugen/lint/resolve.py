"""Following the generated Networking module through one parsed file.

From each `require` of the module, a value is followed up the tree: through indexing and calls, parentheses,
casts, `or` / `and` / `if` expressions and table constructors, into locals, globals, table fields and the
parameters of functions declared in the same file (and from there to every reference of that name in scope).
Where the value goes somewhere lint cannot follow (an unknown function, `return`, `_G`, iteration, arithmetic),
the Use records that escape and the checker reports it: nothing the module reaches is skipped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from tree_sitter import Node, Tree

from .parse import string_value, text
from .scope import Decl, Scopes, find_word, parameter

_CHILD_LOOKUPS = ("WaitForChild", "FindFirstChild", "GetService")
_INDEX = ("dot_index_expression", "bracket_index_expression", "method_index_expression")
_TARGET_HOLDERS = ("variable_list", "function_declaration")
_CONDITIONS = ("if_statement", "elseif_statement", "while_statement", "repeat_statement")
# Builtins that only look at a value: passing the module to them hands it to nothing that could call it.
_INSPECTING_CALLS = frozenset({"typeof", "type", "tostring", "print", "warn"})
_SHARED_TABLES = frozenset({"_G", "shared"})  # globals every script sees
INTERNAL_FOLDER = "Runtime"
MAX_DEPTH = 4  # tables nested in tables that lint follows; deeper is an escape
MAX_STEPS = 20_000  # values followed in one file, so a hostile file costs bounded work


class Segment(NamedTuple):  # a tuple: created for every step of every use, so it must be cheap
    name: str | None  # None when not a literal (dynamic)
    node: Node
    inherited: bool = False  # comes from an alias declaration (already checked there)


@dataclass(slots=True)
class Use:
    """A reference `<module>.<segments...>`, possibly called: the call's function is the last segment."""

    segments: list[Segment]
    node: Node
    args: list[Node] | None = None  # None when not called
    escape: str | None = None  # where the value went when lint cannot follow it ("returned", ...)
    in_table: bool = False  # the escaping value is a table that holds this use


# What a name or expression holds: a path into the module, or a table whose fields hold such values.
Value = list[Segment] | dict[str, "Value"]


def find_uses(tree: Tree, source: bytes, module: str,
              server_module: str | None = None) -> tuple[list[Use], list[tuple[Node, str]]]:
    """The module's uses, and the requires of internal modules (call, dotted path): `...Networking.Runtime.X`, and
    the server half (`server_module` or anything in it), which the shared module loads itself."""
    if module.encode() not in source and (server_module is None or server_module.encode() not in source):
        return [], []
    resolver = _Resolver(tree.root_node, source)
    internal = []
    for call, path in require_calls(tree.root_node, source):
        if path[-1] == module:
            resolver.climb(call, [])
        for i, part in enumerate(path):
            if part == server_module or (part == module and i + 1 < len(path) and path[i + 1] == INTERNAL_FOLDER):
                internal.append((call, ".".join(p or "?" for p in path[i:])))
                break
    resolver.drain()
    return resolver.uses, internal


def require_calls(root: Node, source: bytes):
    """(call, path) for every `require(<path>)`; the path's parts are None where not literal."""
    for start in find_word(source, b"require"):
        ident = root.descendant_for_byte_range(start, start + 7)
        call = ident.parent if ident is not None and ident.type == "identifier" else None
        if call is None or call.type != "function_call" or call.child_by_field_name("name") != ident:
            continue
        args = _args(call)
        if args:
            yield call, _path(args[0])


def _path(node: Node) -> list[str | None]:
    """`a.b:WaitForChild("c")` -> ["a", "b", "c"]; a string path is split at `/` and `.` (walked, not recursed)."""
    path: list[str | None] = []
    while True:
        kind = node.type
        if kind in ("parenthesized_expression", "cast_expression") and node.named_children:
            node = node.named_children[0]
            continue
        if kind == "dot_index_expression":
            path.append(text(node.child_by_field_name("field")))
        elif kind == "bracket_index_expression":
            path.append(string_value(node.child_by_field_name("field")))
        elif kind == "function_call" and _is_child_lookup(node):
            args = _args(node)
            path.append(string_value(args[0]) if args else None)
            node = node.child_by_field_name("name")
        else:
            value = string_value(node) if kind == "string" else None
            if kind == "identifier":
                path.append(text(node))
            elif value:
                path.extend(reversed(re.split(r"[/.]", value)))
            else:
                path.append(None)
            path.reverse()
            return path
        node = node.child_by_field_name("table")


def _is_child_lookup(call: Node) -> bool:
    name = call.child_by_field_name("name")
    return name is not None and name.type == "method_index_expression" and text(name.child_by_field_name("method")) in _CHILD_LOOKUPS


def _args(call: Node) -> list[Node]:
    arguments = call.child_by_field_name("arguments")
    if arguments is None:
        return []
    return [child for child in arguments.named_children if child.type != "comment"]


class _Resolver:
    def __init__(self, root: Node, source: bytes):
        self.scopes = Scopes(root, source)
        self.uses: list[Use] = []
        self.pending: list[tuple[Decl, Value]] = []
        self.seen: set[tuple[Decl, tuple]] = set()
        self.climbed: set[tuple[int, tuple]] = set()  # (or/and/if expression id, value signature) already followed
        self.steps = 0

    def drain(self) -> None:
        while self.pending:
            decl, value = self.pending.pop()
            inherited = _inherit(value)
            for node in self.scopes.references_of(decl):
                self.climb(node, inherited)

    def climb(self, node: Node, value: Value) -> None:
        """Follow `value`, held by expression `node`, up through the expressions that pass it on."""
        self.steps += 1
        if self.steps > MAX_STEPS:
            if self.steps == MAX_STEPS + 1:
                self.escape(node, value, f"followed past lint's limit of {MAX_STEPS} values in one file")
            return
        current = node
        while True:
            parent = current.parent
            kind = parent.type if parent is not None else ""
            if kind in _INDEX:
                if parent.child_by_field_name("table") != current:
                    return self.escape(current, value, "used as a table key")
                if parent.parent.type in _TARGET_HOLDERS and _is_target(parent):
                    # `Net.X = ...` writes into the module; `t.net = ...` just replaces a field of a local table
                    return self.escape(current, value, "written to") if isinstance(value, list) else None
                if kind == "method_index_expression":
                    return self._method(parent, value)
                key = parent.child_by_field_name("field")
                name = text(key) if kind == "dot_index_expression" else _key(key)
                if isinstance(value, dict):
                    if name is None:
                        return self.escape(current, value, "indexed with a computed key")
                    if name not in value:
                        return None  # another field of a table that also holds the module
                    value = value[name]
                else:
                    value = [*value, Segment(name, key)]
                    if name is None:
                        current = parent
                        break
                current = parent
            elif kind == "function_call" and parent.child_by_field_name("name") == current:
                if isinstance(value, list):
                    self.uses.append(Use(value, parent, _args(parent)))
                return None
            elif kind == "parenthesized_expression" or (kind == "cast_expression" and parent.named_children[0] == current):
                current = parent
            elif kind == "binary_expression":
                operator = parent.children[1].type
                if operator == "or" or (operator == "and" and parent.child_by_field_name("right") == current):
                    if self._joined(parent, value):
                        return None
                    current = parent  # the expression may evaluate to this operand
                elif operator in ("and", "==", "~="):
                    break  # a test of the value
                else:
                    return self.escape(current, value, f"an operand of {operator!r}")
            elif kind == "unary_expression":
                if parent.children[0].type == "not":
                    break
                return self.escape(current, value, f"an operand of {parent.children[0].type!r}")
            elif kind == "if_expression" or (kind in ("elseif_clause", "else_clause") and parent.parent.type == "if_expression"):
                if parent.child_by_field_name("condition") == current:
                    break
                current = parent if kind == "if_expression" else parent.parent
                if self._joined(current, value):
                    return None
            elif kind == "field":
                if parent.child_by_field_name("value") != current:
                    return self.escape(current, value, "used as a table key")
                key = self._field_key(parent)
                if key is None:
                    return self.escape(current, value, "stored in a table under a computed key")
                if _depth(value) >= MAX_DEPTH:
                    return self.escape(current, value, "nested in tables deeper than lint follows")
                value = {key: value}
                current = parent.parent
            elif kind == "expression_list":
                return self._expression_list(current, value, parent)
            elif kind == "arguments":
                return self._argument(current, value, parent.parent)
            elif kind in _CONDITIONS and parent.child_by_field_name("condition") == current:
                break
            elif kind in ("interpolation", "chunk", "block"):
                break  # converted to a string, or a call statement's discarded result
            elif kind == "variable_list" or kind.endswith("_type") or kind in ("type_definition", "ERROR"):
                return None  # overwritten (`Net = nil`), a type annotation, or code that did not parse (reported)
            else:
                return self.escape(current, value, "used where lint cannot follow it")
        self.record(current, value)
        return None

    def _joined(self, expression: Node, value: Value) -> bool:
        """Whether `value` already reached `expression` by another operand: `Net or Net or ...` is followed once."""
        key = (expression.id, _signature(value))
        if key in self.climbed:
            return True
        self.climbed.add(key)
        return False

    def _method(self, index: Node, value: Value) -> None:
        if isinstance(value, dict):
            return  # `t:method()` on a table that holds the module calls the table's own function
        method = index.child_by_field_name("method")
        segments = [*value, Segment(text(method), method)]
        call = index.parent
        if call is not None and call.type == "function_call" and call.child_by_field_name("name") == index:
            self.uses.append(Use(segments, call, _args(call)))

    def _expression_list(self, current: Node, value: Value, values: Node) -> None:
        holder = values.parent
        if holder.type == "return_statement":
            return self.escape(current, value, "returned")
        if holder.type != "assignment_statement":
            return self.escape(current, value, "iterated" if holder.type == "for_generic_clause" else "used where lint cannot follow it")
        index = self.scopes.position(current, "values")
        variables = holder.named_children[0]
        targets = self.scopes.items(variables, "names") if variables.type == "variable_list" else []
        if index >= len(targets):
            return self.record(current, value)  # an extra value, discarded
        target = targets[index]
        if target.type == "identifier":
            local = holder.parent is not None and holder.parent.type == "variable_declaration"
            decl = self.scopes.declared_by(target) if local else self.scopes.visible(text(target), target.start_byte)
            self.record(current, value)
            return self.bind(decl, value)
        path, root = _field_path(target)
        if root is None or None in path or _depth(value) + len(path) > MAX_DEPTH:
            return self.escape(current, value, "stored in a table lint cannot follow")
        decl = self.scopes.visible(text(root), root.start_byte)
        if text(root) in _SHARED_TABLES and decl.node is None:
            self.escape(current, value, f"stored in {text(root)} (other scripts would use it unchecked)")
        else:
            self.record(current, value)
        for key in reversed(path):
            value = {key: value}
        return self.bind(decl, value)

    def _argument(self, current: Node, value: Value, call: Node) -> None:
        index = self.scopes.position(current, "arguments")
        callee = call.child_by_field_name("name")
        function = None
        if callee.type == "identifier":
            decl = self.scopes.visible(text(callee), callee.start_byte)
            function = self.scopes.function_of(decl)
            if function is None and decl.node is None and text(callee) in _INSPECTING_CALLS:
                return self.record(current, value)
        elif callee.type in ("dot_index_expression", "method_index_expression"):
            table = callee.child_by_field_name("table")
            member = callee.child_by_field_name("field" if callee.type == "dot_index_expression" else "method")
            if table.type == "identifier":
                function = self.scopes.function_named(text(table), text(member))
            if callee.type == "method_index_expression":
                index += 1  # the object is argument 0
        receiver = parameter(function, index) if function is not None else None
        if receiver is None:
            return self.escape(current, value, "passed to a function lint cannot resolve")
        self.record(current, value)
        return self.bind(self.scopes.declared_by(receiver), value)

    def _field_key(self, field: Node) -> str | None:
        """The key a table constructor field stores under: its name, a literal key, or its positional index."""
        name = field.child_by_field_name("name")
        if name is None:
            return str(self.scopes.position(field, "positional") + 1)
        return _key(name) if field.children[0].type == "[" else text(name)

    def bind(self, decl: Decl, value: Value) -> None:
        key = (decl, _signature(value))
        if key not in self.seen:
            self.seen.add(key)
            self.pending.append((decl, value))

    def record(self, node: Node, value: Value) -> None:
        """A use lint can see whole: its names are checked."""
        if isinstance(value, list):
            self.uses.append(Use(value, node))

    def escape(self, node: Node, value: Value, where: str) -> None:
        for leaf in _leaves(value):
            self.uses.append(Use(leaf, node, escape=where, in_table=isinstance(value, dict)))


def _is_target(index: Node) -> bool:
    holder = index.parent
    if holder is None:
        return False
    if holder.type == "variable_list":
        return True  # an index expression in a variable list is always a target (types are other nodes)
    return holder.type == "function_declaration" and holder.child_by_field_name("name") == index


def _key(node: Node) -> str | None:
    """A bracket key lint can name: a string or an integer literal."""
    if node.type == "number" and text(node).isdigit():
        return str(int(text(node)))
    return string_value(node)


def _field_path(target: Node) -> tuple[list[str | None], Node | None]:
    """`a.b["c"]` -> (["b", "c"], a); the root is None when not a plain name."""
    path: list[str | None] = []
    node = target
    while node.type in ("dot_index_expression", "bracket_index_expression"):
        key = node.child_by_field_name("field")
        path.append(text(key) if node.type == "dot_index_expression" else _key(key))
        node = node.child_by_field_name("table")
    path.reverse()
    return path, node if node.type == "identifier" else None


def _inherit(value: Value) -> Value:
    if isinstance(value, dict):
        return {k: _inherit(v) for k, v in value.items()}
    return [s if s.inherited else Segment(s.name, s.node, True) for s in value]


def _signature(value: Value) -> tuple:
    if isinstance(value, dict):
        return tuple(sorted((k, _signature(v)) for k, v in value.items()))
    return ("", *(s.name or "" for s in value))


def _depth(value: Value) -> int:
    return 1 + max(map(_depth, value.values())) if isinstance(value, dict) else 0


def _leaves(value: Value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    else:
        yield value
