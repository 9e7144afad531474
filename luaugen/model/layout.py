"""The packed wire layout of every message, built from the IR: what the Luau and Python codecs write, byte by byte.

Both codecs are generated from these nodes, so they agree by construction: the Luau one as straight-line code,
the Python mirror as a walk over the same tree. docs/wire.md describes the format for people.

- integers and floats take their declared width, little-endian; `number` is an f64; f32 rounds to nearest.
- a length or count prefix is u8, u16 or u32, the smallest that holds the declared maximum (for a map with enum
  keys, at most the number of values); without a maximum it is a varint (LEB128, at most 5 bytes).
- a struct starts with a bitmask (`header` bytes): one presence bit per optional field and one value bit per
  boolean field, in declaration order; then every present non-boolean field in declaration order.
- an array of booleans is its count and then the booleans packed 8 to a byte.
- an enum is its index and a union its variant index (u8, or u16 past 256), the union then the variant's struct.
- vector2, vector3 and color3 are 2, 3 and 3 f32s; a cframe is 12 f32s (position, then the rotation matrix).
- an instance is a u16 index into the instance list that travels beside the buffer.
"""

from __future__ import annotations

from dataclasses import field, replace

from ..config import Limits
from ..records import record
from . import ir
from .effective import effective

VARINT = 0  # prefix width of a length without a declared maximum
INT_WIDTH = {"u8": 1, "i8": 1, "u16": 2, "i16": 2, "u32": 4, "i32": 4}
DATATYPE_FLOATS = {"vector2": 2, "vector3": 3, "color3": 3, "cframe": 12}
INSTANCE_INDEX_BYTES = 2


@record
class Bool:
    """A boolean outside a struct (a map value): one byte, 0 or 1. Struct booleans live in the struct's header."""


@record
class Int:
    format: str


@record
class Float:
    format: str  # "f32" or "f64"
    canonical_nan: bool  # NaN is allowed, so it is written as one fixed bit pattern (both languages agree)


@record
class Datatype:
    kind: str


@record
class Instance:
    pass


@record
class Enum:
    name: str  # stable name of its lookup tables in generated code
    values: tuple[str, ...]


@record
class String:
    prefix: int  # 1, 2, 4 or VARINT
    max: int | None


@record
class Array:
    items: "Node"
    prefix: int
    max: int | None
    min_item: int  # bytes of the smallest item: a count is checked against the bytes left before allocating


@record
class Map:
    key: "Node"
    value: "Node"
    prefix: int
    max: int | None
    min_entry: int


@record
class Field:
    name: str
    node: "Node"
    optional: bool
    presence_bit: int | None
    value_bit: int | None  # booleans: their value is this header bit and they take no body bytes


@record
class Run:
    """Consecutive fixed-size bytes read after one bounds check: the header (if `header`) and required fields."""

    size: int
    header: bool
    fields: tuple[tuple[int, Field], ...]  # (offset in the run, field)


@record
class Struct:
    name: str | None  # named types get helper functions of their own
    fields: tuple[Field, ...]
    header: int  # bytes of the bitmask
    segments: tuple["Run | Field", ...]  # a Field here is optional or variable-size: it checks its own bounds
    # Worked out when first asked for (`__hash__`, `size_bounds`); not part of the layout.
    _hash: int | None = field(default=None, init=False, repr=False, compare=False)
    _bounds: tuple[int, int | None] | None = field(default=None, init=False, repr=False, compare=False)

    def __hash__(self) -> int:
        # The hash of a struct covers its whole tree; the codecs of both languages look every message's layout up
        # (to share the code of equal ones), several times each: it is worked out once. The segments are left out:
        # they follow from the fields and the header, and hold the same Field objects again.
        if self._hash is None:
            object.__setattr__(self, "_hash", hash((self.name, self.fields, self.header)))
        return self._hash

    def __eq__(self, other) -> bool:
        # Equal layouts are found by these lookups too: compared without the segments, for the same reason.
        return type(other) is Struct and (self.name, self.fields, self.header) == (other.name, other.fields,
                                                                                   other.header)


@record
class Union:
    name: str | None
    tag: str
    variants: tuple[tuple[str, Struct], ...]


