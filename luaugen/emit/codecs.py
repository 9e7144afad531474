"""Luau packed codecs: straight-line `size`, `write` and `read` functions per message, from the layout nodes.

One module per channel (`Packed/<Channel>.luau`), so no function or module grows with the contract. Named
structs and unions get helpers named after them (`writeSkillsTarget`), kept in a table so a channel with many
types never runs into Luau's limits on locals and upvalues. Every field's temporaries live in a `do` block.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..model import ir
from ..model import layout as L
from .escape import luau_string
from .layout import TAB, WIDTH, call_lines, fits, signature

_WRITE_INT = {"u8": "writeu8", "i8": "writei8", "u16": "writeu16", "i16": "writei16", "u32": "writeu32", "i32": "writei32"}
_DATATYPE_NEW = {"vector2": "Vector2.new", "vector3": "Vector3.new", "color3": "Color3.new", "cframe": "CFrame.new"}
_COMPONENTS = {"vector2": ("X", "Y"), "vector3": ("X", "Y", "Z"), "color3": ("R", "G", "B")}
_PREFIX_INT = {1: "u8", 2: "u16", 4: "u32"}


def _static_size(node: L.Node) -> int | None:
    """The size of a node that does not depend on its value: fixed-size ones, and structs of such fields (nested
    ones too, which `fixed_size` leaves out), so the size code reads no field it does not need."""
    fixed = L.fixed_size(node)
    if fixed is not None or not isinstance(node, L.Struct):
        return fixed
    total = node.header
    for f in node.fields:
        if f.optional:
            return None
        if f.value_bit is None:
            size = _static_size(f.node)
            if size is None:
                return None
            total += size
    return total


def _field_block(f: L.Field, value: str, out: _Lines, emit) -> None:
    """A field's code in its own `do` block (its temporaries end there), skipped when an optional field is nil."""
    field = out.fresh(f.name)
    if f.optional:
        out.block(["do", f"\tlocal {field} = {value}.{f.name}", f"\tif {field} ~= nil then"], opens=2)
        emit(f.node, field, out)
        out.close()
    else:
        out.block(["do", f"\tlocal {field} = {value}.{f.name}"], opens=1)
        emit(f.node, field, out)
    out.close()


def _at(offset: int) -> str:
    return f"c + {offset}" if offset else "c"


def _guard(condition: str, failure: str) -> tuple[str, str, str]:
    """`if condition then failure end`, on three lines as StyLua writes it."""
    return f"if {condition} then", f"\t{failure}", "end"


# Indentation and the room left on a line by depth, looked up for each of the ~140 lines a message's codecs take
# (code nested deeper than schemas nest is laid out all the same, without the tables).
_TABLED = 64
_INDENTS = tuple("\t" * depth for depth in range(_TABLED))
_ROOM = tuple(WIDTH - TAB * depth for depth in range(_TABLED))
# A block's lines are joined with a newline and its indentation; they nest at most _NESTED levels below it, and a
# tab counts TAB columns but one character: the room its longest line must fit for every line to fit.
_NESTED = 2
_NEWLINES = tuple("\n" + tabs for tabs in _INDENTS)
_ENDS = tuple(tabs + "end" for tabs in _INDENTS)
_BLOCK_ROOM = tuple(room - (TAB - 1) * _NESTED for room in _ROOM)


# The suffixes of fresh names (`count12`): a body takes about thirty, and formatting an int costs more than a lookup.
_NUMBERED = 1024
_NUMBERS = tuple(map(str, range(_NUMBERED)))


def _indent(depth: int) -> str:
    return _INDENTS[depth] if depth < _TABLED else "\t" * depth


