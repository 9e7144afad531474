"""`luaugen lint` through click's CliRunner: exit codes 0/1/2, formats, defaults from luaugen.toml."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from luaugen.lint.command import command

HERE = Path(__file__).parent
GAME = HERE / "corpus" / "game"


@pytest.fixture()
def project(tmp_path: Path, manifest: dict) -> Path:
    root = tmp_path / "game"
    shutil.copytree(GAME, root)
    (root / "generated").mkdir()
    (root / "generated" / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return root


def run(root: Path, *args: str):
    return CliRunner().invoke(command, ["--config-root", str(root), *args])


def test_findings_exit_1_with_text_and_summary(project: Path) -> None:
    result = run(project)
    assert result.exit_code == 1, result.output
    assert "src/server/SkillService.server.luau:16:13: error: unknown message 'SkillHits' on channel 'Skills' [unknown-message]" in result.stdout
    assert "   16 |" in result.stdout and "hint: did you mean 'SkillHit'?" in result.stdout
    assert "src/vendor" not in result.stdout and "src/shared/Networking" not in result.stdout
    assert "luaugen lint: 6 files, 154 lines," in result.stderr and "7 findings (6 errors, 1 warnings, 0 info)" in result.stderr


def test_findings_are_coloured_only_where_build_colours_its_errors(project: Path, monkeypatch) -> None:
    plain = run(project).stdout
    assert "\x1b[" not in plain  # not a terminal (CliRunner's stream): plain text
    monkeypatch.setattr(sys.modules[command.callback.__module__], "use_color", lambda stream: True)
    coloured = CliRunner().invoke(command, ["--config-root", str(project)], color=True).stdout  # click keeps ANSI
    assert "\x1b[1;31merror:\x1b[0m" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_clean_paths_exit_0(project: Path) -> None:
    result = run(project, str(project / "src" / "client" / "EntityView.luau"), "--format", "json")
    assert result.exit_code == 0, result.output  # a warning only (qos-above-declared is lowered in luaugen.toml)
    assert [(d["code"], d["severity"]) for d in json.loads(result.stdout)] == [("qos-above-declared", "warning")]


def test_formats(project: Path) -> None:
    sarif = json.loads(run(project, "--format", "sarif").stdout)
    assert sarif["version"] == "2.1.0" and len(sarif["runs"][0]["results"]) == 7
    github = run(project, "--format", "github").stdout.splitlines()
    assert len(github) == 7 and github[0].startswith("::warning file=src/client/EntityView.luau,line=24,col=75,")


def test_enable_unused_flag(project: Path) -> None:
    (project / "src" / "server" / "EntityService.luau").unlink()
    out = json.loads(run(project, "--format", "json", "--enable-unused").stdout)
    unused = sorted(d["message"] for d in out if d["code"] == "unused-message")
    assert unused == ["message Stats.RequestStats is registered but never used"]  # only EntityService handled it
    assert all(d["severity"] == "info" for d in out if d["code"] == "unused-message")
    assert "unused-message" not in {d["code"] for d in json.loads(run(project, "--format", "json").stdout)}


def test_missing_manifest_exit_2(project: Path) -> None:
    (project / "generated" / "manifest.json").unlink()
    result = run(project)
    assert result.exit_code == 2
    assert "manifest not found" in result.stderr and "luaugen build" in result.stderr


def test_invalid_manifest_exit_2(project: Path) -> None:
    (project / "generated" / "manifest.json").write_text("{not json", encoding="utf-8")
    result = run(project)
    assert result.exit_code == 2 and "not valid JSON" in result.stderr
    (project / "generated" / "manifest.json").write_text('{"format": 1, "generator": "luaugen", "channels": 3}', encoding="utf-8")
    result = run(project)
    assert result.exit_code == 2 and "'channels' must be a list" in result.stderr


def test_bad_path_exit_2(project: Path) -> None:
    result = run(project, str(project / "src" / "nope"))
    assert result.exit_code == 2 and "no such file or folder" in result.stderr


def test_bad_config_exit_2(project: Path) -> None:
    toml = project / "luaugen.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('qos-above-declared = "warning"', 'no-such-rule = "error"'), encoding="utf-8")
    result = run(project)
    assert result.exit_code == 2 and "unknown lint rule 'no-such-rule'" in result.stderr
    toml.write_text("[lint\n", encoding="utf-8")
    assert run(project).exit_code == 2


def test_bad_format_is_a_usage_error(project: Path) -> None:
    assert run(project, "--format", "xml").exit_code == 2


def test_explicit_manifest_option(project: Path, tmp_path: Path) -> None:
    moved = tmp_path / "elsewhere.json"
    shutil.move(project / "generated" / "manifest.json", moved)
    assert run(project, "--manifest", str(moved)).exit_code == 1


def test_parse_error_file_is_reported_not_skipped(project: Path) -> None:
    (project / "src" / "client" / "Broken.luau").write_text("local x = = 1\nlocal ok = true\n", encoding="utf-8")
    result = run(project, str(project / "src" / "client" / "Broken.luau"))
    assert result.exit_code == 1
    assert "src/client/Broken.luau:1:11: error: syntax error: unexpected '=' [parse-error]" in result.stdout