Node = Bool | Int | Float | Datatype | Instance | Enum | String | Array | Map | Struct | Union
_VARIABLE = frozenset({String, Array, Map, Union})  # never of a fixed size


def prefix_width(maximum: int | None) -> int:
    if maximum is None:
        return VARINT
    if maximum <= 0xFF:
        return 1
    if maximum <= 0xFFFF:
        return 2
    return 4


def index_width(count: int) -> int:
    """Bytes of an enum index or a union's variant index."""
    return 1 if count <= 256 else 2


def fixed_size(node: Node) -> int | None:
    """Bytes of a node whose size never varies, else None."""
    kind = type(node)  # one dispatch on the class: codecs and size rules ask this of every node, often twice
    if kind in _VARIABLE:
        return None
    if kind is Int:
        return INT_WIDTH[node.format]
    if kind is Float:
        return 4 if node.format == "f32" else 8
    if kind is Struct:
        return sum(s.size for s in node.segments) if all(type(s) is Run for s in node.segments) else None
    if kind is Datatype:
        return 4 * DATATYPE_FLOATS[node.kind]
    if kind is Enum:
        return index_width(len(node.values))
    return 1 if kind is Bool else INSTANCE_INDEX_BYTES


def _prefix_bytes(prefix: int, count: int) -> int:
    if prefix != VARINT:
        return prefix
    size = 1
    while count >= 0x80:
        count >>= 7
        size += 1
    return size


def size_bounds(node: Node) -> tuple[int, int | None]:
    """(minimum, maximum) encoded bytes; maximum None when unbounded."""
    if type(node) is Struct:  # the size rules and the manifest both ask it of every message: worked out once
        if node._bounds is None:
            object.__setattr__(node, "_bounds", _size_bounds(node))
        return node._bounds
    return _size_bounds(node)


def _size_bounds(node: Node) -> tuple[int, int | None]:
    fixed = fixed_size(node)
    if fixed is not None:
        return fixed, fixed
    if isinstance(node, String):
        high = None if node.max is None else _prefix_bytes(node.prefix, node.max) + node.max
        return _prefix_bytes(node.prefix, 0), high
    if isinstance(node, Array):
        if isinstance(node.items, Bool):
            high = None if node.max is None else _prefix_bytes(node.prefix, node.max) + (node.max + 7) // 8
            return _prefix_bytes(node.prefix, 0), high
        _, item_high = size_bounds(node.items)
        return _prefix_bytes(node.prefix, 0), _times(node.prefix, node.max, item_high)
    if isinstance(node, Map):
        _, key_high = size_bounds(node.key)
        _, value_high = size_bounds(node.value)
        entry = None if key_high is None or value_high is None else key_high + value_high
        return _prefix_bytes(node.prefix, 0), _times(node.prefix, node.max, entry)
    if isinstance(node, Struct):
        low, high = node.header, node.header
        for f in node.fields:
            if f.value_bit is not None:
                continue
            f_low, f_high = size_bounds(f.node)
            low += 0 if f.optional else f_low
            high = None if high is None or f_high is None else high + f_high
        return low, high
    bounds = [size_bounds(v) for _, v in node.variants]
    highs = [h for _, h in bounds]
    tag = index_width(len(node.variants))
    return tag + min(low for low, _ in bounds), None if None in highs else tag + max(highs)


def _times(prefix: int, count: int | None, item: int | None) -> int | None:
    if count is None or item is None:
        return None
    return _prefix_bytes(prefix, count) + count * item


def _capitalized(name: str) -> str:
    return name[:1].upper() + name[1:]


