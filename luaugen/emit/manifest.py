"""`generated/manifest.json`: the contract as data, for lint, the breaking-change check and the id lock."""

from __future__ import annotations

import hashlib
import json

from ..config import Limits
from ..model import ir
from ..model.layout import LayoutBuilder, size_bounds
from .contract import type_json
from .escape import json_text


# The manifest is printed with its keys sorted, and every hash is of a message's canonical (sorted) JSON. Every dict
# here and in contract.type_json is built with its keys in that order already, so the encoders are told not to sort:
# sorting is a fifth of their work. tests/compiler/test_manifest_order.py checks no dict is out of order.
# One encoder for every message's hash: `json.dumps` with options builds a new one per call. The data is built here,
# never circular, so the encoder does not watch for cycles.
_CANONICAL = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, check_circular=False)


def canonical(data) -> str:
    return _CANONICAL.encode(data)


def _rate(rate: ir.Rate | None) -> dict | None:
    return None if rate is None else {"count": rate.count, "per": rate.per}


def _sizes(node) -> dict | None:
    if node is None:
        return None
    low, high = size_bounds(node)
    return {"max": high, "min": low}


def message_json(project: ir.Project, m: ir.Message, limits: Limits, layouts: LayoutBuilder) -> dict:
    retry = None if m.retry is None else {"attempts": m.retry.attempts, "base": m.retry.base, "max": m.retry.max,
                                          "strategy": m.retry.strategy}
    contract = {"direction": m.direction, "kind": m.kind, "payload": type_json(project, m.payload, m.is_intent, limits),
                "qos": m.qos, "rate": _rate(m.rate), "reliable": m.reliable,
                "reply": None if m.reply is None else type_json(project, m.reply, False, limits), "retry": retry,
                "timeout": m.timeout}
    digest = hashlib.sha256(canonical(contract).encode()).hexdigest()
    # Packed bytes of the payload and the reply alone (docs/wire.md); outside the hash: a layout change is not a
    # contract change.
    packed = {"payload": _sizes(layouts.message(m)), "reply": _sizes(layouts.reply(m))}
    entry = {**contract, "hash": digest, "id": m.id, "name": m.name, "packed_size": packed,
             "source": {"col": m.span.col, "line": m.span.line, "path": m.span.path}}
    return dict(sorted(entry.items()))  # the contract's keys and the others, interleaved in order


def build_manifest(project: ir.Project, retired: dict, limits: Limits, profile: str, layouts: LayoutBuilder) -> dict:
    """`profile` is recorded so `build --check` can tell a tree built with another profile from stale code."""
    channels = []
    hashes = []
    for c in project.channels:
        messages = [message_json(project, m, limits, layouts) for m in c.messages]
        hashes.extend(f"{c.name}.{m['name']}:{m['id']}:{m['hash']}" for m in messages)
        channels.append({"description": c.description, "id": c.id, "messages": messages, "name": c.name,
                         "qos": c.qos, "rate": _rate(c.rate), "reliable": c.reliable, "replay": c.replay,
                         "source": c.source})
    schema_hash = hashlib.sha256("\n".join(sorted(hashes)).encode()).hexdigest()
    return {"channels": channels, "format": 1, "generator": "luaugen", "profile": profile, "retired": retired,
            "schema_hash": schema_hash}


def file_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def manifest_text(manifest: dict) -> str:
    """The manifest as written; its top level is put in order here (`files` is added last, after the hashes)."""
    ordered = {key: manifest[key] for key in sorted(manifest)}
    return json_text(ordered, indent=2, check_circular=False) + "\n"  # built here: never circular
