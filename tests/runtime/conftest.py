"""Fixtures for the runtime tests: the generated Networking module (or an in-memory build) in the simulator."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from luaugen.config import load_config
from luaugen.project import read_sources
from luaugen.sim import Link, Simulator
from luaugen.sim.build import build_luau, networking_mounts

ROOT = Path(__file__).resolve().parents[2]
# The committed build: the shared module in ReplicatedStorage, the server half in ServerScriptService.
GENERATED = networking_mounts(load_config(ROOT), ROOT)
NET = "local Net = require(game.ReplicatedStorage.Networking)\n"
# Luau helpers for tests that fire their own frames at the remotes: `raw(kind, ch, msg, seq, bytes)` is an envelope
# whose payload is the given bytes (a string or buffer), `packed(kind, ch, msg, seq, codec, payload)` one packed by a
# codec of `Packed`, and `frame({ envelopes })` returns the arguments of one remote call (the buffer, its instances).
FRAMES = """
local Frames = require(game.ReplicatedStorage.Networking.Runtime.Frames)
local Packing = require(game.ReplicatedStorage.Networking.Runtime.Packing)
local Packed = require(game.ReplicatedStorage.Networking.Packed)
local function raw(kind, ch, msg, seq, bytes, inst)
    local e = { kind = kind, channelId = ch, messageId = msg, seq = seq, sentAt = workspace:GetServerTimeNow(),
        bytes = if type(bytes) == "string" then buffer.fromstring(bytes) else bytes, inst = inst or Packing.NO_INSTANCES }
    e.size = Frames.size(e)
    return e
end
local function packed(kind, ch, msg, seq, codec, payload)
    local b, inst = Packing.encode(codec, payload)
    return raw(kind, ch, msg, seq, b, inst)
end
local function frame(envelopes)
    local b, inst = Frames.write(envelopes, 1, #envelopes, workspace:GetServerTimeNow())
    return b, table.unpack(inst, 1, inst.n)
end
"""


def schema_sources() -> dict[str, str]:
    return read_sources(load_config(ROOT))[0]


def build(folder: Path, profile: str = "dev", extra: dict[str, str] | None = None, **runtime) -> dict[str, Path]:
    """Compile schemas/ (plus `extra` schema files) in memory with `profile`, write the Luau output under folder and
    return its mounts."""
    config = load_config(ROOT).with_profile(profile)
    if runtime:
        config = replace(config, runtime=replace(config.runtime, **runtime))
    return build_luau(config, folder, extra)


def start(mounts: dict[str, Path] = GENERATED, clients: int = 1, link: Link | None = None, seed: int = 1,
          server_setup: str = "", client_setup: str = "") -> tuple[Simulator, list]:
    """A simulator with the Networking module mounted, the server's Net required (creates the remotes) and
    `clients` players joined, each with `client_setup` run."""
    sim = Simulator(seed=seed, mounts=mounts)
    sim.server.exec(NET + "_G.Net = Net\n" + server_setup)
    peers = []
    for i in range(clients):
        client = sim.add_client(f"Player{i + 1}", link=link)
        client.exec(NET + "_G.Net = Net\n" + client_setup)
        peers.append(client)
    sim.step(2)
    return sim, peers


def no_errors(sim: Simulator) -> None:
    assert sim.errors() == {vm.name: [] for vm in sim.vms}


@pytest.fixture
def generated() -> dict[str, Path]:
    return GENERATED
