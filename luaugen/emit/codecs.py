"""Luau packed codecs: straight-line `size`, `write` and `read` functions per message, from the layout nodes.

One module per channel (`Packed/<Channel>.luau`), so no function or module grows with the contract. Named
structs and unions get helpers named after them (`writeSkillsTarget`), kept in a table so a channel with many
types never runs into Luau's limits on locals and upvalues. Every field's temporaries live in a `do` block.
"""

from __future__ import annotations

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
    out.open("do")
    out.add(f"local {field} = {value}.{f.name}")
    if f.optional:
        out.open(f"if {field} ~= nil then")
    emit(f.node, field, out)
    if f.optional:
        out.close()
    out.close()


def _helper(node: L.Node) -> bool:
    """Named structs and unions are called through their helpers; fixed-size ones are inlined (a few lines)."""
    return isinstance(node, (L.Struct, L.Union)) and node.name is not None and L.fixed_size(node) is None


def _at(offset: int) -> str:
    return f"c + {offset}" if offset else "c"


def _read_int(fmt: str) -> str:
    return "read" + fmt


# Indentation and the room left on a line by depth, looked up for each of the ~140 lines a message's codecs take
# (code nested deeper than schemas nest is laid out all the same, without the tables).
_TABLED = 64
_INDENTS = tuple("\t" * depth for depth in range(_TABLED))
_ROOM = tuple(WIDTH - TAB * depth for depth in range(_TABLED))


def _indent(depth: int) -> str:
    return _INDENTS[depth] if depth < _TABLED else "\t" * depth


