"""YAML documents as trees of nodes that remember where they came from."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..diagnostics import Span


@dataclass(frozen=True)
class Node:
    """A YAML value with its span. Mappings hold `MapEntry`s, sequences hold `Node`s, scalars hold Python values."""

    value: Any
    span: Span

    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_seq(self) -> bool:
        return isinstance(self.value, list)

    def get(self, key: str) -> "Node | None":
        if not self.is_map:
            return None
        entry = self.value.get(key)
        return entry.value if entry is not None else None

    def value_of(self, key: str, default: Any = None) -> Any:
        """The plain scalar under `key`, or `default` when the key is absent."""
        child = self.get(key)
        return child.value if child is not None else default

    def key_span(self, key: str) -> Span:
        entry = self.value.get(key) if self.is_map else None
        return entry.key_span if entry is not None else self.span

    def plain(self) -> Any:
        """The value as plain Python data (what the meta-schema validates)."""
        if self.is_map:
            return {k: e.value.plain() for k, e in self.value.items()}
        if self.is_seq:
            return [n.plain() for n in self.value]
        return self.value

    def at(self, path: tuple) -> "Node":
        """The node at a jsonschema-style path; the deepest existing one when the path runs out."""
        node = self
        for part in path:
            if node.is_map and isinstance(part, str) and part in node.value:
                node = node.value[part].value
            elif node.is_seq and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
            else:
                break
        return node


@dataclass(frozen=True)
class MapEntry:
    key_span: Span
    value: Node


@dataclass(frozen=True)
class Document:
    path: str
    text: str
    root: Node
