"""The Luau packed codecs (in the real VM) and the Python mirror's codec.py write the same bytes and read each
other's: hypothesis payloads of every message of schemas/ and of the golden fixture, packed on both sides."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from .codecs import Codecs
from .projects import fixture_project, game_project
from .strategies import payload_strategies
from .test_validators_agree import _cases

BATCH = 6
EXAMPLES = 8


@pytest.fixture(scope="module")
def codecs(tmp_path_factory):
    return {"schemas": Codecs(game_project()), "fixture": Codecs(fixture_project(tmp_path_factory.mktemp("fixture")))}


@pytest.mark.parametrize("project_name, channel, message, reply, type_", _cases())
def test_luau_and_python_pack_the_same_bytes(codecs, project_name, channel, message, reply, type_):
    side = codecs[project_name]
    payloads, _ = payload_strategies(side.project.mirror.roblox, packable=True)
    layout = side.layout(channel, message, reply)
    seen = {"batches": 0}
    bounds = next(m["packed_size"] for c in side.project.manifest["channels"] if c["name"] == channel
                  for m in c["messages"] if m["name"] == message)["reply" if reply else "payload"]

    @seed(10)
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(st.lists(payloads(type_, False), min_size=BATCH, max_size=BATCH))
    def agree(batch):
        luau = side.luau_encode(channel, message, reply, batch)
        python = [side.codec.encode(layout, payload)[0] for payload in batch]
        assert luau == python, batch
        for blob in python:  # within the manifest's compile-time bounds
            assert bounds["min"] <= len(blob) <= (bounds["max"] if bounds["max"] is not None else len(blob))
        seen["batches"] += 1
        # each side reads the other's bytes back to a valid payload that packs to the same bytes again
        expected = [(True, "", blob) for blob in python]
        assert side.python_decode(channel, message, reply, luau, batch) == expected
        assert side.luau_decode(channel, message, reply, python, batch) == expected

    agree()
    assert seen["batches"] >= 1
