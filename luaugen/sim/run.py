"""One `luaugen stress` run: the generated runtime in the simulator (when `tiered` is asked for) plus the
queueing models of the chosen dispatchers over the same traffic, checked against the assertions."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .network import Link
from .saturation import Comparison, compare, sources_for
from .stress import prepare, run_stress
from .stress_report import StressReport


@dataclass(frozen=True)
class StressOptions:
    clients: int = 4
    seconds: float = 5.0
    rate_factor: float = 1.0
    link: Link = field(default_factory=Link)
    seed: int = 1
    messages: list[str] | None = None
    message_rates: dict[str, Any] | None = None  # {name: scenario.MessageRate}
    frame_budget: int | None = None
    thresholds: dict[str, Any] = field(default_factory=dict)
    saturation: dict[str, float] = field(default_factory=dict)  # limits on the tiered dispatcher's figures
    dispatchers: tuple[str, ...] = ("tiered",)
    title: str = "luaugen stress"


@dataclass
class Outcome:
    options: StressOptions
    frame_budget: int
    report: StressReport | None  # None when only baselines ran
    comparison: Comparison
    violations: list[str]

    def format(self) -> str:
        parts = [self.report.format()] if self.report else []
        parts.append(f"saturation: CRITICAL+HIGH queueing, frame budget {self.frame_budget}, "
                     f"{self.options.clients} clients, {self.options.seconds:g} s (docs/stress.md)")
        parts.append(self.comparison.format())
        parts += [f"FAIL {v}" for v in self.violations]
        parts.append("assertions: ok" if not self.violations else f"assertions: {len(self.violations)} failed")
        return "\n".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"report": self.report.to_dict() if self.report else None, "thresholds": self.options.thresholds,
                "saturation_limits": self.options.saturation, "saturation": self.comparison.to_dict(),
                "frame_budget": self.frame_budget, "violations": self.violations}


def run_command(root: Path, options: StressOptions, progress: Callable[[int, int], None] | None = None) -> Outcome:
    prepared = prepare(root, rate_factor=options.rate_factor, messages=options.messages,
                       message_rates=options.message_rates, frame_budget=options.frame_budget)
    runtime = prepared.config.runtime
    wanted = set(options.dispatchers) | ({"tiered", "netray"} if options.saturation else set())
    comparison = compare(sources_for(prepared.catalog, prepared.rates), tuple(wanted), clients=options.clients,
                         seconds=options.seconds, link=options.link, seed=options.seed, budget=runtime.frame_budget,
                         queue_limit=runtime.queue_limit)
    report = None
    violations: list[str] = []
    if "tiered" in options.dispatchers:
        report = run_stress(root, clients=options.clients, seconds=options.seconds, rate_factor=options.rate_factor,
                            link=options.link, seed=options.seed, prepared=prepared, progress=progress)
        violations += report.check(options.thresholds)
    violations += comparison.check(options.saturation)
    return Outcome(options, runtime.frame_budget, report, comparison, violations)
