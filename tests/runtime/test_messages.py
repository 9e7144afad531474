"""End to end: every message kind, typed and string-keyed, between a server and clients in the simulator."""

import pytest

from luaugen.sim import CFrame, Color3, Link, LuauError

from .conftest import no_errors, start

CAST = '{ skillId = "fireball", target = { kind = "point", position = Vector3.new(1, 2, 3) }, modifiers = { "big" } }'
SKILL_CAST = '{ castId = %d, casterId = 1, skillId = "fireball", target = { kind = "self" }, castTime = 0.5 }'


def test_send_reaches_every_intent_handler_until_disconnected():
    sim, (client,) = start(link=Link(latency=0.03), server_setup="""
        _G.calls = {}
        local a = Net.Skills.CancelCast.on(function(player, p) table.insert(_G.calls, player.Name .. ":a" .. p.castId) end)
        Net.on("Skills", "CancelCast", function(player, p) table.insert(_G.calls, "b" .. p.castId) end)
        _G.disconnectA = function() a:Disconnect() end
    """)
    client.exec("Net.Skills.CancelCast.send({ castId = 1 }) Net.send('Skills', 'CancelCast', { castId = 2 })")
    sim.run_for(0.2)
    assert sim.server.eval("_G.calls") == ["Player1:a1", "b1", "Player1:a2", "b2"]
    sim.server.exec("_G.disconnectA()")
    client.exec("Net.Skills.CancelCast.send({ castId = 3 })")
    sim.run_for(0.2)
    assert sim.server.eval("_G.calls")[-1] == "b3" and len(sim.server.eval("_G.calls")) == 5
    stats = sim.server.eval("Net.stats().channels.Skills.CancelCast")
    assert stats["received"] == 3 and stats["delivered"] == 3 and stats["invalid"] == 0
    no_errors(sim)


def test_request_returns_the_handler_reply_typed_and_string_keyed():
    sim, (client,) = start(link=Link(latency=0.02), server_setup="""
        _G.handled = 0
        Net.Skills.CastSkill.on(function(player, p)
            _G.handled += 1
            task.wait(0.05) -- a handler may yield
            return { accepted = p.skillId == "fireball", castId = 40 + _G.handled }
        end)
    """)
    run = client.exec(f"""
        local ok1, r1 = Net.Skills.CastSkill.request({CAST})
        local ok2, r2 = Net.request("Skills", "CastSkill", {{ skillId = "ice", target = {{ kind = "self" }}, modifiers = {{}} }})
        return {{ ok1, r1, ok2, r2 }}
    """)
    sim.run_until(lambda: run.done, timeout=3)
    assert run.result == [True, {"accepted": True, "castId": 41}, True, {"accepted": False, "castId": 42}]
    assert sim.server.eval("_G.handled") == 2
    stats = client.eval("Net.stats().channels.Skills.CastSkill")
    assert stats["delivered"] == 2 and stats["failed"] == 0
    assert stats["rtt"]["count"] == 2 and stats["rtt"]["p50"] >= 40  # two 20 ms hops plus the handler's wait
    no_errors(sim)


def test_request_handler_errors_and_missing_handlers_end_the_request():
    sim, (client,) = start(server_setup="""
        Net.EntityInfo.InspectEntity.on(function(player, p)
            if p.entityId == 13 then error("unlucky") end
            return { found = true, name = "Slime" }
        end)
    """)
    run = client.exec("""
        local a = { Net.EntityInfo.InspectEntity.request({ entityId = 13 }) }
        local b = { Net.EntityInfo.InspectEntity.request({ entityId = 14 }) }
        local c = { Net.Stats.RequestStats.request and "has request" or "no request" }
        local d = { Net.Attributes.AllocatePoints.request({ allocations = { Luck = 2 } }) }
        return { a, b, c, d }
    """)
    sim.run_until(lambda: run.done, timeout=6)
    a, b, c, d = run.result
    assert a == [False, "the server failed to handle the request"]
    assert b == [True, {"found": True, "name": "Slime"}]
    assert c == ["no request"]
    assert d == [False, "no handler for Attributes.AllocatePoints"]
    assert sim.server.eval("Net.stats().channels.EntityInfo.InspectEntity.handlerErrors") == 1
    assert any("unlucky" in line for line in sim.server.output)