class _Lines:
    def __init__(self, depth: int):
        self.lines: list[str] = []
        self.depth = depth
        self._count = 0

    def add(self, text: str) -> None:
        depth = self.depth
        if depth < _TABLED and len(text) <= _ROOM[depth]:  # nearly every line: `fits`, without the call
            self.lines.append(_INDENTS[depth] + text)
        elif depth >= _TABLED and fits(depth, text):
            self.lines.append(_indent(depth) + text)
        else:
            self.lines.extend(call_lines(depth, text) or [_indent(depth) + text])

    def fresh(self, base: str) -> str:
        self._count += 1
        return f"{base}{self._count}"

    def open(self, text: str) -> None:
        self.add(text)
        self.depth += 1

    def close(self, text: str = "end") -> None:
        self.depth -= 1
        self.lines.append(_indent(self.depth) + text)  # `end` and `}` always fit

    def guard(self, condition: str, failure: str) -> None:
        """`if condition then failure end`, laid out on three lines as StyLua writes it."""
        depth, test = self.depth, f"if {condition} then"
        if depth + 1 < _TABLED and len(test) <= _ROOM[depth] and len(failure) <= _ROOM[depth + 1]:
            # Every bounds check of every read: the three lines at once when both fit (nearly always).
            indent = _INDENTS[depth]
            self.lines += (indent + test, indent + "\t" + failure, indent + "end")
            return
        self.add(test)
        self.depth += 1
        self.add(failure)
        self.depth -= 1
        self.lines.append(_indent(self.depth) + "end")


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

    def bodies(self, node: L.Struct | L.Union) -> tuple[list[str], list[str], list[str]]:
        """The `size`, `write` and `read` function bodies of a struct or union. Messages of one layout (many
        carry just an id, or the same fields) share them: the helpers, enums and Packing functions they reach are
        the same too, and were recorded the first time."""
        bodies = self._bodies.get(node)  # a node hashes its whole tree: once per lookup
        if bodies is None:
            bodies = self._bodies[node] = _bodies(self, node)
        return bodies

    # ------------------------------------------------------------------ size
    def size(self, node: L.Node, value: str, out: _Lines) -> None:
        """Lines adding the encoded size of `value` to the local `s`."""
        fixed = L.fixed_size(node)
        if fixed is not None:
            out.add(f"s += {fixed}")
        elif _helper(node):
            self.named[node.name] = node
            out.add(f"s += Named.size{node.name}({value})")
        elif isinstance(node, L.String):
            out.add(f"s += {self._prefix_size(node.prefix, '#' + value)} + #{value}")
        elif isinstance(node, L.Array):
            self._size_array(node, value, out)
        elif isinstance(node, L.Map):
            count = out.fresh("count")
            out.add(f"local {count} = 0")
            key_size, value_size = L.fixed_size(node.key), L.fixed_size(node.value)
            if key_size is not None and value_size is not None:
                out.open(f"for _ in {value} do")
                out.add(f"{count} += 1")
                out.close()
                out.add(f"s += {self._prefix_size(node.prefix, count)} + {count} * {key_size + value_size}")
                return
            key, val = out.fresh("key"), out.fresh("value")
            out.open(f"for {key}, {val} in {value} do")
            out.add(f"{count} += 1")
            self.size(node.key, key, out)
            self.size(node.value, val, out)
            out.close()
            out.add(f"s += {self._prefix_size(node.prefix, count)}")
        elif isinstance(node, L.Struct):
            self._size_fields(node, value, out)
        else:
            self._union(node, value, out, lambda struct, v: (out.add(f"s += {L.index_width(len(node.variants))}"),
                                                             self._size_fields(struct, v, out)))

    def _size_array(self, node: L.Array, value: str, out: _Lines) -> None:
        prefix = self._prefix_size(node.prefix, "#" + value)
        if isinstance(node.items, L.Bool):
            out.add(f"s += {prefix} + (#{value} + 7) // 8")
            return
        item_size = L.fixed_size(node.items)
        if item_size is not None:
            out.add(f"s += {prefix} + #{value} * {item_size}")
            return
        out.add(f"s += {prefix}")
        item = out.fresh("item")
        out.open(f"for _, {item} in {value} do")
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
        fixed = L.fixed_size(node)
        if _helper(node):
            self.named[node.name] = node
            out.add(f"c = Named.write{node.name}(b, c, {value}, inst)")
        elif fixed is not None and not isinstance(node, L.Struct):
            self.write_at(node, value, 0, out)
            out.add(f"c += {fixed}")
        elif isinstance(node, L.String):
            length = out.fresh("len")
            out.add(f"local {length} = #{value}")
            self._write_prefix(node.prefix, length, out)
            out.add(f"buffer.writestring(b, c, {value})")
            out.add(f"c += {length}")
        elif isinstance(node, L.Array):
            self._write_array(node, value, out)
        elif isinstance(node, L.Map):
            keys, count = out.fresh("keys"), out.fresh("count")
            out.add(f"local {keys}, {count} = {{}}, 0")
            key = out.fresh("key")
            out.open(f"for {key} in {value} do")
            out.add(f"{count} += 1")
            out.add(f"{keys}[{count}] = {key}")
            out.close()
            out.add(f"table.sort({keys}) -- a canonical order: the same payload always packs to the same bytes")
            self._write_prefix(node.prefix, count, out)
            out.open(f"for _, {key} in {keys} do")
            self.write(node.key, key, out)
            self.write(node.value, f"{value}[{key}]", out)
            out.close()
        elif isinstance(node, L.Struct):
            self._write_fields(node, value, out)
        else:
            width = L.index_width(len(node.variants))
            self._union(node, value, out, lambda struct, v, index: (
                out.add(f"buffer.{_WRITE_INT[_PREFIX_INT[width]]}(b, c, {index})"), out.add(f"c += {width}"),
                self._write_fields(struct, v, out)), with_index=True)

    def write_at(self, node: L.Node, value: str, offset: int, out: _Lines) -> None:
        """A fixed-size scalar written `offset` bytes after the cursor (which does not move)."""
        at = _at(offset)
        if isinstance(node, L.Bool):
            out.add(f"buffer.writeu8(b, {at}, if {value} then 1 else 0)")
        elif isinstance(node, L.Int):
            out.add(f"buffer.{_WRITE_INT[node.format]}(b, {at}, {value})")
        elif isinstance(node, L.Float):
            call = "writef32" if node.format == "f32" else "writef64"
            if node.canonical_nan:
                out.add(self._call("writeNan32" if node.format == "f32" else "writeNan64", f"b, {at}, {value}"))
            else:
                out.add(f"buffer.{call}(b, {at}, {value})")
        elif isinstance(node, L.Datatype):
            if node.kind == "cframe":
                out.add(self._call("writeCFrame", f"b, {at}, {value}"))
            else:
                for i, comp in enumerate(_COMPONENTS[node.kind]):
                    out.add(f"buffer.writef32(b, {_at(offset + 4 * i)}, {value}.{comp})")
        elif isinstance(node, L.Instance):
            out.add(f"buffer.writeu16(b, {at}, {self._call('addInstance', f'inst, {value}')})")
        elif isinstance(node, L.Enum):
            self.enums[node.name] = node.values
            fmt = _PREFIX_INT[L.index_width(len(node.values))]
            out.add(f"buffer.{_WRITE_INT[fmt]}(b, {at}, ENUM_INDEX.{node.name}[{value}])")
        else:
            raise TypeError(node)

    def _write_prefix(self, prefix: int, count: str, out: _Lines) -> None:
        if prefix == L.VARINT:
            out.add("c = " + self._call("writeVarint", f"b, c, {count}"))
        else:
            out.add(f"buffer.{_WRITE_INT[_PREFIX_INT[prefix]]}(b, c, {count})")
            out.add(f"c += {prefix}")

    def _write_array(self, node: L.Array, value: str, out: _Lines) -> None:
        count = out.fresh("count")
        out.add(f"local {count} = #{value}")
        self._write_prefix(node.prefix, count, out)
        if isinstance(node.items, L.Bool):
            out.add("c = " + self._call("writeBits", f"b, c, {value}, {count}"))
            return
        i = out.fresh("i")
        out.open(f"for {i} = 1, {count} do")
        self.write(node.items, f"{value}[{i}]", out)
        out.close()

    def _write_fields(self, node: L.Struct, value: str, out: _Lines) -> None:
        for segment in node.segments:
            if isinstance(segment, L.Run):
                if segment.header:
                    for k in range(node.header):
                        out.add(f"buffer.writeu8(b, {_at(k)}, {self._header_byte(node, k, value)})")
                for offset, f in segment.fields:
                    self.write_at(f.node, f"{value}.{f.name}", offset, out)
                out.add(f"c += {segment.size}")
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
        fixed = L.fixed_size(node)
        if _helper(node):
            self.named[node.name] = node
            out.add(f"{target}, c = Named.read{node.name}(b, c, n, inst)")
        elif fixed is not None and not isinstance(node, L.Struct):
            if not checked:
                out.guard(f"c + {fixed} > n", self._call("truncated", "c"))
            self.read_at(node, target, 0, out)
            out.add(f"c += {fixed}")
        elif isinstance(node, L.String):
            length = self._read_count(node.prefix, node.max, out)
            out.guard(f"c + {length} > n", self._call("truncated", "c"))
            out.add(f"{target} = buffer.readstring(b, c, {length})")
            out.add(f"c += {length}")
        elif isinstance(node, L.Array):
            self._read_array(node, target, out)
        elif isinstance(node, L.Map):
            count = self._read_count(node.prefix, node.max, out)
            if node.min_entry:
                out.guard(f"{self._times(count, node.min_entry)} > n - c", self._call("tooMany", f"{count}, c"))
            m, key, val, at = out.fresh("map"), out.fresh("key"), out.fresh("value"), out.fresh("at")
            out.add(f"local {m} = {{}}")
            out.open(f"for _ = 1, {count} do")
            out.add(f"local {at} = c")
            out.add(f"local {key}: any, {val}: any")
            self.read(node.key, key, out)
            self.read(node.value, val, out)
            out.guard(f"{m}[{key}] ~= nil", self._call("duplicateKey", at))
            out.add(f"{m}[{key}] = {val}")
            out.close()
            out.add(f"{target} = {m}")
        elif isinstance(node, L.Struct):
            v = out.fresh("v")
            self._read_fields(node, v, out, checked)
            out.add(f"{target} = {v}")
        else:
            width = L.index_width(len(node.variants))
            tag = out.fresh("tag")
            out.guard(f"c + {width} > n", self._call("truncated", "c"))
            out.add(f"local {tag} = buffer.read{_PREFIX_INT[width]}(b, c)")
            out.add(f"c += {width}")
            for index, (name, struct) in enumerate(node.variants):
                out.open(f"{'if' if index == 0 else 'elseif'} {tag} == {index} then")
                v = out.fresh("v")
                self._read_fields(struct, v, out, preset=(f"{node.tag} = {luau_string(name)}",))
                out.add(f"{target} = {v}")
                out.depth -= 1
            out.open("else")
            out.add(self._call("badVariant", f"{tag}, c - {width}"))
            out.close()

    def read_at(self, node: L.Node, target: str, offset: int, out: _Lines) -> None:
        out.add(f"{target} = {self.read_expr(node, offset)}")

    def read_expr(self, node: L.Node, offset: int) -> str:
        """An expression reading a fixed-size scalar `offset` bytes after the cursor."""
        at = _at(offset)
        if isinstance(node, L.Bool):
            return f"buffer.readu8(b, {at}) ~= 0"
        if isinstance(node, L.Int):
            return f"buffer.{_read_int(node.format)}(b, {at})"
        if isinstance(node, L.Float):
            return f"buffer.read{node.format}(b, {at})"
        if isinstance(node, L.Datatype):
            count = L.DATATYPE_FLOATS[node.kind]
            parts = ", ".join(f"buffer.readf32(b, {_at(offset + 4 * i)})" for i in range(count))
            return f"{_DATATYPE_NEW[node.kind]}({parts})"
        if isinstance(node, L.Instance):
            return self._call("instanceAt", f"inst, buffer.readu16(b, {at}), {at}")
        if isinstance(node, L.Enum):
            self.enums[node.name] = node.values
            fmt = _PREFIX_INT[L.index_width(len(node.values))]
            return self._call("enumAt", f"ENUM_NAMES.{node.name}, buffer.read{fmt}(b, {at}), {at}")
        raise TypeError(node)

    def _read_count(self, prefix: int, maximum: int | None, out: _Lines) -> str:
        count, at = out.fresh("count"), out.fresh("at")
        if maximum is not None:
            out.add(f"local {at} = c")
        if prefix == L.VARINT:
            out.add(f"local {count}")
            out.add(f"{count}, c = " + self._call("readVarint", "b, c, n"))
        else:
            out.guard(f"c + {prefix} > n", self._call("truncated", "c"))
            out.add(f"local {count} = buffer.read{_PREFIX_INT[prefix]}(b, c)")
            out.add(f"c += {prefix}")
        if maximum is not None:
            out.guard(f"{count} > {maximum}", self._call("tooLong", f"{count}, {at}, {maximum}"))
        return count

    def _read_array(self, node: L.Array, target: str, out: _Lines) -> None:
        count = self._read_count(node.prefix, node.max, out)
        if isinstance(node.items, L.Bool):
            out.guard(f"({count} + 7) // 8 > n - c", self._call("tooMany", f"{count}, c"))
            a = out.fresh("array")
            out.add(f"local {a}")
            out.add(f"{a}, c = " + self._call("readBits", f"b, c, {count}"))
            out.add(f"{target} = {a}")
            return
        if node.min_item:
            out.guard(f"{self._times(count, node.min_item)} > n - c", self._call("tooMany", f"{count}, c"))
        a, i = out.fresh("array"), out.fresh("i")
        out.add(f"local {a} = table.create({count})")
        out.open(f"for {i} = 1, {count} do")
        self.read(node.items, f"{a}[{i}]", out, checked=L.fixed_size(node.items) is not None)
        out.close()
        out.add(f"{target} = {a}")

    def _read_fields(self, node: L.Struct, v: str, out: _Lines, checked: bool = False,
                     preset: tuple[str, ...] = ()) -> None:
        """Declare `local v` and read the struct's fields into it. Header booleans and the fields of a leading
        fixed-size run go straight into the table constructor, as a hand-written decoder would build it."""
        head = out.fresh("head") if node.header else None
        entries = list(preset)
        segments = list(node.segments)
        if segments and isinstance(segments[0], L.Run):
            run = segments.pop(0)
            if not checked:
                out.guard(f"c + {run.size} > n", self._call("truncated", "c"))
            if run.header:
                out.add(f"local {head} = c")
                for f in node.fields:
                    if f.value_bit is None:
                        continue
                    test = self._bit(head, f.value_bit)
                    entries.append(f"{f.name} = if {self._bit(head, f.presence_bit)} then {test} else nil"
                                   if f.optional else f"{f.name} = {test}")
            entries.extend(f"{f.name} = {self.read_expr(f.node, offset)}" for offset, f in run.fields)
            self._table(v, entries, out)
            out.add(f"c += {run.size}")
        else:
            self._table(v, entries, out)
        for segment in segments:
            if isinstance(segment, L.Run):  # a later run: its fields are assigned one by one
                if not checked:
                    out.guard(f"c + {segment.size} > n", self._call("truncated", "c"))
                for offset, f in segment.fields:
                    self.read_at(f.node, f"{v}.{f.name}", offset, out)
                out.add(f"c += {segment.size}")
                continue
            f = segment
            if f.optional:
                out.open(f"if {self._bit(head, f.presence_bit)} then")
            else:
                out.open("do")
            self.read(f.node, f"{v}.{f.name}", out)
            out.close()

    @staticmethod
    def _table(v: str, entries: list[str], out: _Lines) -> None:
        if len(entries) <= 2 and sum(map(len, entries)) < 80:
            out.add(f"local {v}: any = {{ {', '.join(entries)} }}" if entries else f"local {v}: any = {{}}")
            return
        out.open(f"local {v}: any = {{")
        for entry in entries:
            out.add(entry + ",")
        out.close("}")

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
    return size.lines, write.lines, read.lines


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
