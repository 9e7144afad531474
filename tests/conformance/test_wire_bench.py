"""`make bench`'s packed-wire rows build, load and run (sizes only: timings are never asserted)."""

from __future__ import annotations

from luaugen.bench_wire import measure_wire, render_wire

from .projects import REPO


def test_the_wire_benchmark_measures_the_blink_workloads_and_every_game_message():
    wire = measure_wire(REPO, fires=2, repeats=1)
    assert wire["workloads"]["Entities"]["packed"] == 1 + 100 * 6  # u8 count + six u8 per entity
    assert wire["workloads"]["Booleans"]["packed"] == 2 + 1000 // 8  # u16 count + the bits
    rows = {row["message"]: row for row in wire["messages"]}
    assert len(rows) == 17
    assert rows["Stats.RequestStats"] == {"message": "Stats.RequestStats", "packed": 0, "plain": 49, "minimum": 0}
    assert rows["Skills.CancelCast"] == {"message": "Skills.CancelCast", "packed": 4, "plain": 66, "minimum": 4}
    assert all(row["minimum"] <= row["packed"] < row["plain"] for row in rows.values())
    assert wire["hand_written"]["ratio"] > 0
    assert "| 100 structs of six u8 | 9,361 B | 601 B | 603 B |" in render_wire(wire)
    # the stress scenario, both ways in one seeded run: every envelope queued, packed in frames and as plain tables
    stress = wire["stress"]
    assert (stress["envelopes"], stress["packed"], stress["plain"]) == (953, 25647, 108322)
    assert 0 < stress["network_bps"] and "| packed frames (header + payload) | 26.9 B | 8,549 B/s |" in render_wire(wire)
