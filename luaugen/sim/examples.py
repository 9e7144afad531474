"""Deterministic valid example values for manifest types (the `<Type>` JSON of generated/manifest.json).

    rng = random.Random(1)
    example_payload(message["payload"], rng)  # {"skillId": "k3f", "target": {"kind": "self"}, "modifiers": []}

Values use the shapes the validators expect: dicts for structs, unions and maps, lists for arrays, and
luaugen.sim.values classes for Roblox datatypes. An `instance` field gets `Instance(class, class)`, a detached
placeholder: a real Instance must exist in the receiver's tree to cross a remote, so callers that send the value
swap it for one (the stress harness does). Optional fields are present about half the time.
"""

from __future__ import annotations

import math
import random
from typing import Any

from .values import CFrame, Color3, Instance, Vector2, Vector3

_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_OPEN_STRING = 12  # longest string made for a field without max_length
_OPEN_ITEMS = 3  # most array items / map entries made when the schema allows more
_OPEN_RANGE = 1000.0  # span used on a side of a number range the schema leaves open


def _string(t: dict, rng: random.Random) -> str:
    low = t.get("min_length") or 0
    high = t.get("max_length")
    high = low + _OPEN_STRING if high is None else min(high, low + _OPEN_STRING)
    size = rng.randint(low, max(low, high))
    out: list[str] = []
    while size > 0:
        if size >= 2 and rng.random() < 0.15:  # two UTF-8 bytes: lengths are counted in bytes, not characters
            out.append("é")
            size -= 2
        else:
            out.append(rng.choice(_ALPHABET))
            size -= 1
    return "".join(out)


def _number(t: dict, rng: random.Random) -> float:
    low, high = t.get("min"), t.get("max")
    if low is None and high is None:
        low, high = -_OPEN_RANGE, _OPEN_RANGE
    elif low is None:
        low = high - _OPEN_RANGE
    elif high is None:
        high = low + _OPEN_RANGE
    value = round(rng.uniform(low, high), 3)
    return float(min(max(value, low), high))


def _integer(t: dict, rng: random.Random) -> int:
    low, high = int(t["min"]), int(t["max"])
    if rng.random() < 0.5:  # small values are the common case; keep some near the edges too
        return rng.randint(low, min(high, low + 100))
    return rng.randint(low, high)


def _coordinate(rng: random.Random) -> float:
    return round(rng.uniform(-500.0, 500.0), 2)


def _cframe(rng: random.Random) -> CFrame:
    angle = rng.uniform(-math.pi, math.pi)
    c, s = math.cos(angle), math.sin(angle)
    return CFrame(_coordinate(rng), _coordinate(rng), _coordinate(rng), c, 0.0, s, 0.0, 1.0, 0.0, -s, 0.0, c)


def _fields(fields: list[dict], rng: random.Random) -> dict:
    out = {}
    for field in fields:
        if field["optional"] and rng.random() < 0.5:
            continue
        out[field["name"]] = example_payload(field["type"], rng)
    return out


def _array(t: dict, rng: random.Random) -> list:
    low = t.get("min_items") or 0
    high = t.get("max_items")
    high = low + _OPEN_ITEMS if high is None else min(high, low + _OPEN_ITEMS)
    return [example_payload(t["items"], rng) for _ in range(rng.randint(low, max(low, high)))]


def _map(t: dict, rng: random.Random) -> dict:
    key_type = t["key"]
    limit = t.get("max_entries")
    wanted = rng.randint(0, _OPEN_ITEMS if limit is None else min(limit, _OPEN_ITEMS))
    if key_type["kind"] == "enum":
        keys = rng.sample(key_type["values"], min(wanted, len(key_type["values"])))
    else:
        keys = []
        for _ in range(wanted * 8):  # narrow key types may not have `wanted` distinct values
            if len(keys) == wanted:
                break
            key = example_payload(key_type, rng)
            if key not in keys:
                keys.append(key)
    return {key: example_payload(t["value"], rng) for key in keys}


def example_payload(type_json: dict, rng: random.Random) -> Any:
    """A value of `type_json` that the generated validators accept; the same rng state gives the same value."""
    kind = type_json["kind"]
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "string":
        return _string(type_json, rng)
    if kind == "number":
        return _number(type_json, rng)
    if kind == "integer":
        return _integer(type_json, rng)
    if kind == "vector2":
        return Vector2(_coordinate(rng), _coordinate(rng))
    if kind == "vector3":
        return Vector3(_coordinate(rng), _coordinate(rng), _coordinate(rng))
    if kind == "cframe":
        return _cframe(rng)
    if kind == "color3":
        return Color3(round(rng.random(), 3), round(rng.random(), 3), round(rng.random(), 3))
    if kind == "instance":
        return Instance(type_json["class"], type_json["class"])
    if kind == "enum":
        return rng.choice(type_json["values"])
    if kind == "array":
        return _array(type_json, rng)
    if kind == "map":
        return _map(type_json, rng)
    if kind == "struct":
        return _fields(type_json["fields"], rng)
    if kind == "union":
        variant = rng.choice(type_json["variants"])
        return {type_json["tag"]: variant["name"], **_fields(variant["fields"], rng)}
    raise ValueError(f"unknown type kind {kind!r}")


def instance_classes(type_json: dict) -> set[str]:
    """Every Instance class a value of `type_json` may need."""
    kind = type_json["kind"]
    if kind == "instance":
        return {type_json["class"]}
    if kind in ("array",):
        return instance_classes(type_json["items"])
    if kind == "map":
        return instance_classes(type_json["value"])
    fields = type_json.get("fields", [])
    for variant in type_json.get("variants", []):
        fields = fields + variant["fields"]
    return set().union(*(instance_classes(f["type"]) for f in fields)) if fields else set()
