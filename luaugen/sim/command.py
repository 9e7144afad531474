"""`luaugen stress`: spam the project's channels through the generated dispatcher in the simulator, check latency
bands and error thresholds, and compare queueing against the fifo and legacy netray dispatchers.

    luaugen stress scenarios/overload.yaml --dispatcher all --report overload.html

Exit codes: 0 every assertion holds, 1 an assertion is violated, 2 usage errors (bad scenario, unknown message,
bad option, config or compile errors).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click
from click.core import ParameterSource

from ..config import ConfigError, find_root
from .network import Link
from .stress_report import TIERS

DISPATCHER_CHOICES = ("tiered", "fifo", "netray", "all")


def _tier_limits(values: tuple[str, ...]) -> dict[str, float]:
    limits = {}
    for value in values:
        tier, sep, ms = value.partition("=")
        tier = tier.strip().upper()
        try:
            limits[tier] = float(ms)
        except ValueError:
            sep = ""
        if not sep or tier not in TIERS:
            raise click.BadParameter(f"expected TIER=MS with TIER one of {', '.join(TIERS)}, got {value!r}",
                                     param_hint="--max-p99")
    return limits


class Progress:
    """A one-line progress bar on stderr when it is a terminal (never in CI or when piped)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, frame: int, frames: int) -> None:
        if not self.enabled:
            return
        width = 30
        done = width * frame // frames
        sys.stderr.write(f"\r[{'#' * done}{'.' * (width - done)}] {frame * 100 // frames:3d}%  frame {frame}/{frames}")
        if frame == frames:
            sys.stderr.write("\r" + " " * (width + 30) + "\r")
        sys.stderr.flush()


def _show_progress(choice: str) -> bool:
    if choice != "auto":
        return choice == "on"
    return sys.stderr.isatty() and not os.environ.get("CI")


def _explicit(ctx: click.Context, name: str) -> bool:
    return ctx.get_parameter_source(name) == ParameterSource.COMMANDLINE


@click.command("stress")
@click.argument("scenario_path", metavar="[SCENARIO.yaml]", required=False,
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--clients", type=click.IntRange(min=1), default=4, show_default=True, help="Simulated players.")
@click.option("--seconds", type=click.FloatRange(min=0, min_open=True), default=5.0, show_default=True,
              help="Virtual seconds of traffic (then in-flight traffic drains).")
@click.option("--rate-factor", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="Intents are sent at this multiple of their declared rate.")
@click.option("--latency", type=click.FloatRange(min=0), default=0.0, show_default=True, help="One-way latency, ms.")
@click.option("--jitter", type=click.FloatRange(min=0), default=0.0, show_default=True, help="Extra random delay, ms.")
@click.option("--loss", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Loss probability of unreliable packets.")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--message", "messages", multiple=True, metavar="Channel.Message",
              help="Only send these messages (repeatable; default: all).")
@click.option("--max-p99", "max_p99", multiple=True, metavar="TIER=MS",
              help="Fail when the tier's one-way p99 latency exceeds MS (repeatable).")
@click.option("--max-invalid", type=click.IntRange(min=0), default=0, show_default=True,
              help="Fail when more payloads than this are rejected as invalid.")
@click.option("--max-failed-ratio", type=click.FloatRange(0, 1), default=None,
              help="Fail when more than this fraction of requests fails.")
@click.option("--dispatcher", type=click.Choice(DISPATCHER_CHOICES), default="tiered", show_default=True,
              help="tiered: the generated runtime; fifo / netray: baselines (queueing model only); all: the three "
                   "side by side with the saturation reduction.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write a self-contained HTML report (charts as inline SVG).")
@click.option("--progress", type=click.Choice(["auto", "on", "off"]), default="auto", show_default=True,
              help="Progress bar on stderr (auto: only on a terminal, never when CI is set).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--config-root", "root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder holding luaugen.toml (default: nearest one at or above the current folder).")
@click.pass_context
def command(ctx: click.Context, scenario_path: Path | None, clients: int, seconds: float, rate_factor: float,
            latency: float, jitter: float, loss: float, seed: int, messages: tuple[str, ...], max_p99: tuple[str, ...],
            max_invalid: int, max_failed_ratio: float | None, dispatcher: str, report_path: Path | None,
            progress: str, fmt: str, root: Path | None) -> None:
    """Spam the project's channels from simulated clients and the server; report counters, latency, queues and
    saturation. A SCENARIO.yaml (docs/stress.md) sets everything at once; flags given explicitly override it."""
    from .run import StressOptions, run_command
    from .scenario import Scenario, ScenarioError, load_scenario

    try:
        scenario = load_scenario(scenario_path) if scenario_path else Scenario(path="")
    except ScenarioError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    thresholds: dict = dict(scenario.thresholds)
    if _explicit(ctx, "max_invalid") or "max_invalid" not in thresholds:
        thresholds["max_invalid"] = max_invalid
    if max_p99:
        thresholds["p99_ms"] = _tier_limits(max_p99)
    if max_failed_ratio is not None:
        thresholds["max_failed_ratio"] = max_failed_ratio
    link = scenario.link
    if not scenario_path or any(_explicit(ctx, n) for n in ("latency", "jitter", "loss")):
        link = Link(latency=latency / 1000, jitter=jitter / 1000, loss=loss)
    pick = lambda name, mine, theirs: mine if not scenario_path or _explicit(ctx, name) else theirs  # noqa: E731
    options = StressOptions(
        clients=pick("clients", clients, scenario.clients), seconds=pick("seconds", seconds, scenario.seconds),
        rate_factor=pick("rate_factor", rate_factor, scenario.rate_factor), link=link,
        seed=pick("seed", seed, scenario.seed), messages=list(messages) or None,
        message_rates=None if messages else scenario.messages or None, frame_budget=scenario.frame_budget,
        thresholds=thresholds, saturation=scenario.saturation,
        dispatchers=("tiered", "fifo", "netray") if dispatcher == "all" else (dispatcher,),
        title=scenario.description or (scenario_path.name if scenario_path else "luaugen stress"))
    try:
        outcome = run_command(find_root(root or Path.cwd()), options, Progress(_show_progress(progress)))
    except (ConfigError, ValueError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    if report_path:
        from .stress_html import render_html

        try:
            report_path.write_text(render_html(outcome), encoding="utf-8")
        except OSError as exc:
            click.echo(f"error: cannot write the report: {exc}", err=True)
            sys.exit(2)
    if fmt == "json":
        click.echo(json.dumps(outcome.to_dict(), indent=2, allow_nan=False))
    else:
        click.echo(outcome.format())
        if report_path:
            click.echo(f"report: {report_path}")
    sys.exit(1 if outcome.violations else 0)
