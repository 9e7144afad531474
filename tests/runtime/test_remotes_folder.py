"""`[runtime] remotes_folder` names the Folder the server creates and the client waits for."""

from .conftest import build, no_errors, start

CAST = "{ skillId = 'fire', target = { kind = 'self' }, modifiers = {} }"


def test_a_custom_remotes_folder_carries_requests(tmp_path):
    mounts = build(tmp_path, remotes_folder="GameRemotes")
    settings = mounts["ReplicatedStorage/Networking"] / "Runtime" / "Settings.luau"
    assert '\tremotesFolder = "GameRemotes",\n' in settings.read_text(encoding="utf-8")
    sim, (client,) = start(mounts, server_setup="""
        Net.Skills.CastSkill.on(function(player, p) return { accepted = true, castId = 9 } end)
    """)
    assert sim.server.eval("game.ReplicatedStorage:FindFirstChild('NetworkingRemotes') == nil") is True
    assert sim.server.eval("game.ReplicatedStorage.GameRemotes.Reliable.ClassName") == "RemoteEvent"
    assert sim.server.eval("game.ReplicatedStorage.GameRemotes.Unreliable.ClassName") == "UnreliableRemoteEvent"
    run = client.exec(f"return {{ Net.Skills.CastSkill.request({CAST}) }}")
    sim.run_until(lambda: run.done, timeout=2)
    assert run.result == [True, {"accepted": True, "castId": 9}]
    no_errors(sim)
