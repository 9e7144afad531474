import pytest

from luaugen.sim import Link, LuauError, SimulationTimeout, Simulator, Vector3

SERVER_SETUP = """
local RS = game:GetService("ReplicatedStorage")
local folder = Instance.new("Folder") folder.Name = "Remotes"
local rel = Instance.new("RemoteEvent") rel.Name = "Rel" rel.Parent = folder
local unrel = Instance.new("UnreliableRemoteEvent") unrel.Name = "Unrel" unrel.Parent = folder
folder.Parent = RS
_G.got = {}
rel.OnServerEvent:Connect(function(player, ...) table.insert(_G.got, {player.Name, ...}) end)
unrel.OnServerEvent:Connect(function(player, n) table.insert(_G.got, n) end)
"""
CLIENT_SETUP = """
local remotes = game:GetService("ReplicatedStorage"):WaitForChild("Remotes")
_G.rel = remotes:WaitForChild("Rel")
_G.unrel = remotes:WaitForChild("Unrel")
_G.got = {}
_G.rel.OnClientEvent:Connect(function(...) table.insert(_G.got, {...}) end)
_G.unrel.OnClientEvent:Connect(function(n) table.insert(_G.got, n) end)
"""


def make(seed=1, link=None, **kw):
    sim = Simulator(seed=seed, **kw)
    sim.server.exec(SERVER_SETUP)
    client = sim.add_client("Alice", link=link or Link())
    client.exec(CLIENT_SETUP)
    return sim, client


@pytest.fixture
def pair():
    sim, client = make()
    yield sim, client
    sim.close()


def test_remote_events_both_ways(pair):
    sim, alice = pair
    alice.exec("_G.rel:FireServer('hello', 42)")
    sim.server.exec("game.ReplicatedStorage.Remotes.Rel:FireAllClients('all') "
                    "game.ReplicatedStorage.Remotes.Rel:FireClient(game.Players.Alice, 'one')")
    sim.step(3)
    assert sim.server.eval("_G.got") == [["Alice", "hello", 42]]
    assert alice.eval("_G.got") == [["all"], ["one"]]


def test_latency_delays_delivery():
    sim, alice = make(link=Link(latency=0.1))
    alice.exec("_G.rel:FireServer(1)")
    sim.run_for(0.08)
    assert sim.server.eval("#_G.got") == 0
    sim.run_for(0.05)
    assert sim.server.eval("#_G.got") == 1
    sim.close()


def test_argument_mangling_rules(pair):
    sim, alice = pair
    alice.exec("""
        local withMeta = setmetatable({a = 1}, {__index = function() return 'meta' end})
        _G.rel:FireServer(
            withMeta,                               -- metatable stripped
            print,                                  -- function -> nil
            {[1] = 'a', [3] = 'c'},                 -- sparse array -> string keys
            {[true] = 1, [2.5] = 2},                -- non-string keys -> strings
            {10, 20, name = 'x'},                   -- mixed: only the array part survives
            Vector3.new(1, 2, 3),                   -- datatypes survive
            {list = {1, 2, 3}, f = print},          -- nested; function values dropped
            game.Players.LocalPlayer,               -- instance by reference
            Instance.new('Part'),                   -- not in the DataModel -> nil
            nil, 'last')
    """)
    sim.step(2)
    got = sim.server.eval("_G.got[1]")  # has holes (nil arguments), so it converts to a dict keyed 1..n
    assert isinstance(got, dict)
    assert got[1] == "Alice"
    assert got[2] == {"a": 1}
    assert 3 not in got
    assert got[4] == {"1": "a", "3": "c"}
    assert got[5] == {"true": 1, "2.5": 2}
    assert got[6] == [10, 20]
    assert got[7] == Vector3(1, 2, 3)
    assert got[8] == {"list": [1, 2, 3]}
    assert got[9].class_name == "Player" and got[9].name == "Alice"
    assert 10 not in got and 11 not in got and got[12] == "last"
    assert sim.server.eval("getmetatable(_G.got[1][2])") is None
    assert sim.server.eval("_G.got[1][9] == game.Players.Alice") is True


