"""`luaugen replay show` (a readable timeline) and `luaugen replay validate` (every payload checked with the
Python mirror of the current schemas)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from ..compiler import compile_project
from ..config import Config, load_config
from ..diagnostics import render_text
from ..project import read_previous_manifest, read_sources
from ..sim.stress import catalog_of
from .decode import decode, load_mirror, untag
from .dump import Dump, Entry, ReplayError

PAYLOAD_WIDTH = 100
COMPONENTS = {"Vector3": "xyz", "Vector2": "xy", "Color3": "rgb"}


@dataclass(frozen=True)
class Project:
    config: Config
    files: dict[str, str]
    schema_hash: str
    catalog: dict[str, dict]

    def mirror(self) -> ModuleType:
        return load_mirror(self.files, self.config.python_out, self.config.python_package)


def current_project(root: Path) -> Project:
    """The project's schemas compiled in memory (what a dump is checked against)."""
    config = load_config(root)
    sources, problems = read_sources(config)
    previous, manifest_problems = read_previous_manifest(config)
    result = compile_project(config, sources, previous)
    if problems or manifest_problems or not result.ok:
        raise ReplayError("the schemas do not compile:\n" + render_text(problems + manifest_problems + result.diagnostics,
                                                                          sources))
    manifest = json.loads(result.files[config.manifest])
    return Project(config, result.files, manifest["schema_hash"], catalog_of(manifest))


@dataclass(frozen=True)
class Filters:
    channels: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()  # "Channel.Message" or "Message"
    players: tuple[int, ...] = ()
    direction: str | None = None

    def check(self, catalog: dict[str, dict]) -> None:
        channels = {name.split(".", 1)[0] for name in catalog}
        names = set(catalog) | {name.split(".", 1)[1] for name in catalog}
        for channel in self.channels:
            if channel not in channels:
                raise ReplayError(f"--channel: unknown channel {channel!r} (known: {', '.join(sorted(channels))})")
        for message in self.messages:
            if message not in names:
                raise ReplayError(f"--message: unknown message {message!r}")

    def keep(self, entry: Entry) -> bool:
        return ((not self.channels or entry.channel in self.channels)
                and (not self.messages or entry.name in self.messages or entry.message in self.messages)
                and (not self.players or entry.player in self.players)
                and (self.direction is None or entry.direction == self.direction))


def _readable(value: Any) -> Any:
    """Tagged datatypes written the way Luau prints them: Vector3(1, 0.5, -1), Instance(Workspace.Boss)."""
    if isinstance(value, list):
        return [_readable(v) for v in value]
    if not isinstance(value, dict):
        return value
    tag = value.get("$type")
    if tag in COMPONENTS:
        parts = (value.get(k) for k in COMPONENTS[tag])
        return f"{tag}({', '.join(f'{v:g}' if isinstance(v, (int, float)) else repr(v) for v in parts)})"
    if tag == "CFrame" and isinstance(value.get("components"), list):
        return f"CFrame({', '.join(f'{v:g}' for v in value['components'][:3])}, …)"
    if tag == "Instance" and isinstance(value.get("path"), list):
        return f"Instance({'.'.join(map(str, value['path']))})"
    return {k: _readable(v) for k, v in value.items()}


def _compact(payload: Any, full: bool) -> str:
    text = json.dumps(_readable(payload), separators=(",", ":"), ensure_ascii=False, sort_keys=True)
    return text if full or len(text) <= PAYLOAD_WIDTH else text[:PAYLOAD_WIDTH - 1] + "…"


def show(dump: Dump, project: Project, filters: Filters, full: bool = False) -> str:
    filters.check(project.catalog)
    shown = [e for e in dump.entries if filters.keep(e)]
    start = dump.entries[0].time if dump.entries else 0.0
    drift = "" if dump.schema_hash == project.schema_hash else f" (current schemas: {project.schema_hash[:12]})"
    lines = [f"{dump.path}: {dump.side} dump, schema {dump.schema_hash[:12]}{drift}, {len(dump.entries)} entries, "
             f"{len(shown)} shown",
             f"{'time':>9}  {'dir':<3}  {'player':>8}  {'message':<28} {'kind':<8} {'seq':>6}  payload"]
    for e in shown:
        lines.append(f"{e.time - start:>+8.3f}s  {e.direction:<3}  {e.player or '-':>8}  {e.name:<28} {e.kind:<8} "
                     f"{e.sequence:>6}  {_compact(e.payload, full)}")
    return "\n".join(lines)


def _problem(entry: Entry, message: dict, mirror: ModuleType) -> str | None:
    """Why the mirror rejects this entry's payload, or None."""
    if entry.kind == "failure":
        return None if isinstance(entry.payload, str) else f"failure payload must be a string, got {entry.payload!r}"
    reply = entry.kind == "reply"
    type_json = message["reply"] if reply else message["payload"]
    if type_json is None:
        return f"{entry.name} has no reply in the current schemas" if reply else None
    if entry.kind == "request" and message["reply"] is None:
        return f"{entry.name} is no longer a request in the current schemas"
    validators = mirror.REPLY_VALIDATORS if reply else mirror.VALIDATORS
    value = decode(untag(entry.payload, mirror.roblox), type_json, mirror.roblox)
    ok, error = validators[entry.channel][entry.message](value)
    return None if ok else error


def validate(dump: Dump, project: Project) -> tuple[list[str], int]:
    """(report lines, problems found): each payload the current schemas reject, and a schema hash mismatch."""
    mirror, lines, problems = project.mirror(), [], 0
    if dump.schema_hash != project.schema_hash:
        problems += 1
        lines.append(f"schema hash: the dump was recorded with {dump.schema_hash}, the current schemas are "
                     f"{project.schema_hash} (contract drift: the entries below are checked against the current ones)")
    for entry in dump.entries:
        error = _problem(entry, project.catalog[entry.name], mirror)
        if error is not None:
            problems += 1
            who = f" player {entry.player}" if entry.player else ""
            lines.append(f"entry {entry.index}: {entry.name} {entry.kind} ({entry.direction}{who}): {error}")
    lines.append(f"{dump.path}: {len(dump.entries)} entries checked, "
                 + ("no contract drift" if not problems else f"{problems} problem{'s' if problems != 1 else ''}"))
    return lines, problems
