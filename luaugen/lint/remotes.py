"""`raw-remote`: direct RemoteEvent / RemoteFunction / UnreliableRemoteEvent use instead of the generated API.

Found by what the code names, however it names it: a remote member as a field, a method or a string
(`r:FireServer()`, `r["FireServer"](r)`, `local m = "Fire" .. "Server"`), a remote class given to `Instance.new`
(also folded from constants), any `Instance.new` whose class lint cannot resolve, and, on values known to be
remotes (created, typed or used as one, and their aliases), members chosen at run time (`r[m](r)`) and `:Clone()`.
Values are known by name within the file (not by scope): the same name reused for another object is flagged too.
"""

from __future__ import annotations

import re

from tree_sitter import Node, Query, QueryCursor, Tree

from .check import Finding
from .parse import LANGUAGE, string_value, text
from .scope import Scopes, find_word, is_target_name

MEMBERS = frozenset({"FireServer", "FireClient", "FireAllClients", "OnServerEvent", "OnClientEvent", "InvokeServer",
                     "InvokeClient", "OnServerInvoke", "OnClientInvoke"})
CLASSES = frozenset({"RemoteEvent", "UnreliableRemoteEvent", "RemoteFunction"})
_INSTANCE_NEW = re.compile(rb"Instance\s*\.\s*new")
_CONCAT = Query(LANGUAGE, '(binary_expression "..") @concat')
_CLASS_LOOKUPS = ("FindFirstChildOfClass", "FindFirstChildWhichIsA")
_MEMBER_PARTS = (b"Fire", b"Invoke", b"OnServer", b"OnClient")  # every member name contains one
_TRIGGERS = (*_MEMBER_PARTS, b"Remote", b"Instance", b"..", b"\\")
_HINT = "declare the message in a schema and use the generated Networking API"
MAX_FOLD = 16  # nesting of constants followed when folding a string
MAX_NAME_TEXT = 16 * max(map(len, MEMBERS))  # source bytes of a literal that might spell a member (escapes included)
MAX_CONSTANT = 256  # characters of a folded constant: longer than any class name, so the work stays bounded


def find_raw_remotes(tree: Tree, source: bytes) -> list[Finding]:
    if not any(trigger in source for trigger in _TRIGGERS):
        return []
    return _Finder(tree.root_node, source).run()