class _Lines:
    """A function body being written. `chunks` holds its lines, a construct's lines joined by newlines, so the
    chunks joined by newlines are the body."""

    def __init__(self, depth: int):
        self.chunks: list[str] = []
        self.depth = depth
        self._count = 0

    def add(self, text: str) -> None:
        depth = self.depth
        if depth < _TABLED and len(text) <= _ROOM[depth]:  # nearly every line: `fits`, without the call
            self.chunks.append(_INDENTS[depth] + text)
        elif depth >= _TABLED and fits(depth, text):
            self.chunks.append(_indent(depth) + text)
        else:
            self.chunks.extend(call_lines(depth, text) or [_indent(depth) + text])

    def block(self, lines: Sequence[str], opens: int = 0) -> None:
        """The lines of one construct, a nested line led by its tabs (at most _NESTED), then `opens` levels deeper.
        Written at once when its longest line fits with room to spare (nearly always), else line by line by `add`
        (which breaks a line too long)."""
        depth = self.depth
        if depth < _TABLED:
            room, chunk = _BLOCK_ROOM[depth], _NEWLINES[depth].join(lines)
            if len(chunk) <= room or len(max(lines, key=len)) <= room:  # the first test settles short blocks
                self.chunks.append(_INDENTS[depth] + chunk)
                self.depth = depth + opens
                return
        for line in lines:
            text = line.lstrip("\t")
            self.depth = depth + len(line) - len(text)
            self.add(text)
        self.depth = depth + opens

    def fresh(self, base: str) -> str:
        count = self._count = self._count + 1
        return base + (_NUMBERS[count] if count < _NUMBERED else str(count))

    def open(self, text: str) -> None:
        self.add(text)
        self.depth += 1

    def close(self, after: str | None = None) -> None:
        """`end` of the innermost block, then the line `after` it if given."""
        depth = self.depth = self.depth - 1
        if after is not None:
            self.block(["end", after])
        else:
            self.chunks.append(_ENDS[depth] if depth < _TABLED else _indent(depth) + "end")  # `end` always fits


