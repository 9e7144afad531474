"""The intermediate representation: frozen dataclasses (slotted `record`s), the only thing checks and emitters see."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Union

from ..diagnostics import Span
from ..records import record

QOS_TIERS = ("CRITICAL", "HIGH", "NORMAL", "LOW")
INTEGER_RANGES = {
    "i8": (-(2**7), 2**7 - 1),
    "i16": (-(2**15), 2**15 - 1),
    "i32": (-(2**31), 2**31 - 1),
    "u8": (0, 2**8 - 1),
    "u16": (0, 2**16 - 1),
    "u32": (0, 2**32 - 1),
}
NUMBER_FORMATS = ("f32", "f64", "number")
DATATYPES = {"vector2": "Vector2", "vector3": "Vector3", "cframe": "CFrame", "color3": "Color3"}
DATATYPE_COMPONENTS = {
    "vector2": ("X", "Y"),
    "vector3": ("X", "Y", "Z"),
    "color3": ("R", "G", "B"),
    "cframe": ("X", "Y", "Z", "R00", "R01", "R02", "R10", "R11", "R12", "R20", "R21", "R22"),
}


@record
class BoolType:
    span: Span


@record
class StringType:
    span: Span
    min_length: int | None = None
    max_length: int | None = None


@record
class NumberType:
    span: Span
    format: str = "number"
    min: float | None = None
    max: float | None = None
    finite: bool = True


@record
class IntegerType:
    span: Span
    format: str
    min: int | None = None
    max: int | None = None

    @property
    def effective_min(self) -> int:
        return INTEGER_RANGES[self.format][0] if self.min is None else self.min

    @property
    def effective_max(self) -> int:
        return INTEGER_RANGES[self.format][1] if self.max is None else self.max


@record
class DatatypeType:
    """A Roblox datatype: Vector2, Vector3, CFrame or Color3 (components must be finite)."""

    span: Span
    kind: str

    @property
    def luau_name(self) -> str:
        return DATATYPES[self.kind]


@record
class InstanceType:
    span: Span
    class_name: str


@record
class EnumType:
    span: Span
    values: tuple[str, ...]


@record
class ArrayType:
    span: Span
    items: "Type"
    min_items: int | None = None
    max_items: int | None = None


@record
class MapType:
    span: Span
    key: "Type"
    value: "Type"
    max_entries: int | None = None


@record
class Field:
    name: str
    type: "Type"
    optional: bool
    span: Span
    description: str | None = None


@record
class StructType:
    span: Span
    fields: tuple[Field, ...]


@record
class Variant:
    name: str
    fields: tuple[Field, ...]
    span: Span


@record
class UnionType:
    span: Span
    tag: str
    variants: tuple[Variant, ...]


@record
class RefType:
    """A use of a named type; `target` is the key in `Project.types`, or None when the name is unknown."""

    span: Span
    name: str
    target: str | None
    candidates: tuple[str, ...] = ()


Type = Union[
    BoolType, StringType, NumberType, IntegerType, DatatypeType, InstanceType,
    EnumType, ArrayType, MapType, StructType, UnionType, RefType,
]


@record
class NamedType:
    key: str  # "Skills.Target" for a channel's own type, "Target" for a shared one
    name: str  # as written in YAML
    generated_name: str  # unique name in generated code: "SkillsTarget" or "Target"
    channel: str | None
    type: Type
    span: Span
    description: str | None = None


@record
class Rate:
    count: float
    per: float  # seconds

    @property
    def per_second(self) -> float:
        return self.count / self.per


@record
class Retry:
    strategy: str
    attempts: int
    base: float
    max: float


class _KeySpans:
    """Where each optional key of a channel or message was written, so checks can point at it."""

    __slots__ = ()  # its records keep their fields in slots

    span: Span
    key_spans: tuple[tuple[str, Span], ...]

    def declares(self, key: str) -> bool:
        return any(k == key for k, _ in self.key_spans)

    def span_of(self, *keys: str) -> Span:
        """The span of the first of `keys` written here, else of the name."""
        for key in keys:
            for k, span in self.key_spans:
                if k == key:
                    return span
        return self.span


@record
class Message(_KeySpans):
    name: str
    kind: str  # "intent" (client → server) or "event" (server → client)
    channel: str
    payload: StructType
    qos: str
    reliable: bool
    span: Span
    description: str | None = None
    rate: Rate | None = None
    retry: Retry | None = None
    timeout: float | None = None
    reply: StructType | None = None
    id: int = 0
    key_spans: tuple[tuple[str, Span], ...] = ()

    @property
    def is_intent(self) -> bool:
        return self.kind == "intent"

    @property
    def direction(self) -> str:
        return "client_to_server" if self.is_intent else "server_to_client"

    @property
    def type_name(self) -> str:
        return f"{self.channel}{self.name}"


@record
class Channel(_KeySpans):
    name: str
    source: str
    span: Span
    qos: str
    reliable: bool
    replay: int
    messages: tuple[Message, ...]
    description: str | None = None
    rate: Rate | None = None
    id: int = 0
    key_spans: tuple[tuple[str, Span], ...] = ()


@dataclass(frozen=True)
class Project:
    """A dataclass, not a record: it keeps cached lookups in its dict (and there is one per build)."""

    channels: tuple[Channel, ...]
    types: tuple[NamedType, ...]
    # model.effective's memo of the open types it bounded; not part of the IR's value. A field, so that `replace`
    # (which gives the ids) hands it on: the bounded types do not depend on ids.
    bounded_types: dict[tuple, tuple] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def types_by_key(self) -> dict[str, NamedType]:
        return {named.key: named for named in self.types}


    def named(self, key: str) -> NamedType:
        return self.types_by_key[key]

    def messages(self) -> list[Message]:
        return [m for c in self.channels for m in c.messages]
