"""Validator code for one contract in two languages.

One walk over each message's effective type drives a dialect (Luau or Python), so both validators perform the same
checks in the same order and build the same messages. Paths are built only on failure: the success path allocates
no strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..config import Limits
from ..model import ir
from ..model.walk import descendants
from .contract import effective, expectation, resolve
from .dialects import Path


@dataclass
class _Function:
    name: str
    lines: list[str] = field(default_factory=list)


class ValidatorWriter:
    """Writes check functions: each takes a value and returns nil/None, or the failure as `<path>: expected …`."""

    def __init__(self, project: ir.Project, limits: Limits, dialect):
        self.project, self.limits, self.d = project, limits, dialect
        self.constants: list[str] = []
        self.functions: list[_Function] = []
        self._sets: dict[tuple, str] = {}
        self._named: dict[tuple[str, bool], str] = {}
        self._counter = 0
        self._names: list[str] = []  # functions being written, innermost last
        self._taken: set[str] = set()

    def fresh(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}{self._counter}"

    def string_set(self, prefix: str, values: tuple[str, ...]) -> str:
        key = (prefix, values)
        if key not in self._sets:
            name = self.d.constant_name(f"{prefix}_{len(self._sets) + 1}")
            self._sets[key] = name
            self.constants.append(self.d.string_set(name, values))
        return self._sets[key]

    def named_function(self, key: str, strict: bool) -> str:
        """One check function per named table type, shared by every use (two when client bounds change it)."""
        strict = strict and self._bounded_by_defaults(self.project.named(key).type)
        if (key, strict) not in self._named:
            named = self.project.named(key)
            suffix = "FromClient" if strict else ""
            self._named[(key, strict)] = self.function(f"check{named.generated_name}{suffix}", named.type, strict)
        return self._named[(key, strict)]

    def _bounded_by_defaults(self, type_: ir.Type) -> bool:
        """Whether the client→server default bounds change this type's checks."""
        for t in descendants(type_):
            if isinstance(t, ir.RefType) and self._bounded_by_defaults(resolve(self.project, t)):
                return True
            if (isinstance(t, ir.StringType) and t.max_length is None
                    or isinstance(t, ir.ArrayType) and t.max_items is None
                    or isinstance(t, ir.MapType) and t.max_entries is None):
                return True
        return False

    def function(self, name: str, type_: ir.Type, strict: bool) -> str:
        unique, n = name, 2
        while unique in self._taken:
            unique, n = f"{name}{n}", n + 1
        self._taken.add(unique)
        fn = _Function(self.d.fn_name(unique))
        self._names.append(unique)
        self._emit(fn.lines, 1, type_, "value", Path(), strict)
        self._names.pop()
        fn.lines.append("\t" + self.d.ret(self.d.nil))
        self.functions.append(fn)
        return fn.name

    # -- emission --------------------------------------------------------------------------------
    def _line(self, out: list[str], depth: int, text: str | None) -> None:
        if text is not None:
            out.append("\t" * depth + text)

    def _fail(self, out, depth, cond, path: Path, tail: str) -> None:
        self._line(out, depth, self.d.if_(cond))
        self._line(out, depth + 1, self.d.ret(self.d.concat(path, tail)))
        self._line(out, depth, self.d.end)

    def _fail_value(self, expected: str, x: str) -> str:
        return self.d.call(self.d.helper("fail"), self.d.quote(expected), x)

    def _emit(self, out: list[str], depth: int, type_: ir.Type, x: str, path: Path, strict: bool) -> None:
        d = self.d
        t = effective(self.project, type_, strict, self.limits)
        if isinstance(type_, ir.RefType) and isinstance(t, (ir.StructType, ir.UnionType, ir.ArrayType, ir.MapType)):
            err = self.fresh("err")
            self._line(out, depth, d.local(err, d.call(self.named_function(type_.target, strict), x)))
            self._fail(out, depth, d.not_nil(err), path, err)
            return
        expected = expectation(t)
        if isinstance(t, ir.BoolType):
            self._fail(out, depth, d.not_bool(x), path, self._fail_value(expected, x))
        elif isinstance(t, ir.StringType):
            self._fail(out, depth, d.not_string(x), path, self._fail_value(expected, x))
            self._fail(out, depth, d.bad_utf8(x), path.lit(": expected valid UTF-8, got invalid bytes"), "")
            bounds = []
            if t.max_length is not None:
                bounds.append(d.gt(d.byte_len(x), t.max_length))
            if t.min_length:
                bounds.append(d.lt(d.byte_len(x), t.min_length))
            if bounds:
                tail = d.call(self.d.helper("failCount"), d.quote(expected), d.byte_len(x), d.quote("bytes"))
                self._fail(out, depth, d.or_(*bounds), path, tail)
        elif isinstance(t, (ir.NumberType, ir.IntegerType)):
            conds = [d.not_number(x)]
            if isinstance(t, ir.IntegerType):
                conds += [d.not_integral(x), d.lt(x, d.num(t.effective_min)), d.gt(x, d.num(t.effective_max))]
            else:
                if t.finite:
                    conds += [d.is_nan(x), d.is_inf(x)]
                if t.min is not None:
                    conds.append(d.lt(x, d.num(t.min)))
                if t.max is not None:
                    conds.append(d.gt(x, d.num(t.max)))
            self._fail(out, depth, d.or_(*conds), path, self._fail_value(expected, x))
        elif isinstance(t, ir.DatatypeType):
            err = self.fresh("err")
            self._line(out, depth, d.local(err, d.call(self.d.helper("checkDatatype"), x, d.quote(t.luau_name))))
            self._fail(out, depth, d.not_nil(err), path, err)
        elif isinstance(t, ir.InstanceType):
            self._fail(out, depth, d.not_instance(x, t.class_name), path, self._fail_value(expected, x))
        elif isinstance(t, ir.EnumType):
            members = self.string_set("ENUM", t.values)
            self._fail(out, depth, d.not_member(x, members), path, self._fail_value(expected, x))
        elif isinstance(t, ir.ArrayType):
            self._emit_array(out, depth, t, x, path, strict, expected)
        elif isinstance(t, ir.MapType):
            self._emit_map(out, depth, t, x, path, strict, expected)
        elif isinstance(t, ir.StructType):
            tbl = self._table_prologue(out, depth, x, path, "table")
            self._emit_fields(out, depth, t.fields, (), tbl, path, strict)
        elif isinstance(t, ir.UnionType):
            self._emit_union(out, depth, t, x, path, strict)

    def _table_prologue(self, out, depth, x, path, expected) -> str:
        d = self.d
        err = self.fresh("err")
        self._line(out, depth, d.local(err, d.call(self.d.helper("tableError"), x, d.quote(expected))))
        self._fail(out, depth, d.not_nil(err), path, err)
        view = d.table_view(x)
        if view == x:
            return x
        tbl = self.fresh("t")
        self._line(out, depth, d.local(tbl, view))
        return tbl

    def _emit_fields(self, out, depth, fields, extra_known, tbl, path, strict) -> None:
        d = self.d
        known = self.string_set("FIELDS", tuple(extra_known) + tuple(f.name for f in fields))
        key = self.fresh("key")
        self._line(out, depth, d.for_keys(key, tbl))
        self._fail(out, depth + 1, d.not_known_key(key, known), path,
                   d.call(self.d.helper("unexpectedKey"), tbl, known))
        self._line(out, depth, d.end)
        for f in fields:
            var = self.fresh("v")
            self._line(out, depth, d.local(var, d.field(tbl, f.name)))
            if f.optional:
                self._line(out, depth, d.if_(d.not_nil(var)))
                self._emit(out, depth + 1, f.type, var, path.lit("." + f.name), strict)
                self._line(out, depth, d.end)
            else:
                self._emit(out, depth, f.type, var, path.lit("." + f.name), strict)

    def _emit_union(self, out, depth, t: ir.UnionType, x, path, strict) -> None:
        d = self.d
        tbl = self._table_prologue(out, depth, x, path, "table")
        tag = self.fresh("tag")
        self._line(out, depth, d.local(tag, d.field(tbl, t.tag)))
        for i, variant in enumerate(t.variants):
            cond = f"{tag} == {d.quote(variant.name)}"
            self._line(out, depth, d.if_(cond) if i == 0 else d.elseif(cond))
            self._emit_fields(out, depth + 1, variant.fields, (t.tag,), tbl, path, strict)
        self._line(out, depth, d.else_)
        tags = "one of " + ", ".join(f'"{v.name}"' for v in t.variants)
        self._line(out, depth + 1, d.ret(d.concat(path.lit("." + t.tag), self._fail_value(tags, tag))))
        self._line(out, depth, d.end)

    def _emit_array(self, out, depth, t: ir.ArrayType, x, path, strict, expected) -> None:
        d = self.d
        tbl = self._table_prologue(out, depth, x, path, "array")
        n = self.fresh("n")
        self._line(out, depth, d.local(n, d.call(self.d.helper("arrayLength"), tbl)))
        self._fail(out, depth, d.is_nil(n), path.lit(": expected array, got table with non-array keys"), "")
        bounds = []
        if t.max_items is not None:
            bounds.append(d.gt(n, t.max_items))
        if t.min_items:
            bounds.append(d.lt(n, t.min_items))
        if bounds:
            self._fail(out, depth, d.or_(*bounds), path,
                       d.call(self.d.helper("failCount"), d.quote(expected), n, d.quote("items")))
        i = self.fresh("i")
        self._line(out, depth, d.for_range(i, n))
        item = self.fresh("item")
        self._line(out, depth + 1, d.local(item, d.index(tbl, i)))
        self._emit(out, depth + 1, t.items, item, path.lit("[").expr(i).lit("]"), strict)
        self._line(out, depth, d.end)

    def _emit_map(self, out, depth, t: ir.MapType, x, path, strict, expected) -> None:
        d = self.d
        tbl = self._table_prologue(out, depth, x, path, "table")
        key_type = effective(self.project, t.key, strict, self.limits)
        k = self.fresh("k")
        if isinstance(key_type, ir.EnumType):
            key_ok = d.string_member(k, self.string_set("ENUM", key_type.values))
        elif isinstance(key_type, ir.IntegerType):
            key_ok = d.integer_key_ok(k, d.num(key_type.effective_min), d.num(key_type.effective_max))
        else:
            max_len = key_type.max_length if key_type.max_length is not None else 2**31
            key_ok = d.string_key_ok(k, max_len)
            if key_type.min_length:
                key_ok = d.and_(key_ok, f"{d.byte_len(k)} >= {key_type.min_length}")
        count, bad = self.fresh("count"), self.fresh("badKeys")
        self._line(out, depth, d.local(count, "0"))
        self._line(out, depth, d.local(bad, "0"))
        self._line(out, depth, d.for_keys(k, tbl))
        self._line(out, depth + 1, d.count_up(count))
        self._line(out, depth + 1, d.if_(f"not ({key_ok})"))
        self._line(out, depth + 2, d.count_up(bad))
        self._line(out, depth + 1, d.end)
        self._line(out, depth, d.end)
        if t.max_entries is not None:
            self._fail(out, depth, d.gt(count, t.max_entries), path,
                       d.call(self.d.helper("failCount"), d.quote(expected), count, d.quote("entries")))
        self._fail(out, depth, d.gt(bad, "0"), path,
                   d.call(self.d.helper("failKeys"), d.quote(expectation(key_type)), bad))
        value_check = self.function(f"{self._names[-1]}{_pascal(path)}Value", t.value, strict)
        self._line(out, depth, d.for_keys(k, tbl))
        self._fail(out, depth + 1, d.not_nil(d.call(value_check, d.index(tbl, k))), path,
                   d.call(self.d.helper("firstMapError"), tbl, value_check))
        self._line(out, depth, d.end)


def _pascal(path: Path) -> str:
    """`.stats.byRarity` -> `StatsByRarity`: names a helper after where it is used."""
    words = [text for is_literal, text in path.parts if is_literal for text in text.split(".") if text.isidentifier()]
    return "".join(w[:1].upper() + w[1:] for w in words)


def write_validators(project: ir.Project, limits: Limits, dialect, *, payloads: bool = True,
                     replies: bool = True) -> tuple[ValidatorWriter, dict, dict]:
    """Check functions for payloads and/or replies: (writer, {channel: {message: fn}}, {channel: {message: fn}})."""
    writer = ValidatorWriter(project, limits, dialect)
    payload_fns: dict[str, dict[str, str]] = {}
    reply_fns: dict[str, dict[str, str]] = {}
    for channel in project.channels:
        for message in channel.messages:
            if payloads:
                payload_fns.setdefault(channel.name, {})[message.name] = writer.function(
                    f"check{message.type_name}", message.payload, strict=message.is_intent)
            if replies and message.reply is not None:
                reply_fns.setdefault(channel.name, {})[message.name] = writer.function(
                    f"check{message.type_name}Reply", message.reply, strict=False)
    return writer, payload_fns, reply_fns
