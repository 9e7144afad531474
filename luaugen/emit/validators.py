"""Validator code for one contract in two languages.

One walk over each message's effective type drives a dialect (Luau or Python), so both validators perform the same
checks in the same order and build the same messages. Paths are built only on failure: the success path allocates
no strings.

Code is grouped in scopes: one per message payload, one per message reply, one per named table type. A scope holds
its own constants and functions, and every name in it comes from what it checks (`SKILLS_CAST_SKILL_FIELDS`,
`checkSkillsCastSkill`), never from a counter, so editing one message changes only that message's scope. Luau
writes each scope as a `do ... end` block, so no module ever holds more than a handful of live locals however large
the contract.
"""

from __future__ import annotations

import keyword
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from ..config import Limits
from ..model import ir
from ..model.walk import descendants
from .contract import effective, expectation, resolve
from .dialects import Path
from .typenames import named_types_in_dependency_order

# Field names that would shadow something the generated code uses (in either language) get a suffix as locals.
_SHADOWING = frozenset({
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "if", "in", "local", "nil", "not", "or",
    "repeat", "return", "then", "true", "until", "while", "continue", "export", "type", "typeof", "next", "utf8",
    "math", "table", "string", "tostring", "value", "str", "isinstance", "len", "range", "int", "float", "bool",
    "dict", "list", "tuple", "getattr", "sorted", "callable", "validator", "self", "any", "error", "select",
    "fail", "failCount", "failKeys", "tableError", "arrayLength", "unexpectedKey", "firstMapError", "checkDatatype",
    "isFinite", "components", "Checks", "TypeChecks", "notTable", "badComponents", "getmetatable", "enumerate",
    "isascii", "issuperset", "unknownField",
}) | frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)

# A struct with more fields than this checks each field in its own `do ... end` block (Luau), so the number of
# live locals in one function stays bounded however many fields a message has.
BLOCK_FIELDS_OVER = 16
# A scope that would declare more names than this (constants, helper functions, imported checks) keeps its
# constants in one table and calls named checks through TypeChecks, staying far from Luau's 200 locals per function
# and 200 upvalues per closure.
SCOPE_NAMES_OVER = 100


@dataclass
class Function:
    """`entry`: a message's validator, returning (ok, message) itself; others return nil or the message tail."""

    name: str
    lines: list[str] = field(default_factory=list)
    entry: bool = False


@dataclass
class Scope:
    """The constants and functions checking one thing; `imports` are named-type checks it calls."""

    entry: str = ""
    title: str = ""
    grouped: bool = False  # constants live in a table `K` (a scope with very many names)
    calls_type_checks: bool = False  # a grouped scope calls TypeChecks.<check> directly
    constants: list[str] = field(default_factory=list)
    functions: list[Function] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)
    sets: dict[tuple[str, ...], str] = field(default_factory=dict)
    helpers: set[str] = field(default_factory=set)  # the Checks helpers its functions call
    uses: set[str] = field(default_factory=set)  # every named-type check it calls, however (imported or grouped)


@dataclass
class _Frame:
    """A function being written: its name and the locals it declared."""

    name: str
    locals: set[str] = field(default_factory=set)
    entry: bool = False