def test_tables_arrive_as_copies(pair):
    sim, alice = pair
    sim.server.exec("_G.shared = {n = 1} game.ReplicatedStorage.Remotes.Rel:FireAllClients(_G.shared) _G.shared.n = 2")
    sim.step(2)
    assert alice.eval("_G.got[1][1].n") == 1


def test_cyclic_table_send_errors(pair):
    sim, alice = pair
    with pytest.raises(LuauError, match="cyclic"):
        alice.exec("local t = {} t.t = t _G.rel:FireServer(t)")


def test_unreliable_size_limit():
    sim, alice = make(unreliable_max_bytes=100)
    alice.exec("_G.unrel:FireServer(string.rep('x', 200)) _G.unrel:FireServer('small') _G.rel:FireServer(string.rep('x', 200))")
    sim.step(2)
    assert sim.server.eval("_G.got[1]") == "small"
    assert sim.server.eval("#_G.got") == 2  # the reliable one is not limited
    up = sim.stats()["Alice"]["up"]
    assert up["unreliable"]["dropped_oversize"] == 1 and up["unreliable"]["delivered"] == 1
    assert any("exceeds the 100 byte limit" in line for line in alice.output)
    sim.close()


def burst(link, seed=7, n=200):
    sim, alice = make(seed=seed, link=link)
    alice.exec(f"for i = 1, {n} do _G.unrel:FireServer(i) _G.rel:FireServer(i) end")
    sim.run_for(1.5)
    server_got = sim.server.eval("_G.got")
    unrel = [x for x in server_got if not isinstance(x, list)] if server_got else []
    rel = [x[1] for x in server_got if isinstance(x, list)] if server_got else []
    stats, trace = sim.stats(), list(sim.trace)
    sim.close()
    return unrel, rel, stats, trace


def test_loss_duplication_reordering_only_hit_unreliable():
    link = Link(latency=0.05, jitter=0.03, loss=0.2, duplication=0.2, reordering=0.3)
    unrel, rel, stats, _ = burst(link)
    assert rel == list(range(1, 201))  # reliable: all, once, in order
    assert len(set(unrel)) < 200  # some lost
    assert len(unrel) != len(set(unrel))  # some duplicated
    assert unrel != sorted(unrel)  # some reordered
    up = stats["Alice"]["up"]
    assert up["reliable"]["dropped_loss"] == up["reliable"]["duplicated"] == up["reliable"]["reordered"] == 0
    assert up["unreliable"]["dropped_loss"] > 0 and up["unreliable"]["duplicated"] > 0


def test_reliable_is_ordered_under_jitter():
    _, rel, _, _ = burst(Link(latency=0.02, jitter=0.2), n=100)
    assert rel == list(range(1, 101))


def test_clean_link_delivers_everything_once_in_order():
    unrel, rel, _, _ = burst(Link(), n=50)
    assert unrel == list(range(1, 51)) and rel == list(range(1, 51))


def test_determinism():
    link = Link(latency=0.05, jitter=0.03, loss=0.3, duplication=0.1, reordering=0.2)
    a = burst(link, seed=3, n=60)
    b = burst(link, seed=3, n=60)
    c = burst(link, seed=4, n=60)
    assert a[0] == b[0] and a[3] == b[3]
    assert a[0] != c[0]


def test_task_timing_against_virtual_clock():
    sim = Simulator(seed=0)
    vm = sim.server
    run = vm.exec("local t0 = os.clock() local waited = task.wait(0.5) return os.clock() - t0, waited")
    sim.run_for(0.45)
    assert not run.done
    sim.run_for(0.1)
    elapsed, waited = run.results
    assert abs(elapsed - 0.5) <= 1 / 60 + 1e-9 and abs(waited - elapsed) < 1e-9
    vm.exec("_G.fired = {} task.delay(1, function(x) table.insert(_G.fired, x) end, 'd') "
            "task.defer(function() table.insert(_G.fired, 'defer') end) "
            "local t = task.delay(0.2, function() table.insert(_G.fired, 'cancelled') end) task.cancel(t)")
    sim.run_for(0.9)
    assert vm.eval("_G.fired") == ["defer"]
    sim.run_for(0.2)
    assert vm.eval("_G.fired") == ["defer", "d"]
    assert vm.eval("workspace:GetServerTimeNow()") == pytest.approx(sim.time)
    assert vm.eval("time()") == pytest.approx(sim.time)
    sim.close()


