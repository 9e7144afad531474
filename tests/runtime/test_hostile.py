"""A hostile client: invalid payloads, malformed envelopes and batches, spam. Nothing reaches a handler, nothing
crashes the server, everything is counted."""

from luaugen.sim import Link

from .conftest import build, no_errors, start

SERVER = """
    _G.calls = 0
    Net.Skills.CastSkill.on(function(player, p) _G.calls += 1 return { accepted = true } end)
    Net.Skills.CancelCast.on(function(player, p) _G.calls += 1 end)
"""
HOSTILE = """
local remotes = game.ReplicatedStorage:WaitForChild("NetworkingRemotes")
local R, U = remotes.Reliable, remotes.Unreliable
local t = workspace:GetServerTimeNow()
local function env(kind, ch, msg, seq, payload) return { kind, ch, msg, seq, t, payload } end
"""


def test_invalid_payloads_never_reach_a_handler_and_are_warned_about():
    sim, (client,) = start(server_setup=SERVER)
    ch = sim.server.eval("Net.Skills.CancelCast and require(game.ReplicatedStorage.Networking.Registry).channels.Skills.id")
    deep = "local deep = {} local cur = deep for i = 1, 300 do cur.x = {} cur = cur.x end"
    client.exec(HOSTILE + deep + f"""
        local bad = {{
            {{ castId = "7" }},                       -- wrong type
            {{ castId = 0 / 0 }},                     -- NaN
            {{ castId = 1.5 }},                       -- not an integer
            {{ castId = -1 }},                        -- out of range
            {{ castId = 1, extra = true }},           -- unknown field
            {{}},                                     -- missing field
            {{ castId = string.rep("9", 200000) }},   -- huge string
            deep,                                     -- deep table
            "payload",                                -- not a table
        }}
        local batch = {{}}
        for i, p in bad do table.insert(batch, env(1, {ch}, 2, i, p)) end
        R:FireServer(batch)
        -- requests: invalid payloads get an error reply, and are still never handled
        R:FireServer({{ env(2, {ch}, 1, 100, {{ skillId = 5, target = {{ kind = "self" }}, modifiers = {{}} }}),
                       env(2, {ch}, 1, 101, {{ skillId = "x", target = {{ kind = "nowhere" }}, modifiers = {{}} }}),
                       env(2, {ch}, 1, 102, {{ skillId = "x", target = {{ kind = "point", position = Vector3.new(0 / 0, 0, 0) }}, modifiers = {{}} }}) }})
    """)
    sim.run_for(0.2)
    assert sim.server.eval("_G.calls") == 0
    stats = sim.server.eval("Net.stats()")
    assert stats["channels"]["Skills"]["CancelCast"]["invalid"] == 9
    assert stats["channels"]["Skills"]["CastSkill"]["invalid"] == 3
    warnings = [line for line in sim.server.output if "dropped invalid" in line]
    assert warnings[0] == '[warn] [Networking] dropped invalid Skills.CancelCast from Player1 (1): payload.castId: expected integer in 0..4294967295, got "7"'
    assert any("payload.target.position.X: expected finite number, got nan" in w for w in warnings)
    # throttled per player and message: the first three of CancelCast's nine and all three of CastSkill's
    assert [w.split(" from ")[0] for w in warnings] == ["[warn] [Networking] dropped invalid Skills.CancelCast"] * 3 + [
        "[warn] [Networking] dropped invalid Skills.CastSkill"] * 3
    # the valid message after all that still works
    client.exec("Net.Skills.CancelCast.send({ castId = 1 })")
    sim.run_for(0.1)
    assert sim.server.eval("_G.calls") == 1
    no_errors(sim)


