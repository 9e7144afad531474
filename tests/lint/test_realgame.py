"""A realistic Rojo-style game tree linted against the REAL schemas (compiled at test time, not generated/).

Exactly the planted problems are reported (file, line, column, rule) and nothing else, through `lint_sources` and
through the `luaugen lint` command line (text, json and SARIF).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

from luaugen.config import load_config
from luaugen.lint import lint_sources

from .conftest import REPO
from .realgame_support import clean_files, expected, game_files, luaugen_argv, planted_lines, write_tree

HERE = Path(__file__).parent
SARIF_SCHEMA = json.loads((HERE / "sarif-2.1.0-subset.schema.json").read_text(encoding="utf-8"))


def _lines(diagnostics) -> list[str]:
    return [f"{d.span.path}:{d.span.line}:{d.span.col} {d.severity.value} {d.code}" for d in diagnostics]


def _lint(manifest: dict, files: dict[str, str], **kw):
    config = load_config(REPO)
    return lint_sources(manifest, files, config.lint, generated=(config.luau_out, config.luau_server), **kw)


def test_tree_is_realistic_in_size_and_shape() -> None:
    files = game_files()
    assert 14 <= len(files) <= 20
    assert 300 <= sum(text.count("\n") for text in files.values()) <= 800
    assert {path.split("/")[1] for path in files} == {"client", "server", "shared"}
    assert sum(text.startswith("--!strict") for text in files.values()) >= 5  # typed and untyped Luau


def test_lint_sources_reports_exactly_the_planted_problems(real_manifest: dict) -> None:
    assert _lines(_lint(real_manifest, game_files())) == expected()


def test_findings_sit_on_planted_lines_and_the_clean_tree_is_clean(real_manifest: dict) -> None:
    planted = planted_lines()
    for line in expected():
        path, number = line.split()[0].split(":")[:2]
        assert (path, int(number)) in planted, line
    # Every message of the real schemas is used somewhere, and without the planted lines nothing is reported.
    assert _lint(real_manifest, clean_files(), enable_unused=True) == []


def test_messages_of_the_real_schemas_are_all_exercised(real_manifest: dict) -> None:
    text = "\n".join(clean_files().values())
    for channel in real_manifest["channels"]:
        for message in channel["messages"]:
            assert message["name"] in text, f"{channel['name']}.{message['name']}"


@pytest.fixture(scope="module")
def project(tmp_path_factory, real_manifest: dict) -> Path:
    """A copy of the tree with the repository's luaugen.toml and a manifest compiled from the repository's schemas."""
    root = tmp_path_factory.mktemp("realgame")
    write_tree(game_files(), root)
    shutil.copy(REPO / "luaugen.toml", root / "luaugen.toml")
    manifest_path = root / load_config(REPO).manifest
    manifest_path.parent.mkdir(parents=True)
    manifest_path.write_text(json.dumps(real_manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return root


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*luaugen_argv(), "lint", "--config-root", str(root), *args], capture_output=True, text=True,
                          cwd=root, timeout=120)


def test_cli_text(project: Path) -> None:
    result = _cli(project)
    assert result.returncode == 1, result.stderr
    pattern = re.compile(r"^(src/\S+):(\d+):(\d+): (\w+): .* \[([\w-]+)\]$")
    got = [" ".join((":".join(m.group(1, 2, 3)), m.group(4), m.group(5))) for m in map(pattern.match, result.stdout.splitlines()) if m]
    assert got == expected()
    assert "9 findings (9 errors, 0 warnings, 0 info)" in result.stderr


def test_cli_json(project: Path) -> None:
    result = _cli(project, "--format", "json")
    assert result.returncode == 1, result.stderr
    got = [f"{d['path']}:{d['line']}:{d['col']} {d['severity']} {d['code']}" for d in json.loads(result.stdout)]
    assert got == expected()


def test_cli_sarif_validates_and_matches(project: Path) -> None:
    result = _cli(project, "--format", "sarif")
    assert result.returncode == 1, result.stderr
    log = json.loads(result.stdout)
    jsonschema.Draft7Validator(SARIF_SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER).validate(log)
    levels = {"error": "error", "warning": "warning"}
    got = []
    for res in log["runs"][0]["results"]:
        where = res["locations"][0]["physicalLocation"]
        region = where["region"]
        got.append(f"{where['artifactLocation']['uri']}:{region['startLine']}:{region['startColumn']} {res['level']} {res['ruleId']}")
    assert got == [" ".join(line.split()[:1] + [levels[line.split()[1]]] + line.split()[2:]) for line in expected()]
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert all(rules[res["ruleIndex"]]["id"] == res["ruleId"] for res in log["runs"][0]["results"])


def test_cli_clean_tree_exits_0(project: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    shutil.copytree(project, clean, ignore=shutil.ignore_patterns("src"))
    write_tree(clean_files(), clean)
    result = _cli(clean)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 findings" in result.stderr