def test_heartbeat_every_frame():
    sim = Simulator()
    c = sim.add_client("Bob")
    for vm in (sim.server, c):
        vm.exec("_G.beats = 0 _G.dt = 0 game:GetService('RunService').Heartbeat:Connect(function(dt) _G.beats += 1 _G.dt += dt end)")
    sim.step(30)
    for vm in (sim.server, c):
        assert vm.eval("_G.beats") == 30
        assert vm.eval("_G.dt") == pytest.approx(0.5)
    assert sim.server.eval("game:GetService('RunService'):IsServer(), game:GetService('RunService'):IsClient()") == (True, False)
    assert c.eval("game:GetService('RunService'):IsServer(), game:GetService('RunService'):IsStudio()") == (False, True)
    sim.close()


def test_handler_error_captured_without_crash(pair):
    sim, alice = pair
    sim.server.exec("game.ReplicatedStorage.Remotes.Rel.OnServerEvent:Connect(function() error('handler boom') end)")
    alice.exec("_G.rel:FireServer(1) _G.rel:FireServer(2)")
    sim.step(3)
    assert sum("handler boom" in e for e in sim.server.errors) == 2
    assert sim.server.eval("#_G.got") == 2  # the other handler still ran


def test_players_join_and_leave():
    sim = Simulator()
    sim.server.exec("_G.log = {} local P = game:GetService('Players') "
                    "P.PlayerAdded:Connect(function(p) table.insert(_G.log, '+' .. p.Name .. p.UserId) end) "
                    "P.PlayerRemoving:Connect(function(p) table.insert(_G.log, '-' .. p.Name) end)")
    a = sim.add_client("Alice")
    b = sim.add_client("Bob", user_id=77)
    assert a.eval("game.Players.LocalPlayer.Name") == "Alice"
    assert sim.server.eval("#game:GetService('Players'):GetPlayers()") == 2
    sim.step(2)
    assert a.eval("#game.Players:GetPlayers()") == 2  # Bob replicated to Alice
    sim.remove_client(b)
    sim.step(2)
    assert sim.server.eval("_G.log") == ["+Alice1", "+Bob77", "-Bob"]
    assert sim.server.eval("#game.Players:GetPlayers()") == 1 and a.eval("#game.Players:GetPlayers()") == 1
    sim.close()


def test_signal_wait_once_disconnect():
    sim = Simulator()
    vm = sim.server
    vm.exec("local hb = game:GetService('RunService').Heartbeat _G.n = 0 _G.once = 0 "
            "local c = hb:Connect(function() _G.n += 1 end) hb:Once(function() _G.once += 1 end) "
            "task.delay(0.1, function() c:Disconnect() _G.connected = c.Connected end)")
    run = vm.exec("local dt = game:GetService('RunService').Heartbeat:Wait() return dt")
    sim.step(30)
    assert run.done and run.result == pytest.approx(1 / 60)
    assert vm.eval("_G.once") == 1 and vm.eval("_G.connected") is False
    assert 5 <= vm.eval("_G.n") <= 7
    sim.close()


def test_events_fired_before_listen_are_queued():
    sim = Simulator()
    sim.server.exec("local r = Instance.new('RemoteEvent') r.Name = 'Q' r.Parent = game.ReplicatedStorage "
                    "game.Players.PlayerAdded:Connect(function(p) r:FireClient(p, 'early') end)")
    alice = sim.add_client("Alice")
    sim.step(5)
    alice.exec("_G.q = {} game.ReplicatedStorage.Q.OnClientEvent:Connect(function(x) table.insert(_G.q, x) end)")
    sim.step(1)
    assert alice.eval("_G.q") == ["early"]
    sim.close()


