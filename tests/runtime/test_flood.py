"""One exploiter against everyone else: raw remote floods, repeated sequence numbers, wide payloads, one player's
outbound backlog. Honest players keep their requests and their latency; the exploiter costs bounded work and gets
bounded replies; a player's state goes when the player does."""

from luaugen.sim import Link, Simulator

from .conftest import GENERATED, MOUNT, NET, no_errors, start

CAST = "{ skillId = 'fire', target = { kind = 'self' }, modifiers = {} }"
FRAME = 1 / 60

SERVER = """
Net.Skills.CastSkill.on(function(player, p) return { accepted = true, castId = 1 } end)
task.spawn(function() -- a CRITICAL event to everyone, stamped with its send time
    while true do
        Net.Skills.SkillHit.fireAll({ castId = 1, targetId = 1, damage = workspace:GetServerTimeNow(),
            critical = false, hitPosition = Vector3.zero, effects = {} })
        task.wait(0.1)
    end
end)
"""
HONEST = """
_G.ok, _G.failed, _G.rtt, _G.lag = 0, 0, {}, {}
Net.Skills.SkillHit.on(function(p) table.insert(_G.lag, workspace:GetServerTimeNow() - p.damage) end)
for i = 1, 4 do
    local started = os.clock()
    local ok = Net.Skills.CastSkill.request(CAST)
    if ok then _G.ok += 1 table.insert(_G.rtt, os.clock() - started) else _G.failed += 1 end
    task.wait(0.2)
end
""".replace("CAST", CAST)

# Raw calls at the most the dispatcher accepts: 9 calls a frame of 512 envelopes each (max_inbound_batch), built
# once: CastSkill requests that look valid (fresh and repeated sequence numbers), junk payloads, junk envelopes.
EXPLOIT = """
local fire = ...
local R = game.ReplicatedStorage.NetworkingRemotes.Reliable
if _G.batches == nil then
    local Registry = require(game.ReplicatedStorage.Networking.Registry)
    local ch = Registry.channels.Skills.id
    local cast = Registry.channels.Skills.messages.CastSkill.id
    local t = workspace:GetServerTimeNow()
    local valid = { skillId = "x", target = { kind = "self" }, modifiers = {} }
    local junk = { { skillId = 7 }, "junk", { target = { kind = "nowhere" } }, table.create(40, valid) }
    _G.batches = {}
    for call = 1, 9 do
        local batch = table.create(512)
        for i = 1, 512 do
            local seq = call * 1000 + i
            batch[i] = if i % 4 == 0 then { 2, ch, cast, 7, t, valid }                  -- one sequence, repeated
                elseif i % 4 == 1 then { 2, ch, cast, seq, t, junk[i % 16 // 4 + 1] }  -- invalid payloads
                elseif i % 16 == 2 then { 2, ch, 999, seq, t, valid }                   -- unknown message
                else { 2, ch, cast, seq, t, valid }                                     -- valid-looking
        end
        _G.batches[call] = batch
    end
end
for _, batch in _G.batches do
    fire(R, batch)
end
"""


def _honest_run(attack: bool, folder=GENERATED) -> tuple[Simulator, list]:
    sim = Simulator(seed=3, mounts={MOUNT: folder})
    sim.server.exec(NET + "_G.Net = Net\n" + SERVER)
    if attack:  # joins first: its calls reach the server before anyone else's packets in every frame
        sim.add_raw_player("Exploiter", EXPLOIT)
    clients = [sim.add_client(f"Honest{i}", link=Link(latency=0.03)) for i in range(3)]
    for client in clients:
        client.exec(NET + HONEST)
    sim.run_for(1.0)
    return sim, clients


def test_an_exploiter_flooding_the_remote_leaves_honest_requests_and_critical_latency_alone():
    calm, calm_clients = _honest_run(attack=False)
    sim, clients = _honest_run(attack=True)
    ok = sum(c.eval("_G.ok") for c in clients)
    assert sum(c.eval("_G.failed") for c in clients) == 0
    assert ok / 12 >= 0.99 and ok == sum(c.eval("_G.ok") for c in calm_clients) == 12
    for metric in ("_G.rtt", "_G.lag"):  # request round trips, and SkillHit's one-way latency (both CRITICAL)
        calm_worst = max(max(c.eval(metric)) for c in calm_clients)
        worst = max(max(c.eval(metric)) for c in clients)
        assert calm_worst - 1e-9 <= worst <= calm_worst + FRAME + 1e-9, metric

    cast = sim.server.eval("Net.stats().channels.Skills.CastSkill")
    flood = 60 * 9 * 512 * 15 // 16  # 60 frames of calls; the unknown message (a 16th) is malformed, not counted
    assert cast["received"] == flood + 12
    assert sim.server.eval("Net.stats().malformed") == 60 * 9 * 512 // 16
    # past the exploiter's 10/s bucket: a burst of 10 plus 1 s of refill; everything else is only counted
    passed = flood - cast["rateLimited"]
    assert 10 + 8 <= passed <= 10 + 10
    handled = cast["delivered"] - 12 + cast["invalid"]  # the rest of `passed` repeated sequence 7
    assert 1 <= handled <= passed - 1 and cast["dropped"] == 0
    # one reply per handled request, plus sequence 7's cached reply at most once per 0.1 s retry interval
    resent = cast["sent"] - 12 - handled
    assert 1 <= resent <= min(passed - handled, 10)
    assert sim.server.eval("Net.stats().queues.CRITICAL.max") <= 3 + 10
    no_errors(sim)
