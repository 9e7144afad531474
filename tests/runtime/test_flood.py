"""One exploiter against everyone else: raw remote floods, repeated sequence numbers, wide payloads, one player's
outbound backlog. Honest players keep their requests and their latency; the exploiter costs bounded work and gets
bounded replies; a player's state goes when the player does."""

import pluau
import pytest

from luaugen.sim import Link, Simulator

from .conftest import FRAMES, GENERATED, NET, build, no_errors, start

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
if _G.frames == nil then
""" + FRAMES + """
    local Registry = require(game.ReplicatedStorage.Networking.Registry)
    local ch = Registry.channels.Skills.id
    local cast = Registry.channels.Skills.messages.CastSkill.id
    local valid = buffer.tostring((Packing.encode(Packed.Skills.payloads.CastSkill,
        { skillId = "x", target = { kind = "self" }, modifiers = {} })))
    -- cut short, a trailing byte, a skillId length past its maximum, an unknown target variant
    local x = string.find(valid, "x", 1, true) -- skillId's one byte, after its length; the target's variant follows
    local junk = { string.sub(valid, 1, -2), valid .. "x", string.sub(valid, 1, x - 2) .. string.char(200) .. string.sub(valid, x),
        string.sub(valid, 1, x) .. string.char(9) .. string.sub(valid, x + 2) }
    _G.frames = {}
    for call = 1, 9 do
        local envelopes = table.create(512)
        for i = 1, 512 do
            local seq = call * 1000 + i
            envelopes[i] = if i % 4 == 0 then raw(2, ch, cast, 7, valid)                  -- one sequence, repeated
                elseif i % 4 == 1 then raw(2, ch, cast, seq, junk[i % 16 // 4 + 1])      -- invalid payloads
                elseif i % 16 == 2 then raw(2, ch, 999, seq, valid)                       -- unknown message
                else raw(2, ch, cast, seq, valid)                                         -- valid-looking
        end
        _G.frames[call] = table.pack(frame(envelopes))
    end
end
for _, call in _G.frames do
    fire(R, table.unpack(call, 1, call.n))
end
"""


def _honest_run(attack: bool, mounts=GENERATED) -> tuple[Simulator, list]:
    sim = Simulator(seed=3, mounts=mounts)
    sim.server.exec(NET + "_G.Net = Net\n" + SERVER)
    if attack:  # joins first: its calls reach the server before anyone else's packets in every frame
        sim.add_raw_player("Exploiter", EXPLOIT)
    clients = [sim.add_client(f"Honest{i}", link=Link(latency=0.03)) for i in range(3)]
    for client in clients:
        client.exec(NET + HONEST)
    sim.run_for(1.0)
    return sim, clients


@pytest.mark.parametrize("profile", ["dev", "release"])
def test_an_exploiter_flooding_the_remote_leaves_honest_requests_and_critical_latency_alone(profile, tmp_path):
    # Release frames differ (no send times): the flood is built with the same build's Frames module.
    mounts = GENERATED if profile == "dev" else build(tmp_path, profile="release")
    calm, calm_clients = _honest_run(attack=False, mounts=mounts)
    sim, clients = _honest_run(attack=True, mounts=mounts)
    assert sim.server.eval("Net.profile") == profile
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


RAW = FRAMES + """
local R = game.ReplicatedStorage:WaitForChild("NetworkingRemotes").Reliable
local Registry = require(game.ReplicatedStorage.Networking.Registry)
local ch, cast = Registry.channels.Skills.id, Registry.channels.Skills.messages.CastSkill.id
local function request(seq) return packed(2, ch, cast, seq, Packed.Skills.payloads.CastSkill, CAST) end
""".replace("CAST", CAST)


def test_requests_over_the_rate_get_no_reply_only_a_count():
    sim, (client,) = start(server_setup="Net.Skills.CastSkill.on(function() return { accepted = true } end)")
    client.exec(RAW + """
        local batch = {}
        for seq = 1, 100 do batch[seq] = request(seq) end
        R:FireServer(frame(batch))
    """)
    sim.run_for(0.2)
    cast = sim.server.eval("Net.stats().channels.Skills.CastSkill")
    assert (cast["delivered"], cast["rateLimited"]) == (10, 90)  # the 10/s bucket holds 10
    assert cast["sent"] == 10
    assert client.eval("Net.stats().lateReplies") == 10  # all the client ever got: the 10 answers
    no_errors(sim)


def test_a_repeated_sequence_is_rate_checked_first_and_answered_at_most_once_per_retry_interval():
    sim, (client,) = start(server_setup="""
        _G.calls = 0
        Net.Skills.CastSkill.on(function() _G.calls += 1 return { accepted = true } end)
    """)
    client.exec(RAW + """
        for tick = 1, 30 do -- 40 copies of sequence 5 a frame for half a second
            local batch = {}
            for i = 1, 40 do batch[i] = request(5) end
            R:FireServer(frame(batch))
            task.wait()
        end
    """)
    sim.run_for(0.6)
    cast = sim.server.eval("Net.stats().channels.Skills.CastSkill")
    assert sim.server.eval("_G.calls") == 1
    assert cast["received"] == 1200
    assert 1200 - 10 - 6 <= cast["rateLimited"] <= 1200 - 10  # a burst of 10, then 10/s
    # CastSkill retries no sooner than 0.1 s: over 0.5 s, the first reply and at most 5 copies (a copy that
    # passes the rate check a little sooner than 0.1 s after the last is not sent)
    assert 2 <= cast["sent"] <= 6 and client.eval("Net.stats().lateReplies") == cast["sent"]
    no_errors(sim)


def test_one_players_backlog_fills_only_its_own_queue_and_the_budget_is_shared_fairly():
    sim, clients = start(clients=3, client_setup="""
        _G.got = 0
        Net.Stats.StatChanged.on(function() _G.got += 1 end)
    """)
    sim.server.exec("""
        local P = game.Players
        local function stat(player, n)
            for i = 1, n do Net.Stats.StatChanged.fire(player, { entityId = 1, stat = "Luck", value = i, delta = 1 }) end
        end
        stat(P.Player1, 5000) -- HIGH, reliable: far beyond one player's queue
        stat(P.Player2, 500)
        stat(P.Player3, 9)
        Net.Stats.StatChanged.fireAll({ entityId = 1, stat = "Luck", value = 0, delta = 0 })
    """)
    stats = sim.server.eval("Net.stats()")
    assert stats["channels"]["Stats"]["StatChanged"]["dropped"] == 5000 - 1024  # player_queue_limit
    assert stats["queues"]["HIGH"]["depth"] == 1024 + 500 + 9 + 1
    sim.step(2)  # one flush of the 256 budget, delivered
    got = [c.eval("_G.got") for c in clients]
    assert got[2] == 9 + 1  # the quiet player's events are not behind anyone's backlog
    assert abs(got[0] - got[1]) <= 1 and sum(got) == 256 + 2  # the rest split evenly; the broadcast reached all
    sim.step(8)
    assert [c.eval("_G.got") for c in clients] == [1024 + 1, 500 + 1, 9 + 1]
    assert sim.server.eval("Net.stats().queues.HIGH.depth") == 0
    no_errors(sim)


def _work(vm, fn, *args) -> int:
    """Loop iterations and calls the Luau VM runs for fn(*args): a deterministic measure of work."""
    count = [0]

    def tick(*_):
        count[0] += 1
        return pluau.VmState.Continue

    vm.lua.set_interrupt(tick)
    try:
        vm.call(fn, *args)
    finally:
        vm.lua.remove_interrupt()
    return count[0]


def test_an_unvalidated_payload_is_walked_no_further_than_max_payload_bytes():
    sim, _ = start(server_setup="_G.calls = 0 Net.Skills.CancelCast.on(function() _G.calls += 1 end)")
    receive = sim.server.eval("""
        function(width, seq)
            local Dispatcher = require(game.ReplicatedStorage.Networking.Runtime.Dispatcher)
            local info = Dispatcher.byName.Skills.CancelCast
            local wide = { castId = 1 }
            for i = 1, width do wide[i * 7] = true end -- sparse integer keys: all in the hash part
            _G.envelope = { 1, info.channelId, info.id, seq, workspace:GetServerTimeNow(), wide }
            return function() Dispatcher.receive(game.Players.Player1, _G.envelope, false) end
        end
    """)
    narrow, wide = (_work(sim.server, sim.server.call(receive, width, seq)) for seq, width in ((1, 20_000), (2, 400_000)))
    # ~1,640 entries of 10 bytes fill the 16 KB limit, whether the payload has 20,000 or 400,000 of them
    assert abs(narrow - wide) <= 16 and narrow <= 2 * 16384
    cast = sim.server.eval("Net.stats().channels.Skills.CancelCast")
    assert (cast["invalid"], cast["bytes"], sim.server.eval("_G.calls")) == (2, 0, 0)
    assert sim.server.eval("#Net.replay.dump('Skills')") == 0  # neither kept alive in the replay ring
    assert any("dropped invalid Skills.CancelCast from Player1 (1): payload larger than 16384 bytes" in line
               for line in sim.server.output)
    no_errors(sim)


def test_a_framed_payload_longer_than_max_payload_bytes_is_never_decoded():
    sim, _ = start(clients=0, server_setup="_G.calls = 0 Net.Skills.CancelCast.on(function() _G.calls += 1 end)")
    sim.add_raw_player("Wide", "_G.fire = ...")
    sim.step(1)
    sim.server.exec(FRAMES + """
        local R = game.ReplicatedStorage.NetworkingRemotes.Reliable
        local info = require(game.ReplicatedStorage.Networking.Runtime.Dispatcher).byName.Skills.CancelCast
        function _G.wide(width, seq)
            local call = table.pack(frame({ raw(1, info.channelId, info.id, seq, string.rep("9", width)) }))
            return function() _G.fire(R, table.unpack(call, 1, call.n)) end
        end
    """)
    wide = sim.server.eval("_G.wide")
    narrow, wider = (_work(sim.server, sim.server.call(wide, width, seq)) for seq, width in ((1, 20_000), (2, 400_000)))
    assert abs(narrow - wider) <= 16 and narrow < 1000  # the length is checked, the bytes are not read
    cast = sim.server.eval("Net.stats().channels.Skills.CancelCast")
    assert (cast["received"], cast["invalid"], cast["bytes"], sim.server.eval("_G.calls")) == (2, 2, 0, 0)
    assert sim.server.eval("#Net.replay.dump('Skills')") == 0
    assert any("dropped invalid Skills.CancelCast from Wide (1): payload larger than 16384 bytes" in line
               for line in sim.server.output)
    no_errors(sim)


def test_only_envelopes_past_the_rate_check_are_captured_for_replay():
    sim, (client,) = start()
    client.exec(RAW + "local batch = {} for seq = 1, 100 do batch[seq] = request(seq) end R:FireServer(frame(batch))")
    sim.run_for(0.1)
    dump = sim.server.eval("Net.replay.dump('Skills')")
    assert [(e["direction"], e["kind"]) for e in dump] == [("in", "request"), ("out", "failure")] * 10  # no handler
    assert sim.server.eval("Net.stats().channels.Skills.CastSkill.rateLimited") == 90


def test_a_players_state_goes_when_the_player_leaves():
    sim, _ = start(clients=0, server_setup="""
        Net.Skills.CastSkill.on(function() return { accepted = true } end)
        _G.seen = setmetatable({}, { __mode = "k" }) -- every player that joined, held weakly
        game.Players.PlayerAdded:Connect(function(player)
            _G.seen[player] = true
            for i = 1, 300 do -- beyond the frame budget: some of it still queued when the player leaves
                Net.Stats.StatChanged.fire(player, { entityId = 1, stat = "Luck", value = i, delta = 1 })
            end
        end)
    """)
    # each player: an invalid request, then 20 more (10 over the rate), so it has a rate bucket, cached replies,
    # throttled warnings about it and an outbound queue when it leaves
    calls = RAW.replace(":WaitForChild(\"NetworkingRemotes\")", ".NetworkingRemotes") + """
        local fire = ...
        local batch = { raw(2, ch, cast, 1, string.char(255)) }
        for seq = 2, 21 do batch[seq] = request(seq) end
        fire(R, frame(batch))
    """

    def visitors(n: int) -> float:
        for i in range(n):
            user_id = sim.add_raw_player(f"Visitor{i}", calls)
            sim.step(1)
            sim.remove_raw_player(user_id)
        sim.step(1)
        return sim.server.eval("collectgarbage('collect') return collectgarbage('count')")

    first = visitors(20)
    assert sim.server.eval("Net.stats().queues.HIGH.max") == 300 and sim.server.eval("Net.stats().queues.HIGH.depth") == 0
    second = visitors(100)
    assert second - first < 4  # KB for 100 more players: nothing of theirs is kept
    assert sim.server.eval("local n = 0 for _ in _G.seen do n += 1 end return n") == 0
    dropped = sim.server.eval("Net.stats().channels.Stats.StatChanged.dropped")
    assert dropped == 120 * (300 - 256 + 10)  # what was still queued when they left (10 replies went first)
    no_errors(sim)