class _Finder:
    def __init__(self, root: Node, source: bytes):
        self.root, self.source = root, source
        self.scopes = Scopes(root, source)
        self.out: list[Finding] = []
        self.remotes: set[str] = set()  # names of values known to be remotes
        self.flagged: set[int] = set()  # start bytes already reported
        self.strings: set[int] = set()  # start bytes of string literals already read

    def run(self) -> list[Finding]:
        source = self.source
        if any(word in source for word in _MEMBER_PARTS):
            self._members()
        if b"\\" in source:
            self._escaped_strings()
        if b".." in source:
            self._concatenations()
        if b"Instance" in source:
            self._instance_new()
        if b"Remote" in source:
            self._typed()
        if self.remotes:
            self._aliases()
            self._runtime_members()
        if b"Clone" in source:
            self._clones()
        self.out.sort(key=lambda f: f.node.start_byte)
        return self.out

    def report(self, node: Node, message: str) -> None:
        if node.start_byte not in self.flagged:
            self.flagged.add(node.start_byte)
            self.out.append(Finding("raw-remote", node, message, _HINT))

    def node_at(self, start: int, end: int) -> Node | None:
        return self.root.descendant_for_byte_range(start, end)

    def _members(self) -> None:
        """Members named as a field or method (`r.OnServerEvent`, `r:FireServer`) or by a whole string literal."""
        for node in self._words(MEMBERS):
            parent = node.parent
            if node.type == "identifier" and parent.type in ("method_index_expression", "dot_index_expression"):
                if parent.child_by_field_name("method" if parent.type == "method_index_expression" else "field") == node:
                    self.report(node, f"raw remote use: {text(node)}")
                    self._remember(parent.child_by_field_name("table"))
            elif node.type == "string_content":
                self._member_string(parent)

    def _words(self, words) -> list[Node]:
        """The innermost node at each whole-word occurrence of `words`, in source order."""
        found = []
        for word in sorted(words):
            encoded = word.encode()
            for start in find_word(self.source, encoded, members=True):
                node = self.node_at(start, start + len(encoded))
                if node is not None:
                    found.append(node)
        found.sort(key=lambda node: node.start_byte)
        return found

    def _escaped_strings(self) -> None:
        """Escapes spell a member name without its letters: `"Fire\\83erver"`. Each literal is read once."""
        start = self.source.find(b"\\")
        while start >= 0:
            node = self.node_at(start, start + 1)
            literal = None
            if node is not None and node.type in ("string_content", "escape_sequence"):
                literal = node.parent if node.type == "string_content" else node.parent.parent
                self._member_string(literal)
            start = self.source.find(b"\\", literal.end_byte if literal is not None else start + 1)

    def _member_string(self, literal: Node | None) -> None:
        if literal is None or literal.start_byte in self.strings or literal.end_byte - literal.start_byte > MAX_NAME_TEXT:
            return  # each literal once; a longer literal cannot spell a member name
        self.strings.add(literal.start_byte)
        value = string_value(literal)
        if value in MEMBERS and not _is_table_key(literal):
            self.report(literal, f"raw remote use: {value} named by a string")
            if literal.parent.type == "bracket_index_expression":
                self._remember(literal.parent.child_by_field_name("table"))

    def _concatenations(self) -> None:
        """`"Fire" .. "Server"`: a member name built from constants, folded once per outermost `..` expression."""
        found = QueryCursor(_CONCAT).captures(self.root).get("concat", [])
        end = -1
        for node in sorted(found, key=lambda n: (n.start_byte, -n.end_byte)):  # outer before inner
            if node.end_byte <= end:
                continue  # inside a chain already folded (asking each node for its parent costs its depth)
            end = node.end_byte
            value = self.constant(node)
            if value in MEMBERS:
                self.report(node, f"raw remote use: {value} built from strings")

    def _instance_new(self) -> None:
        for instance in self._words(("Instance",)):
            name = instance.parent
            if instance.type != "identifier" or name.type != "dot_index_expression" or text(name.child_by_field_name("field")) != "new":
                continue
            call = name.parent
            if call is None or call.type != "function_call" or call.child_by_field_name("name") != name:
                continue
            args = _args(call)
            if not args:
                continue
            kind = self.constant(args[0])
            if kind is None:
                self.report(args[0], "Instance.new with a class name lint cannot resolve (it may create a remote)")
            elif kind in CLASSES:
                self.report(args[0], f"raw remote created: Instance.new({kind!r})")
                self._remember_value(call)

    def _remote_class_call(self, call: Node, methods: tuple[str, ...]) -> bool:
        """`Instance.new("RemoteEvent")`, `x:FindFirstChildOfClass("RemoteEvent")`, ...: a call giving a remote."""
        if call.type != "function_call":
            return False
        name = call.child_by_field_name("name")
        if name.type == "method_index_expression":
            known = text(name.child_by_field_name("method")) in methods
        else:
            known = name.type == "dot_index_expression" and _INSTANCE_NEW.fullmatch(name.text) is not None
        args = _args(call)
        return known and bool(args) and self.constant(args[0]) in CLASSES

    def _typed(self) -> None:
        """Names annotated, cast or looked up as a remote class (`r: RemoteEvent`, `x :: RemoteFunction`)."""
        for node in self._words(CLASSES):
            if node.type != "identifier":
                continue
            parent = node.parent
            if parent.type == "parameter" and parent.named_children[0] != node:
                self._remember(parent.named_children[0])
            elif parent.type == "variable_list" and not is_target_name(node):
                self._remember(node.prev_named_sibling)
            elif parent.type == "cast_expression" and parent.named_children[0] != node:
                self._remember(parent.named_children[0])
                self._remember_value(parent)
        for method in self._words(_CLASS_LOOKUPS):
            call = method.parent.parent if method.parent.type == "method_index_expression" else None
            if call is not None and self._remote_class_call(call, _CLASS_LOOKUPS):
                self._remember_value(call)

    def _aliases(self) -> None:
        """`local r2 = r`: names holding a known remote are remotes too."""
        queue = sorted(self.remotes)
        while queue:
            for node in self.scopes.name(queue.pop()).references:
                added = self._remember_value(node)
                if added is not None:
                    queue.append(added)

    def _runtime_members(self) -> None:
        """`r[m](r, ...)`: a member of a known remote chosen at run time."""
        for name in sorted(self.remotes):
            for node in self.scopes.name(name).references:
                parent = node.parent
                if parent.type == "bracket_index_expression" and parent.child_by_field_name("table") == node:
                    key = parent.child_by_field_name("field")
                    member = self.constant(key)
                    if member is None:
                        self.report(key, f"raw remote use: a member of remote {name!r} chosen at run time")
                    elif member in MEMBERS:
                        self.report(key, f"raw remote use: {member}")

    def _clones(self) -> None:
        for method in self._words(("Clone",)):
            index = method.parent
            if index is None or index.type != "method_index_expression" or index.child_by_field_name("method") != method:
                continue
            table = index.child_by_field_name("table")
            while table.type in ("parenthesized_expression", "cast_expression"):
                table = table.named_children[0]
            if (table.type == "identifier" and text(table) in self.remotes) or self._remote_class_call(table, _CLASS_LOOKUPS):
                self.report(method, "raw remote cloned")

    def _remember(self, node: Node | None) -> str | None:
        """Note that the name `node` holds a remote; the name when it is new."""
        while node is not None and node.type in ("parenthesized_expression", "cast_expression"):
            node = node.named_children[0]
        if node is None or node.type != "identifier" or text(node) in self.remotes:
            return None
        self.remotes.add(text(node))
        return text(node)

    def _remember_value(self, node: Node) -> str | None:
        """`local r = <node>` / `r = <node>`: r holds what `node` evaluates to."""
        while node.parent is not None and node.parent.type in ("parenthesized_expression", "cast_expression"):
            node = node.parent
        values = node.parent
        if values is None or values.type != "expression_list" or values.parent.type != "assignment_statement":
            return None
        targets = self.scopes.items(values.parent.named_children[0], "names")
        index = self.scopes.position(node, "values")
        return self._remember(targets[index]) if 0 <= index < len(targets) else None

    def constant(self, node: Node | None, depth: int = 0) -> str | None:
        """The string `node` always evaluates to: literals, `..` of constants, and locals bound once to one.

        None for anything else, and beyond MAX_CONSTANT characters."""
        if node is None or depth > MAX_FOLD:
            return None
        kind = node.type
        if kind == "string":
            value = string_value(node) if node.end_byte - node.start_byte <= 16 * MAX_CONSTANT else None
            return value if value is not None and len(value) <= MAX_CONSTANT else None
        if kind in ("parenthesized_expression", "cast_expression") and node.named_children:
            return self.constant(node.named_children[0], depth + 1)
        if kind == "binary_expression" and node.children[1].type == "..":
            folded = ""
            stack = [node]  # a chain is walked, not recursed: `"a" .. "b" .. ...` may be long
            while stack:
                item = stack.pop()
                if item.type == "binary_expression" and item.children[1].type == "..":
                    stack += [item.child_by_field_name("right"), item.child_by_field_name("left")]
                    continue
                part = self.constant(item, depth + 1)
                if part is None or len(folded) + len(part) > MAX_CONSTANT:
                    return None
                folded += part
            return folded
        if kind == "identifier":
            return self._local_constant(node, depth)
        return None

    def _local_constant(self, node: Node, depth: int) -> str | None:
        name = text(node)
        declared = self.scopes.visible(name, node.start_byte).node
        if declared is None or self.scopes.reassigned(name):
            return None  # a global, a parameter, or assigned again somewhere: not a constant
        if declared.parent.type != "variable_list":
            return None
        return self.constant(self.scopes.assigned_value(declared), depth + 1)


def _args(call: Node) -> list[Node]:
    arguments = call.child_by_field_name("arguments")
    return [a for a in arguments.named_children if a.type != "comment"] if arguments is not None else []


def _is_table_key(literal: Node) -> bool:
    """`{ ["FireServer"] = f }`: a key of the code's own table, like `{ FireServer = f }`."""
    parent = literal.parent
    return parent.type == "field" and parent.child_by_field_name("name") == literal
