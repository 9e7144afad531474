"""Every output format, on findings from the corpus; SARIF validated against the vendored 2.1.0 schema subset."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from luaugen.config import LintSettings
from luaugen.diagnostics import render_github, render_json, render_text
from luaugen.lint import RULES, lint_sources, render_sarif

HERE = Path(__file__).parent
SCHEMA = json.loads((HERE / "sarif-2.1.0-subset.schema.json").read_text(encoding="utf-8"))
SOURCE = """local Net = require(script.Parent.Networking)
Net.Skils.CastSkill.send({})
local é = "ü" Net.Skills.SkillCast.fireAll({})
Net.send(name, "CastSkill", {})
"""
FILES = {"src/client/Ui.luau": SOURCE}


@pytest.fixture()
def diagnostics(manifest):
    return lint_sources(manifest, FILES, LintSettings(rules=(("dynamic-name", "warning"),)))  # one of each severity


def test_findings_under_test(diagnostics) -> None:
    assert [(d.code, d.span.line, d.span.col) for d in diagnostics] == [
        ("unknown-channel", 2, 5),
        ("wrong-direction", 3, 36),  # columns count characters (bytes would give 38)
        ("dynamic-name", 4, 10),
    ]


def test_text_has_source_line_caret_and_hint(diagnostics) -> None:
    out = render_text(diagnostics, FILES)
    assert "src/client/Ui.luau:2:5: error: unknown channel 'Skils' [unknown-channel]" in out
    assert "    2 | Net.Skils.CastSkill.send({})\n" in out
    assert "\n            ^~~~~\n" in out
    assert "hint: did you mean 'Skills'?" in out


def test_json(diagnostics) -> None:
    data = json.loads(render_json(diagnostics))
    assert data[0] == {
        "code": "unknown-channel",
        "severity": "error",
        "message": "unknown channel 'Skils'",
        "path": "src/client/Ui.luau",
        "line": 2,
        "col": 5,
        "end_line": 2,
        "end_col": 10,
        "hint": "did you mean 'Skills'?",
    }
    assert [d["severity"] for d in data] == ["error", "error", "warning"]


def test_github(diagnostics) -> None:
    lines = render_github(diagnostics).splitlines()
    assert lines[0] == "::error file=src/client/Ui.luau,line=2,col=5,title=unknown-channel::unknown channel 'Skils' (hint: did you mean 'Skills'?)"
    assert lines[2].startswith("::warning file=src/client/Ui.luau,line=4,col=10,title=dynamic-name::")


def test_sarif_validates_and_carries_rules_and_results(diagnostics) -> None:
    log = json.loads(render_sarif(diagnostics))
    jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER).validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(RULES)
    assert all(r["shortDescription"]["text"] and r["help"]["text"] for r in rules)
    first = run["results"][0]
    assert first["ruleId"] == "unknown-channel" and first["level"] == "error"
    assert rules[first["ruleIndex"]]["id"] == "unknown-channel"
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "src/client/Ui.luau"
    assert location["region"]["startLine"] == 2 and location["region"]["startColumn"] == 5
    assert [r["level"] for r in run["results"]] == ["error", "error", "warning"]


def test_sarif_info_maps_to_note_and_empty_run_is_valid(manifest) -> None:
    diags = lint_sources(manifest, {}, LintSettings(), enable_unused=True)
    log = json.loads(render_sarif(diags))
    jsonschema.Draft7Validator(SCHEMA).validate(log)
    assert {r["level"] for r in log["runs"][0]["results"]} == {"note"}
    jsonschema.Draft7Validator(SCHEMA).validate(json.loads(render_sarif([])))


def test_schema_subset_rejects_malformed_logs(diagnostics) -> None:
    validator = jsonschema.Draft7Validator(SCHEMA)
    log = json.loads(render_sarif(diagnostics))
    log["runs"][0]["results"][0]["level"] = "fatal"
    assert not validator.is_valid(log)
    log = json.loads(render_sarif(diagnostics))
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert not validator.is_valid(log)
    log = json.loads(render_sarif(diagnostics))
    del log["runs"][0]["tool"]["driver"]["rules"][0]["id"]
    assert not validator.is_valid(log)
