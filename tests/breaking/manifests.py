"""Tiny builders for hand-written manifests (format 1, see the interface spec)."""

from __future__ import annotations

import copy

C2S = "client_to_server"
S2C = "server_to_client"


def field(name: str, type_: dict, optional: bool = False) -> dict:
    return {"name": name, "optional": optional, "type": type_}


def struct(*fields: dict, name: str | None = None) -> dict:
    return {"kind": "struct", "name": name, "fields": list(fields)}


def integer(fmt: str = "u8", lo: int | None = None, hi: int | None = None) -> dict:
    ranges = {"u8": (0, 255), "u16": (0, 65535), "u32": (0, 2**32 - 1), "i8": (-128, 127), "i16": (-32768, 32767),
              "i32": (-(2**31), 2**31 - 1)}
    dlo, dhi = ranges[fmt]
    return {"kind": "integer", "format": fmt, "min": dlo if lo is None else lo, "max": dhi if hi is None else hi}


def number(fmt: str = "f64", lo=None, hi=None, finite: bool = True) -> dict:
    return {"kind": "number", "format": fmt, "min": lo, "max": hi, "finite": finite}


def string(lo=None, hi=256) -> dict:
    return {"kind": "string", "min_length": lo, "max_length": hi}


def enum(*values: str) -> dict:
    return {"kind": "enum", "values": list(values)}


def array(items: dict, lo=None, hi=128) -> dict:
    return {"kind": "array", "items": items, "min_items": lo, "max_items": hi}


def map_(key: dict, value: dict, hi=64) -> dict:
    return {"kind": "map", "key": key, "value": value, "max_entries": hi}


def instance(cls: str) -> dict:
    return {"kind": "instance", "class": cls}


def union(*variants: tuple[str, list[dict]], tag: str = "kind", name: str | None = "Target") -> dict:
    return {"kind": "union", "name": name, "tag": tag, "variants": [{"name": n, "fields": fs} for n, fs in variants]}


def message(name: str = "CastSkill", id: int = 1, direction: str = C2S, payload: dict | None = None,
            reply: dict | None = None, line: int = 10, **extra) -> dict:
    msg = {
        "name": name,
        "id": id,
        "kind": "intent" if direction == C2S else "event",
        "direction": direction,
        "qos": "CRITICAL",
        "reliable": True,
        "rate": {"count": 10, "per": 1.0},
        "retry": None,
        "timeout": 5.0 if reply is not None else None,
        "payload": payload if payload is not None else struct(),
        "reply": reply,
        "hash": "0" * 64,
        "source": {"path": "schemas/skills.yaml", "line": line, "col": 3},
    }
    msg.update(extra)
    return msg


def channel(name: str = "Skills", id: int = 4, messages: list[dict] | None = None, **extra) -> dict:
    ch = {
        "name": name,
        "id": id,
        "source": f"schemas/{name.lower()}.yaml",
        "description": "",
        "qos": "CRITICAL",
        "reliable": True,
        "replay": 256,
        "rate": None,
        "messages": messages if messages is not None else [message()],
    }
    ch.update(extra)
    return ch


def manifest(*channels: dict, retired: dict | None = None) -> dict:
    return {
        "format": 1,
        "generator": "luaugen",
        "schema_hash": "f" * 64,
        "channels": list(channels) if channels else [channel()],
        "retired": retired or {"channels": {}, "messages": {}},
    }


def with_payload(payload: dict, direction: str = C2S, reply: dict | None = None) -> dict:
    return manifest(channel(messages=[message(direction=direction, payload=payload, reply=reply)]))


def clone(value):
    return copy.deepcopy(value)
