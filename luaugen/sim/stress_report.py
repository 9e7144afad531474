"""What a stress run measured (StressReport), built from `Net.stats()` snapshots of the server and every client,
and the thresholds it is checked against."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

TIERS = ("CRITICAL", "HIGH", "NORMAL", "LOW")
COUNTERS = {"sent": "sent", "delivered": "delivered", "invalid": "invalid", "rate_limited": "rateLimited",
            "dropped": "dropped", "failed": "failed", "retried": "retried", "handler_errors": "handlerErrors"}
DEFAULT_THRESHOLDS: dict[str, Any] = {"max_invalid": 0, "max_handler_errors": 0, "max_errors": 0}
_TOTALS = {"max_invalid": "invalid", "max_handler_errors": "handler_errors", "max_rate_limited": "rate_limited",
           "max_dropped": "dropped"}
THRESHOLD_KEYS = ("p50_ms", "p90_ms", "p99_ms", "max_failed_ratio", "max_errors", *_TOTALS)


@dataclass(frozen=True)
class Latency:
    """Milliseconds; each percentile is the upper bound of the histogram bucket holding it."""

    count: int
    p50: float
    p90: float
    p99: float

    @staticmethod
    def merge(summaries: list[Any]) -> "Latency | None":
        """Several histograms' summaries as one: counts add, each percentile is the worst of them (an upper bound
        of the combined percentile)."""
        found = [s for s in summaries if isinstance(s, dict) and s.get("count")]
        if not found:
            return None
        return Latency(sum(int(s["count"]) for s in found), *(max(float(s[p]) for s in found) for p in ("p50", "p90", "p99")))


@dataclass
class MessageReport:
    name: str  # "Channel.Message"
    kind: str  # "intent" | "event"
    tier: str
    request: bool
    sent: int = 0  # envelopes the senders queued (one per fireAll; request retries included)
    delivered: int = 0  # handled by receivers (for requests: answered by the server)
    invalid: int = 0
    rate_limited: int = 0
    dropped: int = 0
    failed: int = 0
    retried: int = 0
    handler_errors: int = 0
    latency: Latency | None = None  # one-way, at the receivers
    rtt: Latency | None = None  # requests: round trip at the clients


@dataclass
class StressReport:
    clients: int
    seconds: float
    rate_factor: float
    seed: int
    link: dict[str, float]
    messages: list[MessageReport] = field(default_factory=list)
    tiers: dict[str, dict[str, Any]] = field(default_factory=dict)  # tier -> {"latency": Latency?, "queue_max": n}
    skipped: dict[str, str] = field(default_factory=dict)  # message -> why it was not sent
    errors: list[str] = field(default_factory=list)  # what the VMs and the driver threw
    malformed: int = 0
    frame_budget: int = 0
    histograms: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # message -> latency/rtt bucket counts
    timeline: dict[str, Any] = field(default_factory=dict)  # time, depth per tier, up_bps, down_bps
    collected: list[Any] = field(default_factory=list)  # run_stress's `collect`, per peer (server first)

    def total(self, counter: str) -> int:
        return sum(getattr(m, counter) for m in self.messages)

    def check(self, thresholds: dict[str, Any]) -> list[str]:
        """The thresholds this run violates, one line each. Keys: p50_ms/p90_ms/p99_ms ({tier: ms}),
        max_invalid, max_handler_errors, max_rate_limited, max_dropped (a total, or {tier: n}), max_errors (VM errors), max_failed_ratio
        (failed / sent requests)."""
        violations = []
        for key, limit in thresholds.items():
            if key not in THRESHOLD_KEYS:
                raise ValueError(f"unknown threshold {key!r} (known: {', '.join(THRESHOLD_KEYS)})")
            if key.endswith("_ms"):
                violations += self._latency_violations(key, limit)
            elif key == "max_dropped" and isinstance(limit, dict):
                violations += self._dropped_violations(limit)
            elif key in _TOTALS:
                value = self.total(_TOTALS[key])
                if value > limit:
                    violations.append(f"{key}: {value} {_TOTALS[key].replace('_', ' ')} > {limit}")
            elif key == "max_errors":
                if len(self.errors) > limit:
                    violations.append(f"max_errors: {len(self.errors)} errors > {limit}: {self.errors[0]}")
            else:
                requests = sum(m.sent - m.retried for m in self.messages if m.request)  # retries are resends
                ratio = self.total("failed") / requests if requests else 0.0
                if ratio > limit:
                    violations.append(f"max_failed_ratio: {ratio:.3f} of {requests} requests failed > {limit}")
        return violations

    def _dropped_violations(self, limits: dict[str, int]) -> list[str]:
        out = []
        for tier, limit in limits.items():
            dropped = sum(m.dropped for m in self.messages if m.tier == tier)
            if dropped > limit:
                out.append(f"max_dropped {tier}: {dropped} dropped > {limit}")
        return out

    def _latency_violations(self, key: str, limits: dict[str, float]) -> list[str]:
        out = []
        for tier, limit in limits.items():
            if tier not in TIERS:
                raise ValueError(f"unknown tier {tier!r} in {key} (known: {', '.join(TIERS)})")
            latency = self.tiers.get(tier, {}).get("latency")
            if latency is None:
                out.append(f"{key} {tier}: no latency samples")
                continue
            value = getattr(latency, key.removesuffix("_ms"))
            if value > limit:
                out.append(f"{key} {tier}: {_ms(value)} ms > {limit:g} ms")
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (infinite latencies become the string "inf")."""
        return _finite(asdict(self))

    def format(self) -> str:
        head = (f"{'message':<31} {'tier':<8} {'sent':>6} {'dlvr':>6} {'inv':>4} {'rate':>5} {'drop':>5} "
                f"{'fail':>4} {'retr':>4} {'herr':>4} {'lat p50/90/99':>14} {'rtt p50/90/99':>14}")
        lines = [head]
        for m in self.messages:
            lines.append(f"{m.name + (' (req)' if m.request else ''):<31} {m.tier:<8} {m.sent:>6} {m.delivered:>6} "
                         f"{m.invalid:>4} {m.rate_limited:>5} {m.dropped:>5} {m.failed:>4} {m.retried:>4} "
                         f"{m.handler_errors:>4} {_triple(m.latency):>14} {_triple(m.rtt):>14}")
        lines.append(f"{'tier':<8} {'samples':>7} {'queue max':>9} {'lat p50/90/99':>14}")
        for tier, row in self.tiers.items():
            count = row["latency"].count if row["latency"] else 0
            lines.append(f"{tier:<8} {count:>7} {row['queue_max']:>9} {_triple(row['latency']):>14}")
        for name, reason in self.skipped.items():
            lines.append(f"skipped {name}: {reason}")
        link = ", ".join(f"{k} {v:g}" for k, v in self.link.items() if v)
        lines.append(f"{self.clients} clients, {self.seconds:g} s, rate x{self.rate_factor:g}, seed {self.seed}, "
                     f"link: {link or 'ideal'}; malformed {self.malformed}, errors {len(self.errors)}")
        lines += [f"error: {e}" for e in self.errors[:5]]
        return "\n".join(lines)


