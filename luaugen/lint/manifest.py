"""Loading generated/manifest.json and indexing it for lookups by name."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

QOS_RANK = {"LOW": 0, "NORMAL": 1, "HIGH": 2, "CRITICAL": 3}


class ManifestError(Exception):
    """The manifest is missing or invalid; the command exits 2."""


def load_manifest(path: str | Path) -> dict:
    path = Path(path)
    hint = "run `luaugen build` to generate it"
    if not path.is_file():
        raise ManifestError(f"manifest not found: {path} ({hint})")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"manifest {path} is not valid JSON: {exc} ({hint})") from exc
    problem = _shape_problem(data)
    if problem:
        raise ManifestError(f"manifest {path} is invalid: {problem} ({hint})")
    return data


def _shape_problem(data: object) -> str | None:
    if not isinstance(data, dict) or data.get("generator") != "luaugen":
        return "not a luaugen manifest"
    if data.get("format") != 1:
        return f"unsupported format {data.get('format')!r} (expected 1)"
    channels = data.get("channels")
    if not isinstance(channels, list):
        return "'channels' must be a list"
    for channel in channels:
        if not isinstance(channel, dict) or not isinstance(channel.get("name"), str):
            return "every channel needs a string 'name'"
        if not isinstance(channel.get("messages"), list):
            return f"channel {channel['name']!r} has no 'messages' list"
        for message in channel["messages"]:
            if not isinstance(message, dict) or not isinstance(message.get("name"), str):
                return f"channel {channel['name']!r}: every message needs a string 'name'"
            if message.get("kind") not in ("intent", "event"):
                return f"{channel['name']}.{message['name']}: 'kind' must be 'intent' or 'event'"
            if message.get("qos") not in QOS_RANK or not isinstance(message.get("reliable"), bool):
                return f"{channel['name']}.{message['name']}: needs 'qos' and boolean 'reliable'"
    return None


@dataclass(frozen=True)
class MessageInfo:
    channel: str
    name: str
    kind: str  # "intent" (client→server) | "event" (server→client)
    qos: str
    reliable: bool
    has_reply: bool
    source: tuple[str, int, int] | None


class ManifestIndex:
    def __init__(self, manifest: dict):
        self.channels: dict[str, dict[str, MessageInfo]] = {}
        for channel in manifest.get("channels", []):
            messages: dict[str, MessageInfo] = {}
            for msg in channel.get("messages", []):
                src = msg.get("source") or {}
                source = (src["path"], int(src.get("line", 1)), int(src.get("col", 1))) if "path" in src else None
                messages[msg["name"]] = MessageInfo(
                    channel["name"], msg["name"], msg["kind"], msg["qos"], msg["reliable"], msg.get("reply") is not None, source
                )
            self.channels[channel["name"]] = messages
        self.owners: dict[str, list[str]] = {}
        for channel, messages in self.channels.items():
            for name in messages:
                self.owners.setdefault(name, []).append(channel)

    def all_messages(self) -> list[MessageInfo]:
        return [m for messages in self.channels.values() for m in messages.values()]
