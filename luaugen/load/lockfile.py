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


def _entries(items: list, where: tuple, what: str, qualify: str = "") -> tuple[list[dict | None], list]:
    """Check a list of named, numbered entries (channels, or one channel's messages): names and ids unique."""
    found: list[tuple[tuple, str]] = []
    names: set[str] = set()
    ids: set[int] = set()
    entries: list[dict | None] = []
    for index, entry in enumerate(items):
        at = where + (index,)
        if not isinstance(entry, dict):
            found.append((at, f"a {what} entry must be an object"))
            entries.append(None)
            continue
        entries.append(entry)
        name, number = entry.get("name"), entry.get("id")
        if not isinstance(name, str) or not name:
            found.append((at, f"{what} entry{qualify} without a 'name' string"))
        elif name in names:
            found.append((at + ("name",), f"{what} '{name}'{qualify} is listed twice"))
        names.add(name)
        if not _is_id(number):
            found.append((at + ("id",), f"{what} id must be a whole number from 1, got {number!r}"))
        elif number in ids:
            found.append((at + ("id",), f"{what} id {number} is used twice{qualify}"))
        else:
            ids.add(number)
    return entries, found


def _problems(data: dict) -> list[tuple[tuple, str]]:
    """(JSON path, message) for each problem; paths as in jsonschema (keys and list indices)."""
    channels = data.get("channels")
    if not isinstance(channels, list):
        return [((), "the manifest has no 'channels' list")]
    entries, found = _entries(channels, ("channels",), "channel")
    for index, channel in enumerate(entries):
        if channel is None:
            continue
        messages = channel.get("messages")
        if not isinstance(messages, list):
            found.append((("channels", index), "channel entry without a 'messages' list"))
            continue
        found += _entries(messages, ("channels", index, "messages"), "message",
                          f" in channel '{channel.get('name')}'")[1]
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
