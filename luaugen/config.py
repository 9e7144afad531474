"""`luaugen.toml`: where schemas live, where output goes, default bounds, runtime and lint settings."""

from __future__ import annotations

import math
import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from .diagnostics import Diagnostic, Span, error

CONFIG_NAME = "luaugen.toml"
PROFILES = ("dev", "release")

DEFAULT_CLIENT = ("src/client/**", "src/StarterPlayer/**", "src/StarterGui/**", "**/*.client.luau", "**/*.client.lua")
DEFAULT_SERVER = ("src/server/**", "src/ServerScriptService/**", "src/ServerStorage/**", "**/*.server.luau", "**/*.server.lua")


@dataclass(frozen=True)
class Limits:
    """Bounds applied to client→server payloads whose schema leaves them open, so the server is never handed unbounded data."""

    string_max_length: int = 256
    array_max_items: int = 128
    map_max_entries: int = 64


@dataclass(frozen=True)
class RuntimeSettings:
    frame_budget: int = 256
    request_timeout: float = 5.0
    max_pending_requests: int = 64
    unreliable_max_bytes: int = 900
    queue_limit: int = 4096
    reply_cache: int = 128
    max_inbound_batch: int = 512
    player_queue_limit: int = 1024  # per player and tier: replies and events to one player
    max_payload_bytes: int = 16384  # estimated size of one client payload; the server walks no further
    remotes_folder: str = "NetworkingRemotes"  # the Folder in ReplicatedStorage holding the two remotes
    # The ModuleScript in ServerScriptService holding the server-only half; None: the server output folder's name.
    server_module: str | None = None


@dataclass(frozen=True)
class LintSettings:
    paths: tuple[str, ...] = ("src",)
    networking_module: str = "Networking"
    client: tuple[str, ...] = DEFAULT_CLIENT
    server: tuple[str, ...] = DEFAULT_SERVER
    exclude: tuple[str, ...] = ()
    rules: tuple[tuple[str, str], ...] = ()
    ignore: tuple[tuple[str, tuple[str, ...]], ...] = ()
    max_file_bytes: int = 1 << 20  # larger files get a `file-too-large` finding instead of being parsed

    def rule_levels(self) -> dict[str, str]:
        return dict(self.rules)


@dataclass(frozen=True)
class Config:
    root: Path
    schemas: str = "schemas"
    profile: str = "dev"
    luau_out: str = "generated/luau/Networking"
    luau_server_out: str | None = None  # None: beside luau_out, its name + "Server"
    python_out: str | None = "generated/python"  # None: `[output] python = false`, no mirror
    python_package: str = "sdc_net"
    manifest: str = "generated/manifest.json"
    max_schema_bytes: int = 1 << 20  # larger schema files are refused before they are read
    limits: Limits = field(default_factory=Limits)
    runtime: RuntimeSettings = field(default_factory=RuntimeSettings)
    lint: LintSettings = field(default_factory=LintSettings)

    @property
    def python_package_dir(self) -> str | None:
        return None if self.python_out is None else f"{self.python_out}/{self.python_package}"

    @property
    def luau_server(self) -> str:
        """The server-only Luau module's folder: validators of what clients send, the reply cache."""
        return self.luau_server_out or self.luau_out + "Server"

    @property
    def server_module(self) -> str:
        """Its instance name in ServerScriptService, where the shared module looks for it on the server."""
        return self.runtime.server_module or PurePosixPath(self.luau_server).name

    @property
    def output_paths(self) -> list[str]:
        """Every path a build writes under (folders and the manifest file), relative to the root."""
        return [p for p in (self.luau_out, self.luau_server, self.python_package_dir, self.manifest) if p is not None]

    def with_profile(self, profile: str) -> "Config":
        return replace(self, profile=profile)


class _BadKey(ValueError):
    """A bad key or value; `key` lets the error point at its line."""

    def __init__(self, message: str, key: str):
        super().__init__(message)
        self.key = key


def _key_position(text: str, key: str) -> tuple[int, int]:
    pattern = re.compile(rf'^([ \t]*)"?{re.escape(key)}"?[ \t]*=', re.MULTILINE)  # not \s: it spans lines
    match = pattern.search(text)
    if match is None:
        return 1, 1
    return text.count("\n", 0, match.start()) + 1, len(match[1]) + 1


class ConfigError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding `luaugen.toml`; `start` itself when there is none."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    return start


