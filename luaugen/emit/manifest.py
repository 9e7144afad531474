"""`generated/manifest.json`: the contract as data, for lint, the breaking-change check and the id lock."""

from __future__ import annotations

import hashlib
import json

from ..config import Limits
from ..model import ir
from ..model.layout import LayoutBuilder, size_bounds
from .contract import type_json
from .escape import json_text


# One encoder for every message's hash: `json.dumps` with options builds a new one per call. The data is built here,
# never circular, so the encoder does not watch for cycles.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, check_circular=False)


def canonical(data) -> str:
    return _CANONICAL.encode(data)


def _rate(rate: ir.Rate | None) -> dict | None:
    return None if rate is None else {"count": rate.count, "per": rate.per}


def _sizes(node) -> dict | None:
    if node is None:
        return None
    low, high = size_bounds(node)
    return {"min": low, "max": high}


def message_json(project: ir.Project, m: ir.Message, limits: Limits, layouts: LayoutBuilder) -> dict:
    contract = {
        "kind": m.kind,
        "direction": m.direction,
        "qos": m.qos,
        "reliable": m.reliable,
        "rate": _rate(m.rate),
        "retry": None if m.retry is None else {"strategy": m.retry.strategy, "attempts": m.retry.attempts,
                                                "base": m.retry.base, "max": m.retry.max},
        "timeout": m.timeout,
        "payload": type_json(project, m.payload, m.is_intent, limits),
        "reply": None if m.reply is None else type_json(project, m.reply, False, limits),
    }
    digest = hashlib.sha256(canonical(contract).encode()).hexdigest()
    # Packed bytes of the payload and the reply alone (docs/wire.md); outside the hash: a layout change is not a
    # contract change.
    packed = {"payload": _sizes(layouts.message(m)), "reply": _sizes(layouts.reply(m))}
    return {"name": m.name, "id": m.id, **contract, "hash": digest, "packed_size": packed,
            "source": {"path": m.span.path, "line": m.span.line, "col": m.span.col}}


def build_manifest(project: ir.Project, retired: dict, limits: Limits, profile: str, layouts: LayoutBuilder) -> dict:
    """`profile` is recorded so `build --check` can tell a tree built with another profile from stale code."""
    channels = []
    hashes = []
    for c in project.channels:
        messages = [message_json(project, m, limits, layouts) for m in c.messages]
        hashes.extend(f"{c.name}.{m['name']}:{m['id']}:{m['hash']}" for m in messages)
        channels.append({"name": c.name, "id": c.id, "source": c.source, "description": c.description,
                         "qos": c.qos, "reliable": c.reliable, "replay": c.replay, "rate": _rate(c.rate),
                         "messages": messages})
    schema_hash = hashlib.sha256("\n".join(sorted(hashes)).encode()).hexdigest()
    return {"format": 1, "generator": "luaugen", "profile": profile, "schema_hash": schema_hash, "channels": channels,
            "retired": retired}


def file_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def manifest_text(manifest: dict) -> str:
    return json_text(manifest, indent=2, sort_keys=True, check_circular=False) + "\n"  # built here: never circular
