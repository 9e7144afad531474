"""Semantic rules: what the meta-schema cannot see. Every rule reports at the span it is about."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict

from ..diagnostics import Diagnostic, error
from ..model import ir
from ..model.roblox_classes import CLASS_PARENTS
from ..model.walk import all_types, descendants, field_lists
from .loadable import loadable

PASCAL = re.compile(r"^[A-Z][A-Za-z0-9]*$")
CAMEL = re.compile(r"^[a-z][A-Za-z0-9]*$")
VARIANT = re.compile(r"^[a-z][A-Za-z0-9_]*$")
LUAU_KEYWORDS = frozenset(
    "and break do else elseif end false for function if in local nil not or repeat return then true until while".split()
)
MAX_NAME = 48


def _did_you_mean(name: str, options) -> str | None:
    close = difflib.get_close_matches(name, sorted(options), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def _names(project: ir.Project, types: list[ir.Type]) -> list[Diagnostic]:
    found = []
    for channel in project.channels:
        if not PASCAL.match(channel.name) or len(channel.name) > MAX_NAME:
            found.append(error("bad-name", f"channel name '{channel.name}' must be PascalCase (letters and digits, "
                               "starting with a capital)", channel.span))
        for message in channel.messages:
            if not PASCAL.match(message.name) or len(message.name) > MAX_NAME:
                found.append(error("bad-name", f"{message.kind} name '{message.name}' must be PascalCase", message.span))
    for named in project.types:
        if not PASCAL.match(named.name):
            found.append(error("bad-name", f"type name '{named.name}' must be PascalCase", named.span))
    for type_ in types:
        kind = type(type_)  # tested with `is`: every type of every message comes through here
        for fields in field_lists(type_):
            for f in fields:
                if f.name in LUAU_KEYWORDS:
                    found.append(error("reserved-name", f"field name '{f.name}' is a Luau keyword and cannot be "
                                       "written as `payload.{0}`".format(f.name), f.span,
                                       "rename the field (for example add a prefix)"))
                elif not CAMEL.match(f.name) or len(f.name) > MAX_NAME:
                    found.append(error("bad-name", f"field name '{f.name}' must be camelCase (letters and digits, "
                                       "starting lowercase)", f.span))
        if kind is ir.UnionType:
            if not CAMEL.match(type_.tag) or type_.tag in LUAU_KEYWORDS:
                found.append(error("bad-name", f"union tag '{type_.tag}' must be a camelCase field name", type_.span))
            for variant in type_.variants:
                if not VARIANT.match(variant.name):
                    found.append(error("bad-name", f"variant name '{variant.name}' must start lowercase and hold "
                                       "only letters, digits and _", variant.span))
                for f in variant.fields:
                    if f.name == type_.tag:
                        found.append(error("tag-collision", f"field '{f.name}' in variant '{variant.name}' clashes "
                                           "with the union's tag field", f.span))
        if kind is ir.EnumType:
            for value in type_.values:
                if not value or not value.isprintable() or '"' in value or "\\" in value:
                    found.append(error("bad-name", f"enum value {value!r} must be non-empty printable text without "
                                       "quotes or backslashes", type_.span))
    return found


def _duplicates(project: ir.Project) -> list[Diagnostic]:
    found = []
    channels: dict[str, ir.Channel] = {}
    for channel in project.channels:
        first = channels.setdefault(channel.name, channel)
        if first is not channel:
            found.append(error("duplicate-channel", f"channel '{channel.name}' is already defined in {first.source}"
                               f":{first.span.line}", channel.span))
        seen: dict[str, ir.Message] = {}
        for message in channel.messages:
            other = seen.setdefault(message.name, message)
            if other is not message:
                found.append(error("duplicate-message", f"'{message.name}' is both an {other.kind} and an "
                                   f"{message.kind} of channel '{channel.name}'", message.span,
                                   "message names are unique per channel"))
    keys: dict[str, ir.NamedType] = {}
    for named in project.types:
        other = keys.setdefault(named.key, named)
        if other is not named:
            found.append(error("duplicate-type", f"type '{named.name}' is already defined in {other.span.path}:"
                               f"{other.span.line}", named.span))
    producers: dict[str, tuple[str, object]] = {}
    # Owners are tagged by kind: type `Chat.Say` and message `Chat.Say` are different things wanting one name.
    entries = [(n.generated_name, f"type {n.key}", n.span) for n in project.types]
    for m in project.messages():
        entries.append((m.type_name, f"message {m.channel}.{m.name}", m.span))
        if m.reply is not None:
            entries.append((m.type_name + "Reply", f"message {m.channel}.{m.name}", m.span))
    for name, owner, span in entries:
        first_owner, first_span = producers.setdefault(name, (owner, span))
        if first_owner != owner:
            found.append(error("name-collision", f"generated type name '{name}' is produced twice (also at "
                               f"{first_span.path}:{first_span.line})", span, "rename the type or the message"))
    return found


def _refs(types: list[ir.Type]) -> list[Diagnostic]:
    found = []
    for type_ in types:
        if isinstance(type_, ir.RefType) and type_.target is None:
            hint = _did_you_mean(type_.name, [*type_.candidates, "bool", "string", "number", "f32", "f64", "i8", "i16",
                                              "i32", "u8", "u16", "u32", "vector2", "vector3", "cframe", "color3",
                                              *CLASS_PARENTS])
            found.append(error("unknown-type", f"unknown type '{type_.name}'", type_.span, hint))
    return found


def _cycles(project: ir.Project) -> list[Diagnostic]:
    edges: dict[str, list[str]] = defaultdict(list)
    for named in project.types:
        for t in descendants(named.type):
            if isinstance(t, ir.RefType) and t.target is not None:
                edges[named.key].append(t.target)
    search = _CycleSearch(project, edges)
    for named in project.types:
        if named.key not in search.state:
            search.visit(named.key, [named.key])
    return search.found


class _CycleSearch:
    """Depth-first search for recursive types, each cycle reported once. (A class, not a closure calling itself:
    that would be a reference cycle holding the whole project until a full cycle collection.)"""

    def __init__(self, project: ir.Project, edges: dict[str, list[str]]):
        self.project, self.edges = project, edges
        self.state: dict[str, int] = {}  # 1 while on the trail, 2 when done
        self.found: list[Diagnostic] = []
        self.reported: set[frozenset] = set()

    def visit(self, key: str, trail: list[str]) -> None:
        project, state = self.project, self.state
        state[key] = 1
        for target in self.edges[key]:
            if state.get(target) == 1:
                cycle = trail[trail.index(target):] + [target] if target in trail else [key, target]
                ring = frozenset(cycle)
                if ring not in self.reported:
                    self.reported.add(ring)
                    named = project.named(target)
                    self.found.append(error("recursive-type", "recursive type: " + " -> ".join(
                        project.named(k).name for k in cycle), named.span,
                        "payloads must be finite trees; use an id field instead of nesting"))
            elif state.get(target) is None and target in project.types_by_key:
                self.visit(target, trail + [target])
        state[key] = 2


def _bounds(project: ir.Project, types: list[ir.Type]) -> list[Diagnostic]:
    found = []

    def order(low, high, what, span):
        if low is not None and high is not None and low > high:
            found.append(error("min-greater-than-max", f"{what}: minimum {low} is greater than maximum {high}", span))

    for t in types:
        kind = type(t)  # tested with `is`: every type of every message comes through here
        if kind is ir.StringType:
            order(t.min_length, t.max_length, "string length", t.span)
        elif kind is ir.NumberType:
            order(t.min, t.max, t.format, t.span)
        elif kind is ir.IntegerType:
            low, high = ir.INTEGER_RANGES[t.format]
            for label, bound in (("min", t.min), ("max", t.max)):
                if bound is not None and not low <= bound <= high:
                    found.append(error("out-of-range", f"{label} {bound} is outside the range of {t.format} "
                                       f"({low}..{high})", t.span, "use a wider integer type"))
            order(t.min, t.max, t.format, t.span)
        elif kind is ir.ArrayType:
            order(t.min_items, t.max_items, "array items", t.span)
        elif kind is ir.MapType:
            key = t.key
            if isinstance(key, ir.RefType) and key.target is not None:
                key = project.named(key.target).type
            if not isinstance(key, (ir.StringType, ir.EnumType, ir.IntegerType, ir.RefType)):
                found.append(error("bad-map-key", "map keys must be string, enum or integer types", t.key.span))
        elif kind is ir.InstanceType and t.class_name not in CLASS_PARENTS:
            found.append(error("unknown-class", f"unknown Instance class '{t.class_name}'", t.span,
                               _did_you_mean(t.class_name, CLASS_PARENTS)))
    return found


def _messages(project: ir.Project) -> list[Diagnostic]:
    found = []
    for channel in project.channels:
        if channel.rate is not None and channel.rate.count <= 0:
            found.append(error("bad-rate", f"rate of channel '{channel.name}' must be above zero",
                               channel.span_of("rate")))
        channel_tier_error = not channel.reliable and channel.qos != "LOW"
        if channel_tier_error:
            found.append(error("unreliable-tier", f"channel '{channel.name}' is unreliable but its tier is "
                               f"{channel.qos}: only LOW traffic may be unreliable",
                               channel.span_of("reliable", "qos"), "set `qos: LOW` or `reliable: true`"))
        for m in channel.messages:
            own_choice = m.declares("reliable") or m.declares("qos")
            if not m.reliable and m.qos != "LOW" and (own_choice or not channel_tier_error):
                found.append(error("unreliable-tier", f"'{m.name}' is unreliable but its tier is {m.qos}: only LOW "
                                   "traffic may be unreliable", m.span_of("reliable", "qos"),
                                   "set `qos: LOW` or `reliable: true`"))
            if not m.reliable and m.reply is not None:
                found.append(error("unreliable-request", f"request '{m.name}' must be reliable: its reply is awaited",
                                   m.span_of("reliable"), "set `reliable: true`"))
            if m.rate is not None and m.rate.count <= 0 and m.declares("rate"):
                found.append(error("bad-rate", f"rate of '{m.name}' must be above zero", m.span_of("rate")))
            if m.retry is not None and m.retry.base > m.retry.max:
                found.append(error("min-greater-than-max", f"retry of '{m.name}': base {m.retry.base:g} is greater than "
                                   f"max {m.retry.max:g}", m.span_of("retry")))
    return found


def check_project(project: ir.Project) -> list[Diagnostic]:
    types = list(all_types(project))  # every type once: the rules below that look at all of them share it
    limits, too_deep = loadable(project, types)
    # The cycle rule recurses along chains of named types: only walk chains known to be short.
    cycles = [] if too_deep else _cycles(project)
    return [*_names(project, types), *_duplicates(project), *_refs(types), *cycles, *_bounds(project, types),
            *_messages(project), *limits]

