"""Small inline SVG charts for the stress report: bar charts and line charts, deterministic text, no scripts."""

from __future__ import annotations

from html import escape

WIDTH, HEIGHT = 560, 200
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 26, 42
PALETTE = ("#c0392b", "#e67e22", "#2e86c1", "#7f8c8d", "#27ae60", "#8e44ad")


def _num(value: float) -> str:
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    if value >= 1000:
        return f"{value / 1000:.1f}k"
    return f"{value:.0f}" if value == int(value) or value >= 10 else f"{value:.2g}"


def _frame(title: str, y_max: float, y_label: str) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    out = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">',
           f"<title>{escape(title)}</title>",
           f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
           f'<text x="{LEFT}" y="14" font-size="12" font-weight="bold">{escape(title)}</text>']
    for step in range(5):
        y = TOP + plot_h - plot_h * step / 4
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#e5e5e5"/>')
        out.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">{_num(y_max * step / 4)}'
                   "</text>")
    out.append(f'<text x="12" y="{TOP + plot_h / 2:.1f}" font-size="10" transform="rotate(-90 12 {TOP + plot_h / 2:.1f})"'
               f' text-anchor="middle">{escape(y_label)}</text>')
    return out


def bar_chart(title: str, labels: list[str], values: list[float], y_label: str, colors: list[str] | None = None) -> str:
    """One bar per label; labels are drawn under the bars (every one, or every few when crowded)."""
    y_max = max([*values, 1]) * 1.1
    out = _frame(title, y_max, y_label)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(1, len(values))
    every = max(1, len(labels) // 12)
    for i, (label, value) in enumerate(zip(labels, values)):
        h = plot_h * value / y_max
        x = LEFT + i * slot + slot * 0.1
        color = (colors or PALETTE)[i % len(colors or PALETTE)] if colors else PALETTE[2]
        out.append(f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{slot * 0.8:.1f}" height="{h:.1f}" '
                   f'fill="{color}"><title>{escape(label)}: {_num(value)}</title></rect>')
        if i % every == 0:
            out.append(f'<text x="{x + slot * 0.4:.1f}" y="{HEIGHT - BOTTOM + 14}" font-size="10" '
                       f'text-anchor="middle">{escape(label)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def line_chart(title: str, xs: list[float], series: dict[str, list[float]], x_label: str, y_label: str) -> str:
    """One polyline per series over shared x values, with a legend under the plot."""
    y_max = max([v for values in series.values() for v in values] + [1]) * 1.1
    x_max = max([*xs, 1e-9])
    out = _frame(title, y_max, y_label)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    for i, (name, values) in enumerate(series.items()):
        points = " ".join(f"{LEFT + plot_w * x / x_max:.1f},{TOP + plot_h - plot_h * v / y_max:.1f}"
                          for x, v in zip(xs, values))
        color = PALETTE[i % len(PALETTE)]
        out.append(f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="2">'
                   f"<title>{escape(name)}</title></polyline>")
        lx = LEFT + i * 110
        out.append(f'<rect x="{lx}" y="{HEIGHT - 16}" width="10" height="10" fill="{color}"/>'
                   f'<text x="{lx + 14}" y="{HEIGHT - 7}" font-size="10">{escape(name)}</text>')
    out.append(f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - BOTTOM + 14}" font-size="10" text-anchor="end">'
               f"{escape(x_label)} (0 to {_num(x_max)})</text>")
    out.append("</svg>")
    return "\n".join(out)
