"""The two projects whose validators are compared: the game's schemas/ (committed output) and the golden fixture."""

from __future__ import annotations

import importlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from luaugen.sim.host import LuauHost

from ..golden.build import compile_fixture

REPO = Path(__file__).resolve().parents[2]

BATCH_RUNNER = """
return function(validate, items, n)
	local out = table.create(n)
	for i = 1, n do
		local ran, ok, err = pcall(validate, items[i])
		if not ran then
			out[i] = "THREW: " .. tostring(ok)
		else
			out[i] = if ok then "" else err
		end
	end
	return out
end
"""


@dataclass
class Project:
    name: str
    manifest: dict
    host: LuauHost
    mirror: Any  # the generated package
    runner: Any

    def luau_validators(self, channel: str, message: str, reply: bool) -> str:
        """The module holding a message's Luau validator: the server half checks intents, the shared module events
        and replies."""
        if reply:
            return "ReplicatedStorage/Networking/ReplyValidators"
        kind = next(m["kind"] for c in self.manifest["channels"] if c["name"] == channel
                    for m in c["messages"] if m["name"] == message)
        return ("ServerScriptService/NetworkingServer/Validators" if kind == "intent"
                else "ReplicatedStorage/Networking/Validators")

    def luau_results(self, channel: str, message: str, reply: bool, batch: list) -> list[str]:
        validate = self.host.require(self.luau_validators(channel, message, reply)).get(channel).get(message)
        return [str(r) for r in self.host.call(self.runner, validate, batch, len(batch))]

    def python_results(self, channel: str, message: str, reply: bool, batch: list) -> list[str]:
        table = self.mirror.validators.REPLY_VALIDATORS if reply else self.mirror.validators.VALIDATORS
        results = []
        for payload in batch:
            ok, err = table[channel][message](payload)
            assert (err is None) == ok
            results.append("" if ok else err)
        return results


def _import_package(folder: Path, package: str) -> Any:
    sys.path.insert(0, str(folder))
    try:
        importlib.invalidate_caches()
        module = importlib.import_module(package)
        importlib.import_module(f"{package}.validators")
        importlib.import_module(f"{package}.roblox")
        return module
    finally:
        sys.path.remove(str(folder))


def _load(name: str, root: Path, package: str) -> Project:
    host = LuauHost(name=name)
    host.mount("ReplicatedStorage/Networking", root / "luau" / "Networking")
    host.mount("ServerScriptService/NetworkingServer", root / "luau" / "NetworkingServer")
    runner = host.eval(BATCH_RUNNER, name="batch")
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    return Project(name, manifest, host, _import_package(root / "python", package), runner)


def game_project() -> Project:
    return _load("schemas", REPO / "generated", "sdc_net")


def fixture_project(tmp: Path) -> Project:
    for relative, text in compile_fixture().items():
        target = tmp / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return _load("fixture", tmp / "generated", "fixture_net")


def validators_of(manifest: dict) -> list[tuple[str, str, bool, dict]]:
    found = []
    for channel in manifest["channels"]:
        for message in channel["messages"]:
            found.append((channel["name"], message["name"], False, message["payload"]))
            if message["reply"] is not None:
                found.append((channel["name"], message["name"], True, message["reply"]))
    return found
