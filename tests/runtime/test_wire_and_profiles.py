"""Wire codecs for payloads Roblox would mangle, and the release profile."""


from luaugen.compiler import compile_project
from luaugen.config import load_config

from .conftest import FRAMES, ROOT, build, no_errors, schema_sources, start

MAPS = """
channel: Maps
qos: NORMAL
replay: 8
intents:
  Store:
    payload:
      slots: { type: map, key: u8, value: string }
      sparse: { type: map, key: i32, value: { type: array, items: { type: map, key: u16, value: bool } } }
      nested: { type: array, items: Bag }
      pick: { type: union, tag: kind, variants: { some: { inner: { type: map, key: u32, value: f64 } }, none: {} }, optional: true }
      named: { type: map, key: StatName, value: { type: map, key: i8, value: u8 } }
    reply:
      echo: { type: map, key: u16, value: string }
types:
  Bag: { type: struct, fields: { items: { type: map, key: i16, value: u8, optional: true } } }
"""


def test_wire_shapes_only_cover_integer_keyed_maps():
    config = load_config(ROOT)
    result = compile_project(config, schema_sources())
    assert result.ok
    text = result.files[f"{config.luau_out}/Runtime/Wire.luau"]
    assert "Wire.payloads." not in text  # the game's schemas need no transform: every payload travels as is
    result = compile_project(config, schema_sources() | {"schemas/maps.yaml": MAPS})
    text = result.files[f"{config.luau_out}/Runtime/Wire.luau"]
    assert "local MapsBagShape = struct({ items = intMap(nil) })" in text
    assert ('Wire.payloads.Maps.Store = struct({ slots = intMap(nil), sparse = intMap(array(intMap(nil))), '
            'nested = array(MapsBagShape), pick = union("kind", { ["some"] = { inner = intMap(nil) } }), '
            'named = mapValues(intMap(nil)) })') in text
    assert "Wire.replies.Maps.Store = struct({ echo = intMap(nil) })" in text


def test_integer_keyed_maps_survive_the_remote(tmp_path):
    mounts = build(tmp_path, extra={"schemas/maps.yaml": MAPS})
    sim, (client,) = start(mounts, server_setup="""
        _G.got = {}
        Net.Maps.Store.on(function(player, p)
            table.insert(_G.got, p)
            return { echo = p.slots }
        end)
    """)
    run = client.exec("""
        local payload = {
            slots = { [1] = "a", [2] = "b", [7] = "g" },          -- sparse: Roblox would turn keys into strings
            sparse = { [-5] = { { [1] = true, [3] = false } }, [100000] = {} },
            nested = { { items = { [0] = 1, [-1] = 2 } }, {} },
            pick = { kind = "some", inner = { [4000000000] = 0.5 } },
            named = { Luck = { [-128] = 255 } },
        }
        local ok, reply = Net.Maps.Store.request(payload)
        return { ok, reply }
    """)
    sim.run_until(lambda: run.done, timeout=2)
    got = sim.server.eval("_G.got")[0]
    assert got == {
        "slots": {1: "a", 2: "b", 7: "g"},
        "sparse": {-5: [{1: True, 3: False}], 100000: {}},  # an empty table converts to {}
        "nested": [{"items": {0: 1, -1: 2}}, {}],
        "pick": {"kind": "some", "inner": {4000000000: 0.5}},
        "named": {"Luck": {-128: 255}},
    }
    assert run.result == [True, {"echo": {1: "a", 2: "b", 7: "g"}}]
    # forged packed maps (cut short, a trailing byte, a count bomb, garbage) are dropped as invalid, never crash
    client.exec(FRAMES + """
        local R = game.ReplicatedStorage.NetworkingRemotes.Reliable
        local ch = require(game.ReplicatedStorage.Networking.Registry).channels.Maps.id
        local good = Packing.encode(Packed.Maps.payloads.Store,
            { slots = { [1] = "a", [2] = "b" }, sparse = {}, nested = {}, named = {} })
        local s = buffer.tostring(good)
        R:FireServer(frame({ raw(1, ch, 1, 1, string.sub(s, 1, -2)),
                             raw(1, ch, 1, 2, s .. string.char(0)),
                             raw(1, ch, 1, 3, string.rep(string.char(255), 5) .. string.char(1)),
                             raw(1, ch, 1, 4, string.rep(string.char(255), 64)) }))
    """)
    sim.run_for(0.1)
    assert len(sim.server.eval("_G.got")) == 1
    assert sim.server.eval("Net.stats().channels.Maps.Store.invalid") == 4
    no_errors(sim)


