"""The HTML stress report rendered in headless Chromium: no console errors, every chart drawn with a size, and a
screenshot that shows the charts' colours. Skipped where Chromium is not installed (Debian: apt install chromium)."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from luaugen.cli import main

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = next((shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")
                 if shutil.which(name)), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: apt install chromium)")
SCENARIO = """\
clients: 1
seconds: 0.5
frame_budget: 16
link: { latency_ms: 30 }
messages:
  EntityInfo.EntityMoved: { rate: 1800 }
  Skills.CastSkill: { rate_factor: 1 }
  Stats.StatChanged: { rate_factor: 1 }
assertions:
  saturation: { max_share: 0 }
"""
# Appended to a copy of the page: measures what the browser laid out and writes it where --dump-dom shows it.
PROBE = """<script>
const charts = [...document.querySelectorAll("svg.chart")].map(svg => {
  const box = svg.getBoundingClientRect();
  const marks = [...svg.querySelectorAll("rect[height], polyline")].filter(el => {
    const b = el.getBBox(); return el.tagName === "polyline" ? b.width > 0 : b.height > 0 && b.width > 0; });
  return { title: svg.getAttribute("aria-label"), width: box.width, height: box.height, marks: marks.length };
});
const pre = document.createElement("pre"); pre.id = "probe"; pre.textContent = JSON.stringify(charts);
document.body.appendChild(pre);
</script>"""
TIERED_BLUE, NETRAY_RED = (0x2E, 0x86, 0xC1), (0xC0, 0x39, 0x2B)


def _chromium(*args: str, size: str = "1200,2400") -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           "--enable-logging=stderr", "--v=0", f"--window-size={size}", *args],
                          capture_output=True, text=True, timeout=120)


def _console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]


def _pixels(png: bytes) -> set[tuple[int, int, int]]:
    """The distinct RGB colours of an 8-bit RGB/RGBA PNG (enough of a decoder for Chromium's screenshots)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6), (depth, color)
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride = zlib.decompress(idat), width * channels
    previous, colours = bytearray(stride), set()
    for row in range(height):
        kind, line = raw[row * (stride + 1)], bytearray(raw[row * (stride + 1) + 1:(row + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        colours.update(tuple(line[i:i + 3]) for i in range(0, stride, channels))
        previous = line
    return colours


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    (folder / "scenario.yaml").write_text(SCENARIO, encoding="utf-8")
    result = CliRunner().invoke(main, ["stress", str(folder / "scenario.yaml"), "--dispatcher", "all", "--report",
                                       str(folder / "r.html"), "--config-root", str(ROOT)])
    assert result.exit_code == 0, result.output
    return folder / "r.html"


def test_the_report_is_self_contained_and_draws_every_chart(page: Path):
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html and "All assertions passed." in html
    probed = page.with_name("probed.html")
    probed.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    result = _chromium("--dump-dom", probed.as_uri())
    assert _console_errors(result.stderr) == []
    charts = json.loads(result.stdout.split('<pre id="probe">', 1)[1].split("</pre>", 1)[0])
    titles = [c["title"] for c in charts]
    assert {"Saturated frames (%)", "p99 queueing delay (ms)", "tiered: queued messages", "fifo: queued messages",
            "netray: queued messages", "CRITICAL one-way latency", "Queued after each flush",
            "Bytes per second"} <= set(titles)
    assert len(charts) >= 15
    for chart in charts:
        assert (chart["width"], chart["height"]) == (560, 200), chart
        assert chart["marks"] >= 1, chart  # at least one bar or line actually drawn


def test_the_screenshot_shows_the_charts(page: Path):
    shot = page.with_name("shot.png")
    result = _chromium(f"--screenshot={shot}", page.as_uri(), size="640,1100")  # small: decoded in Python
    assert _console_errors(result.stderr) == []
    colours = _pixels(shot.read_bytes())
    assert len(colours) > 50  # not a blank page
    assert NETRAY_RED in colours and TIERED_BLUE in colours  # the saturation bars and histograms are painted


def test_console_errors_are_noticed(tmp_path: Path):
    # the check above would pass vacuously if Chromium's console never reached stderr
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><html><body><script>undefinedFunction()</script></body></html>")
    assert _console_errors(_chromium("--dump-dom", broken.as_uri()).stderr) != []
