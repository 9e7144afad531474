"""One `luaugen build`: read the project, compile, then write, check or report. Shared by `build` and `build --watch`."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path

import click

from .compiler import compile_project
from .config import CONFIG_NAME, ConfigError, load_config
from .deploy import DeployError, check_profile, deploy_config, deploy_files, recorded_profile_mismatch
from .diagnostics import Diagnostic, has_errors, render_github, render_json, render_text, use_color
from .project import read_previous_manifest, read_sources
from .write import plan, recover, with_record, write

FORMATS = {"text": None, "json": render_json, "github": render_github}
OK, DRIFT, ERRORS = 0, 1, 2


@dataclass(frozen=True)
class BuildRequest:
    root: Path
    check: bool = False
    profile: str | None = None
    out: Path | None = None
    fmt: str = "text"


def report(diagnostics: list[Diagnostic], sources: dict[str, str], fmt: str) -> None:
    if not diagnostics:
        return
    renderer = FORMATS[fmt]
    if renderer is None:
        click.echo(render_text(diagnostics, sources, color=use_color(sys.stderr)), err=True, nl=False)
    else:
        click.echo(renderer(diagnostics), nl=False)


def _errors_line(count: int) -> str:
    return f"luaugen: {count} error{'s' if count != 1 else ''}; nothing written"


def build_once(request: BuildRequest) -> int:
    """Run one build as the command line asked; prints the summary or the diagnostics; returns the exit code."""
    started = time.perf_counter()
    try:
        config = load_config(request.root)
    except ConfigError as exc:
        try:
            text = (request.root / CONFIG_NAME).read_text(encoding="utf-8", errors="replace")
        except OSError:
            text = ""  # unreadable: the diagnostic says so
        report([exc.diagnostic], {CONFIG_NAME: text}, request.fmt)
        click.echo(_errors_line(1), err=True)
        return ERRORS
    committed = config
    try:
        check_profile(config, request.profile, request.out)
        if request.profile:
            config = config.with_profile(request.profile)
        target = deploy_config(config, request.out) if request.out is not None else config
    except DeployError as exc:
        click.echo(f"luaugen: {exc}", err=True)
        return ERRORS
    sources, problems = read_sources(config)
    previous, manifest_problems = read_previous_manifest(config)
    problems += manifest_problems
    result = compile_project(config, sources, previous) if not has_errors(problems) else None
    diagnostics = problems + (result.diagnostics if result else [])
    report(diagnostics, sources, request.fmt)
    if has_errors(diagnostics):
        click.echo(_errors_line(sum(d.is_error for d in diagnostics)), err=True)
        return ERRORS
    files, lock = result.files, previous
    if target is not config:  # a deploy folder has no manifest: a record of its files stands in for it
        files, lock = with_record(target, deploy_files(config, target, result.files))
    if request.check:
        return _check(target, committed, lock, plan(target, files, lock), request.fmt)
    try:
        for line in recover(target):
            click.echo(f"luaugen: {line}", err=True)
        the_plan = plan(target, files, lock)
        write(target, files, the_plan)
    except (OSError, ValueError) as exc:
        detail = f"{exc.strerror}: {exc.filename}" if isinstance(exc, OSError) and exc.filename else str(exc)
        click.echo(f"luaugen: cannot write the build: {detail}; the previous output is unchanged", err=True)
        return ERRORS
    elapsed = time.perf_counter() - started
    channels, messages = result.channels, result.messages
    where = f" -> {target.root}" if target is not config else ""
    click.echo(
        f"luaugen {config.profile}: {len(sources)} schema files, {channels} channels, {messages} messages{where}\n"
        f"  written {len(the_plan.changed)}, unchanged {len(the_plan.unchanged)}, removed {len(the_plan.stale)}"
        f" in {elapsed * 1000:.0f} ms"
    )
    for path in the_plan.changed:
        click.echo(f"  wrote {path}")
    for path in the_plan.stale:
        click.echo(f"  removed {path}")
    for path in the_plan.kept:
        click.echo(f"  left {path} (no longer generated, but edited since luaugen wrote it)")
    return OK


def _check(target, committed, previous: dict | None, the_plan, fmt: str) -> int:
    if the_plan.is_clean:
        click.echo(f"luaugen: generated files are up to date ({len(the_plan.unchanged)} files)", err=True)
        return OK
    mismatch = recorded_profile_mismatch(committed, previous)
    if mismatch:
        click.echo(f"luaugen: {mismatch}", err=True)
    stale = ([(path, "stale") for path in the_plan.changed] + [(path, "no longer produced") for path in the_plan.stale]
             + [(path, "left by an interrupted build") for path in the_plan.leftovers])
    for path, why in stale:
        if fmt == "github":
            click.echo(f"::error file={path},title=luaugen build --check::{why}: run `luaugen build` and commit")
        else:
            click.echo(f"{why}: {path}", err=True)
    click.echo("luaugen: generated files differ from the schemas; run `luaugen build` and commit", err=True)
    return DRIFT
