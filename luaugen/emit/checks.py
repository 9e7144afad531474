"""What the validators check, worked out once for both languages.

One walk over each message's effective type gives a tree of checks: which test runs on which field, with the
expectation texts, the bounds as written in code and the names of constant sets and check functions already
decided. The Luau and the Python validators are both rendered from that tree (validators.py, dialects.py), so they
perform the same checks in the same order and build the same messages, and the work that does not depend on the
language (resolving named types, applying default bounds, texts, names) is done once per build, not per language.

Checks are grouped in scopes: one per message payload, one per message reply, one per named table type. A scope
holds its own constant sets and functions, and every name in it comes from what it checks
(`SKILLS_CAST_SKILL_FIELDS`, `checkSkillsCastSkill`), never from a counter, so editing one message changes only
that message's scope.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass, field
from functools import lru_cache

from ..config import Limits
from ..model import ir
from ..model.walk import descendants
from .contract import effective, expectation, format_number, resolve
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


# -- the checks ---------------------------------------------------------------------------------------------------
# Each class is one kind of test on one value. Texts are final (`expected` is what a failure message says after
# "expected"); bounds that appear in code are already formatted; set and function names are before the language's
# own spelling (Python prefixes constants with `_` and writes functions in snake case). Checks are compared by
# identity: a plan holds one object per distinct scalar check (see CheckPlanner.shared).
@dataclass(slots=True, eq=False)
class BoolCheck:
    expected: str = "boolean"


@dataclass(slots=True, eq=False)
class StringCheck:
    expected: str
    min_length: int | None
    max_length: int | None


@dataclass(slots=True, eq=False)
class IntegerCheck:
    expected: str
    low: str
    high: str


@dataclass(slots=True, eq=False)
class NumberCheck:
    expected: str
    finite: bool
    low: str | None
    high: str | None


@dataclass(slots=True, eq=False)
class DatatypeCheck:
    name: str  # the Roblox datatype (`Vector3`), also what a failure expects


@dataclass(slots=True, eq=False)
class InstanceCheck:
    class_name: str


@dataclass(slots=True, eq=False)
class EnumCheck:
    members: str  # the constant set of allowed values
    expected: str


@dataclass(slots=True, eq=False)
class NamedCheck:
    """A named table type, checked by calling its own function (in its own scope)."""

    function: str


@dataclass(slots=True, eq=False)
class Field:
    name: str
    var: str  # the local it is read into, unless the function already has one of that name
    optional: bool
    check: "Check"
    step: tuple[tuple[bool, str], ...]  # the path step into it: `.name`


@dataclass(slots=True, eq=False)
class Fields:
    """A table's named fields: no key outside `known`, then each field's own check."""

    known: str  # the constant set of field names (and a union's tag)
    fields: tuple[Field, ...]


@dataclass(slots=True, eq=False)
class StructCheck:
    fields: Fields


@dataclass(slots=True, eq=False)
class Variant:
    name: str
    fields: Fields


@dataclass(slots=True, eq=False)
class UnionCheck:
    tag: str
    variants: tuple[Variant, ...]
    expected: str  # for an unknown tag
    tag_step: tuple[tuple[bool, str], ...]


@dataclass(slots=True, eq=False)
class ArrayCheck:
    expected: str
    min_items: int | None
    max_items: int | None
    items: "Check"


@dataclass(slots=True, eq=False)
class EnumKey:
    members: str


@dataclass(slots=True, eq=False)
class IntegerKey:
    low: str
    high: str


@dataclass(slots=True, eq=False)
class StringKey:
    max_length: int
    min_length: int | None


@dataclass(slots=True, eq=False)
class MapCheck:
    expected: str
    max_entries: int | None
    key: EnumKey | IntegerKey | StringKey
    key_expected: str
    values: str  # the function checking one value


Check = (BoolCheck | StringCheck | IntegerCheck | NumberCheck | DatatypeCheck | InstanceCheck | EnumCheck
         | NamedCheck | StructCheck | UnionCheck | ArrayCheck | MapCheck)


@dataclass(slots=True, eq=False)
class CheckFunction:
    name: str
    check: Check  # of its argument, `value`
    root: str | None = None  # "payload" or "reply" for a message's validator, which returns (ok, message)


@dataclass
class CheckScope:
    """The sets and functions checking one thing: `entry` is the function called from outside, `named_calls` the
    named-type functions called (first use first), `names_needed` a bound on the names it declares (counted as the
    walk goes: a scope holding very many is laid out differently in Luau)."""

    names_needed: int = 0
    title: str = ""
    entry: str = ""
    sets: dict[tuple[str, ...], str] = field(default_factory=dict)  # values -> name, in the order first used
    functions: list[CheckFunction] = field(default_factory=list)  # each after the functions it calls
    named_calls: dict[str, None] = field(default_factory=dict)


@dataclass
class Plan:
    """Every scope: named types (dependencies first), then per channel per message the payload and reply scopes."""

    named: list[CheckScope]
    payloads: dict[str, dict[str, CheckScope]]
    replies: dict[str, dict[str, CheckScope]]


# -- the walk -----------------------------------------------------------------------------------------------------
@dataclass
class _Frame:
    """A function being planned: its name, and whether its paths start with a root word (left out of names)."""

    name: str
    entry: bool


# A reference to one of these is checked by calling the named type's own check function.
_TABLE_TYPES = frozenset({ir.StructType, ir.UnionType, ir.ArrayType, ir.MapType})
# The names a scope may declare for a type it checks (besides a union's field set per variant and a reference's
# import): a struct's field set, an enum's value set, a map's value check and key set.
_NAMES_DECLARED = {ir.StructType: 1, ir.EnumType: 1, ir.MapType: 2}


class CheckPlanner:
    """Walks messages and named types into scopes of checks, deciding every name in the order the walk meets it."""

    def __init__(self, project: ir.Project, limits: Limits):
        self.project, self.limits = project, limits
        self.named_scopes: dict[tuple[str, bool], CheckScope] = {}
        self._scopes: list[CheckScope] = []
        self._frames: list[_Frame] = []
        self._sets: dict[str, tuple[str, ...]] = {}  # every set name in the module -> its values
        self._shared: dict[tuple, Check] = {}  # (kind, fields) -> the one such check
        self._shareable: set[Check] = set()  # those: checks that name nothing of their scope
        self._functions: set[str] = set()

    # -- names --------------------------------------------------------------------------------------------------
    def _where(self, path: tuple[str, ...]) -> str:
        """What is checked at `path` (its literal steps) in the current function: `validateSkillsCastSkill` at
        `.target` -> `SkillsCastSkillTarget` (a message validator's path starts with its root word, left out)."""
        frame = self._frames[-1]
        return frame.name.removeprefix("check").removeprefix("validate") + _pascal(path[1:] if frame.entry else path)

    def _label(self, path: tuple[str, ...], what: str) -> str:
        """`validateSkillsCastSkill` at `.target` + FIELDS -> `SKILLS_CAST_SKILL_TARGET_FIELDS`."""
        return _upper_snake(self._where(path)) + "_" + what

    def _enum_label(self, type_: ir.Type, path: tuple[str, ...], what: str) -> str:
        """A named enum's set is named after the type, so every scope using it agrees on the name."""
        if isinstance(type_, ir.RefType):
            return _upper_snake(self.project.named(type_.target).generated_name) + "_" + what
        return self._label(path, what)

    def string_set(self, label: str, values: tuple[str, ...]) -> str:
        """A constant set in the current scope: shared within the scope, named `label` module-wide."""
        scope = self._scopes[-1]
        if values in scope.sets:
            return scope.sets[values]
        name, n = label, 2
        while name in self._sets and self._sets[name] != values:
            name, n = f"{label}{n}", n + 1
        self._sets[name] = values
        scope.sets[values] = name
        return name

    # -- scopes and functions -----------------------------------------------------------------------------------
    def scope(self, name: str, type_: ir.Type, strict: bool, root: str | None = None) -> CheckScope:
        """A new scope whose function `name` checks `type_`; with `root` ("payload") it is a message's validator."""
        scope = CheckScope()
        self._scopes.append(scope)
        scope.entry = self.function(name, type_, strict, root)
        self._scopes.pop()
        return scope

    def named_function(self, key: str, strict: bool) -> str:
        """One check function per named table type, shared by every use (two when client bounds change it)."""
        strict = strict and self._bounded_by_defaults(self.project.named(key).type)
        scope = self.named_scopes.get((key, strict))
        if scope is None:
            named = self.project.named(key)
            frames, self._frames = self._frames, []
            scope = self.scope(f"check{named.generated_name}{'FromClient' if strict else ''}", named.type, strict)
            scope.title = named.generated_name + (" (client→server bounds)" if strict else "")
            self.named_scopes[(key, strict)] = scope
            self._frames = frames
        self._scopes[-1].named_calls[scope.entry] = None
        return scope.entry

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
        self._frames.append(_Frame(unique, root is not None))
        fn = CheckFunction(unique, self.check(type_, (root,) if root else (), strict), root)
        self._frames.pop()
        self._scopes[-1].functions.append(fn)
        return unique

    def ordered_named_scopes(self) -> list[CheckScope]:
        """Named-type scopes in a fixed order (dependencies first), whatever order the messages used them in."""
        rank = {named.key: i for i, named in enumerate(named_types_in_dependency_order(self.project))}
        return [self.named_scopes[k] for k in sorted(self.named_scopes, key=lambda k: (rank[k[0]], k[1]))]

    # -- checks -------------------------------------------------------------------------------------------------
    def check(self, type_: ir.Type, path: tuple[str, ...], strict: bool) -> Check:
        """The check of a value of `type_` found at `path` (its literal steps: names come from them)."""
        t = effective(self.project, type_, strict, self.limits)
        kind = type(t)
        if type(type_) is ir.RefType:
            self._scopes[-1].names_needed += 1
            if kind in _TABLE_TYPES:
                return NamedCheck(self.named_function(type_.target, strict))
        elif kind is ir.UnionType:
            self._scopes[-1].names_needed += len(t.variants)
        else:
            self._scopes[-1].names_needed += _NAMES_DECLARED.get(kind, 0)
        return _PLANNERS[kind](self, type_, t, path, strict)

    def shared(self, kind: type, *fields) -> Check:
        """The plan's one `kind(*fields)`: a contract checks the same scalar (an id, a name, a position), or array
        of them, in many messages, and one object per distinct check lets the writers write it once
        (validators.py). Only checks that name nothing of their scope (no set, no function) are shared."""
        key = (kind, *fields)
        check = self._shared.get(key)
        if check is None:
            check = self._shared[key] = kind(*fields)
            self._shareable.add(check)
        return check

    def _bool(self, type_, t: ir.BoolType, path, strict) -> Check:
        return self.shared(BoolCheck)

    def _string(self, type_, t: ir.StringType, path, strict) -> Check:
        return self.shared(StringCheck, expectation(t), t.min_length, t.max_length)

    def _integer(self, type_, t: ir.IntegerType, path, strict) -> Check:
        return self.shared(IntegerCheck, expectation(t), _num(t.effective_min), _num(t.effective_max))

    def _number(self, type_, t: ir.NumberType, path, strict) -> Check:
        return self.shared(NumberCheck, expectation(t), t.finite, None if t.min is None else _num(t.min),
                           None if t.max is None else _num(t.max))

    def _datatype(self, type_, t: ir.DatatypeType, path, strict) -> Check:
        return self.shared(DatatypeCheck, t.luau_name)

    def _instance(self, type_, t: ir.InstanceType, path, strict) -> Check:
        return self.shared(InstanceCheck, t.class_name)

    def _enum(self, type_, t: ir.EnumType, path, strict) -> Check:
        return EnumCheck(self.string_set(self._enum_label(type_, path, "VALUES"), t.values), expectation(t))

    def _struct(self, type_, t: ir.StructType, path, strict) -> Check:
        return StructCheck(self._fields(t.fields, (), path, strict, self._label(path, "FIELDS")))

    def _fields(self, fields: tuple[ir.Field, ...], extra_known: tuple[str, ...], path, strict, label) -> Fields:
        known = self.string_set(label, extra_known + tuple(f.name for f in fields))
        return Fields(known, tuple(Field(f.name, _field_var(f.name), f.optional,
                                         self.check(f.type, path + ("." + f.name,), strict), ((True, "." + f.name),))
                                   for f in fields))

    def _union(self, type_, t: ir.UnionType, path, strict) -> Check:
        variants = tuple(
            Variant(v.name, self._fields(v.fields, (t.tag,), path, strict,
                                         self._label(path, _upper_snake(_pascal_word(v.name)) + "_FIELDS")))
            for v in t.variants)
        expected = "one of " + ", ".join(f'"{v.name}"' for v in t.variants)
        return UnionCheck(t.tag, variants, expected, ((True, "." + t.tag),))

    def _array(self, type_, t: ir.ArrayType, path, strict) -> Check:
        # An item's path adds only an index, which no name is made from.
        items = self.check(t.items, path, strict)
        parts = (expectation(t), t.min_items, t.max_items, items)
        if items in self._shareable:  # an array of ids reads the same in every message
            return self.shared(ArrayCheck, *parts)
        return ArrayCheck(*parts)

    def _map(self, type_, t: ir.MapType, path, strict) -> Check:
        key_type = effective(self.project, t.key, strict, self.limits)
        if isinstance(t.key, (ir.RefType, ir.EnumType)):  # the key is planned here, not by `check`
            self._scopes[-1].names_needed += 1
        if isinstance(key_type, ir.EnumType):
            key = EnumKey(self.string_set(self._enum_label(t.key, path, "KEYS"), key_type.values))
        elif isinstance(key_type, ir.IntegerType):
            key = IntegerKey(_num(key_type.effective_min), _num(key_type.effective_max))
        else:
            max_length = key_type.max_length if key_type.max_length is not None else 2**31
            key = StringKey(max_length, key_type.min_length)
        values = self.function(f"check{self._where(path)}Value", t.value, strict)
        return MapCheck(expectation(t), t.max_entries, key, expectation(key_type), values)


# The planner of each effective type, looked up by class (one dict lookup, not a chain of isinstance tests).
_PLANNERS = {
    ir.BoolType: CheckPlanner._bool,
    ir.StringType: CheckPlanner._string,
    ir.NumberType: CheckPlanner._number,
    ir.IntegerType: CheckPlanner._integer,
    ir.DatatypeType: CheckPlanner._datatype,
    ir.InstanceType: CheckPlanner._instance,
    ir.EnumType: CheckPlanner._enum,
    ir.ArrayType: CheckPlanner._array,
    ir.MapType: CheckPlanner._map,
    ir.StructType: CheckPlanner._struct,
    ir.UnionType: CheckPlanner._union,
}


@lru_cache(maxsize=4096)
def _num(value: float) -> str:
    """A bound as written in code (the same in both languages)."""
    return format_number(value) if float(value).is_integer() else repr(float(value))


@lru_cache(maxsize=4096)
def _field_var(name: str) -> str:
    safe = name.isidentifier() and name[:1].islower() and not name.startswith("check") and name not in _SHADOWING
    return name if safe else name + "Value" if name[:1].islower() else "field" + name


def _pascal_word(text: str) -> str:
    return text[:1].upper() + text[1:]


def _pascal(path: tuple[str, ...]) -> str:
    """`.stats.byRarity` -> `StatsByRarity`: names a helper after where it is used."""
    return "".join(_pascal_word(w) for text in path for w in text.split(".") if w.isidentifier())


@lru_cache(maxsize=4096)
def _upper_snake(name: str) -> str:
    """`SkillsCastSkill` -> `SKILLS_CAST_SKILL`; digits stay with the word before them (`Do12` -> `DO12`)."""
    out = []
    for i, c in enumerate(name):
        if c.isupper() and i and (not name[i - 1].isupper() or i + 1 < len(name) and name[i + 1].islower()):
            out.append("_")
        out.append(c.upper())
    return "".join(out).replace("__", "_")


def plan_checks(project: ir.Project, limits: Limits) -> Plan:
    planner = CheckPlanner(project, limits)
    payloads: dict[str, dict[str, CheckScope]] = {}
    replies: dict[str, dict[str, CheckScope]] = {}
    for channel in project.channels:
        for message in channel.messages:
            payloads.setdefault(channel.name, {})[message.name] = planner.scope(
                f"validate{message.type_name}", message.payload, strict=message.is_intent, root="payload")
            if message.reply is not None:
                replies.setdefault(channel.name, {})[message.name] = planner.scope(
                    f"validate{message.type_name}Reply", message.reply, strict=False, root="reply")
    return Plan(planner.ordered_named_scopes(), payloads, replies)
