"""Validator code for one contract in two languages, rendered from one plan of checks (checks.py).

The plan says what is checked where; a writer (a dialect: dialects.py) says how its language writes it. Every
check function takes a value and returns nil/None, or the failure as `<path>: expected …`; a message's validator
returns (ok, message). Paths are built only on failure: the success path allocates no strings.

Luau writes each scope as a `do ... end` block, so no module ever holds more than a handful of live locals however
large the contract.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .checks import (ArrayCheck, BoolCheck, Check, CheckFunction, CheckScope, DatatypeCheck, EnumCheck, EnumKey,
                     Fields, InstanceCheck, IntegerCheck, IntegerKey, MapCheck, NamedCheck, NumberCheck, Plan,
                     StringCheck, StringKey, StructCheck, UnionCheck)

# A struct with more fields than this checks each field in its own `do ... end` block (Luau), so the number of
# live locals in one function stays bounded however many fields a message has.
BLOCK_FIELDS_OVER = 16
# A scope that would declare more names than this (constants, helper functions, imported checks) keeps its
# constants in one table and calls named checks through TypeChecks, staying far from Luau's 200 locals per function
# and 200 upvalues per closure.
SCOPE_NAMES_OVER = 100

Path = tuple[tuple[bool, str], ...]  # literal steps (True) and runtime expressions such as loop indices (False)


@dataclass
class Function:
    """`entry`: a message's validator, returning (ok, message) itself; others return nil or the message tail."""

    name: str
    body: str = ""  # its statements, a line each, indented within the function (not yet within its scope)
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
    helpers: set[str] = field(default_factory=set)  # the Checks helpers its functions call
    uses: set[str] = field(default_factory=set)  # every named-type check it calls, however (imported or grouped)


@dataclass
class Validators:
    """Every scope of one language: named types first, then per channel per message the payload and reply scopes."""

    named: list[Scope]
    payloads: dict[str, dict[str, Scope]]
    replies: dict[str, dict[str, Scope]]


def _remembered(write):
    """`write`, done once per check, value name, path, depth and kind of function: a contract checks the same
    scalar (or array of them) under the same name in many messages (`id`, `name`, `position`), and the
    statements come out the same each time, provided the locals they declare are free. The plan holds one
    object per such check, and only for checks that name nothing of their scope; others are never found here.
    Later uses copy the statements and take their helpers and locals. Writes nest (an array and its items)."""

    def render(self: ValidatorWriter, out: list[str], depth: int, check: Check, x: str, path: Path) -> None:
        key = (check, x, path, depth, self._entry)
        known = self._written.get(key)
        if known is not None and self._locals.isdisjoint(known[2]):
            lines, helpers, names = known
            out += lines
            self._helpers |= helpers
            self._locals.update(names)
            self._declared += names  # an enclosing write being remembered declares them too
            return
        start, declared = len(out), len(self._declared)
        outer_helpers, outer_renamed, self._helpers, self._renamed = self._helpers, self._renamed, set(), False
        write(self, out, depth, check, x, path)
        helpers, renamed = self._helpers, self._renamed
        self._helpers, self._renamed = outer_helpers, outer_renamed or renamed
        outer_helpers |= helpers
        if not renamed:  # a local named `err2` because `err` was taken would be `err` elsewhere
            self._written[key] = (out[start:], helpers, self._declared[declared:])

    return render


