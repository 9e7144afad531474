"""A synthetic contract of any size, using every schema type, and one valid payload per message.

`messages` are spread over channels of at most 25 (like a large game: many channels of modest size); every message
has a struct payload touching bool, integers, floats, strings, enums (inline and named), Roblox datatypes, an
Instance, arrays, maps, an inline struct and a named union; every third message is a request with a reply.
"""

from __future__ import annotations

from typing import Any

PER_CHANNEL = 25

SHARED = """types:
  SynthId: { type: u32, min: 1 }
  SynthKind: { type: enum, values: [Alpha, Beta, Gamma] }
"""


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
        lines += [
            f"  Do{m}:",
            "    payload:",
            "      id: SynthId",
            f"      name: {{ type: string, max_length: {16 + m} }}",
            "      ratio: { type: f64, min: 0, max: 1 }",
            "      flag: bool",
            "      step: { type: u8, max: 5, optional: true }",
            "      kind: SynthKind",
            "      mode: { type: enum, values: [Slow, Fast] }",
            "      where: vector3",
            "      aim: vector2?",
            "      frame: cframe",
            "      tint: color3?",
            "      model: { type: instance, class: Model }",
            "      target: Target",
            "      tags: { type: array, items: { type: string, max_length: 8 }, max_items: 4 }",
            "      extra: { type: map, key: string, value: f64, max_entries: 4 }",
            "      inner: { type: struct, fields: { count: u16, label: string? } }",
        ]
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
    targets = [{"kind": "point", "position": roblox.Vector3(1.0, 2.0, 3.0)}, {"kind": "entity", "entityId": 7},
               {"kind": "none"}]
    return {
        "id": index + 1, "name": "n" * (index % 16), "ratio": 0.5, "flag": True, "kind": "Beta", "mode": "Fast",
        "where": roblox.Vector3(0.0, 1.0, 2.0), "frame": roblox.CFrame(1.0, 2.0, 3.0),
        "model": roblox.Instance("Model", "Model"), "target": targets[index % 3], "tags": ["a", "b"],
        "extra": {"x": 1.5}, "inner": {"count": index % 65536},
    }