def test_profiles_differ_only_in_the_generated_settings():
    """The runtime is the same static Luau in both profiles; `Runtime/Settings.luau` switches dev features."""
    outputs = {}
    for profile in ("dev", "release"):
        config = load_config(ROOT).with_profile(profile)
        files = compile_project(config, schema_sources()).files
        outputs[profile] = {path.removeprefix(config.luau_out + "/"): text for path, text in files.items()
                            if path.startswith(config.luau_out)}
    dev, release = outputs["dev"], outputs["release"]
    assert sorted(dev) == sorted(release)
    assert [path for path in sorted(dev) if dev[path] != release[path]] == ["Registry.luau", "Runtime/Settings.luau"]
    assert "\tdev = true,\n" in dev["Runtime/Settings.luau"]
    assert "\tdev = false,\n" in release["Runtime/Settings.luau"]
    assert 'profile = "release",' in release["Registry.luau"]


def test_release_build_runs_end_to_end(tmp_path):
    mounts = build(tmp_path, profile="release")
    sim, (client,) = start(mounts, server_setup="""
        Net.Skills.CastSkill.on(function(player, p) return { accepted = true } end)
    """)
    run = client.exec("""
        local ok, reply = Net.Skills.CastSkill.request({ skillId = "x", target = { kind = "self" }, modifiers = {} })
        Net.send("Nope", "X", {}) -- release: counted and warned, not raised
        return { ok, reply, Net.profile, #Net.replay.dump(), pcall(Net.replay.export) }
    """)
    sim.run_until(lambda: run.done, timeout=2)
    ok, reply, profile, dumped, exported, message = run.result
    assert (ok, reply, profile, dumped, exported) == (True, {"accepted": True}, "release", 0, False)
    assert "not available in release builds" in message
    # The replay module ships in release but captures nothing: the dispatcher never calls it.
    held = "require(game.ReplicatedStorage.Networking.Runtime.Replay).sizes()"
    for peer in (sim.server, client):
        assert peer.eval(held)["Skills"] == 0
    stats = client.eval("Net.stats()")
    assert stats["unknownNames"] == 1 and stats["channels"]["Skills"]["CastSkill"].get("rtt") is None
    assert "Skills.CastSkill" in client.eval("Net.stats.format()")
    no_errors(sim)


def test_unreliable_frames_stay_within_unreliable_max_bytes():
    sim, (client,) = start(client_setup="_G.moved = 0 Net.EntityInfo.EntityMoved.on(function() _G.moved += 1 end)")
    sim.server.exec("""
        for i = 1, 100 do -- LOW and unreliable: 8-byte dev header + 31 bytes of payload each
            Net.EntityInfo.EntityMoved.fire(game.Players.Player1, { entityId = i, position = Vector3.new(i, 2, 3),
                velocity = Vector3.zero, facing = 0 })
        end
    """)
    sim.step(3)
    assert client.eval("_G.moved") == 100
    down = sim.stats()["Player1"]["down"]["unreliable"]
    # 884 bytes a call (unreliable_max_bytes 900 less a 16-byte margin): 2 + 8 frame header + 22 envelopes of 39
    assert (down["sent"], down["delivered"], down["dropped_oversize"]) == (5, 5, 0)
    assert down["bytes_sent"] == 5 * (2 + 8) + 100 * 39
    no_errors(sim)
