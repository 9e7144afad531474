"""`luaugen lint [PATH ...]`: a thin wrapper over `lint_sources` (reads files, renders, picks the exit code)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from ..config import ConfigError, find_root, load_config
from ..diagnostics import Severity, has_errors, render_github, render_json, render_text, use_color
from .engine import is_excluded, lint_sources
from .manifest import ManifestError, load_manifest
from .rules import LintConfigError
from .sarif import render_sarif

SUFFIXES = (".luau", ".lua")


def _fail(message: str) -> None:
    click.echo(f"luaugen lint: error: {message}", err=True)
    sys.exit(2)


def collect_files(paths: list[Path], root: Path) -> dict[str, Path]:
    """root-relative posix name -> file, for every Luau file named or found under a named folder."""
    found: dict[str, Path] = {}
    for path in paths:
        if path.is_file():
            candidates = [path]
        elif path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file())
        else:
            raise FileNotFoundError(f"no such file or folder: {path}")
        for file in candidates:
            resolved = file.resolve()
            try:
                name = resolved.relative_to(root).as_posix()
            except ValueError:
                name = file.as_posix()
            found[name] = file
    return found


@click.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "sarif"]), default="text", show_default=True)
@click.option("--manifest", "manifest_path", type=click.Path(path_type=Path), default=None, help="Default: [output] manifest.")
@click.option("--config-root", type=click.Path(path_type=Path, file_okay=False), default=None, help="Folder holding luaugen.toml.")
@click.option("--enable-unused", is_flag=True, help="Report registered messages no code uses (rule unused-message).")
def command(paths: tuple[Path, ...], fmt: str, manifest_path: Path | None, config_root: Path | None, enable_unused: bool) -> None:
    """Check Luau game code against the generated networking manifest."""
    started = time.perf_counter()
    root = (config_root or find_root(Path.cwd())).resolve()
    if not root.is_dir():
        _fail(f"config root {root} is not a folder")
    try:
        config = load_config(root)
    except ConfigError as exc:
        _fail(render_text([exc.diagnostic]).rstrip())
    try:
        manifest = load_manifest(manifest_path if manifest_path is not None else root / config.manifest)
    except ManifestError as exc:
        _fail(str(exc))
    targets = list(paths) if paths else [root / p for p in config.lint.paths]
    try:
        files = collect_files(targets, root)
    except FileNotFoundError as exc:
        _fail(str(exc))
    sources: dict[str, str] = {}
    generated = (config.luau_out, config.luau_server)
    try:
        for name, file in files.items():
            if is_excluded(name, config.lint, generated):
                continue
            with file.open("rb") as handle:  # one byte over the cap is enough for lint_sources to report it unread
                sources[name] = handle.read(config.lint.max_file_bytes + 1).decode("utf-8", "replace")
        diagnostics = lint_sources(manifest, sources, config.lint, generated=generated,
                                   server_module=config.server_module, enable_unused=enable_unused)
    except LintConfigError as exc:
        _fail(str(exc))
    renderers = {"json": render_json, "github": render_github, "sarif": render_sarif}
    if fmt == "text":
        click.echo(render_text(diagnostics, sources, color=use_color(sys.stdout)), nl=False)
        counts = {s: sum(d.severity is s for d in diagnostics) for s in Severity}
        lines = sum(text.count("\n") + (not text.endswith("\n") and bool(text)) for text in sources.values())
        click.echo(
            f"luaugen lint: {len(sources)} files, {lines} lines, {len(diagnostics)} findings "
            f"({counts[Severity.ERROR]} errors, {counts[Severity.WARNING]} warnings, {counts[Severity.INFO]} info) "
            f"in {time.perf_counter() - started:.2f}s",
            err=True,
        )
    else:
        click.echo(renderers[fmt](diagnostics), nl=False)
    sys.exit(1 if has_errors(diagnostics) else 0)
