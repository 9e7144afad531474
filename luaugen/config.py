"""`luaugen.toml`: where schemas live, where output goes, default bounds, runtime and lint settings."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

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
    python_out: str = "generated/python"
    python_package: str = "sdc_net"
    manifest: str = "generated/manifest.json"
    limits: Limits = field(default_factory=Limits)
    runtime: RuntimeSettings = field(default_factory=RuntimeSettings)
    lint: LintSettings = field(default_factory=LintSettings)

    @property
    def python_package_dir(self) -> str:
        return f"{self.python_out}/{self.python_package}"

    def with_profile(self, profile: str) -> "Config":
        return replace(self, profile=profile)


class _BadKey(ValueError):
    """A bad key or value; `key` lets the error point at its line."""

    def __init__(self, message: str, key: str):
        super().__init__(message)
        self.key = key


def _key_position(text: str, key: str) -> tuple[int, int]:
    pattern = re.compile(rf'^(\s*)"?{re.escape(key)}"?\s*=', re.MULTILINE)
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
        return Config(root=root)
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib puts the position only in its message: "Invalid value (at line 2, column 19)".
        where = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(where[1]), int(where[2])) if where else (1, 1)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "invalid TOML"
        raise ConfigError(error("config-syntax", f"invalid TOML: {message}", Span(CONFIG_NAME, line, col))) from exc
    try:
        return _from_dict(root, data)
    except _BadKey as exc:
        line, col = _key_position(text, exc.key)
        raise ConfigError(error("config-value", str(exc), Span(CONFIG_NAME, line, col))) from exc
    except (TypeError, ValueError) as exc:
        raise ConfigError(error("config-value", str(exc), Span(CONFIG_NAME, 1, 1))) from exc


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


def _positive(value: int, key: str) -> int:
    if value <= 0:
        raise _BadKey(f"{key} must be a positive integer, got {value!r}", key)
    return value


def _from_dict(root: Path, data: dict) -> Config:
    _check_keys(data, "luaugen.toml", {"project", "output", "limits", "runtime", "lint"})
    project, output = _section(data, "project"), _section(data, "output")
    limits, runtime, lint = _section(data, "limits"), _section(data, "runtime"), _section(data, "lint")
    _check_keys(project, "project", {"schemas", "profile"})
    _check_keys(output, "output", {"luau", "python", "python_package", "manifest"})
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
        schemas=_typed(project, "schemas", str, base.schemas),
        profile=profile,
        luau_out=_typed(output, "luau", str, base.luau_out),
        python_out=_typed(output, "python", str, base.python_out),
        python_package=package,
        manifest=_typed(output, "manifest", str, base.manifest),
        limits=Limits(**{k: _typed(limits, k, int, getattr(Limits(), k)) for k in Limits.__dataclass_fields__}),
        runtime=RuntimeSettings(
            frame_budget=_typed(runtime, "frame_budget", int, RuntimeSettings.frame_budget),
            request_timeout=_typed(runtime, "request_timeout", float, RuntimeSettings.request_timeout),
            max_pending_requests=_typed(runtime, "max_pending_requests", int, RuntimeSettings.max_pending_requests),
            unreliable_max_bytes=_typed(runtime, "unreliable_max_bytes", int, RuntimeSettings.unreliable_max_bytes),
            queue_limit=_typed(runtime, "queue_limit", int, RuntimeSettings.queue_limit),
            reply_cache=_typed(runtime, "reply_cache", int, RuntimeSettings.reply_cache),
            max_inbound_batch=_typed(runtime, "max_inbound_batch", int, RuntimeSettings.max_inbound_batch),
        ),
        lint=LintSettings(
            paths=_typed(lint, "paths", tuple, lint_defaults.paths),
            networking_module=_typed(lint, "networking_module", str, lint_defaults.networking_module),
            client=_typed(lint, "client", tuple, lint_defaults.client),
            server=_typed(lint, "server", tuple, lint_defaults.server),
            exclude=_typed(lint, "exclude", tuple, lint_defaults.exclude),
            rules=tuple(sorted(rules.items())),
            ignore=tuple(sorted((k, tuple(v)) for k, v in ignore.items())),
            max_file_bytes=_positive(_typed(lint, "max_file_bytes", int, lint_defaults.max_file_bytes), "max_file_bytes"),
        ),
    )
