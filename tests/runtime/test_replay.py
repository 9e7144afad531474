"""Replay: capture in both directions, export to JSON, inject back through the receive path, bounded memory."""

import json

import pytest

from luaugen.sim import CFrame, Color3, LuauError

from .conftest import no_errors, start

RECORDER = """
    _G.log = {}
    Net.Skills.CancelCast.on(function(player, p) table.insert(_G.log, { player.Name, "cancel", p.castId }) end)
    Net.Skills.CastSkill.on(function(player, p)
        table.insert(_G.log, { player.Name, "cast", p.skillId, p.target, p.aim })
        return { accepted = true, castId = #_G.log }
    end)
"""
TRAFFIC = """
    for i = 1, 6 do
        Net.Skills.CancelCast.send({ castId = i })
        Net.Skills.CastSkill.request({ skillId = "s" .. i, target = { kind = "point", position = Vector3.new(i, 0.5, -i) },
            aim = Vector2.new(0.25, i), modifiers = {} })
        task.wait(0.15)
    end
"""


@pytest.mark.parametrize("pacing", ["original", "fast"])
def test_export_then_inject_reproduces_the_handler_calls(pacing):
    sim, (client,) = start(server_setup=RECORDER)
    run = client.exec(TRAFFIC)
    sim.run_until(lambda: run.done, timeout=5)
    recorded = sim.server.eval("_G.log")
    assert len(recorded) == 12
    document = sim.server.eval("Net.replay.export('Skills')")
    parsed = json.loads(document)
    assert parsed["format"] == "luaugen-replay" and parsed["version"] == 1
    assert parsed["schemaHash"] == sim.server.eval("Net.schemaHash") == sim.server.eval("require(game.ReplicatedStorage.Networking.Registry).schemaHash")
    directions = {(e["direction"], e["kind"]) for e in parsed["entries"]}
    assert directions == {("in", "message"), ("in", "request"), ("out", "reply")}
    position = next(e for e in parsed["entries"] if e["kind"] == "request")["payload"]["target"]["position"]
    assert position == {"$type": "Vector3", "x": 1, "y": 0.5, "z": -1}

    fresh, (player,) = start(server_setup=RECORDER)
    fresh.server.exec(f"_G.count = Net.replay.inject(_G.document, {{ pacing = '{pacing}', player = game.Players.Player1 }})"
                      .replace("_G.document", json.dumps(document)))
    fresh.run_for(1.5)
    assert fresh.server.eval("_G.count") == 12
    assert fresh.server.eval("_G.log") == recorded
    no_errors(fresh)


def test_client_side_replay_keeps_datatypes_and_instances():
    sim, (client,) = start(client_setup="""
        _G.seen = {}
        Net.EntityInfo.EntitySpawned.on(function(p) table.insert(_G.seen, { p.model:GetFullName(), p.spawnCFrame, p.tint }) end)
    """)
    sim.server.exec("""
        local model = Instance.new("Model")
        model.Name = "Boss"
        model.Parent = workspace
        task.wait()
        Net.EntityInfo.EntitySpawned.fireAll({ entityId = 1, faction = "Monster", model = model,
            spawnCFrame = CFrame.new(1, 2, 3) * CFrame.Angles(0, math.pi / 2, 0), tint = Color3.new(0, 0.5, 1), displayName = "Boss" })
    """)
    sim.run_for(0.2)
    dump = client.eval("Net.replay.dump('EntityInfo')")
    assert [(e["direction"], e["message"], e["kind"]) for e in dump] == [("in", "EntitySpawned", "message")]
    assert dump[0]["payload"]["displayName"] == "Boss"
    client.exec("Net.replay.inject(Net.replay.export(), { pacing = 'fast' })")
    seen = client.eval("_G.seen")
    assert len(seen) == 2 and seen[0] == seen[1]
    assert seen[1][0] == "Workspace.Boss" and seen[1][2] == Color3(0, 0.5, 1)
    assert isinstance(seen[1][1], CFrame)


def test_inject_checks_the_document():
    sim, _ = start()
    with pytest.raises(LuauError, match="not a luaugen replay document"):
        sim.server.eval("Net.replay.inject('{}')")
    with pytest.raises(LuauError, match="recorded with schema abc"):
        sim.server.eval('Net.replay.inject(\'{"format":"luaugen-replay","version":1,"schemaHash":"abc","entries":[]}\')')
    with pytest.raises(LuauError, match="unknown channel"):
        sim.server.eval("Net.replay.dump('Nope')")