def _ms(value: float) -> str:
    return "inf" if math.isinf(value) else f"{value:.0f}"


def _triple(latency: Latency | None) -> str:
    return "-" if latency is None else "/".join(_ms(v) for v in (latency.p50, latency.p90, latency.p99))


def _finite(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if isinstance(value, float) and math.isinf(value):
        return "inf"
    return value


def _row(snapshot: dict, name: str) -> dict:
    channel, message = name.split(".", 1)
    channels = snapshot.get("channels") or {}
    return (channels.get(channel) or {}).get(message) or {}


def build_report(report: StressReport, catalog: dict[str, dict], server: dict, clients: list[dict]) -> StressReport:
    """Fill `report` from the snapshots: counters summed over the side that counts them, latency merged."""
    for name, message in catalog.items():
        intent = message["kind"] == "intent"
        senders, receivers = (clients, [server]) if intent else ([server], clients)
        entry = MessageReport(name, message["kind"], message["qos"], message["reply"] is not None)
        for attr, counter in COUNTERS.items():
            side = senders if attr == "sent" else receivers if attr == "delivered" else [server, *clients]
            setattr(entry, attr, sum(int(_row(s, name).get(counter, 0)) for s in side))
        entry.latency = Latency.merge([_row(s, name).get("latency") for s in receivers])
        if entry.request:
            entry.rtt = Latency.merge([_row(c, name).get("rtt") for c in clients])
        report.messages.append(entry)
    for tier in TIERS:
        rows = [m.latency for m in report.messages if m.tier == tier and m.latency]
        queue_max = max(int(((s.get("queues") or {}).get(tier) or {}).get("max", 0)) for s in [server, *clients])
        if rows or queue_max or any(m.tier == tier for m in report.messages):
            latency = Latency.merge([asdict(r) for r in rows])
            report.tiers[tier] = {"latency": latency, "queue_max": queue_max}
    report.malformed = sum(int(s.get("malformed", 0)) for s in [server, *clients])
    return report
