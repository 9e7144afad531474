"""Luau validators (in the real VM) and the Python mirror agree on accept/reject and on the message.

Every validator of schemas/ and of the golden fixture sees valid payloads and payloads with hostile parts planted
anywhere: wrong types, NaN, ±inf, -0, huge strings, array holes, extra and non-string keys; and payloads valid but for
one hostile value planted deep inside (NaN in a nested float field, a string one byte too long inside a map value),
which the validators reach only after every check above it passes.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .projects import fixture_project, game_project, validators_of
from .strategies import payload_strategies

VALID, HOSTILE, PLANTED = 4, 4, 8  # per example: valid payloads, hostile anywhere, one hostile value planted deep
EXAMPLES = 30


@pytest.fixture(scope="module")
def projects(tmp_path_factory):
    return {"schemas": game_project(), "fixture": fixture_project(tmp_path_factory.mktemp("fixture"))}


def _cases():
    from .projects import REPO
    import json

    game = json.loads((REPO / "generated" / "manifest.json").read_text(encoding="utf-8"))
    from ..golden.build import compile_fixture

    fixture = json.loads(compile_fixture()["generated/manifest.json"])
    cases = []
    for name, manifest in (("schemas", game), ("fixture", fixture)):
        for channel, message, reply, type_ in validators_of(manifest):
            cases.append(pytest.param(name, channel, message, reply, type_,
                                      id=f"{name}-{channel}.{message}{'-reply' if reply else ''}"))
    return cases


@pytest.mark.parametrize("project_name, channel, message, reply, type_", _cases())
def test_luau_and_python_agree(projects, project_name, channel, message, reply, type_):
    project = projects[project_name]
    payloads, planted = payload_strategies(project.mirror.roblox)
    outcomes = {"accepted": 0, "rejected": 0, "planted found": 0}

    # Derandomized: the same payloads on every run and machine, so a pass or a failure repeats.
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
    @given(st.lists(payloads(type_, False), min_size=VALID, max_size=VALID),
           st.lists(payloads(type_, True), min_size=HOSTILE, max_size=HOSTILE),
           st.lists(planted(type_), min_size=PLANTED, max_size=PLANTED))
    def agree(valid, hostile, deep):
        batch = valid + hostile + deep
        luau = project.luau_results(channel, message, reply, batch)
        python = project.python_results(channel, message, reply, batch)
        for payload, in_luau, in_python in zip(batch, luau, python):
            assert not in_luau.startswith("THREW"), (payload, in_luau)
            assert in_luau == in_python, payload
        for index, result in enumerate(luau):
            if index < len(valid):
                assert result == "", (valid[index], result)
            outcomes["accepted" if result == "" else "rejected"] += 1
            if index >= len(valid) + len(hostile) and result != "":
                outcomes["planted found"] += 1

    agree()
    assert outcomes["accepted"] and outcomes["rejected"], outcomes
    # a planted value is rejected unless it happens to be valid (-0.0, a wide float): nearly all are found
    assert outcomes["planted found"] >= 0.8 * EXAMPLES * PLANTED, outcomes
