"""`luaugen replay inject`: feed a dump's inbound envelopes into a fresh simulated peer (the side the dump was
recorded on) running the user's handler script, through the normal receive path, and report what the handlers
saw and replied."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from ..sim.build import build_luau
from ..sim.host import LuauError
from ..sim.simulator import Simulator
from .dump import Dump, ReplayError
from .inspect import Project

HARNESS = Path(__file__).with_name("inject.luau")
MAX_SPAN = 120.0  # seconds of virtual time an "original"-paced replay may take
COUNTERS = ("delivered", "invalid", "rateLimited", "dropped", "handlerErrors")


def _text(value: Any) -> str:
    return json.dumps(value, default=repr, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _players(dump: Dump) -> list[int]:
    if dump.side == "client":
        return [1]
    return sorted({e.player for e in dump.entries if e.direction == "in" and e.player > 0}) or [1]


def inject(dump: Dump, project: Project, handlers: Path, *, pacing: str = "fast",
           allow_schema_mismatch: bool = False) -> tuple[list[str], int]:
    """(report lines, problems): problems are handler errors and envelopes the receive path rejected or found no
    handler for."""
    try:
        script = handlers.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ReplayError(f"{handlers}: cannot read the handler script: {exc}") from None
    inbound = [e for e in dump.entries if e.direction == "in"]
    span = (max(e.time for e in inbound) - min(e.time for e in inbound)) if inbound else 0.0
    if pacing == "original" and span > MAX_SPAN:
        raise ReplayError(f"the dump spans {span:.0f} s; original pacing replays at most {MAX_SPAN:.0f} s "
                          "(use --pacing fast)")
    with tempfile.TemporaryDirectory(prefix="luaugen-replay-") as tmp:
        with Simulator(seed=1, mounts=build_luau(project.config, Path(tmp))) as sim:
            clients = [sim.add_client(f"Player{uid}", user_id=uid) for uid in _players(dump)]
            vm = sim.server if dump.side == "server" else clients[0]
            sim.step(2)  # remotes replicate
            vm.exec(HARNESS.read_text(encoding="utf-8"), name="replay-harness")
            try:
                vm.exec(script, name=handlers.name)
            except LuauError as exc:
                raise ReplayError(f"{handlers}: {exc.message}") from None
            sim.step(1)
            count, error = vm.call(vm.eval("return _G.ReplayHarness.inject"), json.dumps(dump.document), pacing,
                                   allow_schema_mismatch, nresults=2)
            if error is not None:
                return [f"inject: {error.split(': ', 1)[-1] if 'Net.replay.inject' in error else error}"], 1
            sim.run_for((span if pacing == "original" else 0.0) + 0.5)
            seen = vm.eval("return _G.ReplayHarness.seen()") or []
            stats = vm.eval("return require(game:GetService('ReplicatedStorage').Networking).stats()")
            errors = list(vm.errors)
            output = list(vm.output)
    start = seen[0]["time"] if seen else 0.0
    lines = [f"injected {count} inbound envelopes of {len(dump.entries)} into a fresh {dump.side} "
             f"({pacing} pacing); the handlers saw {len(seen)}:"]
    for row in seen:
        who = f" {row['player']}" if row.get("player") else ""
        reply = f" -> {_text(row['reply'])}" if "reply" in row else ""
        lines.append(f"{row['time'] - start:>+8.3f}s{who} {row['key']} {_text(row['payload'])}{reply}")
    problems = 0
    for name in sorted({e.name for e in inbound}):
        channel, message = name.split(".", 1)
        row = (stats.get("channels") or {}).get(channel, {}).get(message, {})
        counts = {k: int(row.get(k, 0)) for k in COUNTERS}
        problems += counts["invalid"] + counts["rateLimited"] + counts["handlerErrors"] + counts["dropped"]
        hint = f" (no handler for it in {handlers.name}?)" if counts["dropped"] else ""
        lines.append(f"{name}: " + ", ".join(f"{k} {v}" for k, v in counts.items()) + hint)
    lines += [f"output: {line}" for line in output]
    lines += [f"error: {e}" for e in errors]
    problems += len(errors)
    return lines, problems
