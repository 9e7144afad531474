"""Exact limits of the runtime: the channel's shared rate budget, bucket refill, the inbound batch limit, the reply
cache's ring, queue limits, CRITICAL bursts cut at the receiver's batch limit, the retry schedule, invalid replies."""

from itertools import pairwise

from .conftest import FRAMES, build, no_errors, start

RAW = FRAMES + """
local remotes = game.ReplicatedStorage:WaitForChild("NetworkingRemotes")
local R = remotes.Reliable
local Registry = require(game.ReplicatedStorage.Networking.Registry)
local skills = Registry.channels.Skills
local function env(kind, message, seq, payload)
    return packed(kind, skills.id, skills.messages[message].id, seq, Packed.Skills.payloads[message], payload)
end
local CAST = { skillId = "fireball", target = { kind = "self" }, modifiers = {} }
"""


def test_a_client_at_30_per_second_is_limited_by_the_channels_shared_20_per_second():
    # Skills allows 20/s per player across its intents; CastSkill also has its own 10/s. Sending CastSkill at
    # 10/s and CancelCast at 20/s keeps each message within its own rate but the channel at 30/s. The envelopes
    # go out raw, so no client retry (a limited request gets no reply) blurs the count.
    sim, (client,) = start(server_setup="""
        Net.Skills.CastSkill.on(function() return { accepted = true } end)
        Net.Skills.CancelCast.on(function() end)
    """)
    client.exec(RAW + """
        for i = 1, 120 do -- 4 s at 30/s: every third send is a cast
            if i % 3 == 0 then
                R:FireServer(frame({ env(2, "CastSkill", i, CAST) }))
            else
                R:FireServer(frame({ env(1, "CancelCast", i, { castId = i }) }))
            end
            task.wait(1 / 30)
        end
    """)
    sim.run_for(4.5)
    skills = sim.server.eval("Net.stats().channels.Skills")
    cast, cancel = skills["CastSkill"], skills["CancelCast"]
    assert (cast["received"], cancel["received"]) == (40, 80)
    # a full bucket of 20, then 20/s refill over the 3.9 s from the first send to the last: 99 pass, 21 are limited
    # (exact for the simulator's 60 Hz frames); which message pays depends on arrival order, the total does not
    assert cast["rateLimited"] + cancel["rateLimited"] == 21
    assert cast["delivered"] + cancel["delivered"] == 99
    no_errors(sim)


def test_an_idle_client_saves_up_one_second_of_tokens_not_more():
    sim, (client,) = start(server_setup="""
        _G.calls = 0
        Net.Skills.CancelCast.on(function() _G.calls += 1 end)
    """)
    client.exec("Net.Skills.CancelCast.send({ castId = 0 })")
    sim.run_for(5)  # five seconds idle: the 20/s bucket refills to 20, not 100
    client.exec("for i = 1, 60 do Net.Skills.CancelCast.send({ castId = i }) end")
    sim.run_for(0.1)
    assert sim.server.eval("_G.calls") == 1 + 20  # the first, then a full bucket (the 60 arrive in one batch)
    no_errors(sim)


def test_an_inbound_batch_of_exactly_the_limit_is_processed_one_more_is_dropped():
    sim, (client,) = start()
    client.exec(RAW + """
        local function batch(n)
            local b = table.create(n)
            for i = 1, n do b[i] = env(1, "CancelCast", i, { castId = i }) end
            return b
        end
        R:FireServer(frame(batch(512)))
        R:FireServer(frame(batch(513)))
    """)
    sim.run_for(0.1)
    stats = sim.server.eval("Net.stats()")
    assert stats["malformed"] == 1
    assert stats["channels"]["Skills"]["CancelCast"]["received"] == 512
    no_errors(sim)


def test_a_retried_request_is_answered_from_the_reply_cache_after_newer_requests():
    sim, (client,) = start(server_setup="""
        _G.runs = 0
        Net.Skills.CastSkill.on(function() _G.runs += 1 return { accepted = true, castId = _G.runs } end)
    """)
    client.exec(RAW + """
        R:FireServer(frame({ env(2, "CastSkill", 1, CAST), env(2, "CastSkill", 2, CAST) }))
        task.wait(0.1)
        R:FireServer(frame({ env(2, "CastSkill", 1, CAST) })) -- a retry of the first, after the second
    """)
    sim.run_for(0.3)
    assert sim.server.eval("_G.runs") == 2
    assert sim.server.eval("Net.stats().channels.Skills.CastSkill.sent") == 3  # the retry got the cached reply
    no_errors(sim)


def test_the_reply_cache_holds_exactly_reply_cache_requests(tmp_path):
    mounts = build(tmp_path, reply_cache=2)
    sim, (client,) = start(mounts, server_setup="""
        _G.runs = {}
        Net.Skills.CastSkill.on(function(player, p) table.insert(_G.runs, p.skillId) return { accepted = true } end)
    """)
    client.exec(RAW + """
        local function cast(seq) return env(2, "CastSkill", seq, { skillId = "s" .. seq, target = { kind = "self" }, modifiers = {} }) end
        R:FireServer(frame({ cast(1), cast(2), cast(3) }))
        task.wait(0.1)
        R:FireServer(frame({ cast(2), cast(3) })) -- still cached
        task.wait(0.1)
        R:FireServer(frame({ cast(1) }))        -- evicted by 3: runs again
    """)
    sim.run_for(0.4)
    assert sim.server.eval("_G.runs") == ["s1", "s2", "s3", "s1"]
    no_errors(sim)