class ValidatorWriter:
    """Writes check functions: each takes a value and returns nil/None, or the failure as `<path>: expected …`."""

    def __init__(self, project: ir.Project, limits: Limits, dialect):
        self.project, self.limits, self.d = project, limits, dialect
        self.named_scopes: dict[tuple[str, bool], Scope] = {}
        self._scopes: list[Scope] = []
        self._frames: list[_Frame] = []
        self._constants: dict[str, tuple[str, ...]] = {}  # every constant name in the module -> its values
        self._functions: set[str] = set()
        self._line = dialect.line  # (out, depth, text): appends one statement, laid out

    # -- names -----------------------------------------------------------------------------------
    def _var(self, base: str) -> str:
        """A local of the current function named `base` (or `base2`, … when the function already has one)."""
        taken = self._frames[-1].locals
        name, n = base, 2
        while name in taken:
            name, n = f"{base}{n}", n + 1
        taken.add(name)
        return name

    def _field_var(self, name: str) -> str:
        safe = name.isidentifier() and name[:1].islower() and not name.startswith("check") and name not in _SHADOWING
        return self._var(name if safe else name + "Value" if name[:1].islower() else "field" + name)

    def _where(self, path: Path) -> str:
        """What is checked at `path` in the current function: `validateSkillsCastSkill` at `.target` ->
        `SkillsCastSkillTarget` (a message validator's path starts with its root word, which is left out)."""
        frame = self._frames[-1]
        parts = path.parts[1:] if frame.entry else path.parts
        return frame.name.removeprefix("check").removeprefix("validate") + _pascal(Path(parts))

    def _label(self, path: Path, what: str) -> str:
        """`validateSkillsCastSkill` at `.target` + FIELDS -> `SKILLS_CAST_SKILL_TARGET_FIELDS`."""
        return _upper_snake(self._where(path)) + "_" + what

    def string_set(self, label: str, values: tuple[str, ...]) -> str:
        """A frozen set constant in the current scope: shared within the scope, named `label` module-wide."""
        scope = self._scopes[-1]
        if values in scope.sets:
            return scope.sets[values]
        name, n = self.d.constant_name(label), 2
        while name in self._constants and self._constants[name] != values:
            name, n = self.d.constant_name(f"{label}{n}"), n + 1
        self._constants[name] = values
        if scope.grouped:
            scope.constants.append(self.d.string_set_field("K", name, values))
            name = f"K.{name}"
        else:
            scope.constants.append(self.d.string_set(name, values))
        scope.sets[values] = name
        return name

    def _helper(self, name: str) -> str:
        """A call target for the Checks helper `name`, recorded on the current scope so that a generated module
        declares only the helpers it calls (an unused local is a lint finding in the user's editor)."""
        self._scopes[-1].helpers.add(name)
        return self.d.helper(name)

    # -- scopes and functions ----------------------------------------------------------------------
    def scope(self, name: str, type_: ir.Type, strict: bool, root: str | None = None) -> Scope:
        """A new scope whose function `name` checks `type_`; with `root` ("payload") it is a message's validator."""
        scope = Scope(grouped=self.d.do is not None and _names_needed(type_) > SCOPE_NAMES_OVER)
        self._scopes.append(scope)
        scope.entry = self.function(name, type_, strict, root).removeprefix("K.")
        self._scopes.pop()
        return scope

    def named_function(self, key: str, strict: bool) -> str:
        """One check function per named table type, shared by every use (two when client bounds change it)."""
        strict = strict and self._bounded_by_defaults(self.project.named(key).type)
        if (key, strict) not in self.named_scopes:
            named = self.project.named(key)
            suffix = "FromClient" if strict else ""
            frames, self._frames = self._frames, []
            scope = self.scope(f"check{named.generated_name}{suffix}", named.type, strict)
            scope.title = named.generated_name + (" (client→server bounds)" if strict else "")
            self.named_scopes[(key, strict)] = scope
            self._frames = frames
        entry = self.named_scopes[(key, strict)].entry
        self._scopes[-1].uses.add(entry)
        if self._scopes[-1].grouped:
            self._scopes[-1].calls_type_checks = True
            return f"TypeChecks.{entry}"
        if entry not in self._scopes[-1].imports:
            self._scopes[-1].imports.append(entry)
        return entry

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

    def function(self, name: str, type_: ir.Type, strict: bool, root: str | None = None) -> str:
        unique, n = name, 2
        while unique in self._functions:
            unique, n = f"{name}{n}", n + 1
        self._functions.add(unique)
        fn = Function(self.d.fn_name(unique), entry=root is not None)
        self._frames.append(_Frame(unique, entry=fn.entry))
        self._emit(fn.lines, 1, type_, "value", Path().lit(root) if root else Path(), strict)
        self._frames.pop()
        fn.lines.append("\t" + (self.d.ret_ok() if fn.entry else self.d.ret(self.d.nil)))
        self._scopes[-1].functions.append(fn)
        return f"K.{fn.name}" if self._scopes[-1].grouped else fn.name

    def ordered_named_scopes(self) -> list[Scope]:
        """Named-type scopes in a fixed order (dependencies first), whatever order the messages used them in."""
        rank = {named.key: i for i, named in enumerate(named_types_in_dependency_order(self.project))}
        return [self.named_scopes[k] for k in sorted(self.named_scopes, key=lambda k: (rank[k[0]], k[1]))]

    # -- emission --------------------------------------------------------------------------------
    # One call per statement: a build writes a few hundred thousand of them, so the common shapes (a guard, a
    # block's end) go straight to the dialect, which appends to `out` itself.
    def _fail(self, out, depth, cond, path: Path, tail: str) -> None:
        self.d.fail(out, depth, cond, self.d.concat(path, tail), self._frames[-1].entry)

    def _fail_value(self, expected: str, x: str) -> str:
        return f"{self._helper('fail')}({self.d.quote(expected)}, {x})"

    def _emit(self, out: list[str], depth: int, type_: ir.Type, x: str, path: Path, strict: bool) -> None:
        t = effective(self.project, type_, strict, self.limits)
        kind = type(t)
        if kind in _TABLE_TYPES and type(type_) is ir.RefType:
            d = self.d
            err = self._var("err")
            self._line(out, depth, d.local(err, d.call(self.named_function(type_.target, strict), x)))
            self._fail(out, depth, d.not_nil(err), path, err)
            return
        _EMITTERS[kind](self, out, depth, type_, t, x, path, strict)

    def _emit_bool(self, out, depth, type_, t: ir.BoolType, x, path, strict) -> None:
        self._fail(out, depth, self.d.not_bool(x), path, self._fail_value("boolean", x))

    def _emit_string(self, out, depth, type_, t: ir.StringType, x, path, strict) -> None:
        d = self.d
        expected = expectation(t)
        self._fail(out, depth, d.not_string(x), path, self._fail_value(expected, x))
        size_expr = d.string_size(x)
        if size_expr is not None:  # measured once: the UTF-8 test and the bounds share it
            size = self._var(x + "Size")
            self._line(out, depth, d.local(size, size_expr))
            bad_utf8, byte_len = f"{size} < 0", size
        else:
            bad_utf8, byte_len = d.bad_utf8(x), d.byte_len(x)
        self._fail(out, depth, bad_utf8, path.lit(": expected valid UTF-8, got invalid bytes"), "")
        self._count_bounds(out, depth, byte_len, t.min_length, t.max_length, path, expected, "bytes")

    def _count_bounds(self, out, depth, count: str, low: int | None, high: int | None, path, expected, unit) -> None:
        """Fails when `count` (bytes, items) is outside low..high; a bound of None (or a low of 0) is no bound."""
        bounds = []
        if high is not None:
            bounds.append(f"{count} > {high}")
        if low:
            bounds.append(f"{count} < {low}")
        if bounds:
            d = self.d
            self._fail(out, depth, " or ".join(bounds), path,
                       d.call(self._helper("failCount"), d.quote(expected), count, d.quote(unit)))

    def _emit_number(self, out, depth, type_, t: ir.NumberType | ir.IntegerType, x, path, strict) -> None:
        d = self.d
        if type(t) is ir.IntegerType:
            conds = [d.not_integer(x), f"{x} < {d.num(t.effective_min)}", f"{x} > {d.num(t.effective_max)}"]
        else:
            conds = [d.not_number(x)]
            if t.finite:
                conds += [d.is_nan(x), d.is_inf(x)]
            if t.min is not None:
                conds.append(f"{x} < {d.num(t.min)}")
            if t.max is not None:
                conds.append(f"{x} > {d.num(t.max)}")
        self._fail(out, depth, " or ".join(conds), path, self._fail_value(expectation(t), x))

    def _emit_datatype(self, out, depth, type_, t: ir.DatatypeType, x, path, strict) -> None:
        d = self.d
        name = t.luau_name
        components = d.inline_components(name)
        if components is None:
            err = self._var("err")
            self._line(out, depth, d.local(err, d.call(self._helper("checkDatatype"), x, d.quote(name))))
            self._fail(out, depth, d.not_nil(err), path, err)
        else:
            # Specialised at compile time: the type test, then one arithmetic test for all components.
            self._fail(out, depth, d.not_typeof(x, name), path, self._fail_value(name, x))
            self._fail(out, depth, d.non_finite(x, components), path,
                       d.call(self._helper("badComponents"), x, d.quote(name)))

    def _emit_instance(self, out, depth, type_, t: ir.InstanceType, x, path, strict) -> None:
        self._fail(out, depth, self.d.not_instance(x, t.class_name), path, self._fail_value(t.class_name, x))

    def _emit_enum(self, out, depth, type_, t: ir.EnumType, x, path, strict) -> None:
        members = self.string_set(self._enum_label(type_, path, "VALUES"), t.values)
        self._fail(out, depth, self.d.not_member(x, members), path, self._fail_value(expectation(t), x))

    def _emit_struct(self, out, depth, type_, t: ir.StructType, x, path, strict) -> None:
        tbl = self._table_prologue(out, depth, x, path, "table")
        self._emit_fields(out, depth, t.fields, (), tbl, path, strict, self._label(path, "FIELDS"))

    def _enum_label(self, type_: ir.Type, path: Path, what: str) -> str:
        """A named enum's set is named after the type, so every scope using it agrees on the name."""
        if isinstance(type_, ir.RefType):
            return _upper_snake(self.project.named(type_.target).generated_name) + "_" + what
        return self._label(path, what)

    def _table_prologue(self, out, depth, x, path, expected, every_key: bool = False) -> str:
        """Fails unless x is a table; returns what to read it through. Python reads a dict as it is when only named
        fields are looked up (absent and None look alike to .get); lists and tuples, and any table whose every key
        matters (`every_key`: maps), go through `_entries`, which holds what the Luau table would."""
        d = self.d
        tail = f"{self._helper('notTable')}({x}, {d.quote(expected)})"
        if d.end is not None:
            self._fail(out, depth, d.not_plain_table(x), path, tail)
            return x
        if every_key:
            self._fail(out, depth, d.not_plain_table(x), path, tail)
            self._line(out, depth, d.local(x, f"_entries({x})"))
            return x
        self._line(out, depth, d.if_(f"not isinstance({x}, dict)"))
        self._fail(out, depth + 1, d.not_plain_table(x), path, tail)
        self._line(out, depth + 1, d.local(x, f"_entries({x})"))
        return x

    def _emit_fields(self, out, depth, fields, extra_known, tbl, path, strict, label) -> None:
        d = self.d
        line, emit = self._line, self._emit
        known = self.string_set(label, tuple(extra_known) + tuple(f.name for f in fields))
        if d.end is None:
            # Python: one C-level subset test; only a table with a key outside the set is looked at closely
            # (a key whose value is None is absent, as in Luau).
            line(out, depth, d.if_(f"not {known}.issuperset({tbl})"))
            err = self._var("err")
            line(out, depth + 1, d.local(err, d.call(self._helper("unknownField"), tbl, known)))
            self._fail(out, depth + 1, d.not_nil(err), path, err)
        else:
            key = self._var("key")
            line(out, depth, d.for_keys(key, tbl))
            self._fail(out, depth + 1, d.not_known_key(key, known), path,
                       d.call(self._helper("unexpectedKey"), tbl, known))
            d.close(out, depth)
        blocks = d.do is not None and len(fields) > BLOCK_FIELDS_OVER
        inner = depth + 1 if blocks else depth
        for f in fields:
            if blocks:
                line(out, depth, d.do)
            var = self._field_var(f.name)
            line(out, inner, d.local(var, d.field(tbl, f.name)))
            if f.optional:
                line(out, inner, d.if_(d.not_nil(var)))
                emit(out, inner + 1, f.type, var, path.lit("." + f.name), strict)
                d.close(out, inner)
            else:
                emit(out, inner, f.type, var, path.lit("." + f.name), strict)
            if blocks:
                d.close(out, depth)

    def _emit_union(self, out, depth, type_, t: ir.UnionType, x, path, strict) -> None:
        d = self.d
        tbl = self._table_prologue(out, depth, x, path, "table")
        tag = self._var("tag")
        self._line(out, depth, d.local(tag, d.field(tbl, t.tag)))
        for i, variant in enumerate(t.variants):
            cond = f"{tag} == {d.quote(variant.name)}"
            self._line(out, depth, d.if_(cond) if i == 0 else d.elseif(cond))
            label = self._label(path, _upper_snake(_pascal_word(variant.name)) + "_FIELDS")
            self._emit_fields(out, depth + 1, variant.fields, (t.tag,), tbl, path, strict, label)
        self._line(out, depth, d.else_)
        tags = "one of " + ", ".join(f'"{v.name}"' for v in t.variants)
        message = d.concat(path.lit("." + t.tag), self._fail_value(tags, tag))
        self._line(out, depth + 1, d.ret_fail(message) if self._frames[-1].entry else d.ret(message))
        d.close(out, depth)

    def _emit_array(self, out, depth, type_, t: ir.ArrayType, x, path, strict) -> None:
        d = self.d
        if d.end is None:
            items, n = self._python_array(out, depth, x, path)
        else:
            tbl = self._table_prologue(out, depth, x, path, "array")
            items, n = tbl, self._var("n")
            self._line(out, depth, d.local(n, d.call(self._helper("arrayLength"), tbl)))
            self._fail(out, depth, d.is_nil(n), path.lit(": expected array, got table with non-array keys"), "")
        self._count_bounds(out, depth, n, t.min_items, t.max_items, path, expectation(t), "items")
        i = self._var("i")
        item = self._var("item")
        if d.end is None:
            # A counter, not enumerate(): no tuple per item on the success path (about a tenth of a validation).
            self._line(out, depth, f"{i} = 0")
            self._line(out, depth, f"for {item} in {items}:")
            self._line(out, depth + 1, f"{i} += 1")
        else:
            self._line(out, depth, d.for_range(i, n))
            self._line(out, depth + 1, d.local(item, d.index(items, i)))
        self._emit(out, depth + 1, t.items, item, path.lit("[").expr(i).lit("]"), strict)
        d.close(out, depth)

    def _python_array(self, out, depth, x, path) -> tuple[str, str]:
        """Python: a list without None is its own items; anything else goes through the table rules."""
        d = self.d
        self._line(out, depth, f"if not isinstance({x}, list) or None in {x}:")
        self._fail(out, depth + 1, d.not_plain_table(x), path, d.call(self._helper("notTable"), x, d.quote("array")))
        self._line(out, depth + 1, f"{x} = _array_items({x})")
        self._fail(out, depth + 1, d.is_nil(x), path.lit(": expected array, got table with non-array keys"), "")
        return x, f"len({x})"

    def _emit_map(self, out, depth, type_, t: ir.MapType, x, path, strict) -> None:
        d = self.d
        tbl = self._table_prologue(out, depth, x, path, "table", every_key=True)
        key_type = effective(self.project, t.key, strict, self.limits)
        k = self._var("k")
        if isinstance(key_type, ir.EnumType):
            key_ok = d.string_member(k, self.string_set(self._enum_label(t.key, path, "KEYS"), key_type.values))
        elif isinstance(key_type, ir.IntegerType):
            key_ok = d.integer_key_ok(k, d.num(key_type.effective_min), d.num(key_type.effective_max))
        else:
            max_len = key_type.max_length if key_type.max_length is not None else 2**31
            key_ok = d.string_key_ok(k, max_len)
            if key_type.min_length:
                key_ok = d.and_(key_ok, f"{d.byte_len(k)} >= {key_type.min_length}")
        count, bad = self._var("count"), self._var("badKeys")
        line = self._line
        line(out, depth, d.local(count, "0"))
        line(out, depth, d.local(bad, "0"))
        line(out, depth, d.for_keys(k, tbl))
        line(out, depth + 1, d.count_up(count))
        line(out, depth + 1, d.if_(f"not ({key_ok})"))
        line(out, depth + 2, d.count_up(bad))
        d.close(out, depth + 1)
        d.close(out, depth)
        self._count_bounds(out, depth, count, None, t.max_entries, path, expectation(t), "entries")
        self._fail(out, depth, f"{bad} > 0", path,
                   d.call(self._helper("failKeys"), d.quote(expectation(key_type)), bad))
        value_check = self.function(f"check{self._where(path)}Value", t.value, strict)
        line(out, depth, d.for_keys(k, tbl))
        self._fail(out, depth + 1, d.not_nil(d.call(value_check, d.index(tbl, k))), path,
                   d.call(self._helper("firstMapError"), tbl, value_check))
        d.close(out, depth)