class _Channel:
    """Code of one channel module: the named helpers and enums its messages reach."""

    def __init__(self):
        self.named: dict[str, L.Struct | L.Union] = {}
        self.enums: dict[str, tuple[str, ...]] = {}
        self._bodies: dict[L.Node, tuple[list[str], list[str], list[str]]] = {}
        self.used: set[str] = set()  # the Runtime/Packing functions its code calls

    def _call(self, helper: str, args: str) -> str:
        """A call of the Runtime/Packing function `helper`, recorded so the module imports exactly what it uses."""
        self.used.add(helper)
        return f"{helper}({args})"

    def _truncated(self, size: int | str) -> tuple[str, str, str]:
        """The bounds check before reading `size` bytes at the cursor."""
        self.used.add("truncated")
        return f"if c + {size} > n then", "\ttruncated(c)", "end"

    def bodies(self, node: L.Struct | L.Union) -> tuple[list[str], list[str], list[str]]:
        """The `size`, `write` and `read` function bodies of a struct or union. Messages of one layout (many
        carry just an id, or the same fields) share them: the helpers, enums and Packing functions they reach are
        the same too, and were recorded the first time."""
        bodies = self._bodies.get(node)  # a node hashes its whole tree: once per lookup
        if bodies is None:
            bodies = self._bodies[node] = _bodies(self, node)
        return bodies

    # Each of `size`, `write` and `read` dispatches on the node's class; a variable-size struct or union with a
    # name (all that is left after the other classes) is called through its helper. Fixed-size ones are inlined.

    # ------------------------------------------------------------------ size
    def size(self, node: L.Node, value: str, out: _Lines) -> None:
        """Lines adding the encoded size of `value` to the local `s`."""
        kind = type(node)
        if kind is L.String:
            out.add(f"s += {self._prefix_size(node.prefix, '#' + value)} + #{value}")
        elif kind is L.Array:
            self._size_array(node, value, out)
        elif kind is L.Map:
            count = out.fresh("count")
            key_size, value_size = L.fixed_size(node.key), L.fixed_size(node.value)
            if key_size is not None and value_size is not None:
                out.block([f"local {count} = 0",
                           f"for _ in {value} do",
                           f"\t{count} += 1",
                           "end",
                           f"s += {self._prefix_size(node.prefix, count)} + {count} * {key_size + value_size}"])
                return
            key, val = out.fresh("key"), out.fresh("value")
            out.block([f"local {count} = 0", f"for {key}, {val} in {value} do", f"\t{count} += 1"], opens=1)
            self.size(node.key, key, out)
            self.size(node.value, val, out)
            out.close(f"s += {self._prefix_size(node.prefix, count)}")
        elif (fixed := L.fixed_size(node)) is not None:
            out.add(f"s += {fixed}")
        elif node.name is not None:
            self.named[node.name] = node
            out.add(f"s += Named.size{node.name}({value})")
        elif kind is L.Struct:
            self._size_fields(node, value, out)
        else:
            self._union(node, value, out, lambda struct, v: (out.add(f"s += {L.index_width(len(node.variants))}"),
                                                             self._size_fields(struct, v, out)))

    def _size_array(self, node: L.Array, value: str, out: _Lines) -> None:
        prefix = self._prefix_size(node.prefix, "#" + value)
        if type(node.items) is L.Bool:
            out.add(f"s += {prefix} + (#{value} + 7) // 8")
            return
        item_size = L.fixed_size(node.items)
        if item_size is not None:
            out.add(f"s += {prefix} + #{value} * {item_size}")
            return
        item = out.fresh("item")
        out.block([f"s += {prefix}", f"for _, {item} in {value} do"], opens=1)
        self.size(node.items, item, out)
        out.close()

    def _size_fields(self, node: L.Struct, value: str, out: _Lines) -> None:
        constant = node.header
        for f in node.fields:
            if f.value_bit is not None:
                continue
            fixed = _static_size(f.node)
            if fixed is not None and not f.optional:
                constant += fixed
                continue
            _field_block(f, value, out, self.size)
        if constant:
            out.add(f"s += {constant}")

    def _prefix_size(self, prefix: int, count: str) -> str:
        return self._call("varintSize", count) if prefix == L.VARINT else str(prefix)

    # ------------------------------------------------------------------ write
    def write(self, node: L.Node, value: str, out: _Lines) -> None:
        """Lines writing `value` at cursor `c` of buffer `b`, advancing `c`."""
        kind = type(node)
        if kind is L.String:
            length = out.fresh("len")
            out.block([f"local {length} = #{value}",
                       *self._write_prefix(node.prefix, length),
                       f"buffer.writestring(b, c, {value})",
                       f"c += {length}"])
        elif kind is L.Array:
            self._write_array(node, value, out)
        elif kind is L.Map:
            keys, count = out.fresh("keys"), out.fresh("count")
            key = out.fresh("key")
            out.block([f"local {keys}, {count} = {{}}, 0",
                       f"for {key} in {value} do",
                       f"\t{count} += 1",
                       f"\t{keys}[{count}] = {key}",
                       "end",
                       f"table.sort({keys}) -- a canonical order: the same payload always packs to the same bytes",
                       *self._write_prefix(node.prefix, count),
                       f"for _, {key} in {keys} do"], opens=1)
            self.write(node.key, key, out)
            self.write(node.value, f"{value}[{key}]", out)
            out.close()
        elif kind is not L.Struct and kind is not L.Union:  # a fixed-size scalar
            out.block([*self._write_at(node, value, 0), f"c += {L.fixed_size(node)}"])
        elif node.name is not None and L.fixed_size(node) is None:
            self.named[node.name] = node
            out.add(f"c = Named.write{node.name}(b, c, {value}, inst)")
        elif kind is L.Struct:
            self._write_fields(node, value, out)
        else:
            width = L.index_width(len(node.variants))
            self._union(node, value, out, lambda struct, v, index: (
                out.block([f"buffer.{_WRITE_INT[_PREFIX_INT[width]]}(b, c, {index})", f"c += {width}"]),
                self._write_fields(struct, v, out)), with_index=True)

    def _write_at(self, node: L.Node, value: str, offset: int) -> Sequence[str]:
        """Lines writing a fixed-size scalar `offset` bytes after the cursor (which does not move)."""
        at = _at(offset)
        kind = type(node)
        if kind is L.Bool:
            return (f"buffer.writeu8(b, {at}, if {value} then 1 else 0)",)
        if kind is L.Int:
            return (f"buffer.{_WRITE_INT[node.format]}(b, {at}, {value})",)
        if kind is L.Float:
            if node.canonical_nan:
                return (self._call("writeNan32" if node.format == "f32" else "writeNan64", f"b, {at}, {value}"),)
            return (f"buffer.{'writef32' if node.format == 'f32' else 'writef64'}(b, {at}, {value})",)
        if kind is L.Datatype:
            if node.kind == "cframe":
                return (self._call("writeCFrame", f"b, {at}, {value}"),)
            return [f"buffer.writef32(b, {_at(offset + 4 * i)}, {value}.{comp})"
                    for i, comp in enumerate(_COMPONENTS[node.kind])]
        if kind is L.Instance:
            return (f"buffer.writeu16(b, {at}, {self._call('addInstance', f'inst, {value}')})",)
        if kind is L.Enum:
            self.enums[node.name] = node.values
            fmt = _PREFIX_INT[L.index_width(len(node.values))]
            return (f"buffer.{_WRITE_INT[fmt]}(b, {at}, ENUM_INDEX.{node.name}[{value}])",)
        raise TypeError(node)

    def _write_prefix(self, prefix: int, count: str) -> tuple[str, ...]:
        if prefix == L.VARINT:
            return ("c = " + self._call("writeVarint", f"b, c, {count}"),)
        return f"buffer.{_WRITE_INT[_PREFIX_INT[prefix]]}(b, c, {count})", f"c += {prefix}"

    def _write_array(self, node: L.Array, value: str, out: _Lines) -> None:
        count = out.fresh("count")
        prefix = self._write_prefix(node.prefix, count)
        if type(node.items) is L.Bool:
            out.block([f"local {count} = #{value}",
                       *prefix,
                       "c = " + self._call("writeBits", f"b, c, {value}, {count}")])
            return
        i = out.fresh("i")
        out.block([f"local {count} = #{value}", *prefix, f"for {i} = 1, {count} do"], opens=1)
        self.write(node.items, f"{value}[{i}]", out)
        out.close()

    def _write_fields(self, node: L.Struct, value: str, out: _Lines) -> None:
        for segment in node.segments:
            if type(segment) is L.Run:
                lines = [f"buffer.writeu8(b, {_at(k)}, {self._header_byte(node, k, value)})"
                         for k in range(node.header)] if segment.header else []
                for offset, f in segment.fields:
                    lines += self._write_at(f.node, f"{value}.{f.name}", offset)
                out.block([*lines, f"c += {segment.size}"])
                continue
            _field_block(segment, value, out, self.write)

    @staticmethod
    def _header_byte(node: L.Struct, k: int, value: str) -> str:
        terms = []
        for f in node.fields:
            for bit, test in ((f.presence_bit, f"{value}.{f.name} ~= nil"), (f.value_bit, f"{value}.{f.name}")):
                if bit is not None and bit // 8 == k:
                    terms.append(f"(if {test} then {1 << (bit % 8)} else 0)")
        return " + ".join(terms)

    # ------------------------------------------------------------------ read
    def read(self, node: L.Node, target: str, out: _Lines, checked: bool = False) -> None:
        """Lines reading a value at cursor `c` into `target` (an assignable expression), advancing `c`.

        `checked`: the bytes of this fixed-size value are known to be there (an array's count was checked against
        the bytes left), so its own bounds check is left out. The error it could raise cannot happen.
        """
        kind = type(node)
        if kind is L.String:
            length, lines = self._read_count(node.prefix, node.max, out)
            out.block([*lines,
                       *self._truncated(length),
                       f"{target} = buffer.readstring(b, c, {length})",
                       f"c += {length}"])
        elif kind is L.Array:
            self._read_array(node, target, out)
        elif kind is L.Map:
            count, lines = self._read_count(node.prefix, node.max, out)
            if node.min_entry:
                lines += _guard(f"{self._times(count, node.min_entry)} > n - c", self._call("tooMany", f"{count}, c"))
            m, key, val, at = out.fresh("map"), out.fresh("key"), out.fresh("value"), out.fresh("at")
            out.block([*lines,
                       f"local {m} = {{}}",
                       f"for _ = 1, {count} do",
                       f"\tlocal {at} = c",
                       f"\tlocal {key}: any, {val}: any"], opens=1)
            self.read(node.key, key, out)
            self.read(node.value, val, out)
            out.block([*_guard(f"{m}[{key}] ~= nil", self._call("duplicateKey", at)), f"{m}[{key}] = {val}"])
            out.close(f"{target} = {m}")
        elif kind is not L.Struct and kind is not L.Union:  # a fixed-size scalar
            fixed = L.fixed_size(node)
            if checked:
                out.block([f"{target} = {self.read_expr(node, 0)}", f"c += {fixed}"])
            else:
                out.block([*self._truncated(fixed), f"{target} = {self.read_expr(node, 0)}", f"c += {fixed}"])
        elif node.name is not None and L.fixed_size(node) is None:
            self.named[node.name] = node
            out.add(f"{target}, c = Named.read{node.name}(b, c, n, inst)")
        elif kind is L.Struct:
            v = out.fresh("v")
            self._read_fields(node, v, out, checked)
            out.add(f"{target} = {v}")
        else:
            width = L.index_width(len(node.variants))
            tag = out.fresh("tag")
            out.block([*self._truncated(width),
                       f"local {tag} = buffer.read{_PREFIX_INT[width]}(b, c)",
                       f"c += {width}"])
            for index, (name, struct) in enumerate(node.variants):
                out.open(f"{'if' if index == 0 else 'elseif'} {tag} == {index} then")
                v = out.fresh("v")
                self._read_fields(struct, v, out, preset=(f"{node.tag} = {luau_string(name)}",))
                out.add(f"{target} = {v}")
                out.depth -= 1
            out.block(["else", "\t" + self._call("badVariant", f"{tag}, c - {width}"), "end"])

    def read_expr(self, node: L.Node, offset: int) -> str:
        """An expression reading a fixed-size scalar `offset` bytes after the cursor."""
        at = _at(offset)
        kind = type(node)
        if kind is L.Bool:
            return f"buffer.readu8(b, {at}) ~= 0"
        if kind is L.Int or kind is L.Float:
            return f"buffer.read{node.format}(b, {at})"
        if kind is L.Datatype:
            count = L.DATATYPE_FLOATS[node.kind]
            parts = ", ".join([f"buffer.readf32(b, {_at(offset + 4 * i)})" for i in range(count)])
            return f"{_DATATYPE_NEW[node.kind]}({parts})"
        if kind is L.Instance:
            return self._call("instanceAt", f"inst, buffer.readu16(b, {at}), {at}")
        if kind is L.Enum:
            self.enums[node.name] = node.values
            fmt = _PREFIX_INT[L.index_width(len(node.values))]
            return self._call("enumAt", f"ENUM_NAMES.{node.name}, buffer.read{fmt}(b, {at}), {at}")
        raise TypeError(node)

    def _read_count(self, prefix: int, maximum: int | None, out: _Lines) -> tuple[str, tuple[str, ...]]:
        """The local holding a length or count prefix read at the cursor, and the lines reading and checking it."""
        count, at = out.fresh("count"), out.fresh("at")
        used = self.used
        if prefix == L.VARINT:
            used.add("readVarint")
            read = f"local {count}", f"{count}, c = readVarint(b, c, n)"
        else:
            used.add("truncated")
            read = (f"if c + {prefix} > n then",
                    "\ttruncated(c)",
                    "end",
                    f"local {count} = buffer.read{_PREFIX_INT[prefix]}(b, c)",
                    f"c += {prefix}")
        if maximum is None:
            return count, read
        used.add("tooLong")
        return count, (f"local {at} = c",
                       *read,
                       f"if {count} > {maximum} then",
                       f"\ttooLong({count}, {at}, {maximum})",
                       "end")

    def _read_array(self, node: L.Array, target: str, out: _Lines) -> None:
        count, lines = self._read_count(node.prefix, node.max, out)
        if type(node.items) is L.Bool:
            a = out.fresh("array")
            out.block([*lines,
                       *_guard(f"({count} + 7) // 8 > n - c", self._call("tooMany", f"{count}, c")),
                       f"local {a}",
                       f"{a}, c = " + self._call("readBits", f"b, c, {count}"),
                       f"{target} = {a}"])
            return
        if node.min_item:
            lines += _guard(f"{self._times(count, node.min_item)} > n - c", self._call("tooMany", f"{count}, c"))
        a, i = out.fresh("array"), out.fresh("i")
        out.block([*lines, f"local {a} = table.create({count})", f"for {i} = 1, {count} do"], opens=1)
        self.read(node.items, f"{a}[{i}]", out, checked=L.fixed_size(node.items) is not None)
        out.close(f"{target} = {a}")

    def _read_fields(self, node: L.Struct, v: str, out: _Lines, checked: bool = False,
                     preset: tuple[str, ...] = ()) -> None:
        """Declare `local v` and read the struct's fields into it. Header booleans and the fields of a leading
        fixed-size run go straight into the table constructor, as a hand-written decoder would build it."""
        head = out.fresh("head") if node.header else None
        entries = list(preset)
        segments = node.segments
        if segments and type(segments[0]) is L.Run:
            run, segments = segments[0], segments[1:]
            lines = [] if checked else [*self._truncated(run.size)]
            if run.header:
                lines.append(f"local {head} = c")
                for f in node.fields:
                    if f.value_bit is None:
                        continue
                    test = self._bit(head, f.value_bit)
                    entries.append(f"{f.name} = if {self._bit(head, f.presence_bit)} then {test} else nil"
                                   if f.optional else f"{f.name} = {test}")
            entries.extend(f"{f.name} = {self.read_expr(f.node, offset)}" for offset, f in run.fields)
            out.block([*lines, *self._table(v, entries), f"c += {run.size}"])
        else:
            out.block(self._table(v, entries))
        for segment in segments:
            if type(segment) is L.Run:  # a later run: its fields are assigned one by one
                lines = [] if checked else [*self._truncated(segment.size)]
                lines += [f"{v}.{f.name} = {self.read_expr(f.node, offset)}" for offset, f in segment.fields]
                out.block([*lines, f"c += {segment.size}"])
                continue
            f = segment
            if f.optional:
                out.open(f"if {self._bit(head, f.presence_bit)} then")
            else:
                out.open("do")
            self.read(f.node, f"{v}.{f.name}", out)
            out.close()

    @staticmethod
    def _table(v: str, entries: list[str]) -> tuple[str, ...]:
        if len(entries) <= 2 and sum(map(len, entries)) < 80:
            return (f"local {v}: any = {{ {', '.join(entries)} }}" if entries else f"local {v}: any = {{}}",)
        return f"local {v}: any = {{", *(f"\t{entry}," for entry in entries), "}"

    @staticmethod
    def _times(count: str, each: int) -> str:
        return count if each == 1 else f"{count} * {each}"

    @staticmethod
    def _bit(head: str | None, bit: int) -> str:
        byte = f"{head} + {bit // 8}" if bit // 8 else head
        return f"bit32.btest(buffer.readu8(b, {byte}), {1 << (bit % 8)})"

    # ------------------------------------------------------------------ unions
    def _union(self, node: L.Union, value: str, out: _Lines, body, with_index: bool = False) -> None:
        tag = out.fresh("tag")
        out.add(f"local {tag} = {value}.{node.tag}")
        for index, (name, struct) in enumerate(node.variants):
            out.open(f"{'if' if index == 0 else 'elseif'} {tag} == {luau_string(name)} then")
            if with_index:
                body(struct, value, index)
            else:
                body(struct, value)
            out.depth -= 1
        out.add("end")


