"""The `luaugen` command line: thin wrappers around the pure core. Exit codes: 0 ok, 1 drift or findings, 2 errors."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from . import __version__
from .compiler import compile_project
from .config import CONFIG_NAME, PROFILES, ConfigError, find_root, load_config
from .diagnostics import Diagnostic, has_errors, render_github, render_json, render_text
from .project import read_previous_manifest, read_sources
from .validate.metaschema import meta_schema_text
from .write import plan, recover, write

FORMATS = {"text": None, "json": render_json, "github": render_github}


def report(diagnostics: list[Diagnostic], sources: dict[str, str], fmt: str) -> None:
    if not diagnostics:
        return
    renderer = FORMATS[fmt]
    click.echo(render_text(diagnostics, sources) if renderer is None else renderer(diagnostics), err=fmt == "text",
               nl=False)


@click.group()
@click.version_option(__version__, prog_name="luaugen")
def main() -> None:
    """Compile Strongest Dungeon Crawler's channel schemas into typed Luau and a Python mirror."""


@main.command()
@click.option("--check", is_flag=True, help="Write nothing; exit 1 and name the stale files if generated/ is out of date.")
@click.option("--profile", type=click.Choice(PROFILES), help="Build profile (default from luaugen.toml).")
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="text", show_default=True,
              help="How to print diagnostics.")
@click.option("--config-root", "--root", "root", type=click.Path(file_okay=False, path_type=Path),
              help="Folder holding luaugen.toml (default: nearest one at or above the current folder).")
def build(check: bool, profile: str | None, fmt: str, root: Path | None) -> None:
    """Validate the schemas and (re)generate the Luau modules, the Python mirror and the manifest."""
    started = time.perf_counter()
    project_root = root.resolve() if root else find_root(Path.cwd())
    try:
        config = load_config(project_root)
    except ConfigError as exc:
        config_file = project_root / CONFIG_NAME
        try:
            text = config_file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            text = ""
        report([exc.diagnostic], {CONFIG_NAME: text}, fmt)
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
    if check:
        _check(config, result.files, previous, fmt)
        return
    try:
        for line in recover(config):
            click.echo(f"luaugen: {line}", err=True)
        the_plan = plan(config, result.files, previous)
        write(config, result.files, the_plan)
    except (OSError, ValueError) as exc:
        detail = f"{exc.strerror}: {exc.filename}" if isinstance(exc, OSError) and exc.filename else str(exc)
        click.echo(f"luaugen: cannot write the build: {detail}; the previous output is unchanged", err=True)
        sys.exit(2)
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
    for path in the_plan.kept:
        click.echo(f"  left {path} (no longer generated, but edited since luaugen wrote it)")


def _check(config, files: dict[str, str], previous: dict | None, fmt: str) -> None:
    the_plan = plan(config, files, previous)
    if the_plan.is_clean:
        click.echo(f"luaugen: generated files are up to date ({len(the_plan.unchanged)} files)", err=True)
        return
    stale = ([(path, "stale") for path in the_plan.changed] + [(path, "no longer produced") for path in the_plan.stale]
             + [(path, "left by an interrupted build") for path in the_plan.leftovers])
    for path, why in stale:
        if fmt == "github":
            click.echo(f"::error file={path},title=luaugen build --check::{why}: run `luaugen build` and commit")
        else:
            click.echo(f"{why}: {path}", err=True)
    click.echo("luaugen: generated files differ from the schemas; run `luaugen build` and commit", err=True)
    sys.exit(1)


@main.command()
def schema() -> None:
    """Print the JSON Schema of schema files (for editors and the YAML language server)."""
    click.echo(meta_schema_text(), nl=False)


def _register_tools() -> None:
    from .breaking.command import command as breaking
    from .lint.command import command as lint
    from .sim.command import command as stress

    main.add_command(breaking, "breaking")
    main.add_command(lint, "lint")
    main.add_command(stress, "stress")


_register_tools()


if __name__ == "__main__":
    main()
