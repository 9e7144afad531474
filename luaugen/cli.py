"""The `luaugen` command line: thin wrappers around the pure core. Exit codes: 0 ok, 1 drift or findings, 2 errors.

Start-up stays cheap (`luaugen --help` imports click and nothing heavy): each command imports what it needs when it
runs, and the commands defined in other packages are imported only when invoked.
"""

from __future__ import annotations

import sys
from importlib import import_module
from pathlib import Path

import click

from . import __version__
from .config import PROFILES, find_root

# Commands defined elsewhere: (module, attribute, the one-line help shown by `luaugen --help`). The help is written
# here so listing the commands imports none of them; tests/compiler/test_cli_startup.py checks it matches each command.
LAZY_COMMANDS = {
    "breaking": ("luaugen.breaking.command", "command",
                 "Compare the current contract with a previous one and classify every difference."),
    "lint": ("luaugen.lint.command", "command", "Check Luau game code against the generated networking manifest."),
    "replay": ("luaugen.replay.command", "command", "Read, check and reinject replay dumps exported with Net.replay.export()."),
    "stress": ("luaugen.sim.command", "command", "Spam the project's channels from simulated clients and the server; "
               "report counters, latency, queues and saturation."),
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS:
            module, attribute, _ = LAZY_COMMANDS[name]
            return getattr(import_module(module), attribute)
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        limit = formatter.width - 6 - max(len(name) for name in self.list_commands(ctx))
        rows = []
        for name in self.list_commands(ctx):
            if name in LAZY_COMMANDS:
                rows.append((name, click.Command(name, help=LAZY_COMMANDS[name][2]).get_short_help_str(limit)))
            else:
                rows.append((name, self.commands[name].get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=_LazyGroup)
@click.version_option(__version__, prog_name="luaugen")
def main() -> None:
    """Compile Strongest Dungeon Crawler's channel schemas into typed Luau and a Python mirror."""


@main.command()
@click.option("--check", is_flag=True, help="Write nothing; exit 1 and name the stale files if generated/ is out of date.")
@click.option("--profile", type=click.Choice(PROFILES),
              help="Build profile (default from luaugen.toml). Another profile than luaugen.toml's needs --out.")
@click.option("--out", type=click.Path(path_type=Path), metavar="DIR",
              help="Write only the Luau module, into DIR (a deploy build); the committed tree is not touched.")
@click.option("--watch", is_flag=True, help="Rebuild whenever a schema or luaugen.toml changes, until Ctrl+C.")
@click.option("--format", "fmt", type=click.Choice(["github", "json", "text"]), default="text", show_default=True,
              help="How to print diagnostics.")
@click.option("--config-root", "--root", "root", type=click.Path(file_okay=False, path_type=Path),
              help="Folder holding luaugen.toml (default: nearest one at or above the current folder).")
def build(check: bool, profile: str | None, out: Path | None, watch: bool, fmt: str, root: Path | None) -> None:
    """Validate the schemas and (re)generate the Luau modules, the Python mirror and the manifest."""
    from .build import BuildRequest, build_once

    if watch and check:
        raise click.UsageError("--watch rebuilds and writes; it cannot be combined with --check")
    request = BuildRequest(root=root.resolve() if root else find_root(Path.cwd()), check=check, profile=profile,
                           out=out, fmt=fmt)
    if watch:
        from .watch import watch_builds

        try:
            watch_builds(request)
        except KeyboardInterrupt:
            click.echo("luaugen: stopped watching", err=True)
        return
    sys.exit(build_once(request))


@main.command()
@click.argument("folder", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite existing files (and a conflicting Rojo entry).")
@click.option("--rojo", is_flag=True, help="Merge the Networking entry into default.project.json instead of printing it.")
@click.option("--install", metavar="REQUIREMENT",
              help="pip requirement the CI workflow installs luaugen with (default: where this luaugen came from).")
def init(folder: Path, force: bool, rojo: bool, install: str | None) -> None:
    """Start using luaugen in FOLDER (default: here): config, example channel, Rojo entry, CI workflow."""
    from .init import InitError, init_project, next_steps

    try:
        result = init_project(folder, force=force, rojo=rojo, install=install)
    except InitError as exc:
        click.echo(f"luaugen init: {exc}", err=True)
        sys.exit(2)
    click.echo(next_steps(result), nl=False)


@main.command()
def schema() -> None:
    """Print the JSON Schema of schema files (for editors and the YAML language server)."""
    from .validate.metaschema import meta_schema_text

    click.echo(meta_schema_text(), nl=False)


if __name__ == "__main__":
    main()
