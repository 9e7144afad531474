"""Tiers under overload, and QoS enforcement of per-call options."""


from .conftest import no_errors, start

MOVE = "{ entityId = i, position = Vector3.new(i, 0, 0), velocity = Vector3.zero, facing = 0 }"


def test_high_and_critical_stay_within_a_frame_while_low_is_shed():
    sim, (client,) = start(client_setup="""
        _G.lag = {}
        _G.moves = 0
        local function record(sentAt) table.insert(_G.lag, workspace:GetServerTimeNow() - sentAt) end
        Net.Cooldowns.CooldownStarted.on(function(p) record(p.cooldown.endsAt) end)
        Net.Skills.SkillHit.on(function(p) record(p.damage) end)
        Net.EntityInfo.EntityMoved.on(function() _G.moves += 1 end)
    """)
    sim.server.exec(f"""
        for frame = 1, 30 do
            for i = 1, 2000 do -- LOW, unreliable: far beyond the frame budget
                Net.EntityInfo.EntityMoved.fireAll({MOVE})
            end
            local now = workspace:GetServerTimeNow()
            Net.Cooldowns.CooldownStarted.fireAll({{ cooldown = {{ skillId = "a", endsAt = now, duration = 1 }}, slot = 1 }})
            Net.Skills.SkillHit.fireAll({{ castId = 1, targetId = 1, damage = now, critical = false,
                hitPosition = Vector3.zero, effects = {{}} }})
            task.wait()
        end
    """)
    sim.run_for(1.0)
    lag = client.eval("_G.lag")
    assert len(lag) == 60
    assert max(lag) <= 1 / 60 + 1e-6  # sent on the next Heartbeat, delivered on the next frame
    stats = sim.server.eval("Net.stats()")
    moved = stats["channels"]["EntityInfo"]["EntityMoved"]
    assert moved["dropped"] > 30 * 1000  # shed, and counted
    assert client.eval("_G.moves") == moved["sent"] - moved["dropped"]  # a lossless link: the rest arrived
    assert stats["queues"]["LOW"]["max"] >= 2000 and stats["queues"]["LOW"]["depth"] == 0
    assert stats["queues"]["HIGH"]["depth"] == 0
    no_errors(sim)


def test_reliable_backlog_waits_instead_of_being_shed():
    sim, (client,) = start(client_setup="""
        _G.got = 0
        Net.Stats.StatChanged.on(function() _G.got += 1 end)
    """)
    sim.server.exec("""
        for i = 1, 1000 do -- HIGH, reliable: 256 per frame fit the budget, the rest waits
            Net.Stats.StatChanged.fireAll({ entityId = 1, stat = "Luck", value = i, delta = 1 })
        end
    """)
    sim.step(2)
    assert client.eval("_G.got") == 256  # one frame budget's worth
    sim.step(5)
    assert client.eval("_G.got") == 1000
    stats = sim.server.eval("Net.stats()")
    assert stats["channels"]["Stats"]["StatChanged"]["dropped"] == 0
    assert stats["queues"]["HIGH"]["max"] == 1000


def test_qos_violations_warn_once_per_call_site_and_are_counted():
    sim, (client,) = start()
    client.exec("""
        for i = 1, 5 do
            Net.Stats.RequestStats.send({}, { qos = "CRITICAL" })        -- declared HIGH
        end
        Net.Stats.RequestStats.send({}, { qos = "CRITICAL" })            -- another call site
        Net.send("Skills", "CancelCast", { castId = 1 }, { reliable = false })
        Net.send("Skills", "CancelCast", { castId = 1 }, { qos = "LOW" }) -- lower than declared: fine
    """)
    sim.server.exec("""
        local p = game.Players.Player1
        for i = 1, 3 do
            Net.EntityInfo.EntityMoved.fire(p, { entityId = 1, position = Vector3.zero, velocity = Vector3.zero, facing = 0 }, { reliable = true })
        end
    """)
    warnings = [line.removeprefix("[warn] [Networking] ").partition(";")[0] for line in client.output if "sent as declared" in line]
    assert warnings == [
        "Stats.RequestStats at exec:3: asked for qos CRITICAL above the declared HIGH",
        "Stats.RequestStats at exec:3: exceeds the declared rate of 2 per 1s",
        "Stats.RequestStats at exec:5: asked for qos CRITICAL above the declared HIGH",
        "Stats.RequestStats at exec:5: exceeds the declared rate of 2 per 1s",
        "Skills.CancelCast at exec:6: asked for unreliable delivery of a reliable message",
    ]
    stats = client.eval("Net.stats().channels")
    # six over-tier calls, plus RequestStats' declared 2/s exceeded by the 6 sends in one frame
    assert stats["Stats"]["RequestStats"]["qosViolations"] == 6 + 4
    assert stats["Skills"]["CancelCast"]["qosViolations"] == 1
    server_warnings = [line for line in sim.server.output if "sent as declared" in line]
    assert len(server_warnings) == 1 and "asked for reliable delivery of an unreliable message" in server_warnings[0]
    sim.run_for(0.1)
    # still sent at the declared tier: RequestStats arrives (2 within the rate), CancelCast reliably
    assert sim.server.eval("Net.stats().channels.Skills.CancelCast.received") == 2
