"""`luaugen replay show | validate | inject` on a dump captured from the generated runtime in the simulator, and
the errors for dumps that cannot be used."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from luaugen.cli import main
from luaugen.replay.decode import INVALID, decode

from .conftest import edited

ROOT = Path(__file__).resolve().parents[2]
HANDLERS = """
local Net = require(game:GetService("ReplicatedStorage").Networking)
Net.Skills.CastSkill.on(function(player, p)
    return { accepted = p.skillId ~= "s2", castId = p.comboStep * 10 }
end)
Net.Skills.CancelCast.on(function(player, p) print("cancel", p.castId) end)
Net.Attributes.AllocatePoints.on(function(player, p) return { accepted = true, remainingPoints = p.allocations.Luck } end)
"""


def _replay(*args: str):
    return CliRunner().invoke(main, ["replay", *args, "--config-root", str(ROOT)])


def test_show_prints_a_timeline_and_filters(dump):
    everything = _replay("show", str(dump))
    assert everything.exit_code == 0, everything.output
    lines = everything.output.splitlines()
    assert lines[0].endswith("server dump, schema " + json.loads(dump.read_text())["schemaHash"][:12]
                             + ", 11 entries, 11 shown")
    # messages carry no sequence on the wire: 0 when received
    assert lines[2].split() == ["+0.000s", "in", "1", "Skills.CancelCast", "message", "0", '{"castId":1}']
    casts = _replay("show", str(dump), "--message", "CastSkill", "--direction", "in", "--full")
    rows = casts.output.splitlines()[2:]
    assert [r.split()[5] for r in rows] == ["2", "4", "6"]
    assert rows[1].endswith('{"comboStep":2,"modifiers":[],"skillId":"s2",'
                            '"target":{"kind":"point","position":"Vector3(2, 0.5, -2)"}}')
    assert float(rows[2].split()[0].rstrip("s")) == pytest.approx(0.433, abs=0.02)  # three casts 0.2 s apart
    replies = _replay("show", str(dump), "--channel", "Attributes", "--direction", "out", "--player", "1")
    assert [r.split()[3:5] for r in replies.output.splitlines()[2:]] == [["Attributes.AllocatePoints", "reply"]]
    assert "0 shown" in _replay("show", str(dump), "--player", "2").output.splitlines()[0]
    unknown = _replay("show", str(dump), "--channel", "Skils")
    assert unknown.exit_code == 2 and "unknown channel 'Skils'" in unknown.output


def test_validate_accepts_the_capture_and_reports_drift(dump, dump_text, tmp_path):
    ok = _replay("validate", str(dump))
    assert (ok.exit_code, ok.output) == (0, f"{dump}: 11 entries checked, no contract drift\n")

    def drift(document):
        document["schemaHash"] = "0" * 64
        cast = next(e for e in document["entries"] if e["kind"] == "request" and e["message"] == "CastSkill")
        cast["payload"]["skillId"] = 5
        reply = next(e for e in document["entries"] if e["kind"] == "reply" and e["message"] == "AllocatePoints")
        reply["payload"]["remainingPoints"] = -1

    drifted = _replay("validate", str(edited(tmp_path, dump_text, drift)))
    assert drifted.exit_code == 1
    lines = drifted.output.splitlines()
    assert lines[0].startswith(f"schema hash: the dump was recorded with {'0' * 64}, the current schemas are ")
    assert lines[1].startswith("entry 2: Skills.CastSkill request (in player 1): payload.skillId: expected string")
    assert lines[2].startswith("entry 11: Attributes.AllocatePoints reply (out player 1): reply.remainingPoints:")
    assert lines[3].endswith(": 11 entries checked, 3 problems")


@pytest.mark.parametrize("change, message", [
    (lambda text: text[: len(text) // 2], "truncated JSON (the file ends early)"),
    (lambda text: "{" + text, "invalid JSON"),
    (lambda text: json.dumps({"entries": []}), 'not a luaugen replay dump (expected "format": "luaugen-replay"'),
    (lambda text: text.replace('"version":1', '"version":2'), "unsupported replay version 2 (this luaugen reads version 1)"),
    (lambda text: text.replace('"channel":"Attributes"', '"channel":"Atributes"'),
     "entry 10: unknown channel 'Atributes'; did you mean 'Attributes'?"),
    (lambda text: text.replace('"message":"CancelCast"', '"message":"Cancel"'),
     "entry 1: unknown message 'Cancel' in channel Skills"),
    (lambda text: text.replace('"direction":"in"', '"direction":"sideways"', 1),
     "entry 1: direction must be one of in, out, got 'sideways'"),
    (lambda text: text.replace('"time":0.05', '"time":"soon"', 1), "entry 1: field 'time' must be int or float"),
])
def test_bad_dumps_exit_2_with_a_clear_error(tmp_path, dump_text, change, message):
    path = tmp_path / "bad.json"
    path.write_text(change(dump_text), encoding="utf-8")
    for command in (["show"], ["validate"], ["inject", "--handlers", str(path)]):
        result = _replay(*command, str(path))
        assert result.exit_code == 2, (command, result.output)
        assert message in result.output, (command, result.output)
    assert _replay("validate", str(tmp_path / "missing.json")).exit_code == 2


def test_inject_runs_the_handlers_on_a_fresh_server(dump, dump_text, tmp_path):
    handlers = tmp_path / "handlers.luau"
    handlers.write_text(HANDLERS, encoding="utf-8")
    result = _replay("inject", str(dump), "--handlers", str(handlers))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "injected 7 inbound envelopes of 11 into a fresh server (fast pacing); the handlers saw 7:"
    assert lines[2].endswith('Player1 Skills.CastSkill {"comboStep":1,"modifiers":{},"skillId":"s1","target":'
                             '{"kind":"point","position":"Vector3(x=1, y=0.5, z=-1)"}} -> {"accepted":true,"castId":10}')
    assert lines[4].endswith('-> {"accepted":false,"castId":20}')
    assert lines[7].endswith('Player1 Attributes.AllocatePoints {"allocations":{"Luck":1,"Strength":2}} -> '
                             '{"accepted":true,"remainingPoints":1}')
    assert "Skills.CastSkill: delivered 3, invalid 0, rateLimited 0, dropped 0, handlerErrors 0" in lines
    assert lines[-3:] == ["output: cancel 1", "output: cancel 2", "output: cancel 3"]

    paced = _replay("inject", str(dump), "--handlers", str(handlers), "--pacing", "original")
    times = [float(line.split()[0].rstrip("s")) for line in paced.output.splitlines()[1:8]]
    assert times[2] == pytest.approx(0.217, abs=0.02) and times[6] == pytest.approx(0.65, abs=0.02)

    partial = tmp_path / "partial.luau"
    partial.write_text(HANDLERS.split("Net.Skills.CancelCast")[0] + "error('boom')\n", encoding="utf-8")
    failed = _replay("inject", str(dump), "--handlers", str(partial))
    assert failed.exit_code == 2 and "boom" in failed.output  # the script itself failed: nothing to report

    mismatch = edited(tmp_path, dump_text, lambda d: d.update(schemaHash="0" * 64))
    refused = _replay("inject", str(mismatch), "--handlers", str(handlers))
    assert refused.exit_code == 1 and "recorded with schema 0000" in refused.output
    forced = _replay("inject", str(mismatch), "--handlers", str(handlers), "--allow-schema-mismatch")
    assert forced.exit_code == 0, forced.output


def test_inject_exits_1_when_handlers_are_missing_or_fail(dump, tmp_path):
    handlers = tmp_path / "handlers.luau"
    handlers.write_text(HANDLERS.replace('print("cancel", p.castId)', 'error("no cancels today")'), encoding="utf-8")
    result = _replay("inject", str(dump), "--handlers", str(handlers))
    assert result.exit_code == 1
    assert "Skills.CancelCast: delivered 3, invalid 0, rateLimited 0, dropped 0, handlerErrors 3" in result.output
    only_casts = tmp_path / "casts.luau"
    only_casts.write_text(HANDLERS.split("Net.Skills.CancelCast")[0], encoding="utf-8")
    missing = _replay("inject", str(dump), "--handlers", str(only_casts))
    assert missing.exit_code == 1
    assert ("Attributes.AllocatePoints: delivered 0, invalid 0, rateLimited 0, dropped 1, handlerErrors 0 "
            "(no handler for it in casts.luau?)") in missing.output


def test_wire_forms_are_rebuilt_from_the_schema():
    int_map = {"kind": "map", "key": {"kind": "integer"}, "value": {"kind": "string"}}
    assert decode([[3, 1], ["c", "a"]], int_map, None) == {3: "c", 1: "a"}
    assert decode([[1, 1], ["a", "b"]], int_map, None) is INVALID  # a key twice
    assert decode([[1], []], int_map, None) is INVALID
    assert decode({"1": "a"}, int_map, None) is INVALID  # not the wire form
    nested = {"kind": "struct", "fields": [{"name": "m", "type": int_map}]}
    assert decode({"m": [[], []], "extra": 1}, nested, None) == {"m": {}, "extra": 1}
