"""`raw-remote`: direct RemoteEvent / RemoteFunction / UnreliableRemoteEvent use instead of the generated API."""

from __future__ import annotations

import re

from tree_sitter import Node, Tree

from .check import Finding
from .parse import text

_MEMBER = re.compile(
    rb"(?<!\w)(FireServer|FireClient|FireAllClients|OnServerEvent|OnClientEvent|InvokeServer|InvokeClient"
    rb"|OnServerInvoke|OnClientInvoke)(?!\w)"
)
_CLASS = re.compile(rb"""["'`\[](RemoteEvent|UnreliableRemoteEvent|RemoteFunction)["'`\]]""")
_TRIGGERS = (b"Fire", b"Invoke", b"OnServer", b"OnClient", b"Remote")
_HINT = "declare the message in a schema and use the generated Networking API"


def find_raw_remotes(tree: Tree, source: bytes) -> list[Finding]:
    if not any(trigger in source for trigger in _TRIGGERS):
        return []
    root = tree.root_node
    out: list[Finding] = []
    for match in _MEMBER.finditer(source):
        node = root.descendant_for_byte_range(match.start(), match.end())
        if node is None or node.type != "identifier":
            continue
        parent = node.parent
        if (parent.type == "method_index_expression" and parent.child_by_field_name("method") == node) or (
            parent.type == "dot_index_expression" and parent.child_by_field_name("field") == node
        ):
            name = match.group(1).decode()
            out.append(Finding("raw-remote", node, f"raw remote use: {name}", _HINT))
    for match in _CLASS.finditer(source):
        node = root.descendant_for_byte_range(match.start(1), match.end(1))
        literal = _enclosing_string(node)
        if literal is None:
            continue
        arguments = literal.parent
        call = arguments.parent if arguments is not None and arguments.type == "arguments" else None
        if call is None or call.type != "function_call" or arguments.named_children[0] != literal:
            continue
        name = call.child_by_field_name("name")
        if name is not None and name.type == "dot_index_expression" and _is_instance_new(name):
            out.append(Finding("raw-remote", literal, f"raw remote created: Instance.new({text(literal)})", _HINT))
    return out


def _enclosing_string(node: Node | None) -> Node | None:
    while node is not None and node.type in ("string_content",):
        node = node.parent
    return node if node is not None and node.type == "string" else None


def _is_instance_new(name: Node) -> bool:
    table, field = name.child_by_field_name("table"), name.child_by_field_name("field")
    return table is not None and table.type == "identifier" and text(table) == "Instance" and text(field) == "new"
