"""`luaugen stress`: spam every channel through the generated dispatcher in the simulator and check latency bands
and error thresholds.

Exit codes: 0 thresholds hold, 1 a threshold is violated, 2 usage errors (unknown message, bad option, config or
compile errors).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..config import ConfigError, find_root
from .network import Link
from .stress import DEFAULT_THRESHOLDS, run_stress
from .stress_report import TIERS


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


@click.command("stress")
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
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--config-root", "root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder holding luaugen.toml (default: nearest one at or above the current folder).")
def command(clients: int, seconds: float, rate_factor: float, latency: float, jitter: float, loss: float, seed: int,
            messages: tuple[str, ...], max_p99: tuple[str, ...], max_invalid: int, max_failed_ratio: float | None,
            fmt: str, root: Path | None) -> None:
    """Spam the project's channels from simulated clients and the server; report counters, latency and queues."""
    thresholds: dict = {**DEFAULT_THRESHOLDS, "max_invalid": max_invalid}
    if max_p99:
        thresholds["p99_ms"] = _tier_limits(max_p99)
    if max_failed_ratio is not None:
        thresholds["max_failed_ratio"] = max_failed_ratio
    link = Link(latency=latency / 1000, jitter=jitter / 1000, loss=loss)
    try:
        report = run_stress(find_root(root or Path.cwd()), clients=clients, seconds=seconds, rate_factor=rate_factor,
                            link=link, seed=seed, messages=list(messages) or None)
    except (ConfigError, ValueError) as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    violations = report.check(thresholds)
    if fmt == "json":
        click.echo(json.dumps({"report": report.to_dict(), "thresholds": thresholds, "violations": violations},
                              indent=2, allow_nan=False))
    else:
        click.echo(report.format())
        for violation in violations:
            click.echo(f"FAIL {violation}")
        if not violations:
            click.echo("thresholds: ok")
    sys.exit(1 if violations else 0)
