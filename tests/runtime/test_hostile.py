"""A hostile client: invalid payloads, malformed frames and envelopes, spam. Nothing reaches a handler, nothing
crashes the server, everything is counted."""

from luaugen.sim import Link

from .conftest import FRAMES, build, no_errors, start

SERVER = """
    _G.calls = 0
    Net.Skills.CastSkill.on(function(player, p) _G.calls += 1 return { accepted = true } end)
    Net.Skills.CancelCast.on(function(player, p) _G.calls += 1 end)
"""
HOSTILE = FRAMES + """
local remotes = game.ReplicatedStorage:WaitForChild("NetworkingRemotes")
local R, U = remotes.Reliable, remotes.Unreliable
local cancel, cast = Packed.Skills.payloads.CancelCast, Packed.Skills.payloads.CastSkill
local function bytes(codec, payload) return buffer.tostring((Packing.encode(codec, payload))) end
"""


def test_invalid_payloads_never_reach_a_handler_and_are_warned_about():
    sim, (client,) = start(server_setup=SERVER)
    ch = sim.server.eval("require(game.ReplicatedStorage.Networking.Registry).channels.Skills.id")
    client.exec(HOSTILE + f"""
        local ok = bytes(cancel, {{ castId = 7 }})
        local bad = {{
            string.sub(ok, 1, 3),                       -- cut short
            ok .. string.char(0),                       -- a trailing byte
            "",                                         -- nothing
            string.rep(string.char(255), 16),           -- garbage
            string.rep("9", 200000),                    -- beyond max_payload_bytes: never decoded
        }}
        local envelopes = {{}}
        for i, p in bad do table.insert(envelopes, raw(1, {ch}, 2, i, p)) end
        R:FireServer(frame(envelopes))
        -- requests: payloads that decode but fail validation get an error reply, and are still never handled
        local point = bytes(cast, {{ skillId = "x", target = {{ kind = "point", position = Vector3.new(1, 2, 3) }}, modifiers = {{}} }})
        local one = string.char(0, 0, 128, 63) -- f32 1.0, the position's X
        local at = string.find(point, one, 1, true)
        local nan = string.sub(point, 1, at - 1) .. string.char(0, 0, 192, 127) .. string.sub(point, at + 4)
        R:FireServer(frame({{ raw(2, {ch}, 1, 100, bytes(cast, {{ skillId = string.char(255, 254), target = {{ kind = "self" }}, modifiers = {{}} }})),
                              raw(2, {ch}, 1, 101, string.sub(point, 1, -2)),
                              raw(2, {ch}, 1, 102, nan) }}))
    """)
    sim.run_for(0.2)
    assert sim.server.eval("_G.calls") == 0
    stats = sim.server.eval("Net.stats()")
    assert stats["channels"]["Skills"]["CancelCast"]["invalid"] == 5
    assert stats["channels"]["Skills"]["CastSkill"]["invalid"] == 3
    assert stats["channels"]["Skills"]["CastSkill"]["sent"] == 3  # each request got its error reply
    warnings = [line for line in sim.server.output if "dropped invalid" in line]
    assert warnings[0] == "[warn] [Networking] dropped invalid Skills.CancelCast from Player1 (1): undecodable payload: truncated at byte 16"
    assert any("payload.target.position.X: expected finite number, got nan" in w for w in warnings)
    assert any("payload.skillId: " in w and "UTF-8" in w for w in warnings)
    # throttled per player and message: the first three of CancelCast's five and all three of CastSkill's
    assert [w.split(" from ")[0] for w in warnings] == ["[warn] [Networking] dropped invalid Skills.CancelCast"] * 3 + [
        "[warn] [Networking] dropped invalid Skills.CastSkill"] * 3
    # the valid message after all that still works
    client.exec("Net.Skills.CancelCast.send({ castId = 1 })")
    sim.run_for(0.1)
    assert sim.server.eval("_G.calls") == 1
    no_errors(sim)