def test_fire_fireall_fireexcept_firelist_and_string_forms():
    sim, clients = start(clients=3, client_setup="""
        _G.got = {}
        Net.Skills.SkillCast.on(function(p) table.insert(_G.got, p.castId) end)
        Net.on("Skills", "SkillCast", function(p) table.insert(_G.got, -p.castId) end)
    """)
    sim.server.exec(f"""
        local Players = game:GetService("Players")
        local p1, p2, p3 = Players.Player1, Players.Player2, Players.Player3
        Net.Skills.SkillCast.fire(p1, {SKILL_CAST % 1})
        Net.Skills.SkillCast.fireAll({SKILL_CAST % 2})
        Net.Skills.SkillCast.fireExcept(p2, {SKILL_CAST % 3})
        Net.Skills.SkillCast.fireList({{ p1, p3 }}, {SKILL_CAST % 4})
        Net.fire(p2, "Skills", "SkillCast", {SKILL_CAST % 5})
        Net.fireAll("Skills", "SkillCast", {SKILL_CAST % 6})
        Net.fireExcept(p3, "Skills", "SkillCast", {SKILL_CAST % 7})
        Net.fireList({{ p3 }}, "Skills", "SkillCast", {SKILL_CAST % 8})
    """)
    sim.run_for(0.1)
    got = [sorted(c.eval("_G.got"), key=lambda n: (abs(n), n < 0)) for c in clients]
    expected = {"Player1": [1, 2, 3, 4, 6, 7], "Player2": [2, 5, 6, 7], "Player3": [2, 3, 4, 6, 8]}
    for client, ids in zip(clients, got):
        assert ids == [x for n in expected[client.player_name] for x in (n, -n)], client.player_name
    no_errors(sim)


def test_datatypes_instances_and_enum_maps_survive_the_trip():
    sim, (client,) = start(client_setup="""
        _G.spawned = nil
        Net.EntityInfo.EntitySpawned.on(function(p) _G.spawned = { p.model:GetFullName(), p.spawnCFrame, p.tint, p.faction } end)
        Net.Attributes.AttributesUpdated.on(function(p) _G.attributes = p end)
    """)
    sim.server.exec("""
        local model = Instance.new("Model")
        model.Name = "Slime"
        model.Parent = workspace
        task.wait()
        Net.EntityInfo.EntitySpawned.fireAll({ entityId = 5, faction = "Monster", model = model,
            spawnCFrame = CFrame.new(1, 2, 3), tint = Color3.new(1, 0, 0), displayName = "Slime" })
        Net.Attributes.AttributesUpdated.fireAll({ unspentPoints = 3, attributes = { Luck = 4, Strength = 1 }, modifiers = {} })
    """)
    sim.run_for(0.2)
    assert client.eval("_G.spawned") == ["Workspace.Slime", CFrame(1, 2, 3), Color3(1, 0, 0), "Monster"]
    assert client.eval("_G.attributes") == {"unspentPoints": 3, "attributes": {"Luck": 4, "Strength": 1}, "modifiers": {}}
    no_errors(sim)


def test_unknown_names_raise_in_dev_and_are_counted():
    sim, (client,) = start()
    with pytest.raises(LuauError, match=r'Net.send: unknown channel "Nope"'):
        client.eval("Net.send('Nope', 'X', {})")
    with pytest.raises(LuauError, match=r'Net.send: unknown message "Cast" in channel Skills'):
        client.eval("Net.send('Skills', 'Cast', {})")
    with pytest.raises(LuauError, match=r"Net.send: Skills.SkillCast is an event"):
        client.eval("Net.send('Skills', 'SkillCast', {})")
    with pytest.raises(LuauError, match=r"Net.fire: unknown channel"):
        sim.server.eval("Net.fire(game.Players.Player1, 'Nope', 'X', {})")
    assert client.eval("Net.stats().unknownNames") == 3
    assert sim.server.eval("Net.stats().unknownNames") == 1


def test_calls_from_the_wrong_side_are_clear_errors():
    sim, (client,) = start()
    with pytest.raises(LuauError, match=r"Skills.SkillCast.fire can only be called on the server"):
        client.eval("Net.Skills.SkillCast.fire(game.Players.LocalPlayer, {})")
    with pytest.raises(LuauError, match=r"Skills.CancelCast.send can only be called on the client"):
        sim.server.eval("Net.Skills.CancelCast.send({ castId = 1 })")
    with pytest.raises(LuauError, match=r"Skills.CastSkill already has a handler"):
        sim.server.eval("Net.Skills.CastSkill.on(function() end) Net.Skills.CastSkill.on(function() end)")
    with pytest.raises(LuauError, match=r"fire: expected a Player, got string"):
        sim.server.eval("Net.Skills.SkillCast.fire('Player1', {})")
