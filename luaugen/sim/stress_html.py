"""`luaugen stress --report out.html`: one self-contained page (no network, no scripts, charts as inline SVG)
showing the assertions, the dispatchers side by side, latency histograms, queue depth and bytes per second."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from .dispatchers import SAMPLE_FRAMES, TIERS, WATCHED
from .svg import bar_chart, line_chart

if TYPE_CHECKING:
    from .run import Outcome

BUCKETS = 32  # Runtime/Stats.luau: bucket i holds samples up to 1 ms * 2^((i - 1) / 2); one more for the rest
STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #222; max-width: 1200px; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 8px 0; } td, th { padding: 3px 8px; border: 1px solid #ddd; }
th { background: #f4f4f4; text-align: left; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.ok { color: #1e7e34; font-weight: bold; } .fail { color: #b02a37; font-weight: bold; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; } figure { margin: 0; }
figcaption { font-size: 12px; color: #555; }
"""


def _bucket_label(index: int) -> str:
    if index >= BUCKETS:
        return f">{2 ** ((BUCKETS - 1) / 2):.0f}"
    return f"{2 ** (index / 2):.0f}" if index % 2 == 0 or index > 8 else f"{2 ** (index / 2):.1f}"


def _histogram(title: str, counts: list[int]) -> str:
    used = [i for i, c in enumerate(counts) if c]
    first, last = (used[0], used[-1]) if used else (0, 0)
    first, last = max(0, first - 1), min(len(counts) - 1, last + 1)
    labels = [_bucket_label(i) for i in range(first, last + 1)]
    return _figure(bar_chart(title, labels, counts[first:last + 1], "messages"),
                   f"{title}: ms (bucket upper bounds), {sum(counts)} samples")


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


def _table(head: list[str], rows: list[list[object]]) -> str:
    out = ["<table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr>"]
    for row in rows:
        cells = "".join(f'<td class="n">{escape(str(c))}</td>' if isinstance(c, (int, float)) else f"<td>{escape(str(c))}</td>"
                        for c in row)
        out.append(f"<tr>{cells}</tr>")
    out.append("</table>")
    return "\n".join(out)


def _assertions(outcome: "Outcome") -> str:
    if not outcome.violations:
        return '<p class="ok">All assertions passed.</p>'
    items = "".join(f"<li>{escape(v)}</li>" for v in outcome.violations)
    return f'<p class="fail">{len(outcome.violations)} assertion(s) failed:</p><ul>{items}</ul>'


def _saturation(outcome: "Outcome") -> str:
    comparison = outcome.comparison
    rows = []
    for name, run in comparison.runs.items():
        rows.append([name, f"{run.saturation:.2%}", round(run.percentile(0.99), 1), run.max_frames("CRITICAL"),
                     *(run.dropped[t] for t in WATCHED), run.stuck])
    parts = [_table(["dispatcher", "saturated frames", "p99 queueing ms", "CRITICAL max wait (frames)",
                     "CRITICAL dropped", "HIGH dropped", "still queued at the end"], rows)]
    if "tiered" in comparison.runs and "netray" in comparison.runs:
        share, p99 = comparison.reduction()
        parts.append(f"<p>Reduction against netray: saturated frames {_pct(share)}, p99 queueing delay {_pct(p99)}.</p>")
    names = list(comparison.runs)
    charts = [_figure(bar_chart("Saturated frames (%)", names, [r.saturation * 100 for r in comparison.runs.values()],
                                "% of frames", colors=["#2e86c1", "#e67e22", "#c0392b"]), "CRITICAL+HIGH"),
              _figure(bar_chart("p99 queueing delay (ms)", names,
                                [r.percentile(0.99) for r in comparison.runs.values()], "ms",
                                colors=["#2e86c1", "#e67e22", "#c0392b"]), "CRITICAL+HIGH")]
    for name, run in comparison.runs.items():
        delays = {}
        for tier in WATCHED:
            for frames, count in run.delays[tier].items():
                delays[frames] = delays.get(frames, 0) + count
        top = max(delays, default=0)
        labels = [str(f) for f in range(top + 1)]
        charts.append(_figure(bar_chart(f"{name}: queueing delay", labels, [delays.get(f, 0) for f in range(top + 1)],
                                        "messages"), f"{name}: CRITICAL+HIGH messages by frames waited"))
        xs = [(i + 1) * SAMPLE_FRAMES * run.frame for i in range(len(run.depth["CRITICAL"]))]
        charts.append(_figure(line_chart(f"{name}: queued messages", xs, run.depth, "seconds", "messages"),
                              f"{name}: messages waiting in queues after each frame, all peers"))
    parts.append(f'<div class="charts">{"".join(charts)}</div>')
    return "\n".join(parts)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _runtime(outcome: "Outcome") -> str:
    report = outcome.report
    if report is None:
        return "<p>The generated runtime did not run (only baselines were asked for).</p>"
    rows = [[m.name + (" (request)" if m.request else ""), m.tier, m.sent, m.delivered, m.invalid, m.rate_limited,
             m.dropped, m.failed, m.retried, _triple(m.latency), _triple(m.rtt)] for m in report.messages]
    parts = [_table(["message", "tier", "sent", "delivered", "invalid", "rate limited", "dropped", "failed", "retried",
                     "latency p50/90/99 ms", "rtt p50/90/99 ms"], rows)]
    by_tier: dict[str, list[int]] = {}
    for m in report.messages:
        counts = report.histograms.get(m.name, {}).get("latency")
        if counts:
            mine = by_tier.setdefault(m.tier, [0] * len(counts))
            for i, c in enumerate(counts):
                mine[i] += c
    charts = [_histogram(f"{tier} one-way latency", by_tier[tier]) for tier in TIERS if tier in by_tier]
    for name, row in report.histograms.items():
        for key, counts in row.items():
            charts.append(_histogram(f"{name} {'one-way latency' if key == 'latency' else 'round trip'}", counts))
    timeline = report.timeline
    if timeline.get("time"):
        charts.append(_figure(line_chart("Queued after each flush", timeline["time"], timeline["depth"], "seconds",
                                         "messages"), "generated runtime: messages in the tier queues, all peers"))
        charts.append(_figure(line_chart("Bytes per second", timeline["time"],
                                         {"client to server": timeline["up_bps"],
                                          "server to clients": timeline["down_bps"]}, "seconds", "bytes/s"),
                              "estimated remote payload bytes on the simulated links"))
    parts.append(f'<div class="charts">{"".join(charts)}</div>')
    return "\n".join(parts)


def _triple(latency) -> str:
    return "-" if latency is None else "/".join(f"{v:.0f}" for v in (latency.p50, latency.p90, latency.p99))


def render_html(outcome: "Outcome") -> str:
    options = outcome.options
    link = options.link
    settings = (f"{options.clients} clients, {options.seconds:g} s of traffic, seed {options.seed}, frame budget "
                f"{outcome.frame_budget}, link latency {link.latency * 1000:g} ms, jitter {link.jitter * 1000:g} ms, "
                f"loss {link.loss:g}")
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(options.title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(options.title)}</h1>", f"<p>{escape(settings)}</p>",
        "<h2>Assertions</h2>", _assertions(outcome),
        "<h2>Saturation: dispatchers side by side</h2>",
        "<p>For CRITICAL and HIGH traffic: the share of frames in which a queued message had waited longer than one "
        "frame, and the p99 queueing delay (docs/stress.md).</p>", _saturation(outcome),
        "<h2>Generated runtime</h2>", _runtime(outcome),
        "</body></html>", ""])
