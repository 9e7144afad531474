"""The previous manifest is the id lock file and the list of files luaugen wrote: check its shape before use.

A hand-edited or merged manifest with a duplicate id would silently route two messages to one handler, and a
`files` entry pointing anywhere would let a build delete it; both are refused here with the place they are at.
"""

from __future__ import annotations

import re

from ..diagnostics import Diagnostic, Span, error
from .yaml_loader import load_document

HASH = re.compile(r"^[0-9a-f]{64}$")


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 2**31 - 1


def _problems(data: dict) -> list[tuple[tuple, str]]:
    """(JSON path, message) for each problem; paths as in jsonschema (keys and list indices)."""
    found: list[tuple[tuple, str]] = []
    channels = data.get("channels")
    if not isinstance(channels, list):
        return [((), "the manifest has no 'channels' list")]
    names: set[str] = set()
    ids: set[int] = set()
    for i, channel in enumerate(channels):
        where = ("channels", i)
        if not isinstance(channel, dict):
            found.append((where, "a channel entry must be an object"))
            continue
        name, channel_id, messages = channel.get("name"), channel.get("id"), channel.get("messages")
        if not isinstance(name, str) or not name:
            found.append((where, "channel entry without a 'name' string"))
        elif name in names:
            found.append((where + ("name",), f"channel '{name}' is listed twice"))
        names.add(name)
        if not _is_id(channel_id):
            found.append((where + ("id",), f"channel id must be a whole number from 1, got {channel_id!r}"))
        elif channel_id in ids:
            found.append((where + ("id",), f"channel id {channel_id} is used twice"))
        else:
            ids.add(channel_id)
        if not isinstance(messages, list):
            found.append((where, "channel entry without a 'messages' list"))
            continue
        found += _message_problems(messages, where, name)
    files = data.get("files", {})
    if not isinstance(files, dict) or not all(isinstance(k, str) and isinstance(v, str) and HASH.match(v)
                                               for k, v in files.items()):
        found.append((("files",), "'files' must map paths to sha256 hashes"))
    retired = data.get("retired", {})
    if not isinstance(retired, dict) or not all(
            isinstance(retired.get(k, {}), dict) and all(_is_id(v) for v in retired.get(k, {}).values())
            for k in ("channels", "messages")):
        found.append((("retired",), "'retired' must map channel and message names to ids"))
    return found


def _message_problems(messages: list, where: tuple, channel: object) -> list[tuple[tuple, str]]:
    found = []
    names: set[str] = set()
    ids: set[int] = set()
    for j, message in enumerate(messages):
        at = where + ("messages", j)
        if not isinstance(message, dict):
            found.append((at, "a message entry must be an object"))
            continue
        name, message_id = message.get("name"), message.get("id")
        if not isinstance(name, str) or not name:
            found.append((at, f"message entry of channel '{channel}' without a 'name' string"))
        elif name in names:
            found.append((at + ("name",), f"message '{channel}.{name}' is listed twice"))
        names.add(name)
        if not _is_id(message_id):
            found.append((at + ("id",), f"message id must be a whole number from 1, got {message_id!r}"))
        elif message_id in ids:
            found.append((at + ("id",), f"message id {message_id} is used twice in channel '{channel}'"))
        else:
            ids.add(message_id)
    return found


def check_lockfile(path: str, text: str, data: object) -> list[Diagnostic]:
    """Located errors for a parsed manifest; the JSON is re-read with positions only when something is wrong."""
    problems = _problems(data) if isinstance(data, dict) else [((), "the manifest must be a JSON object")]
    if not problems:
        return []
    document, _ = load_document(path, text)  # JSON is YAML: reuse the loader that remembers line and column
    diagnostics = []
    for json_path, message in problems:
        span = document.root.at(json_path).span if document is not None else Span(path, 1, 1)
        diagnostics.append(error("bad-manifest", message, span, "restore the manifest from version control; it locks message ids"))
    return diagnostics