class ValidatorWriter:
    """Writes a plan in one language. What both languages write alike (scopes, functions, fields, unions, maps,
    named calls) is here; a dialect (dialects.py) writes the scalar checks, arrays and table tests whole, and every
    statement through `fail` (a test and its failure), `line` and `close`."""

    do: str | None  # the block opener: a language without one never groups scopes or blocks fields
    joiner: str  # the string concatenation operator
    indent: str  # one level of indentation
    nil: str
    else_: str

    def __init__(self):
        self._paths: dict[Path, str] = {}  # path -> its code: a value's checks share its path
        # A scalar check's statements, by check, value name, path, depth and kind of function (see _remembered).
        self._written: dict[tuple, tuple[list[str], set[str], list[str]]] = {}
        # The writer of each kind of check, looked up by class (one dict lookup, not a chain of isinstance tests).
        # Plain functions of this class, called with the writer: bound methods kept here would make the writer
        # a reference cycle, which holds every statement it remembered until a full cycle collection.
        cls, remembered = type(self), _remembered
        self._renderers = {
            BoolCheck: remembered(cls._bool), StringCheck: remembered(cls._string),
            IntegerCheck: remembered(cls._integer), NumberCheck: remembered(cls._number),
            DatatypeCheck: remembered(cls._datatype), InstanceCheck: remembered(cls._instance),
            EnumCheck: cls._enum, NamedCheck: cls._named, StructCheck: cls._struct, UnionCheck: cls._union,
            ArrayCheck: remembered(cls._array), MapCheck: cls._map,
        }

    def write(self, plan: Plan) -> Validators:
        scopes = self._scope
        return Validators([scopes(s) for s in plan.named],
                          {c: {m: scopes(s) for m, s in table.items()} for c, table in plan.payloads.items()},
                          {c: {m: scopes(s) for m, s in table.items()} for c, table in plan.replies.items()})

    # -- scopes and functions -----------------------------------------------------------------------------------
    def _scope(self, plan: CheckScope) -> Scope:
        """The scope in this language; the names its code refers to are worked out first (a grouped scope reaches
        its sets and functions through K, and named checks through TypeChecks)."""
        grouped = self.do is not None and plan.names_needed > SCOPE_NAMES_OVER
        scope = Scope(title=plan.title, grouped=grouped)
        self._helpers = scope.helpers
        member = "K." if grouped else ""
        self._sets = {name: member + self.constant_name(name) for name in plan.sets.values()}
        self._functions = {fn.name: member + self.fn_name(fn.name) for fn in plan.functions}
        called = [self.fn_name(name) for name in plan.named_calls]
        self._calls = dict(zip(plan.named_calls, [("TypeChecks." if grouped else "") + c for c in called]))
        scope.constants = [self.string_set(self._sets[name], values, grouped) for values, name in plan.sets.items()]
        scope.functions = [self._function(fn) for fn in plan.functions]
        scope.entry, scope.uses = self.fn_name(plan.entry), set(called)
        if grouped:
            scope.calls_type_checks = bool(called)
        else:
            scope.imports = called
        return scope

    def _function(self, fn: CheckFunction) -> Function:
        self._locals: set[str] = set()
        self._declared: list[str] = []  # the locals, in the order `_var` gave them out
        self._renamed = False  # whether `_var` had to number a local (see _remembered)
        self._entry = fn.root is not None  # a failure returns (false, message)
        lines: list[str] = []
        self.render(lines, 1, fn.check, "value", ((True, fn.root),) if fn.root else ())
        lines.append(self.indent + (self.ret_ok() if self._entry else self.ret(self.nil)))
        # Joined now: a large contract's line objects end with its writer, not with the files written from them.
        return Function(self.fn_name(fn.name), "\n".join(lines), self._entry)

    def render(self, out: list[str], depth: int, check: Check, x: str, path: Path) -> None:
        """Appends the statements checking the value in `x`, found at `path`."""
        self._renderers[type(check)](self, out, depth, check, x, path)

    def _var(self, base: str) -> str:
        """A local of the current function named `base` (or `base2`, … when the function already has one)."""
        taken = self._locals
        name, n = base, 2
        while name in taken:
            name, n = f"{base}{n}", n + 1
            self._renamed = True
        taken.add(name)
        self._declared.append(name)
        return name

    def _helper(self, name: str) -> str:
        """A call target for the Checks helper `name`, recorded on the current scope so that a generated module
        declares only the helpers it calls (an unused local is a lint finding in the user's editor)."""
        self._helpers.add(name)
        return self.helper(name)

    def _message(self, path: Path, tail: str) -> str:
        """Code for the message `<path><tail>` (`fail` works it out itself: it is written a hundred thousand times)."""
        code = self._paths.get(path)
        if code is None:
            code = self._path_code(path)
        return code + self.joiner + tail if code and tail else code or tail

    def _path_code(self, path: Path) -> str:
        """A path's code, worked out once per build and language: a value's checks share its path."""
        code = self._paths[path] = self.path_code(path)
        return code

    # -- checks both languages write alike ----------------------------------------------------------------------
    def _named(self, out, depth, check: NamedCheck, x, path) -> None:
        err = self._var("err")
        self.line(out, depth, self.local(err, f"{self._calls[check.function]}({x})"))
        self.fail(out, depth, self.not_nil(err), path, err)

    def _count_bounds(self, out, depth, count: str, low: int | None, high: int | None, path, expected, unit) -> None:
        """Fails when `count` (bytes, items) is outside low..high; a bound of None (or a low of 0) is no bound."""
        bounds = []
        if high is not None:
            bounds.append(f"{count} > {high}")
        if low:
            bounds.append(f"{count} < {low}")
        if bounds:
            self.fail(out, depth, " or ".join(bounds), path,
                      f"{self._helper('failCount')}({self.quote(expected)}, {count}, {self.quote(unit)})")

    def _struct(self, out, depth, check: StructCheck, x, path) -> None:
        self._fields(out, depth, check.fields, self.table_prologue(out, depth, x, path, "table"), path)

    def _fields(self, out, depth, check: Fields, tbl, path) -> None:
        self.unknown_keys(out, depth, tbl, self._sets[check.known], path)
        blocks = self.do is not None and len(check.fields) > BLOCK_FIELDS_OVER
        inner = depth + 1 if blocks else depth
        renderers = self._renderers
        for f in check.fields:
            if blocks:
                self.line(out, depth, self.do)
            var = self._var(f.var)
            self.read_field(out, inner, var, tbl, f.name)
            if f.optional:
                self.line(out, inner, self.if_(self.not_nil(var)))
                renderers[type(f.check)](self, out, inner + 1, f.check, var, path + f.step)
                self.close(out, inner)
            else:
                renderers[type(f.check)](self, out, inner, f.check, var, path + f.step)
            if blocks:
                self.close(out, depth)

    def _union(self, out, depth, check: UnionCheck, x, path) -> None:
        tbl = self.table_prologue(out, depth, x, path, "table")
        tag = self._var("tag")
        self.line(out, depth, self.local(tag, self.field(tbl, check.tag)))
        for i, variant in enumerate(check.variants):
            cond = f"{tag} == {self.quote(variant.name)}"
            self.line(out, depth, self.if_(cond) if i == 0 else self.elseif(cond))
            self._fields(out, depth + 1, variant.fields, tbl, path)
        self.line(out, depth, self.else_)
        message = self._message(path + check.tag_step, f"{self._helper('fail')}({self.quote(check.expected)}, {tag})")
        self.line(out, depth + 1, self.ret_fail(message) if self._entry else self.ret(message))
        self.close(out, depth)

    def _map(self, out, depth, check: MapCheck, x, path) -> None:
        tbl = self.table_prologue(out, depth, x, path, "table", every_key=True)
        k = self._var("k")
        key_ok = self._key_ok(k, check.key)
        count, bad = self._var("count"), self._var("badKeys")
        line = self.line
        line(out, depth, self.local(count, "0"))
        line(out, depth, self.local(bad, "0"))
        line(out, depth, self.for_keys(k, tbl))
        line(out, depth + 1, f"{count} += 1")
        line(out, depth + 1, self.if_(f"not ({key_ok})"))
        line(out, depth + 2, f"{bad} += 1")
        self.close(out, depth + 1)
        self.close(out, depth)
        self._count_bounds(out, depth, count, None, check.max_entries, path, check.expected, "entries")
        self.fail(out, depth, f"{bad} > 0", path,
                  f"{self._helper('failKeys')}({self.quote(check.key_expected)}, {bad})")
        values = self._functions[check.values]
        line(out, depth, self.for_keys(k, tbl))
        self.fail(out, depth + 1, self.not_nil(f"{values}({tbl}[{k}])"), path,
                  f"{self._helper('firstMapError')}({tbl}, {values})")
        self.close(out, depth)

    def _key_ok(self, k: str, key: EnumKey | IntegerKey | StringKey) -> str:
        if type(key) is EnumKey:
            return self.string_member(k, self._sets[key.members])
        if type(key) is IntegerKey:
            return self.integer_key_ok(k, key.low, key.high)
        ok = self.string_key_ok(k, key.max_length)
        return f"{ok} and {self.byte_len(k)} >= {key.min_length}" if key.min_length else ok


def number_bounds(x: str, check: NumberCheck) -> str:
    """` or x < low or x > high`, for the bounds a number check has (the same in both languages)."""
    bounds = ""
    if check.low is not None:
        bounds += f" or {x} < {check.low}"
    if check.high is not None:
        bounds += f" or {x} > {check.high}"
    return bounds


# Path steps of the failures whose whole message after the path is a fixed text.
BAD_UTF8 = ((True, ": expected valid UTF-8, got invalid bytes"),)
NOT_ARRAY = ((True, ": expected array, got table with non-array keys"),)

def write_validators(plan: Plan, dialect: ValidatorWriter) -> Validators:
    """Every validator of a contract's `plan` (plan_checks: one per build, for both languages) in `dialect`'s
    language (a new LuauDialect() or PythonDialect())."""
    return dialect.write(plan)


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