# A reference to one of these is checked by calling the named type's own check function.
_TABLE_TYPES = frozenset({ir.StructType, ir.UnionType, ir.ArrayType, ir.MapType})
# The emitter of each effective type, looked up by class (one dict lookup, not a chain of isinstance tests).
_EMITTERS = {
    ir.BoolType: ValidatorWriter._emit_bool,
    ir.StringType: ValidatorWriter._emit_string,
    ir.NumberType: ValidatorWriter._emit_number,
    ir.IntegerType: ValidatorWriter._emit_number,
    ir.DatatypeType: ValidatorWriter._emit_datatype,
    ir.InstanceType: ValidatorWriter._emit_instance,
    ir.EnumType: ValidatorWriter._emit_enum,
    ir.ArrayType: ValidatorWriter._emit_array,
    ir.MapType: ValidatorWriter._emit_map,
    ir.StructType: ValidatorWriter._emit_struct,
    ir.UnionType: ValidatorWriter._emit_union,
}


def _names_needed(type_: ir.Type) -> int:
    """An upper bound on the names a scope checking `type_` declares: field sets, enum sets, map value checks,
    imported named checks."""
    count = 0
    for t in descendants(type_):
        if isinstance(t, ir.UnionType):
            count += len(t.variants)
        elif isinstance(t, (ir.StructType, ir.EnumType, ir.RefType)):
            count += 1
        elif isinstance(t, ir.MapType):
            count += 2
    return count


