"""The corpus: every file's exact findings (`line:col severity rule-id`), and a realistic game tree with planted problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from luaugen.config import Config, LintSettings, load_config
from luaugen.lint import lint_sources
from luaugen.lint.rules import RULES

CORPUS = Path(__file__).parent / "corpus"

SINGLE = sorted(CORPUS.glob("*.luau"))
GAME = CORPUS / "game"
SERVER_MODULE = Config(root=CORPUS).server_module  # the default name of the server half


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")  # as the command reads: CR and CRLF line endings kept


def _expected(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("path", SINGLE, ids=[p.name for p in SINGLE])
def test_single_file_findings_exactly(path: Path, manifest: dict) -> None:
    diagnostics = lint_sources(manifest, {path.name: _read(path)}, LintSettings(), server_module=SERVER_MODULE)
    got = [f"{d.span.line}:{d.span.col} {d.severity.value} {d.code}" for d in diagnostics]
    assert got == _expected(path.with_suffix(".expected"))


def _game_files() -> dict[str, str]:
    return {p.relative_to(GAME).as_posix(): p.read_text(encoding="utf-8") for p in sorted(GAME.rglob("*.luau"))}


def test_game_tree_findings_exactly(manifest: dict) -> None:
    config = load_config(GAME)
    diagnostics = lint_sources(manifest, _game_files(), config.lint, generated=(config.luau_out, config.luau_server),
                               server_module=config.server_module, enable_unused=True)
    got = [f"{d.span.path}:{d.span.line}:{d.span.col} {d.severity.value} {d.code}" for d in diagnostics]
    assert got == _expected(GAME / "expected.txt")


def test_game_tree_without_config_reports_generated_vendor_and_legacy(manifest: dict) -> None:
    # Without exclusions, the stand-in generated module, vendor code and legacy raw remotes are all reported.
    diagnostics = lint_sources(manifest, _game_files(), LintSettings())
    paths = {d.span.path for d in diagnostics if d.code == "raw-remote"}
    assert {"src/shared/Networking/init.luau", "src/vendor/ThirdParty.luau", "src/legacy/OldRemotes.luau"} <= paths


def _lint_corpus(manifest: dict) -> list:
    """Every single-file case and the game tree, linted now (not read back from the .expected files)."""
    diagnostics = [d for path in SINGLE
                   for d in lint_sources(manifest, {path.name: _read(path)}, LintSettings(), server_module=SERVER_MODULE)]
    config = load_config(GAME)
    return diagnostics + lint_sources(manifest, _game_files(), config.lint, generated=(config.luau_out, config.luau_server),
                                      server_module=config.server_module)


def test_every_rule_fires_somewhere_in_the_corpus(manifest: dict) -> None:
    fired = {d.code for d in _lint_corpus(manifest)}
    # unused-message needs the whole tree (test_rules.py); file-too-large a file over the cap (below).
    assert fired == set(RULES) - {"unused-message", "file-too-large"}


def test_corpus_files_over_the_size_cap_are_reported_unparsed(manifest: dict) -> None:
    path = CORPUS / "typed.client.luau"
    text = _read(path)
    size = len(text.encode("utf-8"))
    at_cap = lint_sources(manifest, {path.name: text}, LintSettings(max_file_bytes=size))
    assert [d.code for d in at_cap] == [line.split()[2] for line in _expected(path.with_suffix(".expected"))]
    over = lint_sources(manifest, {path.name: text}, LintSettings(max_file_bytes=size - 1))
    assert [(d.span.line, d.span.col, d.severity.value, d.code) for d in over] == [(1, 1, "error", "file-too-large")]
    assert over[0].message == f"file is larger than the lint limit of {size - 1} bytes ([lint] max_file_bytes); it was not checked"


@pytest.mark.parametrize("name", ["mentions.client.luau", "shadowed.client.luau"])
def test_clean_corpus_files_have_no_findings(manifest: dict, name: str) -> None:
    path = CORPUS / name
    assert lint_sources(manifest, {name: _read(path)}, LintSettings()) == []
    # The same file with one planted problem is not clean: the file is really linted.
    planted = _read(path) + "\nrequire(script.Parent.Networking).Skillz.CastSkill.send({})\n"
    assert [d.code for d in lint_sources(manifest, {name: planted}, LintSettings())] == ["unknown-channel"]