# The functions of Runtime/Packing the generated code calls; a module imports the ones it uses.
PACKING_HELPERS = ("truncated", "tooLong", "tooMany", "badVariant", "duplicateKey", "enumAt", "instanceAt",
                   "addInstance", "writeNan32", "writeNan64", "writeCFrame", "varintSize", "writeVarint",
                   "readVarint", "writeBits", "readBits")


@dataclass(frozen=True)
class ChannelCodecs:
    name: str
    helpers: str  # the Named helper functions, as Luau source
    messages: str  # the payload and reply codecs
    enums: tuple[tuple[str, tuple[str, ...]], ...]
    imports: tuple[str, ...]  # the Runtime/Packing functions used


def _functions(channel: _Channel, node: L.Node, prefix: str, name: str) -> list[str]:
    """`size`, `write` and `read` of a struct or union as Luau function definitions named `{prefix}{kind}{name}`."""
    size, write, read = channel.bodies(node)
    return [
        *signature(f"{prefix}size{name}", ["v: any"], "number"), *size, "end", "",
        *signature(f"{prefix}write{name}", ["b: buffer", "c: number", "v: any", "inst: Instances"], "number"),
        *write, "end", "",
        *signature(f"{prefix}read{name}", ["b: buffer", "c: number", "n: number", "inst: Instances"], "(any, number)"),
        *read, "end",
    ]


