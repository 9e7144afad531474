"""Turn validated schema documents into the IR. Names are resolved here; whether they make sense is `check`'s job."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ..config import Config
from ..diagnostics import Diagnostic, Span, error
from ..load.nodes import Document, Node
from . import ir
from .roblox_classes import CLASS_PARENTS

_SHORTHAND = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<array>\[\])?(?P<optional>\?)?$")
_RATE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*/\s*(s|m)\s*$")
ALIASES = {"boolean": "bool", "Vector2": "vector2", "Vector3": "vector3", "CFrame": "cframe", "Color3": "color3",
           "Instance": "instance"}
SIMPLE_KINDS = {"bool", "string", "instance", *ir.NUMBER_FORMATS, *ir.INTEGER_RANGES, *ir.DATATYPES}
COMPOUND_KINDS = {"enum", "array", "map", "struct", "union"}
RETRY_DEFAULTS = {"exponential": (3, 0.1, 2.0), "fixed": (3, 0.25, 0.25), "none": (1, 0.0, 0.0)}


@dataclass
class _Scope:
    """Named types visible from one file: its own, then the shared ones."""

    channel: str | None
    local: dict[str, str] = field(default_factory=dict)
    shared: dict[str, str] = field(default_factory=dict)

    def resolve(self, name: str) -> str | None:
        return self.local.get(name) or self.shared.get(name)

    def names(self) -> tuple[str, ...]:
        return tuple(sorted({*self.local, *self.shared}))


class _Builder:
    def __init__(self, config: Config):
        self.config = config
        self.diagnostics: list[Diagnostic] = []

    def fail(self, code: str, message: str, span: Span, hint: str | None = None) -> None:
        self.diagnostics.append(error(code, message, span, hint))

    # -- types ---------------------------------------------------------------------------------
    def type_of(self, node: Node, scope: _Scope) -> tuple[ir.Type, bool]:
        """The type a field spec names, and whether it is optional."""
        if isinstance(node.value, str):
            return self._shorthand(node, scope)
        spec = node.value
        kind_node = spec["type"].value
        kind = ALIASES.get(kind_node.value, kind_node.value)
        optional = bool(node.value_of("optional", False))
        span = node.span
        value = node.value_of
        if kind == "string":
            return ir.StringType(span, value("min_length"), value("max_length")), optional
        if kind in ir.NUMBER_FORMATS:
            finite = value("finite")
            return ir.NumberType(span, kind, value("min"), value("max"), True if finite is None else finite), optional
        if kind in ir.INTEGER_RANGES:
            return ir.IntegerType(span, kind, value("min"), value("max")), optional
        if kind == "instance":
            return ir.InstanceType(span, value("class")), optional
        if kind == "enum":
            return ir.EnumType(span, tuple(str(v) for v in node.get("values").plain())), optional
        if kind == "array":
            items, _ = self.type_of(node.get("items"), scope)
            return ir.ArrayType(span, items, value("min_items"), value("max_items")), optional
        if kind == "map":
            key, _ = self.type_of(node.get("key"), scope)
            val, _ = self.type_of(node.get("value"), scope)
            return ir.MapType(span, key, val, value("max_entries")), optional
        if kind == "struct":
            return ir.StructType(span, self.fields(node.get("fields"), scope)), optional
        if kind == "union":
            variants = tuple(
                ir.Variant(name, self.fields(entry.value, scope), entry.key_span)
                for name, entry in node.get("variants").value.items()
            )
            return ir.UnionType(span, value("tag"), variants), optional
        if kind in SIMPLE_KINDS:
            return self._simple(kind, span), optional
        return self._ref(kind, spec["type"].value.span, scope), optional

    def _simple(self, kind: str, span: Span) -> ir.Type:
        if kind == "bool":
            return ir.BoolType(span)
        if kind == "string":
            return ir.StringType(span)
        if kind == "instance":
            return ir.InstanceType(span, "Instance")
        if kind in ir.NUMBER_FORMATS:
            return ir.NumberType(span, kind)
        if kind in ir.INTEGER_RANGES:
            return ir.IntegerType(span, kind)
        return ir.DatatypeType(span, kind)

    def _ref(self, name: str, span: Span, scope: _Scope) -> ir.RefType:
        target = scope.resolve(name)
        # Candidates only feed "did you mean": listing them for every resolved reference made builds quadratic.
        return ir.RefType(span, name, target, scope.names() if target is None else ())

    def _shorthand(self, node: Node, scope: _Scope) -> tuple[ir.Type, bool]:
        match = _SHORTHAND.match(node.value.strip())
        if match is None:
            self.fail("bad-type", f"'{node.value}' is not a type", node.span,
                      "write a type name such as `u8`, `string?`, `u32[]` or a name from `types:`")
            return ir.BoolType(node.span), False
        name = ALIASES.get(match["name"], match["name"])
        if name in COMPOUND_KINDS:
            self.fail("bad-type", f"'{name}' needs a mapping with its details", node.span,
                      f"write `{{ type: {name}, ... }}`")
            return ir.BoolType(node.span), False
        if name in SIMPLE_KINDS:
            base = self._simple(name, node.span)
        elif name in CLASS_PARENTS and scope.resolve(name) is None:
            base = ir.InstanceType(node.span, name)
        else:
            base = self._ref(name, node.span, scope)
        if match["array"]:
            base = ir.ArrayType(node.span, base)
        return base, bool(match["optional"])

    def fields(self, node: Node, scope: _Scope) -> tuple[ir.Field, ...]:
        result = []
        for name, entry in node.value.items():
            type_, optional = self.type_of(entry.value, scope)
            description = entry.value.value_of("description") if entry.value.is_map else None
            result.append(ir.Field(name, type_, optional, entry.key_span, description))
        return tuple(result)

    # -- channels ------------------------------------------------------------------------------
    def rate(self, node: Node | None) -> ir.Rate | None:
        if node is None:
            return None
        match = _RATE.match(node.value)
        count = float(match[1])
        return ir.Rate(int(count) if count.is_integer() else count, 1 if match[2] == "s" else 60)

    def retry(self, node: Node | None) -> ir.Retry | None:
        if node is None:
            return None
        strategy = node.get("strategy").value
        attempts, base, cap = RETRY_DEFAULTS[strategy]
        return ir.Retry(strategy, node.value_of("attempts", attempts), float(node.value_of("base", base)),
                        float(node.value_of("max", cap)))

    def message(self, name: str, kind: str, node: Node, key_span: Span, channel: ir.Channel, scope: _Scope) -> ir.Message:
        get = node.value_of
        payload = ir.StructType(node.get("payload").span, self.fields(node.get("payload"), scope))
        reply_node = node.get("reply")
        reply = ir.StructType(reply_node.span, self.fields(reply_node, scope)) if reply_node is not None else None
        if kind == "event":
            for key in ("reply", "retry", "timeout"):
                if node.get(key) is not None:
                    self.fail(f"{key}-on-event", f"event '{name}' cannot have `{key}`: events are server → client "
                              "and never answered", node.key_span(key), "make it an intent to get a reply")
            reply = None
        retry = self.retry(node.get("retry"))
        timeout = get("timeout")
        if kind == "intent" and reply is not None:
            retry = retry or ir.Retry("none", *RETRY_DEFAULTS["none"])
            timeout = float(timeout if timeout is not None else self.config.runtime.request_timeout)
        elif kind == "intent" and (node.get("retry") is not None or timeout is not None):
            key = "retry" if node.get("retry") is not None else "timeout"
            self.fail(f"{key}-without-reply", f"intent '{name}' has `{key}` but no `reply`: only requests are retried "
                      "and timed", node.key_span(key), "add a `reply:` payload or remove the key")
            retry, timeout = None, None
        return ir.Message(
            name=name, kind=kind, channel=channel.name, payload=payload,
            qos=get("qos") or channel.qos,
            reliable=channel.reliable if get("reliable") is None else get("reliable"),
            span=key_span, description=get("description"),
            rate=self.rate(node.get("rate")) or channel.rate,
            retry=retry if kind == "intent" else None, timeout=timeout if kind == "intent" else None, reply=reply,
            key_spans=_key_spans(node),
        )

    def channel(self, doc: Document, scope: _Scope) -> ir.Channel:
        root = doc.root
        get = root.value_of
        channel = ir.Channel(
            name=get("channel"), source=doc.path, span=root.get("channel").span,
            qos=get("qos") or "NORMAL", reliable=True if get("reliable") is None else get("reliable"),
            replay=get("replay") or 0, messages=(), description=get("description"), rate=self.rate(root.get("rate")),
            key_spans=_key_spans(root),
        )
        messages = []
        for section, kind in (("intents", "intent"), ("events", "event")):
            node = root.get(section)
            for name, entry in (node.value.items() if node is not None else ()):
                messages.append(self.message(name, kind, entry.value, entry.key_span, channel, scope))
        return replace(channel, messages=tuple(messages))


def _key_spans(node: Node) -> tuple[tuple[str, Span], ...]:
    return tuple((key, entry.value.span) for key, entry in node.value.items())


def _generated_type_name(channel: str | None, name: str) -> str:
    return f"{channel}{name}" if channel else name


def build_project(documents: list[Document], config: Config) -> tuple[ir.Project, list[Diagnostic]]:
    """Build the IR from documents that passed the meta-schema, in path order."""
    builder = _Builder(config)
    shared: dict[str, str] = {}
    for doc in documents:
        if doc.root.get("channel") is None:
            for section in ("intents", "events", "qos", "reliable", "replay", "rate"):
                if doc.root.get(section) is not None:
                    builder.fail("missing-channel", f"`{section}` needs a `channel:` name in this file",
                                 doc.root.key_span(section), "a file without `channel:` may only hold shared `types:`")
            types = doc.root.get("types")
            for name in (types.value if types is not None else {}):
                shared.setdefault(name, name)
    named: list[ir.NamedType] = []
    channels: list[ir.Channel] = []
    for doc in documents:
        channel_node = doc.root.get("channel")
        channel_name = channel_node.value if channel_node is not None else None
        scope = _Scope(channel_name, shared=shared)
        types = doc.root.get("types")
        entries = types.value.items() if types is not None else ()
        if channel_name is not None:
            scope.local = {name: f"{channel_name}.{name}" for name, _ in entries}
        for name, entry in entries:
            type_, _ = builder.type_of(entry.value, scope)
            description = entry.value.value_of("description") if entry.value.is_map else None
            key = f"{channel_name}.{name}" if channel_name else name
            named.append(ir.NamedType(key, name, _generated_type_name(channel_name, name), channel_name, type_,
                                      entry.key_span, description))
        if channel_name is not None:
            channels.append(builder.channel(doc, scope))
    return ir.Project(tuple(channels), tuple(named)), builder.diagnostics
