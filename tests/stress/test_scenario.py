"""Scenario files for `luaugen stress`: loading with located errors, assertions, the three-way saturation table,
progress only when asked for or on a terminal, and the same output for the same seed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from luaugen.cli import main
from luaugen.sim import Link
from luaugen.sim.scenario import MessageRate, ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[2]
SMALL = """\
description: a small flood against a budget of 16
clients: 1
seconds: 0.3
seed: 5
frame_budget: 16
link: { latency_ms: 20, loss: 0.1 }
messages:
  EntityInfo.EntityMoved: { rate: 1800 }   # 30 per frame
  Skills.SkillCast: { rate: 60 }
  Stats.StatChanged: { rate_factor: 2 }
assertions:
  max_dropped: { CRITICAL: 0, HIGH: 0 }
  p99_ms: { CRITICAL: 100 }
  saturation: { min_reduction: 0.99, critical_max_frames: 1, max_share: 0 }
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _cli(*args: str):
    return CliRunner().invoke(main, ["stress", "--config-root", str(ROOT), *args])


def test_the_shipped_overload_scenario_loads():
    scenario = load_scenario(ROOT / "scenarios" / "overload.yaml")
    assert scenario.clients == 4 and scenario.seconds == 2 and scenario.frame_budget == 256
    assert scenario.link == Link(latency=0.06, jitter=0.02, loss=0.05)
    assert scenario.messages["EntityInfo.EntityMoved"] == MessageRate(rate=24000)
    assert scenario.messages["Skills.CastSkill"] == MessageRate(rate_factor=1)
    assert scenario.saturation == {"max_share": 0.01, "critical_max_frames": 1, "min_reduction": 0.99}
    assert scenario.thresholds["max_dropped"] == {"CRITICAL": 0, "HIGH": 0}


@pytest.mark.parametrize("text, message", [
    ("clients: 2\nspeed: 3\n", "scenario.yaml:2:1: error: unknown key 'speed' in the scenario [scenario]"),
    ("clients: 0\n", "scenario.yaml:1:10: error: clients must be an integer within [1, 256], got 0"),
    ("messages:\n  Skills.SkillCast: { rate: 1, rate_factor: 2 }\n",
     "scenario.yaml:2:21: error: messages.Skills.SkillCast: give rate or rate_factor, not both"),
    ("messages:\n  SkillCast: { rate: 1 }\n", "scenario.yaml:2:3: error: message 'SkillCast' must be written"),
    ("link: { loss: 2 }\n", "scenario.yaml:1:15: error: loss must be a number within [0, 1], got 2"),
    ("assertions: { saturation: { max_shares: 1 } }\n", "unknown key 'max_shares' in assertions.saturation"),
    ("assertions: { p99_ms: { FAST: 1 } }\n", "unknown key 'FAST' in assertions.p99_ms"),
    ("clients: [1\n", "scenario.yaml:1:10: error: unclosed '['"),
    ("", "error: scenario file is empty"),
])
def test_bad_scenarios_are_located_errors_and_exit_2(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert message in str(caught.value).replace(str(tmp_path) + "/", "")
    result = _cli(str(path))
    assert result.exit_code == 2 and message in result.output.replace(str(tmp_path) + "/", "")


def test_unknown_message_in_a_scenario_exits_2(tmp_path):
    result = _cli(str(_write(tmp_path, "seconds: 0.1\nmessages:\n  Skills.SkilHit: { rate: 1 }\n")))
    assert result.exit_code == 2 and "did you mean 'Skills.SkillHit'" in result.output


def test_a_scenario_runs_three_ways_and_repeats_exactly(tmp_path):
    path = _write(tmp_path, SMALL)
    first = _cli(str(path), "--dispatcher", "all", "--format", "json")
    assert first.exit_code == 0, first.output
    document = json.loads(first.output)
    assert document["violations"] == [] and document["frame_budget"] == 16
    saturation = document["saturation"]
    assert list(saturation) == ["tiered", "fifo", "netray", "reduction_vs_netray"]
    assert saturation["tiered"]["saturation"] == 0 and saturation["tiered"]["critical_max_frames"] == 0
    assert saturation["netray"]["saturation"] > 0.5 and saturation["reduction_vs_netray"]["share"] == 1.0
    moved = next(m for m in document["report"]["messages"] if m["name"] == "EntityInfo.EntityMoved")
    assert moved["sent"] == 18 * 30 + 1 and moved["dropped"] > 0  # 0.3 s = 18 frames of 30, shed beyond 16
    assert document["report"]["timeline"]["time"] == [0.1, 0.2, 0.3]
    assert document["report"]["histograms"]["Skills.SkillCast"]["latency"]
    again = _cli(str(path), "--dispatcher", "all", "--format", "json")
    assert again.output == first.output

    text = _cli(str(path), "--dispatcher", "all", "--clients", "2")  # a flag overrides the scenario
    assert text.exit_code == 0, text.output
    assert "saturation: CRITICAL+HIGH queueing, frame budget 16, 2 clients, 0.3 s" in text.output
    rows = [line.split()[0] for line in text.output.splitlines()[-5:]]
    assert rows[:4] == ["dispatcher", "tiered", "fifo", "netray"] and text.output.endswith("assertions: ok\n")


def test_failed_assertions_exit_1_and_baselines_run_without_the_runtime(tmp_path):
    path = _write(tmp_path, SMALL.replace("p99_ms: { CRITICAL: 100 }", "p99_ms: { CRITICAL: 1 }"))
    failed = _cli(str(path))
    assert failed.exit_code == 1
    assert "FAIL p99_ms CRITICAL:" in failed.output and "> 1 ms" in failed.output
    baseline = _cli(str(path), "--dispatcher", "netray", "--format", "json")
    document = json.loads(baseline.output)
    assert document["report"] is None  # the runtime's thresholds need the runtime; only saturation is checked
    assert list(document["saturation"]) == ["tiered", "netray", "reduction_vs_netray"]  # tiered for the reduction
    assert baseline.exit_code == 0, baseline.output


def test_progress_only_on_request_or_a_terminal(tmp_path):
    path = _write(tmp_path, SMALL)
    quiet = _cli(str(path), "--seconds", "0.2")  # CliRunner is not a terminal
    assert "%" not in quiet.stderr and "[#" not in quiet.output
    shown = _cli(str(path), "--seconds", "0.2", "--progress", "on")
    assert "[##############################] 100%  frame 12/12" in shown.stderr


def test_auto_progress_follows_the_terminal_and_ci(monkeypatch):
    from luaugen.sim.command import _show_progress

    class Terminal:
        def __init__(self, tty: bool):
            self.tty = tty

        def isatty(self) -> bool:
            return self.tty

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr("sys.stderr", Terminal(True))
    assert _show_progress("auto") is True and _show_progress("off") is False
    monkeypatch.setenv("CI", "true")
    assert _show_progress("auto") is False and _show_progress("on") is True
    monkeypatch.delenv("CI")
    monkeypatch.setattr("sys.stderr", Terminal(False))
    assert _show_progress("auto") is False
