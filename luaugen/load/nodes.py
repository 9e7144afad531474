"""YAML documents as trees of nodes that remember where they came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Span


def span_of(path: str, start, end) -> Span:
    """The span between two parser marks (0-based line and column)."""
    return Span(path, start.line + 1, start.column + 1, end.line + 1, end.column + 1)


class Node:
    """A YAML value with its span. Mappings hold `MapEntry`s, sequences hold `Node`s, scalars hold Python values.

    Read-only once made. The loader gives where a value was written as the parser's start and end marks (0-based,
    kept as the parser made them: no tuple or number is made per value) and its `Span` is made the first time it
    is asked for: a project of 1,000 messages has ~36,000 keys and values, and a clean build reads the spans of
    fewer than half of them. Equality and repr are those of the dataclass this was (value and span)."""

    __slots__ = ("value", "_span", "_path", "_start", "_end")

    def __init__(self, value: Any, span: Span | None = None, path: str | None = None, start=None, end=None):
        self.value = value
        self._span = span
        self._path, self._start, self._end = path, start, end

    @property
    def span(self) -> Span:
        if self._span is None:
            self._span = span_of(self._path, self._start, self._end)
        return self._span

    def __eq__(self, other) -> bool:
        return type(other) is Node and (self.value, self.span) == (other.value, other.span)

    __hash__ = None  # a mapping or a list is no key

    def __repr__(self) -> str:
        return f"Node(value={self.value!r}, span={self.span!r})"

    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_seq(self) -> bool:
        return isinstance(self.value, list)

    # `get` and `value_of` test the kind inline (not through `is_map`): model building asks them ~50,000 times at
    # 1,000 messages.
    def get(self, key: str) -> "Node | None":
        value = self.value
        entry = value.get(key) if type(value) is dict else None
        return entry.value if entry is not None else None

    def value_of(self, key: str, default: Any = None) -> Any:
        """The plain scalar under `key`, or `default` when the key is absent."""
        value = self.value
        entry = value.get(key) if type(value) is dict else None
        return entry.value.value if entry is not None else default

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


class MapEntry:
    """A mapping's value and the span of its key (made when first asked for, as a Node's)."""

    __slots__ = ("value", "_key_span", "_path", "_start", "_end")

    def __init__(self, key_span: Span | None, value: Node, path: str | None = None, start=None, end=None):
        self.value = value
        self._key_span = key_span
        self._path, self._start, self._end = path, start, end

    @property
    def key_span(self) -> Span:
        if self._key_span is None:
            self._key_span = span_of(self._path, self._start, self._end)
        return self._key_span

    def __eq__(self, other) -> bool:
        return type(other) is MapEntry and (self.key_span, self.value) == (other.key_span, other.value)

    __hash__ = None

    def __repr__(self) -> str:
        return f"MapEntry(key_span={self.key_span!r}, value={self.value!r})"


@dataclass(frozen=True)
class Document:
    path: str
    text: str
    root: Node
    # `root` as plain Python data, when the loader made it on the way (what the meta-schema validates).
    plain_root: Any = field(default=None, compare=False, repr=False)

    def plain(self) -> Any:
        return self.root.plain() if self.plain_root is None else self.plain_root
