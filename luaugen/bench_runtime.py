"""Throughput of the generated Networking runtime, dev profile against release, on the offline simulator.

    from luaugen.bench_runtime import measure_profiles
    measure_profiles(20_000)  # {"messages": ..., "dev": {...}, "release": {...}, "overhead": 0.01}

Both profiles are compiled in memory from the project's schemas into temporary folders and run the same
traffic: the server fires `Cooldowns.CooldownStarted` to one client in batches of 200 per frame (inside the frame
budget), the client validates each event and calls its handler. Timing covers the whole pipeline (enqueue,
Heartbeat flush, remote transfer, receive, validation, handler) and is the best of `repeats` runs per profile,
alternating profiles so machine noise hits both alike.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from .config import find_root, load_config
from .sim.build import build_luau

PER_FRAME = 200


def _build(root: Path, profile: str, folder: Path) -> dict[str, Path]:
    return build_luau(load_config(root).with_profile(profile), folder)


def _run(mounts: dict[str, Path], messages: int) -> float:
    from .sim import Simulator

    sim = Simulator(seed=1, mounts=mounts)
    try:
        sim.server.exec("_G.Net = require(game.ReplicatedStorage.Networking)")
        client = sim.add_client("Bench")
        client.exec("""
            _G.got = 0
            require(game.ReplicatedStorage.Networking).Cooldowns.CooldownStarted.on(function() _G.got += 1 end)
        """)
        sim.step(2)
        fire = sim.server.eval("""
            function(n)
                local started = _G.Net.Cooldowns.CooldownStarted
                local player = game.Players.Bench
                for i = 1, n do
                    started.fire(player, { cooldown = { skillId = "skill" .. (i % 16), endsAt = i, duration = 1.5, charges = 2 }, slot = i % 12 })
                end
            end
        """)
        frames = -(-messages // PER_FRAME)
        start = time.perf_counter()
        for frame in range(frames):
            sim.server.call(fire, min(PER_FRAME, messages - frame * PER_FRAME))
            sim.step()
        sim.step(2)
        elapsed = time.perf_counter() - start
        got = client.eval("_G.got")
        if got != messages:
            raise RuntimeError(f"benchmark traffic was lost: {got} of {messages} delivered")
        return elapsed
    finally:
        sim.close()


def measure_profiles(messages: int = 20_000, repeats: int = 3, root: Path | None = None) -> dict:
    """Messages per second through the dev and release builds of the same schemas, and dev's relative cost."""
    root = find_root(root or Path.cwd())
    with tempfile.TemporaryDirectory(prefix="luaugen-bench-") as tmp:
        folders = {p: _build(root, p, Path(tmp) / p) for p in ("dev", "release")}
        best = {p: float("inf") for p in folders}
        for _ in range(repeats):
            for profile, folder in folders.items():
                best[profile] = min(best[profile], _run(folder, messages))
    result: dict = {"messages": messages, "repeats": repeats}
    for profile, seconds in best.items():
        result[profile] = {"seconds": round(seconds, 4), "messages_per_second": round(messages / seconds, 1)}
    result["overhead"] = round(best["dev"] / best["release"] - 1.0, 4)
    return result
