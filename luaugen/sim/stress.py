"""Stress harness: spam every channel of a project through the generated dispatcher in the simulator, then report
counters, latency bands and queue depth from `Net.stats()` on every peer.

    report = run_stress(Path("."), clients=4, seconds=5, link=Link(latency=0.05, jitter=0.02))
    assert not report.check({"p99_ms": {"CRITICAL": 100}, "max_invalid": 0}), report.format()

Each client sends every intent at `rate_factor` times its declared per-player rate (requests for intents with a
reply), the server fires every event to all clients at its declared rate (DEFAULT_RATE per second when a message
declares none). Payloads are valid examples (luaugen.sim.examples); the server's handlers answer requests with
valid example replies.
"""

from __future__ import annotations

import difflib
import json
import random
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Callable

from ..compiler import compile_project
from ..config import load_config
from ..model.roblox_classes import is_a
from ..project import read_previous_manifest, read_sources
from .build import build_luau
from .dispatchers import SAMPLE_FRAMES
from .examples import example_payload, instance_classes
from .network import Link
from .simulator import SimulationTimeout, Simulator
from .stress_report import DEFAULT_THRESHOLDS, TIERS, StressReport, build_report

__all__ = ["DEFAULT_RATE", "DEFAULT_THRESHOLDS", "Prepared", "StressReport", "UnknownMessage", "catalog_of", "prepare",
           "run_stress"]

DEFAULT_RATE = 10.0  # messages per second for a message without a declared rate
PACING = 0.99  # senders stay this fraction under the rate they aim at
POOL = 8  # distinct example payloads per message
DRIVER = Path(__file__).with_name("stress.luau")
NET = "require(game:GetService('ReplicatedStorage').Networking)"


class UnknownMessage(ValueError):
    """A selected message name is not in the project."""


def _manifest(config) -> dict:
    sources, _ = read_sources(config)
    previous, _ = read_previous_manifest(config)
    result = compile_project(config, sources, previous)
    return json.loads(result.files[config.manifest])


def catalog_of(manifest: dict) -> dict[str, dict]:
    """{"Channel.Message": message entry of the manifest} in manifest order."""
    return {f"{c['name']}.{m['name']}": m for c in manifest["channels"] for m in c["messages"]}


