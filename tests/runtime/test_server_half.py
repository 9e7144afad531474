"""The server half: the checks of what clients send and the reply cache live in a module synced to
ServerScriptService, which clients never receive; the shared module finds it on the server and refuses a missing
or mismatched one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from luaugen.sim import Simulator
from luaugen.sim.host import LuauError

from .conftest import GENERATED, NET, ROOT, build, no_errors, start

SHARED = ROOT / "generated" / "luau" / "Networking"
SERVER = ROOT / "generated" / "luau" / "NetworkingServer"
CAST = "{ skillId = 'fire', target = { kind = 'self' }, modifiers = {} }"


def _text(folder: Path) -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(folder.rglob("*.luau")))


def test_clients_receive_none_of_the_servers_checks():
    shared, server = _text(SHARED), _text(SERVER)
    intents = ["SkillsCastSkill", "SkillsCancelCast", "AttributesAllocatePoints", "StatsRequestStats"]
    for name in intents:
        assert f"function validate{name}(" in server
        assert f"validate{name}(" not in shared, name
    # the client→server bounds (strings, arrays and maps a schema left open) are the server's alone
    assert re.search(r"max_length|FromClient\(", shared) is None
    assert [p.name for p in SERVER.rglob("ReplyCache.luau")] == ["ReplyCache.luau"]
    assert list(SHARED.rglob("ReplyCache.luau")) == [] and "% capacity + 1" not in shared
    # what clients do check: events from the server and replies
    assert "function validateSkillsSkillCast(" in shared and "function validateSkillsCastSkillReply(" in shared


def test_a_client_cannot_see_the_server_half_and_requests_still_work():
    sim, (client,) = start(server_setup="""
        Net.Skills.CastSkill.on(function(player, p) return { accepted = true, castId = 3 } end)
    """)
    assert sim.server.eval("game.ServerScriptService.NetworkingServer.ClassName") == "ModuleScript"
    assert client.eval("game.ServerScriptService:FindFirstChild('NetworkingServer') == nil") is True
    run = client.exec(f"return {{ Net.Skills.CastSkill.request({CAST}) }}")
    sim.run_until(lambda: run.done, timeout=2)
    assert run.result == [True, {"accepted": True, "castId": 3}]
    bad = client.exec("return { Net.Skills.CastSkill.request({ skillId = 'fire', target = { kind = 'self' }, "
                      "comboStep = 6, modifiers = {} }) }")
    sim.run_until(lambda: bad.done, timeout=2)
    assert bad.result == [False, "invalid request: payload.comboStep: expected integer in 0..5, got 6"]
    no_errors(sim)


def test_the_server_refuses_to_start_without_its_half():
    shared_only = {path: folder for path, folder in GENERATED.items() if path.startswith("ReplicatedStorage/")}
    with Simulator(mounts=shared_only) as sim:
        with pytest.raises(LuauError, match=r"\[Networking\] ServerScriptService\.NetworkingServer is missing: it is "
                                            r"the server half of Networking"):
            sim.server.exec(NET)
        client = sim.add_client("Player1")
        client.exec(NET + "_G.Net = Net")  # clients never look for it
        assert client.eval("type(_G.Net.Skills.CastSkill.request)") == "function"


def test_the_server_refuses_a_half_from_other_schemas(tmp_path):
    other = build(tmp_path, extra={"schemas/zz_extra.yaml": "channel: Extra\nqos: LOW\nintents:\n  Ping:\n"
                                                            "    payload: { n: u8 }\n"})
    mounts = dict(GENERATED)
    mounts["ServerScriptService/NetworkingServer"] = other["ServerScriptService/NetworkingServer"]
    with Simulator(mounts=mounts) as sim:
        with pytest.raises(LuauError, match=r"ServerScriptService\.NetworkingServer was built from other schemas "
                                            r"\([0-9a-f]{12}\) than Networking \([0-9a-f]{12}\): sync both halves"):
            sim.server.exec(NET)


def test_the_server_module_name_is_configurable(tmp_path):
    mounts = build(tmp_path, server_module="NetServer")
    assert sorted(mounts) == ["ReplicatedStorage/Networking", "ServerScriptService/NetServer"]
    sim, (client,) = start(mounts, server_setup="""
        Net.Skills.CastSkill.on(function(player, p) return { accepted = true } end)
    """)
    assert sim.server.eval("game.ServerScriptService:FindFirstChild('NetworkingServer') == nil") is True
    run = client.exec(f"return {{ Net.Skills.CastSkill.request({CAST}) }}")
    sim.run_until(lambda: run.done, timeout=2)
    assert run.result == [True, {"accepted": True}]
    no_errors(sim)
