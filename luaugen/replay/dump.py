"""Reading a replay dump: the versioned JSON document Runtime/Replay.luau exports, checked entry by entry against
the current schemas' channels and messages. Anything unusable raises ReplayError (the CLI exits 2)."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT, VERSION = "luaugen-replay", 1
MAX_BYTES = 64 * 1024 * 1024  # a dump is a few ring buffers; anything larger is not one
DIRECTIONS = ("in", "out")
KINDS = ("message", "request", "reply", "failure")
SIDES = ("server", "client")


class ReplayError(ValueError):
    """The dump cannot be used: unreadable, not JSON, wrong format or version, or naming unknown messages."""


@dataclass(frozen=True)
class Entry:
    index: int  # position in the dump, from 1
    direction: str
    time: float  # the sender's workspace:GetServerTimeNow()
    player: int  # UserId (0: none)
    channel: str
    message: str
    kind: str
    sequence: int
    payload: Any  # as recorded: wire form, datatypes tagged with "$type"

    @property
    def name(self) -> str:
        return f"{self.channel}.{self.message}"


@dataclass(frozen=True)
class Dump:
    path: str
    schema_hash: str
    side: str
    entries: list[Entry]
    document: dict  # the parsed JSON, for reinjection


def _closest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(known)})"


def _field(raw: dict, key: str, kinds: tuple[type, ...], where: str) -> Any:
    value = raw.get(key)
    if isinstance(value, bool) and bool not in kinds or not isinstance(value, kinds):
        raise ReplayError(f"{where}: field {key!r} must be {' or '.join(k.__name__ for k in kinds)}, got {value!r}")
    return value


def _entry(index: int, raw: Any, catalog: dict[str, dict], path: str) -> Entry:
    where = f"{path}: entry {index}"
    if not isinstance(raw, dict):
        raise ReplayError(f"{where}: expected an object, got {type(raw).__name__}")
    direction = _field(raw, "direction", (str,), where)
    kind = _field(raw, "kind", (str,), where)
    if direction not in DIRECTIONS:
        raise ReplayError(f"{where}: direction must be one of {', '.join(DIRECTIONS)}, got {direction!r}")
    if kind not in KINDS:
        raise ReplayError(f"{where}: kind must be one of {', '.join(KINDS)}, got {kind!r}")
    channel, message = _field(raw, "channel", (str,), where), _field(raw, "message", (str,), where)
    channels = sorted({name.split(".", 1)[0] for name in catalog})
    if channel not in channels:
        raise ReplayError(f"{where}: unknown channel {channel!r}{_closest(channel, channels)}")
    if f"{channel}.{message}" not in catalog:
        messages = sorted(n.split(".", 1)[1] for n in catalog if n.startswith(channel + "."))
        raise ReplayError(f"{where}: unknown message {message!r} in channel {channel}{_closest(message, messages)}")
    if "payload" not in raw:
        raise ReplayError(f"{where}: no payload")
    return Entry(index, direction, float(_field(raw, "time", (int, float), where)),
                 int(_field(raw, "player", (int, float), where)), channel, message, kind,
                 int(_field(raw, "sequence", (int, float), where)), raw["payload"])


def parse_dump(text: str, path: str, catalog: dict[str, dict]) -> Dump:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        truncated = not text.rstrip().endswith(("}", "]"))  # a dump is one object: cut short, it cannot end so
        what = f"truncated JSON (the file ends early): {exc.msg}" if truncated else f"invalid JSON: {exc.msg}"
        raise ReplayError(f"{path}:{exc.lineno}:{exc.colno}: {what}") from None
    except RecursionError:
        raise ReplayError(f"{path}: JSON nested too deeply to be a replay dump") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ReplayError(f"{path}: not a luaugen replay dump (expected \"format\": \"{FORMAT}\"; "
                          "export one with Net.replay.export())")
    version = document.get("version")
    if version != VERSION:
        raise ReplayError(f"{path}: unsupported replay version {version!r} (this luaugen reads version {VERSION})")
    schema_hash = document.get("schemaHash")
    side = document.get("side")
    if not isinstance(schema_hash, str):
        raise ReplayError(f"{path}: schemaHash must be a string")
    if side not in SIDES:
        raise ReplayError(f"{path}: side must be \"server\" or \"client\", got {side!r}")
    entries = document.get("entries")
    if not isinstance(entries, list):
        raise ReplayError(f"{path}: entries must be a list")
    parsed = [_entry(i, raw, catalog, path) for i, raw in enumerate(entries, 1)]
    return Dump(path, schema_hash, side, parsed, document)


def load_dump(path: Path, catalog: dict[str, dict]) -> Dump:
    """Read and check the dump at `path` against `catalog` ({"Channel.Message": manifest entry})."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ReplayError(f"{path}: {size} bytes is larger than a replay dump can be ({MAX_BYTES} bytes)")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReplayError(f"{path}: cannot read: {exc}") from None
    return parse_dump(text, str(path), catalog)
