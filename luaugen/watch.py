"""`luaugen build --watch`: rebuild whenever a schema file or luaugen.toml changes, until Ctrl+C.

Each rebuild is an ordinary build: it prints the summary or the diagnostics, and writes atomically or not at all,
so a schema that is invalid while the user types leaves the last good output in place and the watcher waiting.
"""

from __future__ import annotations

import os
import traceback
from pathlib import Path

import click
from watchfiles import Change, watch

from .build import BuildRequest, build_once
from .config import CONFIG_NAME, ConfigError, load_config
from .project import SCHEMA_SUFFIXES

# Editors save in bursts (write, rename, chmod): changes this close together make one rebuild.
DEBOUNCE_MS = 300
POLL_MS = 200


class _Relevant:
    """Accepts changes to luaugen.toml and to schema files in the schemas folder the config names right now."""

    def __init__(self, root: Path):
        self.root = root
        self.schemas = (root / "schemas").resolve()
        self.refresh()

    def refresh(self) -> None:
        try:
            self.schemas = (self.root / load_config(self.root).schemas).resolve()
        except ConfigError:
            pass  # an invalid luaugen.toml while the user types it: keep watching the last good schemas folder

    def __call__(self, change: Change, path: str) -> bool:
        changed = Path(path)
        if changed == self.root / CONFIG_NAME:
            return True
        return changed.suffix in SCHEMA_SUFFIXES and self.schemas in changed.parents


def _describe(changes: set[tuple[Change, str]], root: Path) -> str:
    names = sorted({Path(path).relative_to(root).as_posix() if Path(path).is_relative_to(root) else path
                    for _, path in changes})
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"changed: {shown}"


def _build(request: BuildRequest) -> None:
    try:
        build_once(request)
    except OSError as exc:  # e.g. a file deleted between listing and reading it: the next change rebuilds
        click.echo(f"luaugen: {exc}; waiting for the next change", err=True)
    except Exception:  # a bug in luaugen must not end the session the user is typing in
        click.echo(traceback.format_exc(), err=True, nl=False)
        click.echo("luaugen: internal error (please report it); waiting for the next change", err=True)


def watch_builds(request: BuildRequest) -> None:
    root = request.root.resolve()
    relevant = _Relevant(root)
    _build(request)
    ready = False
    # yield_on_timeout: the first (empty) yield means the watcher is running, so "watching" is never printed early.
    for changes in watch(root, watch_filter=relevant, debounce=DEBOUNCE_MS, step=50, rust_timeout=POLL_MS,
                         yield_on_timeout=True):
        if not changes:
            if not ready:
                ready = True
                click.echo(f"luaugen: watching {os.path.relpath(relevant.schemas, root)}/ and {CONFIG_NAME}"
                           " (Ctrl+C to stop)", err=True)
            continue
        click.echo(f"\nluaugen: {_describe(changes, root)}", err=True)
        relevant.refresh()
        _build(request)
