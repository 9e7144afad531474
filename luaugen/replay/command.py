"""`luaugen replay show | validate | inject DUMP.json`: replay dumps from the command line (docs/replay.md).

Exit codes: 0 ok, 1 contract drift / rejected envelopes / handler errors, 2 a dump or option that cannot be used
(unreadable or truncated JSON, wrong format or version, unknown channel or message).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

DUMP = click.argument("dump_path", metavar="DUMP.json", type=click.Path(dir_okay=False, path_type=Path))
ROOT = click.option("--config-root", "root", type=click.Path(file_okay=False, path_type=Path), default=None,
                    help="Folder holding luaugen.toml (default: nearest one at or above the current folder).")


def _load(root: Path | None, dump_path: Path):
    """The current project and the checked dump; exits 2 with the reason when either cannot be used."""
    from ..config import ConfigError, find_root
    from .dump import ReplayError, load_dump
    from .inspect import current_project

    try:
        project = current_project(find_root(root or Path.cwd()))
        return project, load_dump(dump_path, project.catalog)
    except (ConfigError, ReplayError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


@click.group("replay")
def command() -> None:
    """Read, check and reinject replay dumps exported with Net.replay.export()."""


@command.command("show")
@DUMP
@click.option("--channel", "channels", multiple=True, help="Only this channel (repeatable).")
@click.option("--message", "messages", multiple=True, metavar="[Channel.]Message", help="Only this message (repeatable).")
@click.option("--player", "players", multiple=True, type=int, metavar="USERID", help="Only this player (repeatable).")
@click.option("--direction", type=click.Choice(["in", "out"]), default=None, help="Only inbound or outbound entries.")
@click.option("--full", is_flag=True, help="Print payloads whole instead of cutting them at 100 characters.")
@ROOT
def show_command(dump_path: Path, channels: tuple[str, ...], messages: tuple[str, ...], players: tuple[int, ...],
                 direction: str | None, full: bool, root: Path | None) -> None:
    """Print the dump as a timeline (times relative to the first entry)."""
    from .dump import ReplayError
    from .inspect import Filters, show

    project, dump = _load(root, dump_path)
    try:
        click.echo(show(dump, project, Filters(channels, messages, players, direction), full))
    except ReplayError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)


@command.command("validate")
@DUMP
@ROOT
def validate_command(dump_path: Path, root: Path | None) -> None:
    """Check every captured payload with the Python mirror of the current schemas; exit 1 on contract drift
    (a rejected payload or a different schema hash)."""
    from .inspect import validate

    project, dump = _load(root, dump_path)
    lines, problems = validate(dump, project)
    click.echo("\n".join(lines))
    sys.exit(1 if problems else 0)


@command.command("inject")
@DUMP
@click.option("--handlers", "handlers", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Luau script registering the handlers (Net.<Channel>.<Message>.on) in the fresh peer.")
@click.option("--pacing", type=click.Choice(["fast", "original"]), default="fast", show_default=True,
              help="fast: all at once; original: with the recorded gaps (virtual time).")
@click.option("--allow-schema-mismatch", is_flag=True, help="Inject a dump recorded with other schemas.")
@ROOT
def inject_command(dump_path: Path, handlers: Path, pacing: str, allow_schema_mismatch: bool,
                   root: Path | None) -> None:
    """Reinject the dump's inbound envelopes into a fresh simulated peer running FILE.luau; print what the
    handlers saw. Exit 1 when a handler failed or an envelope was rejected."""
    from .dump import ReplayError
    from .inject import inject

    project, dump = _load(root, dump_path)
    try:
        lines, problems = inject(dump, project, handlers, pacing=pacing, allow_schema_mismatch=allow_schema_mismatch)
    except ReplayError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    click.echo("\n".join(lines))
    sys.exit(1 if problems else 0)
