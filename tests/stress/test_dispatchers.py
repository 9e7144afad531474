"""The dispatcher test doubles: the tiered model agrees with the generated runtime frame by frame, and the
saturation figure separates the three policies the way their definitions say it must."""

from __future__ import annotations

from pathlib import Path

from luaugen.sim import Link
from luaugen.sim.dispatchers import Source, run_dispatcher
from luaugen.sim.saturation import compare, sources_for
from luaugen.sim.scenario import MessageRate
from luaugen.sim.stress import prepare, run_stress

ROOT = Path(__file__).resolve().parents[2]
FRAME = 1 / 60


def test_the_tiered_model_matches_the_generated_runtime_frame_by_frame():
    # A budget of 4 per frame: CRITICAL (2/frame) always goes, HIGH (9/frame from the server plus client intents)
    # backs up, LOW unreliable beyond the budget is shed.
    rates = {"Skills.SkillCast": MessageRate(rate=120), "Stats.StatChanged": MessageRate(rate=540),
             "Stats.RequestStats": MessageRate(rate=1.9), "EntityInfo.EntityMoved": MessageRate(rate=300)}
    prepared = prepare(ROOT, message_rates=rates, frame_budget=4)
    report = run_stress(ROOT, clients=2, seconds=0.5, seed=3, prepared=prepared)
    model = run_dispatcher("tiered", sources_for(prepared.catalog, prepared.rates), clients=2, frames=30, link=Link(),
                           seed=3, budget=4, queue_limit=4096)
    assert report.timeline["depth"] == model.depth
    assert model.depth["HIGH"][-1] > 150 and model.depth["CRITICAL"] == [0] * 5
    moved = next(m for m in report.messages if m.name == "EntityInfo.EntityMoved")
    assert moved.dropped == model.dropped["LOW"] > 0


def _sources(high_rate: float = 10.0) -> list[Source]:
    return [Source("Moved", "LOW", False, False, False, 60 * 400),  # 400 per frame against a budget of 256
            Source("Cast", "CRITICAL", True, True, True, 10),
            Source("Inspect", "HIGH", True, True, True, high_rate)]


def _run(dispatcher: str, **kw):
    args = {"clients": 4, "frames": 120, "link": Link(latency=0.05), "seed": 1, "budget": 256, "queue_limit": 4096} | kw
    return run_dispatcher(dispatcher, _sources(), **args)


def test_tiered_never_holds_critical_or_high_back_under_a_low_flood():
    tiered = _run("tiered")
    assert tiered.saturated_frames == 0 and tiered.percentile(0.99) == 0.0
    assert tiered.max_frames("CRITICAL") == 0 and tiered.stuck == 0
    # 4 clients * 10/s * 2 s casts plus their replies: every one measured
    assert sum(tiered.delays["CRITICAL"].values()) == 2 * 4 * 20
    # exactly the excess over what the budget leaves for LOW: 400 per frame (401 in the first: senders start with
    # one message in hand) against 256, less one slot for each CRITICAL and HIGH reply the server flushes
    replies = 4 * 20 + 4 * 20
    assert tiered.dropped["LOW"] == 120 * (400 - 256) + 1 + replies
    assert tiered.dropped["CRITICAL"] == tiered.dropped["HIGH"] == 0


def test_fifo_queues_behind_the_flood_until_the_queue_limit_drops_messages():
    fifo = _run("fifo")
    # The server's one queue grows by 144 per frame towards its 4096 limit: replies queued meanwhile wait ever
    # longer behind the flood (3, 6, 10, 13 frames), and once it is full every reply is dropped. The clients'
    # queues carry only the requests, which leave at once.
    assert fifo.delays["CRITICAL"] == {0: 80, 3: 4, 6: 4, 10: 4, 13: 4}
    assert fifo.dropped["CRITICAL"] == fifo.dropped["HIGH"] == 80 - 16
    assert fifo.percentile(0.99) == 13 * FRAME * 1000
    assert fifo.saturated_frames == 39  # the frames with a reply waiting or dropped


def test_netray_waits_for_its_cycle_and_its_high_queue_grows_without_bound():
    calm = _run("netray", link=Link(latency=0.05, jitter=0.05))
    # one cycle every 6 frames: a CRITICAL message waits up to 5 frames even with no overload
    assert calm.max_frames("CRITICAL") == 5 and min(calm.delays["CRITICAL"]) == 0
    assert calm.dropped == {"CRITICAL": 0, "HIGH": 0, "NORMAL": 0, "LOW": 0}  # unbounded: nothing is dropped
    assert calm.stuck > 100_000  # the LOW flood (2 per cycle) never drains
    busy = run_dispatcher("netray", _sources(high_rate=15), clients=4, frames=120, link=Link(latency=0.05), seed=1,
                          budget=256, queue_limit=4096)
    # 60 HIGH requests per second against 5 per 0.1 s cycle: the backlog grows, so later requests wait longer
    assert busy.max_frames("HIGH") == 31 and busy.percentile(0.99) == 450.0
    assert busy.saturated_frames == 114  # every frame once the first requests arrived
    comparison = compare(_sources(), ("tiered", "fifo", "netray"), clients=4, seconds=2, link=Link(latency=0.05),
                         seed=1, budget=256, queue_limit=4096)
    assert comparison.reduction() == (1.0, 1.0)
    assert comparison.check({"min_reduction": 0.99, "max_share": 0.0, "critical_max_frames": 0}) == []
    assert comparison.check({"max_share": -1}) == ["saturation share 0.00% > -100.00%"]
