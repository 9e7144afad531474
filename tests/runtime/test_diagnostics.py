"""Stats snapshot and text table, developer chat commands, and the dev-vs-release benchmark entry point."""

import pytest

from luaugen.bench_runtime import measure_profiles

from .conftest import ROOT, no_errors, start


def test_stats_snapshot_and_format():
    sim, (client,) = start(server_setup="""
        Net.Skills.CancelCast.on(function(player, p) if p.castId == 2 then error("bad cast") end end)
    """)
    client.exec("for i = 1, 3 do Net.Skills.CancelCast.send({ castId = i }) end")
    sim.run_for(0.1)
    stats = sim.server.eval("Net.stats()")
    row = stats["channels"]["Skills"]["CancelCast"]
    assert (row["received"], row["delivered"], row["handlerErrors"], row["invalid"]) == (3, 3, 1, 0)
    # each envelope in its frame (docs/wire.md), dev build: flags 1 + channel id 1 + message id 1 (varints; an event
    # carries no sequence) + age f32 4 + payload length 1 + { castId = n } as u32 4 = 12; the frame's 8-byte send
    # time belongs to no envelope
    assert row["bytes"] == 3 * 12
    # one frame of delay (16.7 ms) falls in the histogram bucket ending at 1 ms * 2^4.5 = 22.6 ms
    bucket = pytest.approx(2**4.5)
    assert row["latency"] == {"count": 3, "p50": bucket, "p90": bucket, "p99": bucket}
    assert stats["side"] == "server" and stats["profile"] == "dev"
    assert set(stats["queues"]) == {"CRITICAL", "HIGH", "NORMAL", "LOW"}
    text = sim.server.eval("Net.stats.format()")
    lines = text.splitlines()
    assert lines[0].split()[:4] == ["message", "sent", "recv", "dlvr"]
    assert lines[1].split()[:5] == ["Skills.CancelCast", "0", "3", "3", "0"]
    assert lines[-2].startswith("queues (depth/max): CRITICAL 0/0")
    assert lines[-1] == "server dev: malformed 0  unknown names 0  late replies 0  pending requests 0"
    assert any("bad cast" in line for line in sim.server.output)  # isolated: the third call still ran


def test_chat_commands_for_allowed_users_only():
    sim, clients = start(clients=2, server_setup="_G.unbind = Net.debug.bindCommands({ 1 })")
    admin, other = clients
    admin.exec("Net.debug.bindCommands({ 1 }) Net.Skills.CancelCast.send({ castId = 1 })")
    sim.run_for(0.1)
    before = len(sim.server.output)
    assert sim.chat(other, "/netstats") == 1  # the server's command fires...
    assert len(sim.server.output) == before  # ...but prints nothing for a user not on the list
    sim.chat(admin, "/netstats")
    printed = "\n".join(sim.server.output[before:])
    assert "Skills.CancelCast" in printed and "queues (depth/max)" in printed
    assert any("client dev" in line for line in admin.output)
    before = len(sim.server.output)
    sim.chat(admin, "/netreplay Skills")
    printed = sim.server.output[before:]
    assert printed[0].startswith("replay entries: Attributes 0  Cooldowns 0  EntityInfo 0  Skills 1")
    assert "in  message Skills.CancelCast #0 player 1" in printed[1]  # messages carry no sequence on the wire
    sim.server.exec("_G.unbind()")
    before = len(sim.server.output)
    sim.chat(admin, "/netstats")
    assert len(sim.server.output) == before
    no_errors(sim)


def test_measure_profiles_reports_both_profiles():
    result = measure_profiles(400, repeats=1, root=ROOT)
    assert (result["messages"], result["repeats"]) == (400, 1)
    half = 0.00005  # seconds are rounded to 4 places, so the measured time lies within half a unit of them
    for profile in ("dev", "release"):
        seconds = result[profile]["seconds"]
        assert half < seconds < 60
        # the rate is 400 over the unrounded time, itself rounded to 1 place
        assert 400 / (seconds + half) - 0.05 <= result[profile]["messages_per_second"] <= 400 / (seconds - half) + 0.05
    dev, release = result["dev"]["seconds"], result["release"]["seconds"]
    overhead = result["overhead"]  # dev / release - 1 of the unrounded times, rounded to 4 places
    assert (dev - half) / (release + half) - 1 - half <= overhead <= (dev + half) / (release - half) - 1 + half