def test_malformed_envelopes_and_batches_are_dropped_and_counted():
    sim, (client,) = start(server_setup=SERVER)
    client.exec(HOSTILE + """
        local ch = 4
        R:FireServer()                      -- no batch
        R:FireServer(42)
        R:FireServer("batch")
        R:FireServer({})                    -- empty
        R:FireServer({ a = 1, b = 2 })      -- dictionary
        R:FireServer({ 1, 2, 3 })           -- envelopes that are not tables
        R:FireServer({ { "1", ch, 2, 1, t, { castId = 1 } } })   -- kind is a string
        R:FireServer({ { 1, 999, 2, 1, t, { castId = 1 } } })    -- unknown channel
        R:FireServer({ { 1, ch, 999, 1, t, { castId = 1 } } })   -- unknown message
        R:FireServer({ { 1, 0 / 0, 2, 1, t, { castId = 1 } } })  -- NaN channel
        R:FireServer({ { 1, ch, 2, 0 / 0, t, { castId = 1 } } }) -- NaN sequence
        R:FireServer({ { 1, ch, 2, 1.5, t, { castId = 1 } } })   -- fractional sequence
        R:FireServer({ { 1, ch, 2, 1, math.huge, { castId = 1 } } }) -- infinite send time
        R:FireServer({ { 1, ch, 2, 1 } })                        -- too short
        R:FireServer({ { 3, ch, 1, 1, t, { accepted = true } } })-- a reply, from a client
        R:FireServer({ { 1, ch, 3, 1, t, {} } })                 -- an event, from a client
        R:FireServer({ { 2, ch, 2, 1, t, { castId = 1 } } })     -- a request for an intent without reply
        local huge = table.create(5000, 0)
        R:FireServer(huge)                                       -- huge batch
        U:FireServer({ { 1, ch, 2, 1, t, { castId = 1 } }, "junk", { 1, {}, {}, {}, {}, {} } })
        R:FireServer({ { 1, ch, 2, 1, t, { castId = 1 } } }, "extra", "args")
    """)
    sim.run_for(0.2)
    stats = sim.server.eval("Net.stats()")
    # the two well-formed CancelCast envelopes (unreliable batch, extra args) were handled
    assert sim.server.eval("_G.calls") == 2
    assert stats["malformed"] == 22
    assert stats["channels"]["Skills"]["CancelCast"]["delivered"] == 2
    no_errors(sim)


def test_rate_limits_against_a_spamming_client():
    sim, clients = start(clients=2, server_setup="""
        _G.byPlayer = {}
        Net.Skills.CancelCast.on(function(player, p) _G.byPlayer[player.Name] = (_G.byPlayer[player.Name] or 0) + 1 end)
    """)
    spammer, polite = clients
    # 300 casts per frame for one second: far beyond the declared 20/s
    spammer.exec("""
        for frame = 1, 60 do
            for i = 1, 300 do Net.Skills.CancelCast.send({ castId = i }) end
            task.wait()
        end
    """)
    polite.exec("for i = 1, 5 do Net.Skills.CancelCast.send({ castId = i }) task.wait(0.25) end")
    sim.run_for(1.5)
    handled = sim.server.eval("_G.byPlayer")
    assert 20 <= handled["Player1"] <= 42  # the 20/s bucket: a burst of 20 plus ~1 s of refill
    assert handled["Player2"] == 5  # another player's budget is untouched
    stats = sim.server.eval("Net.stats().channels.Skills.CancelCast")
    assert stats["rateLimited"] == 300 * 60 - handled["Player1"] - stats["dropped"]
    # the spamming client is warned at its own call site, once
    qos = [line for line in spammer.output if "exceeds the declared rate" in line]
    assert len(qos) == 1 and "Skills.CancelCast" in qos[0]
    no_errors(sim)


def test_an_honest_client_at_the_declared_rate_over_a_jittery_link_is_never_limited():
    # Cooldowns.RequestCooldowns is 1/s; jitter bunches two sends closer than a second now and then.
    sim, (client,) = start(link=Link(latency=0.05, jitter=0.12), server_setup="""
        _G.calls = 0
        Net.Cooldowns.RequestCooldowns.on(function() _G.calls += 1 end)
    """)
    client.exec("for i = 1, 12 do Net.Cooldowns.RequestCooldowns.send({}) task.wait(1.01) end")
    sim.run_for(13)
    assert sim.server.eval("_G.calls") == 12
    assert sim.server.eval("Net.stats().channels.Cooldowns.RequestCooldowns.rateLimited") == 0
    no_errors(sim)


def test_a_per_minute_rate_allows_one_second_of_burst_not_a_minute(tmp_path):
    folder = build(tmp_path / "Networking", extra={"schemas/zz_chat.yaml": (
        "channel: Chat\nintents:\n  Say:\n    rate: 600/m\n    payload:\n      text: string\n")})
    sim, (client,) = start(folder, server_setup="""
        _G.said = 0
        Net.Chat.Say.on(function() _G.said += 1 end)
    """)
    client.exec("for i = 1, 100 do Net.Chat.Say.send({ text = 'hi' }) end")
    sim.run_for(0.1)
    assert 10 <= sim.server.eval("_G.said") <= 12  # 600/m is 10/s: a burst of 10 plus refill during the flight
    no_errors(sim)
