"""The `luaugen` command line: thin wrappers around the pure core. Exit codes: 0 ok, 1 drift or findings, 2 errors.

Start-up stays cheap (`luaugen --help` imports click and nothing heavy): each command imports what it needs when it
runs, and the commands defined in other packages are imported only when invoked.
"""

from __future__ import annotations

import sys
import time
from importlib import import_module
from pathlib import Path

import click

from . import __version__
from .config import CONFIG_NAME, PROFILES, ConfigError, find_root, load_config
from .diagnostics import Diagnostic, has_errors

FORMATS = ("github", "json", "text")

# Commands defined elsewhere: (module, attribute, the one-line help shown by `luaugen --help`). The help is written
# here so listing the commands imports none of them; tests/compiler/test_cli.py checks it matches each command.
LAZY_COMMANDS = {
    "breaking": ("luaugen.breaking.command", "command",
                 "Compare the current contract with a previous one and classify every difference."),
    "lint": ("luaugen.lint.command", "command", "Check Luau game code against the generated networking manifest."),
    "stress": ("luaugen.sim.command", "command",
               "Spam the project's channels from simulated clients and the server; report counters, latency and queues."),
}


def report(diagnostics: list[Diagnostic], sources: dict[str, str], fmt: str) -> None:
    if not diagnostics:
        return
    from .diagnostics import render_github, render_json, render_text

    text = {"text": lambda: render_text(diagnostics, sources), "json": lambda: render_json(diagnostics),
            "github": lambda: render_github(diagnostics)}[fmt]()
    click.echo(text, err=fmt == "text", nl=False)


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
@click.option("--profile", type=click.Choice(PROFILES), help="Build profile (default from luaugen.toml).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="How to print diagnostics.")
@click.option("--config-root", "--root", "root", type=click.Path(file_okay=False, path_type=Path),
              help="Folder holding luaugen.toml (default: nearest one at or above the current folder).")
def build(check: bool, profile: str | None, fmt: str, root: Path | None) -> None:
    """Validate the schemas and (re)generate the Luau modules, the Python mirror and the manifest."""
    import json

    from .compiler import compile_project
    from .project import read_previous_manifest, read_sources
    from .write import plan, write

    started = time.perf_counter()
    project_root = root.resolve() if root else find_root(Path.cwd())
    try:
        config = load_config(project_root)
    except ConfigError as exc:
        config_file = project_root / CONFIG_NAME
        report([exc.diagnostic], {CONFIG_NAME: config_file.read_text(encoding="utf-8", errors="replace")}, fmt)
        click.echo("luaugen: 1 error; nothing written", err=True)
        sys.exit(2)
    if profile:
        config = config.with_profile(profile)
    sources, problems = read_sources(config)
    previous, manifest_problems = read_previous_manifest(config)
    problems += manifest_problems
    result = compile_project(config, sources, previous) if not has_errors(problems) else None
    diagnostics = problems + (result.diagnostics if result else [])
    report(diagnostics, sources, fmt)
    if has_errors(diagnostics):
        errors = sum(d.is_error for d in diagnostics)
        click.echo(f"luaugen: {errors} error{'s' if errors != 1 else ''}; nothing written", err=True)
        sys.exit(2)
    the_plan = plan(config, result.files)
    if check:
        if the_plan.is_clean:
            click.echo(f"luaugen: generated files are up to date ({len(the_plan.unchanged)} files)", err=True)
            return
        stale = [(path, "stale") for path in the_plan.changed] + [(path, "no longer produced") for path in the_plan.stale]
        for path, why in stale:
            if fmt == "github":
                click.echo(f"::error file={path},title=luaugen build --check::{why}: run `luaugen build` and commit")
            else:
                click.echo(f"{why}: {path}", err=True)
        click.echo("luaugen: generated files differ from the schemas; run `luaugen build` and commit", err=True)
        sys.exit(1)
    write(config, result.files, the_plan)
    elapsed = time.perf_counter() - started
    manifest = json.loads(result.files[config.manifest])
    channels = len(manifest["channels"])
    messages = sum(len(c["messages"]) for c in manifest["channels"])
    click.echo(
        f"luaugen {config.profile}: {len(sources)} schema files, {channels} channels, {messages} messages\n"
        f"  written {len(the_plan.changed)}, unchanged {len(the_plan.unchanged)}, removed {len(the_plan.stale)}"
        f" in {elapsed * 1000:.0f} ms"
    )
    for path in the_plan.changed:
        click.echo(f"  wrote {path}")
    for path in the_plan.stale:
        click.echo(f"  removed {path}")


@main.command()
def schema() -> None:
    """Print the JSON Schema of schema files (for editors and the YAML language server)."""
    from .validate.metaschema import meta_schema_text

    click.echo(meta_schema_text(), nl=False)


if __name__ == "__main__":
    main()
