"""`luaugen breaking` through click's CliRunner, with saved manifests on both sides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from luaugen.breaking.command import command

from .manifests import S2C, channel, enum, field, integer, manifest, message, struct, with_payload


def _write(path: Path, data) -> str:
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return str(path)


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "luaugen.toml").write_text("[project]\nschemas = \"schemas\"\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(command, list(args))


BASE = with_payload(struct(field("slot", integer("u8")), field("element", enum("Fire", "Ice"))))
COMPATIBLE = with_payload(struct(field("slot", integer("u16")), field("element", enum("Fire", "Ice", "Bolt")),
                                 field("note", integer(), optional=True)))
BREAKING = with_payload(struct(field("slot", integer("u8", 0, 10))))


def test_identical_manifests_exit_0_and_say_so(project):
    old, new = _write(project / "a.json", BASE), _write(project / "b.json", BASE)
    result = run("--against", old, "--new-manifest", new)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "0 breaking, 0 compatible" in result.stderr


def test_compatible_only_exits_0_text(project):
    old, new = _write(project / "a.json", BASE), _write(project / "b.json", COMPATIBLE)
    result = run("--against", old, "--new-manifest", new)
    assert result.exit_code == 0, result.output
    assert "schemas/skills.yaml:10:3: info: compatible:" in result.stdout
    assert "[enum-values-added]" in result.stdout and "[field-added]" in result.stdout
    assert "0 breaking, 3 compatible" in result.stderr


def test_breaking_exits_1_text_with_hint(project):
    old, new = _write(project / "a.json", BASE), _write(project / "b.json", BREAKING)
    result = run("--against", old, "--new-manifest", new)
    assert result.exit_code == 1, result.output
    assert "error: breaking: required field Skills.CastSkill.payload.element was removed" in result.stdout
    assert "[integer-range-changed]" in result.stdout and "  hint: " in result.stdout
    assert "2 breaking, 0 compatible" in result.stderr


def test_quiet_hides_compatible_but_counts_them(project):
    old = _write(project / "a.json", BASE)
    new = _write(project / "b.json", with_payload(struct(field("slot", integer("u16"))), ))
    result = run("--against", old, "--new-manifest", new, "-q")
    assert result.exit_code == 1
    assert "info:" not in result.stdout and "[field-removed]" in result.stdout
    assert "1 breaking, 1 compatible" in result.stderr


def test_json_format_is_pure_json_on_stdout(project):
    old, new = _write(project / "a.json", BASE), _write(project / "b.json", BREAKING)
    result = run("--against", old, "--new-manifest", new, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert {(d["code"], d["severity"]) for d in data} == {("field-removed", "error"), ("integer-range-changed", "error")}
    assert all(d["path"] == "schemas/skills.yaml" and d["line"] == 10 for d in data)


def test_json_format_compatible_is_info(project):
    old, new = _write(project / "a.json", BASE), _write(project / "b.json", COMPATIBLE)
    result = run("--against", old, "--new-manifest", new, "--format", "json")
    assert result.exit_code == 0
    assert {d["severity"] for d in json.loads(result.stdout)} == {"info"}


def test_github_format(project):
    old = _write(project / "a.json", BASE)
    new = _write(project / "b.json", with_payload(struct(field("slot", integer("u16")), field("element", enum("Fire", "Ice"))), S2C))
    # direction changed too: one breaking change, reported as an annotation
    result = run("--against", old, "--new-manifest", new, "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("::error file=schemas/skills.yaml,line=10,col=3,title=message-direction-changed::") for line in lines)
    compatible = _write(project / "c.json", COMPATIBLE)
    result = run("--against", old, "--new-manifest", compatible, "--format", "github")
    assert result.exit_code == 0
    assert all(line.startswith("::notice ") for line in result.stdout.splitlines())


def test_removed_message_located_at_old_source(project):
    old = _write(project / "a.json", manifest(channel(messages=[message("A", 1, line=3), message("B", 2, line=9)])))
    new = _write(project / "b.json", manifest(channel(messages=[message("A", 1, line=3)])))
    result = run("--against", old, "--new-manifest", new)
    assert result.exit_code == 1
    assert "schemas/skills.yaml:9:3: error: breaking: message Skills.B was removed [message-removed]" in result.stdout


@pytest.mark.parametrize("content", ["{not json", json.dumps({"format": 7, "channels": []}), json.dumps([1, 2])])
@pytest.mark.parametrize("side", ["old", "new"])
def test_unreadable_manifest_exits_2(project, content, side):
    good, bad = _write(project / "good.json", BASE), _write(project / "bad.json", content)
    args = ["--against", bad, "--new-manifest", good] if side == "old" else ["--against", good, "--new-manifest", bad]
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "[breaking-input]" in result.stderr and result.stdout == ""


def test_missing_new_manifest_exits_2(project):
    result = run("--against", _write(project / "a.json", BASE), "--new-manifest", str(project / "nope.json"))
    assert result.exit_code == 2
    assert "cannot read manifest" in result.stderr


def test_unknown_ref_outside_git_exits_2(project):
    result = run("--against", "no-such-ref", "--new-manifest", _write(project / "b.json", BASE))
    assert result.exit_code == 2
    assert "'no-such-ref'" in result.stderr


def test_unreadable_manifest_json_format_reports_on_stdout(project):
    result = run("--against", _write(project / "bad.json", "{"), "--new-manifest", _write(project / "b.json", BASE),
                 "--format", "json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)[0]["code"] == "breaking-input"


def test_bad_config_exits_2(project):
    (project / "luaugen.toml").write_text("[project\n", encoding="utf-8")
    result = run("--against", "x.json", "--new-manifest", "y.json")
    assert result.exit_code == 2
    assert "[config-syntax]" in result.stderr


def test_missing_against_is_usage_error(project):
    assert run().exit_code == 2


def test_relative_paths_resolve_from_cwd_not_root(project, monkeypatch):
    sub = project / "ci"
    sub.mkdir()
    _write(sub / "a.json", BASE)
    _write(sub / "b.json", BREAKING)
    monkeypatch.chdir(sub)
    result = run("--against", "a.json", "--new-manifest", "b.json", "--config-root", str(project))
    assert result.exit_code == 1, result.output
