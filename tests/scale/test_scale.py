"""Any contract size loads: synthetic contracts of 1, 300 and 2,000 messages build, their entry module loads on the
real Luau VM (server side, where every validator module is required), and one valid payload per message passes
both the Luau validators and the Python mirror; one invalid payload per message fails both with the same message."""

from __future__ import annotations

import importlib
import sys

import pytest

from luaugen.sim import Simulator
from luaugen.config import Config
from luaugen.sim.build import networking_mounts
from luaugen.sim.host import LuauHost

from .build import compile_synthetic, write_files
from .synthetic import synthetic_messages, valid_payload

LUAU_BATCH = """
return function(validators, names, payloads)
	local out = {}
	for i, name in names do
		local channel, message = string.match(name, "^(%w+)%.(%w+)$")
		local ok, err = validators[channel][message](payloads[i])
		out[i] = if ok then "" else err
	end
	return out
end
"""


def _mirror(root, package: str):
    """Import the built mirror package, leaving any same-named package other tests imported as it was."""
    def ours(name: str) -> bool:
        return name == package or name.startswith(package + ".")

    saved = {name: sys.modules.pop(name) for name in [m for m in sys.modules if ours(m)]}
    sys.path.insert(0, str(root / "generated" / "python"))
    try:
        importlib.invalidate_caches()
        return importlib.import_module(f"{package}.validators"), importlib.import_module(f"{package}.roblox")
    finally:
        sys.path.remove(str(root / "generated" / "python"))
        for name in [m for m in sys.modules if ours(m)]:
            del sys.modules[name]
        sys.modules.update(saved)


@pytest.mark.parametrize("count", [1, 300, 2000])
def test_contract_of_any_size_loads_and_validates_in_luau_and_python(count, tmp_path):
    files = compile_synthetic(count, tmp_path)
    write_files(files, tmp_path)
    validators, roblox = _mirror(tmp_path, "sdc_net")
    messages = synthetic_messages(count)
    payloads = [valid_payload(roblox, i) for i in range(count)]
    broken = [dict(p, id=0) for p in payloads]  # every message's `id` is a SynthId: u32 of at least 1
    names = [f"{c}.{m}" for c, m, _ in messages]
    expected_broken = "payload.id: expected integer in 1..4294967295, got 0"

    python_ok = [validators.VALIDATORS[c][m](p) for (c, m, _), p in zip(messages, payloads)]
    assert python_ok == [(True, None)] * count
    python_bad = [validators.VALIDATORS[c][m](p) for (c, m, _), p in zip(messages, broken)]
    assert python_bad == [(False, expected_broken)] * count
    replies = [(c, m) for c, m, has_reply in messages if has_reply]
    assert len(replies) == {1: 1, 300: 108, 2000: 720}[count]  # 9 requests in every full channel of 25
    assert all(validators.REPLY_VALIDATORS[c][m]({"accepted": True}) == (True, None) for c, m in replies)

    with Simulator(mounts=networking_mounts(Config(root=tmp_path), tmp_path)) as sim:
        server = sim.server
        run = server.exec("local Net = require(game.ReplicatedStorage.Networking)\n"
                          "return Net.schemaHash, type(Net.Synth0.Do0.on)")
        assert run.results == (files["generated/manifest.json"].split('"schema_hash": "')[1].split('"')[0],
                               "function")
        validators_table = server.require("ServerScriptService/NetworkingServer/Validators")  # all are intents
        batch = server.eval(LUAU_BATCH)
        results = server.call(batch, validators_table, names, [server.to_luau(p) for p in payloads])
        assert [str(r) for r in results] == [""] * count
        results = server.call(batch, validators_table, names, [server.to_luau(p) for p in broken])
        assert [str(r) for r in results] == [expected_broken] * count
        reply_table = server.require("ReplicatedStorage/Networking/ReplyValidators")
        reply_names = [f"{c}.{m}" for c, m in replies]
        results = server.call(batch, reply_table, reply_names, [{"accepted": True}] * len(replies))
        assert [str(r) for r in results] == [""] * len(replies)


def _huge_message_sources() -> tuple[dict[str, str], dict]:
    """One message with 300 inline enums, 120 maps and a named struct of 250 fields: far more names than Luau allows
    locals or upvalues in one function if each had its own."""
    big = "\n".join(f"      g{i}: u8" for i in range(250))
    fields = [f"      e{i}: {{ type: enum, values: [A{i}, B{i}] }}" for i in range(300)]
    fields += [f"      m{i}: {{ type: map, key: string, value: u8, max_entries: 2 }}" for i in range(120)]
    fields += ["      big: Big", "      many: { type: array, items: Big, max_items: 2 }"]
    source = ("channel: Huge\nqos: NORMAL\ntypes:\n  Big:\n    type: struct\n    fields:\n" + big + "\nintents:\n"
              "  Everything:\n    payload:\n" + "\n".join(fields) + "\n")
    payload = {f"e{i}": f"B{i}" for i in range(300)} | {f"m{i}": {"k": 1} for i in range(120)}
    payload |= {"big": {f"g{i}": i for i in range(250)}, "many": [{f"g{i}": 0 for i in range(250)}]}
    return {"schemas/huge.yaml": source}, payload


def test_one_huge_message_loads_and_validates(tmp_path):
    sources, payload = _huge_message_sources()
    files = compile_synthetic(0, tmp_path, edit=lambda _: sources)
    write_files(files, tmp_path)
    host = LuauHost(name="huge")
    try:
        host.mount("ServerScriptService/NetworkingServer", tmp_path / "generated/luau/NetworkingServer")
        validate = host.require("ServerScriptService/NetworkingServer/Validators").get("Huge").get("Everything")
        assert host.call(validate, host.to_luau(payload)) == (True, None)
        broken = dict(payload, e299="C", big=dict(payload["big"], g249=300))
        assert host.call(validate, host.to_luau(broken)) == (False, 'payload.e299: expected one of "A299", "B299", got "C"')
        broken = dict(payload, many=[dict(payload["big"], g249=300)])
        assert host.call(validate, host.to_luau(broken)) == (False, "payload.many[1].g249: expected integer in 0..255, got 300")
    finally:
        host.close()