class LayoutBuilder:
    """Layouts of one project's messages; named structs and unions are shared between the messages using them."""

    def __init__(self, project: ir.Project, limits: Limits):
        self.project = project
        self.limits = limits
        self._named: dict[tuple[str, bool], Node] = {}
        # Each message's layouts, built once: the Luau codecs, the Python mirror and the manifest all ask for them.
        self._messages: dict[tuple[str, str], tuple[Struct, Struct | None]] = {}

    def message(self, m: ir.Message) -> Struct:
        return self._layouts(m)[0]

    def reply(self, m: ir.Message) -> Struct | None:
        return self._layouts(m)[1]

    def _layouts(self, m: ir.Message) -> tuple[Struct, Struct | None]:
        key = (m.channel, m.name)
        if key not in self._messages:
            reply = None if m.reply is None else self.node(m.reply, False, m.type_name + "Reply")
            self._messages[key] = (self.node(m.payload, m.is_intent, m.type_name), reply)
        return self._messages[key]

    def node(self, t: ir.Type, strict: bool, path: str) -> Node:
        if type(t) is ir.RefType:
            return self._ref(t.target, strict)
        t = effective(self.project, t, strict, self.limits)
        kind = type(t)  # tested with `is`, commonest first: every field of every message comes through here
        if kind is ir.IntegerType:
            return Int(t.format)
        if kind is ir.StringType:
            return String(prefix_width(t.max_length), t.max_length)
        if kind is ir.BoolType:
            return Bool()
        if kind is ir.NumberType:
            return Float("f32" if t.format == "f32" else "f64", canonical_nan=not t.finite)
        if kind is ir.DatatypeType:
            return Datatype(t.kind)
        if kind is ir.InstanceType:
            return Instance()
        if kind is ir.EnumType:
            return Enum(path, t.values)
        if kind is ir.ArrayType:
            items = self.node(t.items, strict, path + "Item")
            return Array(items, prefix_width(t.max_items), self._cap(t.max_items, items), size_bounds(items)[0])
        if kind is ir.MapType:
            key, value = self.node(t.key, strict, path + "Key"), self.node(t.value, strict, path + "Value")
            entry = size_bounds(key)[0] + size_bounds(value)[0]
            maximum = t.max_entries
            if isinstance(key, Enum):  # an enum-keyed map holds at most one entry per value
                maximum = len(key.values) if maximum is None else min(maximum, len(key.values))
            return Map(key, value, prefix_width(maximum), maximum, entry)
        if kind is ir.StructType:
            return self._struct(None, t.fields, strict, path)
        variants = tuple((v.name, self._struct(None, v.fields, strict, path + _capitalized(v.name)))
                         for v in t.variants)
        return Union(None, t.tag, variants)

    def _cap(self, maximum: int | None, items: Node) -> int | None:
        # Items of zero bytes (empty structs) cannot be bounded by the bytes left: the limit bounds them instead.
        if maximum is None and size_bounds(items)[0] == 0:
            return self.limits.array_max_items
        return maximum

    def _ref(self, key: str, strict: bool) -> Node:
        cache_key = (key, strict)
        if cache_key not in self._named:
            named = self.project.named(key)
            node = self.node(named.type, strict, named.generated_name)
            if isinstance(node, (Struct, Union)):
                name = named.generated_name
                if strict and node != replace(self._ref(key, False), name=None):
                    name += "FromClient"  # client→server bounds make it a different layout
                node = replace(node, name=name)
            self._named[cache_key] = node
        return self._named[cache_key]

    def _struct(self, name: str | None, fields: tuple[ir.Field, ...], strict: bool, path: str) -> Struct:
        laid: list[Field] = []
        bit = 0
        for f in fields:
            node = self.node(f.type, strict, path + _capitalized(f.name))
            presence = value = None
            if f.optional:
                presence, bit = bit, bit + 1
            if isinstance(node, Bool):
                value, bit = bit, bit + 1
            laid.append(Field(f.name, node, f.optional, presence, value))
        header = (bit + 7) // 8
        return Struct(name, tuple(laid), header, _segments(laid, header))


def _segments(fields: list[Field], header: int) -> tuple["Run | Field", ...]:
    segments: list[Run | Field] = []
    run: list[tuple[int, Field]] = []
    size = header
    has_header = header > 0

    def close() -> None:
        nonlocal run, size, has_header
        if size > 0:
            segments.append(Run(size, has_header, tuple(run)))
        run, size, has_header = [], 0, False

    for f in fields:
        if f.value_bit is not None:
            continue
        width = None if isinstance(f.node, Struct) else fixed_size(f.node)
        if width is not None and not f.optional:
            run.append((size, f))
            size += width
        else:
            close()
            segments.append(f)
    close()
    return tuple(segments)