def _bodies(channel: _Channel, node: L.Node) -> tuple[list[str], list[str], list[str]]:
    size, write, read = _Lines(1), _Lines(1), _Lines(1)
    size.add("local s = 0")
    if isinstance(node, L.Struct):
        channel._size_fields(node, "v", size)
    else:
        channel.size(_unnamed(node), "v", size)
    size.add("return s")
    if isinstance(node, L.Struct):
        channel._write_fields(node, "v", write)
        channel._read_fields(node, "v", read)
    else:
        channel.write(_unnamed(node), "v", write)
        read.add("local v: any")
        channel.read(_unnamed(node), "v", read)
    write.add("return c")
    read.add("return v, c")
    return size.chunks, write.chunks, read.chunks


def enum_entry(name: str, values: tuple[str, ...]) -> str:
    """`Name = { "A", "B" },` in the ENUM_NAMES table (one tab in); one value a line when it does not fit."""
    quoted = [luau_string(v) for v in values]
    line = f"{name} = {{ {', '.join(quoted)} }},"
    if fits(1, line):
        return line
    return "\n".join([f"{name} = {{", *(f"\t\t{q}," for q in quoted), "\t},"])


def _unnamed(node: L.Struct | L.Union) -> L.Struct | L.Union:
    """The node's own code (not a call of its helper), for the body of that helper."""
    return replace(node, name=None)


def channel_codecs(channel: ir.Channel, builder: L.LayoutBuilder) -> ChannelCodecs:
    gen = _Channel()
    lines: list[str] = []
    for m in channel.messages:
        for table, node in (("payloads", builder.message(m)), ("replies", builder.reply(m))):
            if node is None:
                continue
            lines.append(f"Packed.{table}.{m.name} = {{}} :: Codec")
            lines.extend(_functions(gen, node, f"Packed.{table}.{m.name}.", ""))
            lines.append("")
    helpers: list[str] = []
    done: set[str] = set()
    while len(done) < len(gen.named):  # helpers may reach further named types
        for name in sorted(set(gen.named) - done):
            done.add(name)
            helpers.extend(_functions(gen, gen.named[name], "Named.", name))
            helpers.append("")
    helpers_text, messages_text = "\n".join(helpers).rstrip("\n"), "\n".join(lines).rstrip("\n")
    used = tuple(h for h in PACKING_HELPERS if h in gen.used)
    return ChannelCodecs(channel.name, helpers_text, messages_text, tuple(sorted(gen.enums.items())), used)
