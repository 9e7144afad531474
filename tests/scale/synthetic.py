"""A synthetic contract of any size, using every schema type, and one valid payload per message.

`messages` are spread over channels of at most 25 (like a large game: many channels of modest size). Every message
has an `id` and four more fields taken in turn from a list covering bool, integers, floats, strings, enums (inline
and named), Roblox datatypes, an Instance, arrays, maps, an inline struct and a named union, so every channel uses
every type; every third message is a request with a reply.
"""

from __future__ import annotations

from typing import Any

PER_CHANNEL = 25

SHARED = """types:
  SynthId: { type: u32, min: 1 }
  SynthKind: { type: enum, values: [Alpha, Beta, Gamma] }
"""


# (schema of the field, its valid value given the mirror's Roblox classes and the message index)
FIELDS = (
    ("name: { type: string, max_length: 16 }", lambda rb, i: "n" * (i % 16)),
    ("ratio: { type: f64, min: 0, max: 1 }", lambda rb, i: 0.5),
    ("flag: bool", lambda rb, i: True),
    ("step: { type: u8, max: 5, optional: true }", lambda rb, i: None),
    ("kind: SynthKind", lambda rb, i: "Beta"),
    ("mode: { type: enum, values: [Slow, Fast] }", lambda rb, i: "Fast"),
    ("where: vector3", lambda rb, i: rb.Vector3(0.0, 1.0, 2.0)),
    ("aim: vector2?", lambda rb, i: rb.Vector2(1.0, 2.0)),
    ("frame: cframe", lambda rb, i: rb.CFrame(1.0, 2.0, 3.0)),
    ("tint: color3?", lambda rb, i: None),
    ("model: { type: instance, class: Model }", lambda rb, i: rb.Instance("Model", "Model")),
    ("target: Target", lambda rb, i: [{"kind": "point", "position": rb.Vector3(1.0, 2.0, 3.0)},
                                      {"kind": "entity", "entityId": 7}, {"kind": "none"}][i % 3]),
    ("tags: { type: array, items: { type: string, max_length: 8 }, max_items: 4 }", lambda rb, i: ["a", "b"]),
    ("extra: { type: map, key: string, value: f64, max_entries: 4 }", lambda rb, i: {"x": 1.5}),
    ("inner: { type: struct, fields: { count: u16, label: string? } }", lambda rb, i: {"count": i % 65536}),
)
PER_MESSAGE = 4  # fields besides `id`; the fields rotate, so every channel of 25 messages uses every kind


def _fields(index: int) -> list[int]:
    m = index % PER_CHANNEL
    return [(m * PER_MESSAGE + j) % len(FIELDS) for j in range(PER_MESSAGE)]


def _channel_source(c: int, count: int) -> str:
    lines = [
        f"channel: Synth{c}",
        "qos: NORMAL",
        "types:",
        "  Target:",
        "    type: union",
        "    tag: kind",
        "    variants:",
        "      point: { position: vector3 }",
        "      entity: { entityId: SynthId }",
        "      none: {}",
        "intents:",
    ]
    for m in range(count):
        lines += [f"  Do{m}:", "    payload:", "      id: SynthId"]
        lines += [f"      {FIELDS[f][0]}" for f in _fields(m)]
        if m % 3 == 0:
            lines += ["    reply:", "      accepted: bool", "      castId: u32?"]
    return "\n".join(lines) + "\n"


def synthetic_sources(messages: int) -> dict[str, str]:
    """{path: YAML} for a project of exactly `messages` intents."""
    sources = {"schemas/shared.yaml": SHARED}
    c = 0
    while messages > 0:
        count = min(PER_CHANNEL, messages)
        sources[f"schemas/synth{c:04}.yaml"] = _channel_source(c, count)
        messages -= count
        c += 1
    return sources


def synthetic_messages(messages: int) -> list[tuple[str, str, bool]]:
    """(channel, message, has_reply) in declaration order."""
    out = []
    for i in range(messages):
        c, m = divmod(i, PER_CHANNEL)
        out.append((f"Synth{c}", f"Do{m}", m % 3 == 0))
    return out


def valid_payload(roblox: Any, index: int) -> dict:
    """A valid payload for message `index` (built with the Python mirror's Roblox classes)."""
    payload = {"id": index + 1}
    for f in _fields(index):
        name = FIELDS[f][0].split(":")[0]
        value = FIELDS[f][1](roblox, index)
        if value is not None:
            payload[name] = value
    return payload
