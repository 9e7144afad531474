"""Luau validators (in the real VM) and the Python mirror agree on accept/reject and on the message.

Every validator of schemas/ and of the golden fixture sees valid payloads and payloads with hostile parts planted
anywhere: wrong types, NaN, ±inf, -0, huge strings, array holes, extra and non-string keys.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .projects import fixture_project, game_project, validators_of
from .strategies import payload_strategies

BATCH = 8
EXAMPLES = 25


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
    payloads = payload_strategies(project.mirror.roblox)
    outcomes = {"accepted": 0, "rejected": 0}

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(payloads(type_, False), min_size=BATCH // 2, max_size=BATCH // 2),
           st.lists(payloads(type_, True), min_size=BATCH // 2, max_size=BATCH // 2))
    def agree(valid, hostile):
        batch = valid + hostile
        luau = project.luau_results(channel, message, reply, batch)
        python = project.python_results(channel, message, reply, batch)
        for payload, in_luau, in_python in zip(batch, luau, python):
            assert not in_luau.startswith("THREW"), (payload, in_luau)
            assert in_luau == in_python, payload
        for index, result in enumerate(luau):
            if index < len(valid):
                assert result == "", (valid[index], result)
            outcomes["accepted" if result == "" else "rejected"] += 1

    agree()
    assert outcomes["accepted"] and outcomes["rejected"], outcomes
