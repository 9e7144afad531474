"""The Python mirror's packed layouts: the layout nodes as tuples that `codec.py` walks (docs/wire.md)."""

from __future__ import annotations

from ..model import ir
from ..model import layout as L
from .escape import python_string


class _Writer:
    def __init__(self):
        self.definitions: list[str] = []
        self._named: set[str] = set()
        self._messages: dict[L.Node, str] = {}

    def message(self, node: L.Struct) -> str:
        """A message's layout; messages of one layout share its text (named types in it are defined already)."""
        text = self._messages.get(node)  # a node hashes its whole tree: once per lookup
        if text is None:
            text = self._messages[node] = self.node(node)
        return text

    def node(self, node: L.Node) -> str:
        if isinstance(node, (L.Struct, L.Union)) and node.name is not None:
            if node.name not in self._named:
                self._named.add(node.name)
                self.definitions.append(f"{node.name} = {self._body(node)}")
            return node.name
        return self._body(node)

    def _body(self, node: L.Node) -> str:
        if isinstance(node, L.Bool):
            return '("bool",)'
        if isinstance(node, L.Int):
            return f'("int", "{node.format}")'
        if isinstance(node, L.Float):
            return f'("float", "{node.format}", {node.canonical_nan})'
        if isinstance(node, L.Datatype):
            return f'("datatype", "{node.kind}")'
        if isinstance(node, L.Instance):
            return '("instance",)'
        if isinstance(node, L.Enum):
            return f'("enum", ({"".join(python_string(v) + ", " for v in node.values)}))'
        if isinstance(node, L.String):
            return f'("string", {node.prefix}, {node.max})'
        if isinstance(node, L.Array):
            return f'("array", {self.node(node.items)}, {node.prefix}, {node.max}, {node.min_item})'
        if isinstance(node, L.Map):
            return (f'("map", {self.node(node.key)}, {self.node(node.value)}, {node.prefix}, {node.max}, '
                    f'{node.min_entry})')
        if isinstance(node, L.Struct):
            fields = "".join(f'({python_string(f.name)}, {self.node(f.node)}, {f.optional}, {f.presence_bit}, '
                             f'{f.value_bit}), ' for f in node.fields)
            index = {f.name: i for i, f in enumerate(node.fields)}
            segments = []
            for s in node.segments:
                if isinstance(s, L.Run):
                    offsets = "".join(f"({offset}, {index[f.name]}), " for offset, f in s.fields)
                    segments.append(f'("run", {s.size}, {s.header}, ({offsets}))')
                else:
                    segments.append(f'("field", {index[s.name]})')
            return f'("struct", ({fields}), {node.header}, ({"".join(s + ", " for s in segments)}))'
        variants = "".join(f'({python_string(name)}, {self.node(struct)}), ' for name, struct in node.variants)
        return f'("union", {python_string(node.tag)}, ({variants}))'


def python_layouts(project: ir.Project, builder: L.LayoutBuilder) -> str:
    """Source defining the named layouts, then PAYLOADS and REPLIES: {channel: {message: layout}}."""
    writer = _Writer()
    tables: dict[str, list[str]] = {"PAYLOADS": [], "REPLIES": []}
    for channel in project.channels:
        for table, get in (("PAYLOADS", builder.message), ("REPLIES", builder.reply)):
            entries = []
            for m in channel.messages:
                node = get(m)
                if node is not None:
                    entries.append(f"        {python_string(m.name)}: {writer.message(node)},")
            if entries:
                tables[table].append(f"    {python_string(channel.name)}: {{\n" + "\n".join(entries) + "\n    },")
    parts = [*writer.definitions, ""]
    for table, entries in tables.items():
        parts.append(f"{table}: dict[str, dict[str, tuple]] = {{\n" + "\n".join(entries) + "\n}" if entries
                     else f"{table}: dict[str, dict[str, tuple]] = {{}}")
    return "\n".join(parts)
