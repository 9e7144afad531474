"""Bounded work for hostile files: the `[lint] max_file_bytes` cap, from luaugen.toml through the command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from luaugen.config import ConfigError, LintSettings, load_config
from luaugen.lint import lint_sources
from luaugen.lint.command import command

GAME = Path(__file__).parent / "corpus" / "game"


def test_default_cap_is_one_mebibyte(manifest: dict) -> None:
    assert LintSettings().max_file_bytes == 1 << 20
    line = "local x = 1 -- padding\n"
    at_cap = line * ((1 << 20) // len(line))
    over = at_cap + "Net.Skillz.X.send({})\n" + "x" * len(line)
    assert lint_sources(manifest, {"src/a.luau": at_cap}, LintSettings()) == []
    diags = lint_sources(manifest, {"src/a.luau": over, "src/b.luau": "local Net = require(script.Networking)\nNet.Nope.X.send({})\n"}, LintSettings())
    assert [(d.span.path, d.span.line, d.code) for d in diags] == [("src/a.luau", 1, "file-too-large"), ("src/b.luau", 2, "unknown-channel")]


def test_cap_counts_utf8_bytes_and_level_and_ignore_apply(manifest: dict) -> None:
    text = "-- " + "é" * 10 + "\n"  # 24 bytes, 14 characters
    assert lint_sources(manifest, {"a.luau": text}, LintSettings(max_file_bytes=24)) == []
    assert [d.code for d in lint_sources(manifest, {"a.luau": text}, LintSettings(max_file_bytes=23))] == ["file-too-large"]
    lowered = LintSettings(max_file_bytes=23, rules=(("file-too-large", "warning"),))
    assert [d.severity.value for d in lint_sources(manifest, {"a.luau": text}, lowered)] == ["warning"]
    ignored = LintSettings(max_file_bytes=23, ignore=(("a.luau", ("file-too-large",)),))
    assert lint_sources(manifest, {"a.luau": text}, ignored) == []


def _toml(tmp_path: Path, body: str) -> Path:
    (tmp_path / "luaugen.toml").write_text(body, encoding="utf-8")
    return tmp_path


def test_config_key(tmp_path: Path) -> None:
    assert load_config(_toml(tmp_path, "[lint]\nmax_file_bytes = 4096\n")).lint.max_file_bytes == 4096
    for value, message in [("0", "must be between 1 and 2147483647, got 0"), ("-5", "must be between 1 and 2147483647, got -5"),
                           ('"1MB"', "must be a int, got '1MB'"), ("true", "must be a int, got True")]:
        with pytest.raises(ConfigError) as caught:
            load_config(_toml(tmp_path, f"[lint]\npaths = [\"src\"]\nmax_file_bytes = {value}\n"))
        diagnostic = caught.value.diagnostic
        assert (diagnostic.code, diagnostic.span.line, diagnostic.span.col) == ("config-value", 3, 1)
        assert message in diagnostic.message


def test_command_reports_oversized_files_and_exits_1(tmp_path: Path, manifest: dict) -> None:
    root = tmp_path / "game"
    shutil.copytree(GAME, root)
    (root / "generated").mkdir()
    (root / "generated" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    config = (root / "luaugen.toml").read_text(encoding="utf-8").replace('paths = ["src"]', 'paths = ["src"]\nmax_file_bytes = 2000')
    (root / "luaugen.toml").write_text(config, encoding="utf-8")
    big = root / "src" / "client" / "Huge.luau"
    big.write_text("local t = {\n" + "\t1,\n" * 50_000 + "}\n", encoding="utf-8")  # 200 kB
    result = CliRunner().invoke(command, ["--config-root", str(root), str(big), "--format", "json"])
    assert result.exit_code == 1, result.output
    assert [(d["path"], d["line"], d["code"]) for d in json.loads(result.stdout)] == [("src/client/Huge.luau", 1, "file-too-large")]
