"""Wire shapes: which parts of a payload a table form (JSON replay documents; Roblox remotes before packed frames)
would mangle, as Luau shape expressions.

JSON and Roblox remotes turn non-string dictionary keys into strings (and mangle sparse or mixed tables), so a map
whose keys are integers cannot be kept as a plain table. Such maps are written as `{ keys, values }` (two
hole-free arrays) and rebuilt on reading. Everything else our schema language allows (structs with absent
optional fields, arrays, string- and enum-keyed maps, unions, datatypes, instances) crosses unchanged.

`wire_shapes(project)` returns Luau expressions over the shape constructors of the static `Runtime/Codecs.luau`, only for the
types and messages that need a transform; every other message travels as is (no per-message cost).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import ir


@dataclass(frozen=True)
class NamedShape:
    name: str  # Luau local name
    expr: str


@dataclass(frozen=True)
class MessageShape:
    channel: str
    message: str
    payload: str | None
    reply: str | None


@dataclass(frozen=True)
class WireShapes:
    named: tuple[NamedShape, ...]
    messages: tuple[MessageShape, ...]
    constructors: tuple[str, ...]  # the `Codecs` constructors the expressions call, sorted


def _lua_string(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Shaper:
    def __init__(self, project: ir.Project):
        self.project = project
        self.named: dict[str, str | None] = {}  # key -> Luau local name (None: no transform)
        self.order: list[NamedShape] = []
        self.used: set[str] = set()

    def call(self, constructor: str, args: str) -> str:
        self.used.add(constructor)
        return f"{constructor}({args})"

    def _key_is_string(self, key: ir.Type) -> bool:
        if isinstance(key, ir.RefType):
            return self._key_is_string(self.project.named(key.target).type)
        return isinstance(key, (ir.StringType, ir.EnumType))

    def ref(self, key: str) -> str | None:
        if key not in self.named:
            named = self.project.named(key)
            self.named[key] = None  # the checker rejects cycles; this only guards re-entry
            expr = self.shape(named.type)
            if expr is None:
                return None
            local = f"{named.generated_name}Shape"
            self.named[key] = local
            self.order.append(NamedShape(local, expr))
        return self.named[key]

    def fields(self, fields) -> str | None:
        parts = []
        for f in fields:
            inner = self.shape(f.type)
            if inner is not None:
                parts.append(f"{f.name} = {inner}")
        return "{ " + ", ".join(parts) + " }" if parts else None

    def shape(self, t: ir.Type) -> str | None:
        if isinstance(t, ir.RefType):
            return self.ref(t.target)
        if isinstance(t, ir.ArrayType):
            inner = self.shape(t.items)
            return None if inner is None else self.call("array", inner)
        if isinstance(t, ir.MapType):
            inner = self.shape(t.value)
            if not self._key_is_string(t.key):
                return self.call("intMap", inner or "nil")
            return None if inner is None else self.call("mapValues", inner)
        if isinstance(t, ir.StructType):
            inner = self.fields(t.fields)
            return None if inner is None else self.call("struct", inner)
        if isinstance(t, ir.UnionType):
            variants = []
            for v in t.variants:
                inner = self.fields(v.fields)
                if inner is not None:
                    variants.append(f"[{_lua_string(v.name)}] = {inner}")
            if not variants:
                return None
            return self.call("union", f"{_lua_string(t.tag)}, {{ {', '.join(variants)} }}")
        return None


def wire_shapes(project: ir.Project) -> WireShapes:
    shaper = _Shaper(project)
    messages = []
    for m in project.messages():
        payload = shaper.shape(m.payload)
        reply = shaper.shape(m.reply) if m.reply is not None else None
        if payload is not None or reply is not None:
            messages.append(MessageShape(m.channel, m.name, payload, reply))
    return WireShapes(tuple(shaper.order), tuple(messages), tuple(sorted(shaper.used)))