def _pascal_word(text: str) -> str:
    return text[:1].upper() + text[1:]


def _pascal(path: Path) -> str:
    """`.stats.byRarity` -> `StatsByRarity`: names a helper after where it is used."""
    words = [text for is_literal, text in path.parts if is_literal for text in text.split(".") if text.isidentifier()]
    return "".join(_pascal_word(w) for w in words)


@lru_cache(maxsize=4096)
def _upper_snake(name: str) -> str:
    """`SkillsCastSkill` -> `SKILLS_CAST_SKILL`; digits stay with the word before them (`Do12` -> `DO12`)."""
    out = []
    for i, c in enumerate(name):
        if c.isupper() and i and (not name[i - 1].isupper() or i + 1 < len(name) and name[i + 1].islower()):
            out.append("_")
        out.append(c.upper())
    return "".join(out).replace("__", "_")


@dataclass
class Validators:
    """Every scope of one language: named types first, then per channel per message the payload and reply scopes."""

    named: list[Scope]
    payloads: dict[str, dict[str, Scope]]
    replies: dict[str, dict[str, Scope]]


def named_scopes_used(named: list[Scope], roots: Iterable[Scope]) -> list[Scope]:
    """The named-type scopes that `roots` call, directly or through each other, in `named`'s order: a module holding
    some validators needs these checks and no others."""
    by_entry = {scope.entry: scope for scope in named}
    needed: set[str] = set()
    pending = [entry for root in roots for entry in root.uses]
    while pending:
        entry = pending.pop()
        if entry not in needed:
            needed.add(entry)
            pending.extend(by_entry[entry].uses)
    return [scope for scope in named if scope.entry in needed]


def write_validators(project: ir.Project, limits: Limits, dialect) -> Validators:
    writer = ValidatorWriter(project, limits, dialect)
    payloads: dict[str, dict[str, Scope]] = {}
    replies: dict[str, dict[str, Scope]] = {}
    for channel in project.channels:
        for message in channel.messages:
            payloads.setdefault(channel.name, {})[message.name] = writer.scope(
                f"validate{message.type_name}", message.payload, strict=message.is_intent, root="payload")
            if message.reply is not None:
                replies.setdefault(channel.name, {})[message.name] = writer.scope(
                    f"validate{message.type_name}Reply", message.reply, strict=False, root="reply")
    return Validators(writer.ordered_named_scopes(), payloads, replies)
