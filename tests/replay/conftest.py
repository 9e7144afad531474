"""A real replay dump for the replay command tests: Skills and Attributes traffic captured on the server of the
simulator running the generated runtime, exported with Net.replay.export()."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.runtime.conftest import no_errors, start

RECORDER = """
    Net.Skills.CancelCast.on(function(player, p) end)
    Net.Skills.CastSkill.on(function(player, p) return { accepted = true, castId = p.comboStep or 0 } end)
    Net.Attributes.AllocatePoints.on(function(player, p) return { accepted = true, remainingPoints = 3 } end)
"""
TRAFFIC = """
    for i = 1, 3 do
        Net.Skills.CancelCast.send({ castId = i })
        Net.Skills.CastSkill.request({ skillId = "s" .. i, target = { kind = "point", position = Vector3.new(i, 0.5, -i) },
            comboStep = i, modifiers = {} })
        task.wait(0.2)
    end
    Net.Attributes.AllocatePoints.request({ allocations = { Strength = 2, Luck = 1 } })
"""


@pytest.fixture(scope="package")
def dump_text() -> str:
    sim, (client,) = start(server_setup=RECORDER)
    run = client.exec(TRAFFIC)
    sim.run_until(lambda: run.done, timeout=5)
    sim.run_for(0.3)
    no_errors(sim)
    text = sim.server.eval("Net.replay.export()")
    sim.close()
    return text


@pytest.fixture
def dump(tmp_path: Path, dump_text: str) -> Path:
    path = tmp_path / "dump.json"
    path.write_text(dump_text, encoding="utf-8")
    return path


def edited(tmp_path: Path, dump_text: str, change) -> Path:
    """A copy of the dump with `change(document)` applied."""
    document = json.loads(dump_text)
    change(document)
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path
