"""`luaugen breaking --against REF`: classify every contract change since REF (a git revision or a saved manifest).

Exit codes: 0 no breaking change, 1 breaking changes, 2 usage errors (bad ref, unreadable manifest, compile errors).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..config import ConfigError, find_root, load_config
from ..diagnostics import Diagnostic, render_github, render_json, render_text, sorted_diagnostics, use_color
from .compare import Change, ManifestError, Side, compare_changes, summarize
from .sources import Contract, SourceError, load_manifest_file, load_revision, load_working_tree

FORMATS = ("text", "json", "github")


def _render(fmt: str, diagnostics: list[Diagnostic], sources_for: list[dict[str, str]] | None = None,
            color: bool = False) -> str:
    if fmt == "json":
        return render_json(diagnostics)
    if fmt == "github":
        return render_github(diagnostics)
    if sources_for is None:
        return render_text(diagnostics, color=color)
    return "".join(render_text([d], s, color=color) for d, s in zip(diagnostics, sources_for))


def _fail(fmt: str, diagnostics: list[Diagnostic], sources: dict[str, str] | None = None) -> None:
    """Report errors that stop the comparison (exit 2). Machine formats still go to stdout so CI can read them."""
    diagnostics = sorted_diagnostics(diagnostics)
    if fmt == "text":
        click.echo(render_text(diagnostics, sources or {}, color=use_color(sys.stderr)), nl=False, err=True)
    else:
        click.echo(_render(fmt, diagnostics), nl=False)
    sys.exit(2)


def _old_contract(against: str, root: Path, cwd: Path, profile: str) -> Contract:
    candidate = Path(against)
    if not candidate.is_absolute():
        candidate = cwd / candidate
    if candidate.is_file():
        return load_manifest_file(candidate)
    return load_revision(root, against, profile)


@click.command("breaking")
@click.option("--against", "against", required=True, metavar="REF",
              help="Git revision (branch, tag, commit) or a saved manifest.json to compare against.")
@click.option("--new-manifest", "new_manifest", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Use this saved manifest as the new contract instead of compiling the working tree.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Output format.")
@click.option("--config-root", "root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder holding luaugen.toml (default: nearest one at or above the current folder).")
@click.option("--quiet", "-q", is_flag=True, help="Report breaking changes only (compatible ones are still counted).")
def command(against: str, new_manifest: Path | None, fmt: str, root: Path | None, quiet: bool) -> None:
    """Compare the current contract with a previous one and classify every difference.

    Breaking changes are errors; compatible ones are informational. The direction of each message decides which
    changes break old clients: the server validates what clients send (it may only accept more), old clients validate
    what the server sends (it may only send less).
    """
    cwd = Path.cwd()
    root = (root or find_root(cwd)).resolve()
    try:
        config = load_config(root)
    except ConfigError as exc:
        _fail(fmt, [exc.diagnostic])
        return
    try:
        old = _old_contract(against, root, cwd, config.profile)
        new = load_manifest_file(new_manifest if new_manifest.is_absolute() else cwd / new_manifest) if new_manifest else load_working_tree(config)
        changes: list[Change] = compare_changes(old.manifest, new.manifest)
    except SourceError as exc:
        _fail(fmt, exc.diagnostics, exc.sources)
        return
    except ManifestError as exc:
        _fail(fmt, [SourceError(str(exc)).diagnostics[0]])
        return

    changes.sort(key=lambda c: c.diagnostic.sort_key())
    diagnostics = [c.diagnostic for c in changes]
    breaking, compatible = summarize(diagnostics)
    shown = [c for c in changes if c.breaking or not quiet]
    shown_diags = [c.diagnostic for c in shown]
    sources_for = [(new.sources if c.side is Side.NEW else old.sources) for c in shown]
    output = _render(fmt, shown_diags, sources_for, color=use_color(sys.stdout))
    click.echo(output, nl=False)
    click.echo(f"luaugen breaking: {breaking} breaking, {compatible} compatible (against {old.label})", err=True)
    sys.exit(1 if breaking else 0)