def test_http_service_and_chat_command():
    sim = Simulator(seed=5)
    vm = sim.server
    assert vm.eval("game:GetService('HttpService'):JSONDecode('{\"a\":[1,2,{\"b\":true}]}')") == {"a": [1, 2, {"b": True}]}
    assert vm.eval("game:GetService('HttpService'):JSONEncode({a = {1, 2}})") == '{"a":[1,2]}'
    g1 = vm.eval("game:GetService('HttpService'):GenerateGUID(false)")
    assert Simulator(seed=5).server.eval("game:GetService('HttpService'):GenerateGUID(false)") == g1
    assert Simulator(seed=6).server.eval("game:GetService('HttpService'):GenerateGUID(false)") != g1
    vm.exec("local cmd = Instance.new('TextChatCommand') cmd.PrimaryAlias = '/give' cmd.Parent = game:GetService('TextChatService') "
            "cmd.Triggered:Connect(function(src, text) _G.cmd = {src.UserId, text} end)")
    alice = sim.add_client("Alice")
    assert sim.chat(alice, "/give sword") == 1
    assert vm.eval("_G.cmd") == [alice.user_id, "/give sword"]
    sim.close()


def test_run_until_and_timeout(pair):
    sim, alice = pair
    alice.exec("task.wait(0.5) _G.rel:FireServer('late')")
    frames = sim.run_until(lambda: sim.server.eval("#_G.got") > 0, timeout=2)
    assert 30 <= frames <= 33
    with pytest.raises(SimulationTimeout):
        sim.run_until(lambda: False, timeout=0.1)


def test_mounted_modules_identical_everywhere(tmp_path):
    (tmp_path / "Net").mkdir()
    (tmp_path / "Net" / "init.luau").write_text(
        "local RunService = game:GetService('RunService')\nreturn {side = if RunService:IsServer() then 'server' else 'client'}")
    sim = Simulator(mounts={"ReplicatedStorage/Net": tmp_path / "Net"})
    c = sim.add_client("Alice")
    assert sim.server.eval("require(game.ReplicatedStorage.Net).side") == "server"
    assert c.eval("require(game.ReplicatedStorage.Net).side") == "client"
    sim.close()


def test_the_simulator_seed_drives_math_random_in_every_vm():
    def draws(seed: int) -> list:
        sim = Simulator(seed=seed)
        try:
            client = sim.add_client("Alice")
            return [vm.eval("math.random(1, 2^30)") for vm in (sim.server, client)]
        finally:
            sim.close()

    first = draws(7)
    assert draws(7) == first
    assert first[0] != first[1]  # each VM has its own stream
    assert draws(8) != first


def test_a_raw_player_fires_remotes_every_frame_before_the_clients_packets_and_can_leave():
    sim, client = make()
    sim.server.exec("""
        _G.left = {}
        game.Players.PlayerRemoving:Connect(function(p) table.insert(_G.left, p.Name) end)
        _G.shared = { 1, 2 }
    """)
    # values arrive as they are: the very table (no conversion), functions included
    uid = sim.add_raw_player("Mallory", """
        local fire = ...
        fire(game.ReplicatedStorage.Remotes.Rel, _G.shared, print)
    """)
    assert uid == 2 and sim.server.eval("#game.Players:GetPlayers()") == 2
    client.exec("_G.rel:FireServer('hi')")
    sim.step(2)
    assert sim.server.eval("#_G.got") == 3
    assert sim.server.eval("_G.got[1][1] == 'Mallory' and _G.got[1][2] == _G.shared and _G.got[1][3] == print")
    assert sim.server.eval("_G.got[2][1]") == "Alice"  # the raw call came first in its frame
    sim.remove_raw_player(uid)
    sim.step(2)
    assert sim.server.eval("#_G.got") == 3 and sim.server.eval("_G.left") == ["Mallory"]
    sim.close()