def _select(catalog: dict[str, dict], messages: list[str] | None) -> dict[str, dict]:
    if not messages:
        return dict(catalog)
    for name in messages:
        if name not in catalog:
            close = difflib.get_close_matches(name, list(catalog), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise UnknownMessage(f"unknown message {name!r} (expected Channel.Message){hint}")
    return {name: m for name, m in catalog.items() if name in messages}


def _rate(rate: dict | None) -> float:
    return rate["count"] / rate["per"] if rate else DEFAULT_RATE


def _rates(manifest: dict, selected: dict[str, dict], rate_factor: float) -> dict[str, float]:
    """Messages per second for each selected message. A channel's rate is one budget its intents share (the server
    checks it besides each intent's own), so intents of a channel with a rate are scaled down to fit it together;
    senders pace at PACING of that, so float noise at the exact limit is not counted as rate limiting."""
    rates = {}
    for channel in manifest["channels"]:
        names = {f"{channel['name']}.{m['name']}": m for m in channel["messages"]}
        intents = {n: _rate(m["rate"]) for n, m in names.items() if n in selected and m["kind"] == "intent"}
        share = 1.0
        if channel["rate"] and intents:
            share = min(1.0, _rate(channel["rate"]) / sum(intents.values()))
        for name, message in names.items():
            if name in selected:
                factor = rate_factor * share if message["kind"] == "intent" else 1.0
                rates[name] = _rate(message["rate"]) * factor * PACING
    return rates


def _pool(type_json: dict, rng: random.Random) -> list:
    return [example_payload(type_json, rng) for _ in range(POOL)]


def _plans(catalog: dict[str, dict], selected: dict[str, dict], rates: dict[str, float], seed: int):
    """Per side: handlers to register and messages to send, as the driver's setup() takes them."""
    rng = random.Random(seed)
    server_handlers, client_handlers, server_sends, client_sends = [], [], [], []
    for name, message in catalog.items():
        channel, msg = name.split(".", 1)
        intent = message["kind"] == "intent"
        handler = {"channel": channel, "message": msg}
        if intent and message["reply"] is not None:
            handler["replies"] = _pool(message["reply"], rng)
        (server_handlers if intent else client_handlers).append(handler)
        if name in selected:
            send = {"channel": channel, "message": msg, "rate": rates[name], "request": message["reply"] is not None,
                    "pool": _pool(message["payload"], rng)}
            (client_sends if intent else server_sends).append(send)
    return server_handlers, client_handlers, server_sends, client_sends


def _needed_classes(catalog: dict[str, dict]) -> list[str]:
    classes = set()
    for message in catalog.values():
        for type_json in (message["payload"], message["reply"]):
            if type_json is not None:
                classes |= instance_classes(type_json)
    return sorted(c for c in classes if not is_a("Player", c))


def _drain(sim: Simulator, idles: list, limit: float) -> None:
    """Run until every peer's queues are empty, no request is pending and nothing is in flight (or `limit` s)."""
    def quiet() -> bool:
        if sim.frame_count % 6:
            return False
        in_flight = sum(s[d]["in_flight"] for s in sim.stats().values() for d in ("up", "down"))
        return in_flight == 0 and all(vm.call(idle) for vm, idle in idles)

    try:
        sim.run_until(quiet, timeout=limit)
    except SimulationTimeout:
        pass  # still busy: the report shows what is pending as failed or undelivered


@dataclass(frozen=True)
class Prepared:
    """What a stress run sends, decided before any VM starts (the saturation models reuse it)."""

    config: Any
    catalog: dict[str, dict]
    selected: dict[str, dict]
    rates: dict[str, float]  # Channel.Message -> messages per second per sender


def prepare(config_root: Path | str, *, rate_factor: float = 1.0, messages: list[str] | None = None,
            message_rates: dict[str, Any] | None = None, frame_budget: int | None = None) -> Prepared:
    """Load and compile the project; choose messages and rates. `message_rates` ({name: MessageRate}) selects
    messages and overrides their rates: `rate` is per second per sender, `rate_factor` scales the default."""
    config = load_config(Path(config_root))
    if frame_budget is not None:
        config = replace(config, runtime=replace(config.runtime, frame_budget=frame_budget))
    manifest = _manifest(config)
    catalog = catalog_of(manifest)
    selected = _select(catalog, list(message_rates) if message_rates else messages)
    rates = _rates(manifest, selected, rate_factor)
    for name, override in (message_rates or {}).items():
        if override.rate is not None:
            rates[name] = override.rate
        elif override.rate_factor is not None:
            rates[name] = _rates(manifest, {name: selected[name]}, 1.0)[name] * override.rate_factor
    return Prepared(config, catalog, selected, rates)


def run_stress(config_root: Path | str, *, clients: int = 4, seconds: float = 5.0, rate_factor: float = 1.0,
               link: Link | None = None, seed: int = 1, messages: list[str] | None = None,
               prepared: Prepared | None = None, progress: Callable[[int, int], None] | None = None,
               prelude: str = "", collect: str = "") -> StressReport:
    """Build the project at `config_root`, spam it for `seconds` of virtual time with `clients` players on `link`,
    and report what `Net.stats()` counted on every peer. `progress(frame, frames)` is called as frames pass.
    `prelude` runs on every peer before `Net` loads and `collect` (an expression) on every peer at the end, into
    `report.collected` (the benchmark measures the wire with them)."""
    if clients < 1 or seconds <= 0 or rate_factor < 0:
        raise ValueError("clients must be >= 1, seconds > 0 and rate_factor >= 0")
    link = link or Link()
    prepared = prepared or prepare(config_root, rate_factor=rate_factor, messages=messages)
    config, catalog, selected = prepared.config, prepared.catalog, prepared.selected
    server_handlers, client_handlers, server_sends, client_sends = _plans(catalog, selected, prepared.rates, seed)
    driver = DRIVER.read_text(encoding="utf-8")
    report = StressReport(clients, seconds, rate_factor, seed,
                          {"latency_ms": link.latency * 1000, "jitter_ms": link.jitter * 1000, "loss": link.loss},
                          frame_budget=config.runtime.frame_budget)
    with tempfile.TemporaryDirectory(prefix="luaugen-stress-") as tmp:
        with Simulator(seed=seed, mounts=build_luau(config, Path(tmp))) as sim:
            sim.server.exec(prelude + f"\n_G.Net = {NET}\n" + driver)
            missing = sim.server.call(sim.server.eval("return _G.Stress.props"), _needed_classes(catalog))
            peers = [sim.add_client(f"Stress{i + 1}", link=link) for i in range(clients)]
            for vm in peers:
                vm.exec(prelude + f"\n_G.Net = {NET}\n" + driver)
            sim.step(2)  # remotes and props replicate
            ticks, idles, depths = [], [], []
            for index, vm in enumerate(sim.vms):
                vm.call(vm.eval("return _G.Stress.seed"), seed * 1000 + index)
                handlers, sends = (server_handlers, server_sends) if vm.is_server else (client_handlers, client_sends)
                skipped = vm.call(vm.eval("return _G.Stress.setup"), handlers, sends)
                report.skipped.update(skipped or {})
                ticks.append((vm, vm.eval("return _G.Stress.tick")))
                idles.append((vm, vm.eval("return _G.Stress.idle")))
                depths.append((vm, vm.eval("return _G.Stress.depths")))
            for name in missing or []:
                report.errors.append(f"cannot create a {name} instance for the payloads")
            frames = max(1, round(seconds / sim.frame))
            timeline = Timeline(sim, depths)
            for frame in range(1, frames + 1):
                for vm, tick in ticks:
                    vm.call(tick, sim.frame)
                sim.step()
                if frame % SAMPLE_FRAMES == 0:
                    timeline.sample()  # what the flush left waiting
                    if progress:
                        progress(frame, frames)
            if progress:
                progress(frames, frames)
            timeouts = [m.get("timeout") or config.runtime.request_timeout for m in selected.values() if m["reply"]]
            _drain(sim, idles, max([2.0, *timeouts]) + 1.0 + link.latency * 4)
            snapshots = [vm.eval(f"return {NET}.stats()") for vm in sim.vms]
            collected = [vm.eval(f"return {collect}") for vm in sim.vms] if collect else []
            report.histograms = _histograms(sim, selected)
            report.timeline = timeline.data
            for vm in sim.vms:
                report.errors += [f"{vm.name}: {e}" for e in vm.errors]
                report.errors += [f"{vm.name}: {e}" for e in vm.eval("return _G.Stress.errors()") or []]
    shown = {name: m for name, m in catalog.items() if name in selected}
    built = build_report(report, shown, snapshots[0], snapshots[1:])
    built.collected = collected
    return built


def _histograms(sim: Simulator, selected: dict[str, dict]) -> dict[str, dict[str, list[int]]]:
    """Latency bucket counts per message, summed over the receiving side (requests: round trips at clients)."""
    out: dict[str, dict[str, list[int]]] = {}
    for vm in sim.vms:
        for name, row in (vm.eval("return _G.Stress.histograms()") or {}).items():
            if name not in selected:
                continue
            for key, counts in row.items():
                mine = out.setdefault(name, {}).setdefault(key, [0] * len(counts))
                for i, count in enumerate(counts):
                    mine[i] += int(count)
    return out


class Timeline:
    """Queue depth per tier (summed over peers, after the frame's flush) and link bytes per second, every
    SAMPLE_FRAMES frames."""

    def __init__(self, sim: Simulator, depths: list):
        self.sim, self.depths = sim, depths
        self.data: dict[str, Any] = {"time": [], "depth": {tier: [] for tier in TIERS}, "up_bps": [], "down_bps": []}
        self.start = sim.time  # traffic starts now: time 0 of the timeline
        self._last = (sim.time, *self._bytes())

    def _bytes(self) -> tuple[int, int]:
        up = down = 0
        for row in self.sim.stats().values():
            up += sum(row["up"][k]["bytes_sent"] for k in ("reliable", "unreliable"))
            down += sum(row["down"][k]["bytes_sent"] for k in ("reliable", "unreliable"))
        return up, down

    def sample(self) -> None:
        totals = dict.fromkeys(TIERS, 0)
        for vm, depths in self.depths:
            for tier, depth in (vm.call(depths) or {}).items():
                totals[tier] += int(depth)
        up, down = self._bytes()
        then, last_up, last_down = self._last
        span = max(self.sim.time - then, self.sim.frame)
        self.data["time"].append(round(self.sim.time - self.start, 4))
        for tier in TIERS:
            self.data["depth"][tier].append(totals[tier])
        self.data["up_bps"].append(round((up - last_up) / span))
        self.data["down_bps"].append(round((down - last_down) / span))
        self._last = (self.sim.time, up, down)
