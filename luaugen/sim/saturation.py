"""The saturation figure: the same traffic through the tiered, fifo and netray dispatchers (luaugen.sim.dispatchers),
side by side, and the reduction the tiered dispatcher achieves.

Saturation, for CRITICAL and HIGH traffic: the share of frames in which a queued message had been waiting longer
than one frame (a CRITICAL or HIGH message dropped by a full queue counts for its frame too), and the p99
queueing delay. docs/stress.md explains the definition and how to read the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .dispatchers import DISPATCHERS, WATCHED, Run, Source, run_dispatcher
from .network import Link

# Scenario `assertions.saturation` keys: limits on the tiered dispatcher's figures.
SATURATION_KEYS = ("max_share", "max_p99_ms", "min_reduction", "critical_max_frames")


def sources_for(catalog: dict[str, dict], rates: dict[str, float]) -> list[Source]:
    """One Source per message that has a rate, in catalog order."""
    return [Source(name, m["qos"], m["reliable"], m["kind"] == "intent", m["reply"] is not None, rates[name])
            for name, m in catalog.items() if name in rates]


def _reduction(ours: float, theirs: float) -> float | None:
    """1 - ours / theirs; None when the baseline shows no saturation at all (nothing to reduce)."""
    return None if theirs <= 0 else 1.0 - ours / theirs


@dataclass(frozen=True)
class Comparison:
    runs: dict[str, Run]  # dispatcher -> run, in DISPATCHERS order

    def reduction(self, baseline: str = "netray") -> tuple[float | None, float | None]:
        """(share reduction, p99 reduction) of tiered against `baseline`."""
        ours, theirs = self.runs["tiered"], self.runs[baseline]
        return (_reduction(ours.saturation, theirs.saturation),
                _reduction(ours.percentile(0.99), theirs.percentile(0.99)))

    def check(self, limits: dict[str, float]) -> list[str]:
        """Violations of scenario `assertions.saturation` limits by the tiered dispatcher."""
        tiered, out = self.runs["tiered"], []
        for key, limit in limits.items():
            if key == "max_share" and tiered.saturation > limit:
                out.append(f"saturation share {tiered.saturation:.2%} > {limit:.2%}")
            elif key == "max_p99_ms" and tiered.percentile(0.99) > limit:
                out.append(f"saturation p99 {tiered.percentile(0.99):.1f} ms > {limit:g} ms")
            elif key == "critical_max_frames" and tiered.max_frames("CRITICAL") > limit:
                out.append(f"CRITICAL waited {tiered.max_frames('CRITICAL')} frames > {limit:g}")
            elif key == "min_reduction":
                share, _ = self.reduction()
                if share is not None and share < limit:
                    out.append(f"saturation reduction vs netray {share:.2%} < {limit:.2%}")
                elif share is None:
                    out.append("saturation reduction vs netray: netray shows no saturation under this load")
        return out

    def format(self) -> str:
        lines = [f"{'dispatcher':<10} {'saturated':>10} {'p99 ms':>8} {'CRIT max':>8} {'CRIT/HIGH drop':>14} "
                 f"{'stuck':>8}  {'reduction vs netray':<19}"]
        for name, run in self.runs.items():
            reduction = "-"
            if name != "netray" and "netray" in self.runs:
                share, p99 = Comparison({"tiered": run, "netray": self.runs["netray"]}).reduction()
                reduction = f"{_pct(share)} frames, {_pct(p99)} p99"
            drops = "/".join(str(run.dropped[t]) for t in WATCHED)
            lines.append(f"{name:<10} {run.saturation:>10.2%} {run.percentile(0.99):>8.1f} "
                         f"{run.max_frames('CRITICAL'):>6} fr {drops:>14} {run.stuck:>8}  {reduction}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        out = {}
        for name, run in self.runs.items():
            out[name] = {"saturation": run.saturation, "saturated_frames": run.saturated_frames, "frames": run.frames,
                         "p99_ms": run.percentile(0.99), "critical_max_frames": run.max_frames("CRITICAL"),
                         "dropped": run.dropped, "stuck": run.stuck,
                         "delays": {tier: {str(k): v for k, v in d.items()} for tier, d in run.delays.items()}}
        if "tiered" in self.runs and "netray" in self.runs:
            share, p99 = self.reduction()
            out["reduction_vs_netray"] = {"share": share, "p99": p99}
        return out


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def compare(sources: list[Source], dispatchers: tuple[str, ...], *, clients: int, seconds: float, link: Link,
            seed: int, budget: int, queue_limit: int, frame: float = 1 / 60) -> Comparison:
    """Run each of `dispatchers` over the same traffic (same seed, link and frame budget)."""
    frames = max(1, round(seconds / frame))
    ordered = [d for d in DISPATCHERS if d in dispatchers]
    return Comparison({d: run_dispatcher(d, sources, clients=clients, frames=frames, link=link, seed=seed,
                                         budget=budget, queue_limit=queue_limit, frame=frame) for d in ordered})