def load_config(root: Path) -> Config:
    path = root / CONFIG_NAME
    if not path.is_file():
        config = Config(root=root)
        try:
            _confine(config)
        except _BadKey as exc:  # the defaults lead out through a symlink
            raise ConfigError(error("config-value", str(exc), None, f"add {CONFIG_NAME} with [output] paths")) from exc
        return config
    text = read_config_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib puts the position only in its message: "Invalid value (at line 2, column 19)".
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(where[1]), int(where[2])) if where else (1, 1)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "invalid TOML"
        raise ConfigError(error("config-syntax", f"invalid TOML: {message}", Span(CONFIG_NAME, line, col))) from exc
    try:
        config = _from_dict(root, data)
        _confine(config)
        return config
    except _BadKey as exc:
        line, col = _key_position(text, exc.key)
        raise ConfigError(error("config-value", str(exc), Span(CONFIG_NAME, line, col))) from exc
    except (TypeError, ValueError) as exc:
        raise ConfigError(error("config-value", str(exc), Span(CONFIG_NAME, 1, 1))) from exc


def read_config_text(path: Path) -> str:
    """The text of luaugen.toml, or a ConfigError saying why it cannot be read (located at the bad byte)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(error("config-unreadable", f"cannot read {CONFIG_NAME}: {exc.strerror or exc}",
                                Span(CONFIG_NAME, 1, 1))) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ConfigError(error("encoding", f"not UTF-8 text: {exc.reason}", Span(CONFIG_NAME, line, col),
                                "save the file as UTF-8")) from exc


# Paths a build must never write into, besides the schemas folder.
_PROTECTED = (CONFIG_NAME, ".git")


def _confine(config: Config) -> None:
    """Outputs resolve inside the root (after symlinks), are not the root, and overlap neither each other, the
    schemas folder, luaugen.toml nor .git: a build can then only ever touch its own files."""
    root = config.root.resolve()
    keys = {"luau": config.luau_out, "luau_server": config.luau_server, "python": config.python_package_dir,
            "manifest": config.manifest, "schemas": config.schemas}
    written = dict(keys, python=config.python_out)  # as in luaugen.toml, for messages
    resolved = {}
    for key, relative in keys.items():
        if relative is None:
            continue
        target = (root / relative).resolve()
        if Path(relative).is_absolute() or not target.is_relative_to(root) or target == root:
            raise _BadKey(f"{key} = {written[key]!r} must name a path inside the project folder (not the folder "
                          "itself, not through a symlink leading out)", key)
        resolved[key] = target
    protected = {name: root / name for name in _PROTECTED} | {"schemas": resolved["schemas"]}
    outputs = [key for key in ("luau", "luau_server", "python", "manifest") if key in resolved]
    for i, key in enumerate(outputs):
        others = [(other, resolved[other]) for other in outputs[i + 1:]] + list(protected.items())
        for other, path in others:
            if path.is_relative_to(resolved[key]) or resolved[key].is_relative_to(path):
                raise _BadKey(f"{key} = {written[key]!r} overlaps {other} ({path.relative_to(root).as_posix()}): "
                              "outputs must be separate from each other and from the project's own files", key)


def _section(data: dict, name: str) -> dict:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ValueError(f"[{name}] must be a table")
    return value


def _check_keys(section: dict, name: str, allowed: set[str]) -> None:
    unknown = sorted(set(section) - allowed)
    if unknown:
        raise _BadKey(f"unknown key {unknown[0]!r} in [{name}] (known: {', '.join(sorted(allowed))})", unknown[0])


def _typed(section: dict, key: str, kind: type, default):
    value = section.get(key, default)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if kind is tuple:
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise _BadKey(f"{key} must be a list of strings", key)
        return tuple(value)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _BadKey(f"{key} must be a {kind.__name__}, got {value!r}", key)
    return value


MAX_SETTING = 2**31 - 1  # integers travel into Luau and Python source as literals


def _ranged(section: dict, key: str, kind: type, default, low, high=MAX_SETTING):
    """A numeric setting within [low, high]: zero or negative budgets, caches and timeouts break the runtime."""
    value = _typed(section, key, kind, default)
    if not (math.isfinite(value) and low <= value <= high):
        raise _BadKey(f"{key} must be between {low} and {high}, got {value!r}", key)
    return value


ROBLOX_NAME_MAX = 100  # Roblox cuts an Instance.Name at 100 characters


def _instance_name(section: dict, key: str, default: str) -> str:
    """A Roblox Instance name the runtime can find again: 1 to 100 printable characters, no surrounding spaces."""
    value = _typed(section, key, str, default)
    if (not 1 <= len(value) <= ROBLOX_NAME_MAX or value != value.strip()
            or any(not c.isprintable() for c in value)):
        raise _BadKey(f"{key} must be a Roblox instance name: 1 to {ROBLOX_NAME_MAX} printable characters without "
                      f"leading or trailing spaces, got {value!r}", key)
    return value


def _path(section: dict, key: str, default: str) -> str:
    """A relative path, normalised (`./a/../b` -> `b`); `_confine` checks where it leads."""
    value = _typed(section, key, str, default)
    if not value.strip() or "\0" in value:
        hint = ", or false to turn the Python mirror off" if key == "python" else ""
        raise _BadKey(f"{key} must name a path inside the project folder{hint}, got {value!r}", key)
    return Path(os.path.normpath(value)).as_posix()


def _from_dict(root: Path, data: dict) -> Config:
    _check_keys(data, "luaugen.toml", {"project", "output", "limits", "runtime", "lint"})
    project, output = _section(data, "project"), _section(data, "output")
    limits, runtime, lint = _section(data, "limits"), _section(data, "runtime"), _section(data, "lint")
    _check_keys(project, "project", {"schemas", "profile", "max_schema_bytes"})
    _check_keys(output, "output", {"luau", "luau_server", "python", "python_package", "manifest"})
    _check_keys(limits, "limits", {f for f in Limits.__dataclass_fields__})
    _check_keys(runtime, "runtime", {f for f in RuntimeSettings.__dataclass_fields__})
    _check_keys(lint, "lint", {f for f in LintSettings.__dataclass_fields__})
    base = Config(root=root)
    profile = _typed(project, "profile", str, base.profile)
    if profile not in PROFILES:
        raise _BadKey(f"profile must be one of {', '.join(PROFILES)}, got {profile!r}", "profile")
    package = _typed(output, "python_package", str, base.python_package)
    if not package.isidentifier():
        raise _BadKey(f"python_package must be a Python identifier, got {package!r}", "python_package")
    lint_defaults = LintSettings()
    rules = lint.get("rules", {})
    ignore = lint.get("ignore", {})
    if not isinstance(rules, dict) or not all(isinstance(v, str) for v in rules.values()):
        raise ValueError("[lint.rules] maps rule ids to 'error', 'warning', 'info' or 'off'")
    if not isinstance(ignore, dict) or not all(isinstance(v, list) for v in ignore.values()):
        raise ValueError("[lint.ignore] maps path globs to lists of rule ids")
    return Config(
        root=root,
        schemas=_path(project, "schemas", base.schemas),
        profile=profile,
        luau_out=_path(output, "luau", base.luau_out),
        luau_server_out=_path(output, "luau_server", "") if "luau_server" in output else None,
        python_out=None if output.get("python") is False else _path(output, "python", base.python_out),
        python_package=package,
        manifest=_path(output, "manifest", base.manifest),
        max_schema_bytes=_ranged(project, "max_schema_bytes", int, base.max_schema_bytes, 1),
        limits=Limits(**{k: _ranged(limits, k, int, getattr(Limits(), k), 1) for k in Limits.__dataclass_fields__}),
        runtime=RuntimeSettings(
            frame_budget=_ranged(runtime, "frame_budget", int, RuntimeSettings.frame_budget, 1),
            request_timeout=_ranged(runtime, "request_timeout", float, RuntimeSettings.request_timeout, 0.001, 3600),
            max_pending_requests=_ranged(runtime, "max_pending_requests", int, RuntimeSettings.max_pending_requests, 1),
            unreliable_max_bytes=_ranged(runtime, "unreliable_max_bytes", int, RuntimeSettings.unreliable_max_bytes, 1),
            queue_limit=_ranged(runtime, "queue_limit", int, RuntimeSettings.queue_limit, 1),
            reply_cache=_ranged(runtime, "reply_cache", int, RuntimeSettings.reply_cache, 1),
            max_inbound_batch=_ranged(runtime, "max_inbound_batch", int, RuntimeSettings.max_inbound_batch, 1),
            player_queue_limit=_ranged(runtime, "player_queue_limit", int, RuntimeSettings.player_queue_limit, 1),
            max_payload_bytes=_ranged(runtime, "max_payload_bytes", int, RuntimeSettings.max_payload_bytes, 64),
            remotes_folder=_instance_name(runtime, "remotes_folder", RuntimeSettings.remotes_folder),
            server_module=_instance_name(runtime, "server_module", "") if "server_module" in runtime else None,
        ),
        lint=LintSettings(
            paths=_typed(lint, "paths", tuple, lint_defaults.paths),
            networking_module=_typed(lint, "networking_module", str, lint_defaults.networking_module),
            client=_typed(lint, "client", tuple, lint_defaults.client),
            server=_typed(lint, "server", tuple, lint_defaults.server),
            exclude=_typed(lint, "exclude", tuple, lint_defaults.exclude),
            rules=tuple(sorted(rules.items())),
            ignore=tuple(sorted((k, tuple(v)) for k, v in ignore.items())),
            max_file_bytes=_ranged(lint, "max_file_bytes", int, lint_defaults.max_file_bytes, 1),
        ),
    )