def test_injected_traffic_is_validated_and_rate_limited():
    sim, _ = start(server_setup=RECORDER)
    entries = [{"direction": "in", "time": i / 1000, "player": 1, "channel": "Skills", "message": "CancelCast",
                "kind": "message", "sequence": i, "payload": {"castId": i if i % 2 else "bad"}} for i in range(1, 81)]
    document = json.dumps({"format": "luaugen-replay", "version": 1, "schemaHash": sim.server.eval("Net.schemaHash"),
                           "side": "server", "entries": entries})
    sim.server.exec(f"Net.replay.inject({json.dumps(document)}, {{ pacing = 'fast', player = game.Players.Player1 }})")
    stats = sim.server.eval("Net.stats().channels.Skills.CancelCast")
    assert stats["rateLimited"] == 60 and stats["invalid"] == 10 and len(sim.server.eval("_G.log")) == 10


def test_injected_envelopes_with_an_infinite_time_are_malformed():
    # JSON cannot say inf, but 1e999 decodes to it: a hand-edited document's times must not reach the latency
    # histogram or the handler. Frames check their own times; injection checks the document's.
    sim, _ = start(server_setup=RECORDER)
    entry = ('{"direction": "in", "time": %s, "player": 1, "channel": "Skills", "message": "CancelCast", '
             '"kind": "message", "sequence": %d, "payload": {"castId": %d}}')
    entries = ", ".join(entry % (time, i, i) for i, time in enumerate(("1e999", "-1e999", "0.5"), 1))
    document = ('{"format": "luaugen-replay", "version": 1, "schemaHash": "%s", "side": "server", "entries": [%s]}'
                % (sim.server.eval("Net.schemaHash"), entries))
    sim.server.exec(f"Net.replay.inject({json.dumps(document)}, {{ pacing = 'fast', player = game.Players.Player1 }})")
    assert sim.server.eval("Net.stats().malformed") == 2
    assert sim.server.eval("_G.log") == [["Player1", "cancel", 3]]
    no_errors(sim)


def test_replay_memory_stays_flat_under_100k_envelopes():
    # on the client: the server's events are not rate limited, so every one of them is captured
    sim, (client,) = start()
    measure = client.eval("""
        function(n)
            local Dispatcher = require(game.ReplicatedStorage.Networking.Runtime.Dispatcher)
            local info = Dispatcher.byName.Skills.SkillHit
            local t = workspace:GetServerTimeNow()
            for i = 1, n do
                Dispatcher.receive(nil, { 1, info.channelId, info.id, i, t, { castId = i, targetId = 1, damage = 1,
                    critical = false, hitPosition = Vector3.zero, effects = {} } }, false)
            end
            collectgarbage("collect")
            return collectgarbage("count")
        end
    """)
    first = client.call(measure, 20_000)
    second = client.call(measure, 80_000)
    assert client.eval("#Net.replay.dump('Skills')") == 256  # the channel's capacity
    assert second - first < 64  # KB: flat, whatever the traffic
    assert client.eval("Net.stats().channels.Skills.SkillHit.received") == 100_000


def test_each_exported_entry_carries_its_size_in_the_frame():
    sim, (client,) = start(server_setup=RECORDER)
    client.exec("Net.Skills.CancelCast.send({ castId = 1 }) Net.Skills.CastSkill.request({ skillId = 'abc', "
                "target = { kind = 'self' }, modifiers = {} })")
    sim.run_for(0.2)
    entries = json.loads(sim.server.eval("Net.replay.export('Skills')"))["entries"]
    # dev header: flags, channel, message, [sequence,] f32 age, length; then the payload
    assert [(e["direction"], e["kind"], e["sequence"], e["bytes"]) for e in entries] == [
        ("in", "message", 0, 8 + 4),            # castId: u32
        ("in", "request", 2, 9 + 1 + 1 + 3 + 1 + 1),  # skillId (u8 length + "abc"), header and variant, modifiers
        ("out", "reply", 2, 9 + 1 + 4),         # header (accepted bit, castId present), castId
    ]
    assert entries[0]["payload"] == {"castId": 1}
    no_errors(sim)
