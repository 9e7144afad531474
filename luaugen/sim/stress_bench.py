"""`make bench` rows for issue 11: the saturation figure of scenarios/overload.yaml (all three dispatchers, plus the
generated runtime running the scenario), and replay memory per 1,000 captured envelopes per channel, measured with
the Luau VM's own accounting (gcinfo after a full collection)."""

from __future__ import annotations

import random
import re
import tempfile
from pathlib import Path

from ..config import load_config
from ..project import read_sources
from .build import build_luau
from .examples import example_payload
from .run import StressOptions, run_command
from .scenario import load_scenario
from .simulator import Simulator
from .stress import _manifest, catalog_of

OVERLOAD = Path("scenarios") / "overload.yaml"
ENVELOPES = 1000
PAYLOADS = 64  # distinct example payloads per channel, cycled (each envelope still gets its own table)
# Fills the real Replay ring as the dispatcher does (kind, sequence and payload of each envelope in the ring's
# slots), then reports the heap after a full collection.
FILL = """
local Networking = game:GetService("ReplicatedStorage").Networking
local Replay = require(Networking.Runtime.Replay)
local Messages = require(Networking.Runtime.Messages)
local function heap(): number
	collectgarbage("collect")
	return gcinfo()
end
return heap, function(channel, names, payloads, from, to)
	for n = from, to do
		local info = Messages.byName[channel][names[(n - 1) % #names + 1]]
		local payload = info.encode(table.clone(payloads[(n - 1) % #payloads + 1]))
		Replay.capture(info, "in", 1, n, payload, 1, n / 60, 0)
	end
end
"""


def measure_saturation(root: Path) -> dict:
    """The overload scenario through all three models and the generated runtime (which must also hold the
    scenario's assertions for the figures to mean anything)."""
    scenario = load_scenario(root / OVERLOAD)
    options = StressOptions(clients=scenario.clients, seconds=scenario.seconds, rate_factor=scenario.rate_factor,
                            link=scenario.link, seed=scenario.seed, message_rates=scenario.messages or None,
                            frame_budget=scenario.frame_budget, thresholds=scenario.thresholds,
                            saturation=scenario.saturation, dispatchers=("tiered", "fifo", "netray"))
    outcome = run_command(root, options)
    critical = outcome.report.tiers["CRITICAL"]["latency"]
    return {"scenario": str(OVERLOAD), "clients": scenario.clients, "seconds": scenario.seconds,
            "budget": outcome.frame_budget, "runs": outcome.comparison.runs,
            "reduction": outcome.comparison.reduction(), "violations": outcome.violations,
            "runtime_critical_p99_ms": critical.p99, "runtime_dropped": {
                tier: sum(m.dropped for m in outcome.report.messages if m.tier == tier) for tier in ("CRITICAL", "HIGH")}}


def _heap_after(config, sources: dict[str, str], channel: str, names: list[str], payloads: list, capacity: int,
                fills: list[int]) -> list[float]:
    """KB on the server's heap after loading Networking with `channel` capturing `capacity` envelopes, then after
    filling its ring up to each count in `fills`."""
    path = next(p for p, text in sources.items() if re.search(rf"^channel:\s*{channel}\s*$", text, re.M))
    text = re.sub(r"^replay:\s*\d+\s*$", f"replay: {capacity}", sources[path], flags=re.M)
    with tempfile.TemporaryDirectory(prefix="luaugen-bench-") as tmp:
        with Simulator(mounts=build_luau(config, Path(tmp), {path: text})) as sim:
            sim.server.exec("_G.Net = require(game:GetService('ReplicatedStorage').Networking)")
            heap, fill = sim.server.eval(FILL, nresults=2)
            tables = sim.server.to_luau(payloads)
            out, done = [sim.server.call(heap)], 0
            for count in fills:
                sim.server.call(fill, channel, names, tables, done + 1, count)
                done = count
                out.append(sim.server.call(heap))
    return out


def measure_replay_memory(root: Path) -> list[dict]:
    """Per channel: KB for 1,000 captured envelopes of its messages' example payloads (the envelopes and payloads
    a full ring keeps alive, plus the ring's preallocated slots)."""
    config = load_config(root)
    sources, _ = read_sources(config)
    manifest = _manifest(config)
    capacities = {c["name"]: c["replay"] for c in manifest["channels"]}
    manifest_catalog = catalog_of(manifest)
    rows = []
    for channel in sorted({name.split(".", 1)[0] for name in manifest_catalog}):
        messages = {n.split(".", 1)[1]: m for n, m in manifest_catalog.items() if n.startswith(channel + ".")}
        rng = random.Random(11)
        names = [name for name in messages for _ in range(PAYLOADS // len(messages))]
        payloads = [example_payload(messages[name]["payload"], rng) for name in names]
        small = _heap_after(config, sources, channel, names, payloads, ENVELOPES, [])
        large = _heap_after(config, sources, channel, names, payloads, 2 * ENVELOPES, [ENVELOPES, 2 * ENVELOPES])
        slots = large[0] - small[0]  # 1,000 more preallocated ring slots
        kept = large[2] - large[1]  # 1,000 more envelopes held (the ring already full of 1,000 before)
        rows.append({"channel": channel, "messages": len(messages), "slots_kb": slots, "envelopes_kb": kept,
                     "total_kb": slots + kept, "capacity": capacities[channel]})
    return rows