def test_a_queue_holds_exactly_queue_limit_items():
    sim, (client,) = start(client_setup="""
        _G.got = 0
        Net.Stats.StatChanged.on(function() _G.got += 1 end)
    """)
    sim.server.exec("""
        for i = 1, 4100 do -- HIGH, reliable, all in one frame: the queue holds 4096
            Net.Stats.StatChanged.fireAll({ entityId = 1, stat = "Luck", value = i, delta = 1 })
        end
    """)
    sim.run_for(0.5)
    stats = sim.server.eval("Net.stats()")
    assert stats["queues"]["HIGH"]["max"] == 4096
    assert stats["channels"]["Stats"]["StatChanged"]["dropped"] == 4
    assert client.eval("_G.got") == 4096
    warnings = [line for line in sim.server.output if "queue is full" in line]
    assert warnings == ["[warn] [Networking] HIGH queue is full (4096); Stats.StatChanged dropped"] * 3
    no_errors(sim)


def test_a_critical_burst_arrives_whole_in_batches_the_receiver_accepts():
    sim, (client,) = start(client_setup="""
        _G.hits = 0
        Net.Skills.SkillHit.on(function() _G.hits += 1 end)
    """)
    sim.server.exec("""
        for i = 1, 1100 do -- CRITICAL is never held back: one frame, cut into batches of at most 512
            Net.Skills.SkillHit.fireAll({ castId = i, targetId = 1, damage = 1, critical = false,
                hitPosition = Vector3.zero, effects = {} })
        end
    """)
    sim.step(2)  # flushed on the next Heartbeat, received the frame after: none of it waits for a later frame
    assert client.eval("_G.hits") == 1100
    assert client.eval("Net.stats().malformed") == 0
    no_errors(sim)


def test_reliable_low_traffic_beyond_the_budget_waits_and_is_never_shed(tmp_path):
    mounts = build(tmp_path, extra={"schemas/zz_log.yaml": (
        "channel: Log\nqos: LOW\nevents:\n  Line:\n    payload:\n      n: u16\n")})
    sim, (client,) = start(mounts, client_setup="""
        _G.lines = 0
        Net.Log.Line.on(function() _G.lines += 1 end)
    """)
    sim.server.exec("for i = 1, 300 do Net.Log.Line.fireAll({ n = i }) end")  # the frame budget is 256
    sim.step(3)
    assert client.eval("_G.lines") == 300
    assert sim.server.eval("Net.stats().channels.Log.Line.dropped") == 0
    no_errors(sim)


def test_retries_follow_the_exponential_schedule_then_stop():
    # CastSkill: exponential, 4 attempts, base 0.1 s, max 0.8 s; jitter only ever delays, by up to half the delay.
    sim, (client,) = start(server_setup="""
        Net.Skills.CastSkill.on(function() task.wait(100) return { accepted = true } end)
    """)
    client.exec('task.spawn(Net.Skills.CastSkill.request, { skillId = "fireball", target = { kind = "self" }, modifiers = {} })')
    arrivals = []  # the frame each send reached the server
    for frame in range(150):
        sim.step(1)
        while sim.server.eval("Net.stats().channels.Skills.CastSkill.received") > len(arrivals):
            arrivals.append(frame)
    gaps = [(b - a) / 60 for a, b in pairwise(arrivals)]
    assert len(gaps) == 3
    for gap, delay in zip(gaps, (0.1, 0.2, 0.4)):
        assert delay - 1e-9 <= gap <= 1.5 * delay + 1 / 60, gaps
    stats = client.eval("Net.stats().channels.Skills.CastSkill")
    assert (stats["sent"], stats["retried"], stats["failed"]) == (4, 3, 1)  # then the 2 s timeout ends it
    no_errors(sim)


def test_an_invalid_reply_from_a_handler_is_a_failure_for_the_caller():
    sim, (client,) = start(server_setup="""
        Net.Skills.CastSkill.on(function() return { accepted = "yes" } end)
    """)
    run = client.exec('return { Net.Skills.CastSkill.request({ skillId = "fireball", target = { kind = "self" }, modifiers = {} }) }')
    sim.run_until(lambda: run.done, timeout=1)
    assert run.result == [False, "the server returned an invalid reply"]
    assert sim.server.eval("Net.stats().channels.Skills.CastSkill.handlerErrors") == 1
    warnings = [line for line in sim.server.output if "invalid reply" in line]
    assert warnings == [('[warn] [Networking] handler for Skills.CastSkill returned an invalid reply: '
                         'reply.accepted: expected boolean, got "yes"')]
