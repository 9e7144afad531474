"""Stable numeric ids. The previous manifest is the lock file: ids never move, removed ids are retired for good."""

from __future__ import annotations

from dataclasses import replace

from ..records import evolve
from . import ir


def _previous_ids(manifest: dict | None) -> tuple[dict[str, int], dict[str, dict[str, int]], dict, dict]:
    channels: dict[str, int] = {}
    messages: dict[str, dict[str, int]] = {}
    retired = (manifest or {}).get("retired", {})
    for channel in (manifest or {}).get("channels", []):
        channels[channel["name"]] = channel["id"]
        messages[channel["name"]] = {m["name"]: m["id"] for m in channel.get("messages", [])}
    return channels, messages, dict(retired.get("channels", {})), dict(retired.get("messages", {}))


def assign_ids(project: ir.Project, previous_manifest: dict | None) -> tuple[ir.Project, dict]:
    """Give every channel and message its id; returns the project and the updated `retired` table."""
    old_channels, old_messages, retired_channels, retired_messages = _previous_ids(previous_manifest)
    current = {c.name: {m.name for m in c.messages} for c in project.channels}
    for name, channel_id in old_channels.items():
        if name not in current:
            retired_channels[name] = channel_id
            for message, message_id in old_messages[name].items():
                retired_messages[f"{name}.{message}"] = message_id
        else:
            for message, message_id in old_messages[name].items():
                if message not in current[name]:
                    retired_messages[f"{name}.{message}"] = message_id
    used_channel_ids = set(old_channels.values()) | set(retired_channels.values())
    next_channel = max(used_channel_ids, default=0) + 1
    channels = []
    for channel in sorted(project.channels, key=lambda c: (c.name not in old_channels, old_channels.get(c.name, 0), c.name)):
        channel_id = old_channels.get(channel.name)
        if channel_id is None:
            channel_id, next_channel = next_channel, next_channel + 1
        known = old_messages.get(channel.name, {})
        used = set(known.values()) | {
            mid for key, mid in retired_messages.items() if key.split(".", 1)[0] == channel.name
        }
        next_message = max(used, default=0) + 1
        messages = []
        order = {m.name: index for index, m in enumerate(channel.messages)}
        for message in sorted(channel.messages, key=lambda m: (m.name not in known, known.get(m.name, 0), order[m.name])):
            message_id = known.get(message.name)
            if message_id is None:
                message_id, next_message = next_message, next_message + 1
            messages.append(evolve(message, id=message_id))
        channels.append(evolve(channel, id=channel_id, messages=tuple(sorted(messages, key=lambda m: m.id))))
    channels.sort(key=lambda c: c.id)
    retired = {"channels": dict(sorted(retired_channels.items())), "messages": dict(sorted(retired_messages.items()))}
    return replace(project, channels=tuple(channels)), retired