def test_malformed_frames_and_envelopes_are_dropped_and_counted():
    sim, (client,) = start(server_setup=SERVER)
    client.exec(HOSTILE + """
        local ch = 4
        local valid = raw(1, ch, 2, 1, bytes(cancel, { castId = 1 }))
        local head = buffer.tostring((frame({ valid }))) -- frame time, then one envelope
        local time = string.sub(head, 1, 8)
        R:FireServer()                                          -- no frame
        R:FireServer(42)
        R:FireServer("frame")
        R:FireServer({ valid })                                 -- a table, not a buffer
        R:FireServer(buffer.create(0))                          -- empty
        R:FireServer(buffer.fromstring(time .. string.char(255)))               -- unknown flag bits
        R:FireServer(buffer.fromstring(time .. string.char(0)))                 -- cut inside the header
        R:FireServer(buffer.fromstring(time .. string.char(0) .. string.rep(string.char(255), 6)))  -- a 6-byte varint
        R:FireServer(buffer.fromstring(string.rep(string.char(255), 8) .. string.sub(head, 9)))  -- NaN frame time
        R:FireServer(buffer.fromstring(time .. string.char(0, ch, 2, 0, 0, 192, 127, 4) .. bytes(cancel, { castId = 1 })))  -- NaN age
        R:FireServer(buffer.fromstring(time .. string.char(0, ch, 2, 0, 0, 0, 0, 100, 1)))  -- length past the end
        R:FireServer(buffer.fromstring(time .. string.char(4, ch, 2, 0, 0, 0, 0, 3, 4) .. bytes(cancel, { castId = 1 })))  -- 3 instances, none sent
        R:FireServer(frame({ valid }), "extra", "args")         -- arguments that are not the frame's instances
        R:FireServer(frame({ valid }), workspace)               -- an instance no payload refers to
        R:FireServer(buffer.fromstring("ab"), workspace, workspace, workspace)  -- more instances than bytes
        local many = table.create(513, valid)
        R:FireServer(frame(many))                               -- more envelopes than max_inbound_batch
        -- well-framed envelopes the server does not accept, each counted
        R:FireServer(frame({ raw(1, 999, 2, 1, ""),                                -- unknown channel
                             raw(1, ch, 999, 1, ""),                               -- unknown message
                             raw(3, ch, 1, 1, bytes(Packed.Skills.replies.CastSkill, { accepted = true })),  -- a reply, from a client
                             raw(1, ch, 3, 1, ""),                                 -- an event, from a client
                             raw(2, ch, 2, 1, bytes(cancel, { castId = 1 })) }))   -- a request for an intent without reply
        U:FireServer(frame({ valid }))
    """)
    sim.run_for(0.2)
    stats = sim.server.eval("Net.stats()")
    # only the unreliable frame's CancelCast was handled
    assert sim.server.eval("_G.calls") == 1
    assert stats["malformed"] == 16 + 5
    assert stats["channels"]["Skills"]["CancelCast"]["delivered"] == 1
    frames = [line for line in sim.server.output if "dropped a malformed frame" in line]
    assert frames[0] == "[warn] [Networking] dropped a malformed frame from Player1 (1): bad envelope flags 255 at byte 8"
    no_errors(sim)


def test_a_release_server_counts_an_empty_frame_as_malformed(tmp_path):
    # A release frame has no send-time header, so reading an empty buffer finds zero envelopes and no error: only
    # the length check before reading drops it (in dev, the missing 8-byte header catches it too).
    mounts = build(tmp_path, profile="release")
    sim, (client,) = start(mounts, server_setup=SERVER)
    client.exec(HOSTILE + """
        R:FireServer(buffer.create(0))
        R:FireServer(frame({ raw(1, 4, 2, 1, bytes(cancel, { castId = 1 })) }))  -- Skills.CancelCast, well framed
    """)
    sim.run_for(0.1)
    assert sim.server.eval("Net.stats().malformed") == 1
    assert sim.server.eval("_G.calls") == 1
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
    mounts = build(tmp_path, extra={"schemas/zz_chat.yaml": (
        "channel: Chat\nintents:\n  Say:\n    rate: 600/m\n    payload:\n      text: string\n")})
    sim, (client,) = start(mounts, server_setup="""
        _G.said = 0
        Net.Chat.Say.on(function() _G.said += 1 end)
    """)
    client.exec("for i = 1, 100 do Net.Chat.Say.send({ text = 'hi' }) end")
    sim.run_for(0.1)
    assert 10 <= sim.server.eval("_G.said") <= 12  # 600/m is 10/s: a burst of 10 plus refill during the flight
    no_errors(sim)
