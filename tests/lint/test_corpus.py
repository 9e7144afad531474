"""The corpus: every file's exact findings (`line:col rule-id`), and a realistic game tree with planted problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from luaugen.config import LintSettings, load_config
from luaugen.lint import lint_sources
from luaugen.lint.rules import RULES

CORPUS = Path(__file__).parent / "corpus"

SINGLE = sorted(CORPUS.glob("*.luau"))
GAME = CORPUS / "game"


def _expected(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("path", SINGLE, ids=[p.name for p in SINGLE])
def test_single_file_findings_exactly(path: Path, manifest: dict) -> None:
    diagnostics = lint_sources(manifest, {path.name: path.read_text(encoding="utf-8")}, LintSettings())
    got = [f"{d.span.line}:{d.span.col} {d.code}" for d in diagnostics]
    assert got == _expected(path.with_suffix(".expected"))


def _game_files() -> dict[str, str]:
    return {p.relative_to(GAME).as_posix(): p.read_text(encoding="utf-8") for p in sorted(GAME.rglob("*.luau"))}


def test_game_tree_findings_exactly(manifest: dict) -> None:
    config = load_config(GAME)
    diagnostics = lint_sources(manifest, _game_files(), config.lint, generated_dir=config.luau_out, enable_unused=True)
    got = [f"{d.span.path}:{d.span.line}:{d.span.col} {d.severity.value} {d.code}" for d in diagnostics]
    assert got == _expected(GAME / "expected.txt")


def test_game_tree_without_config_reports_generated_vendor_and_legacy(manifest: dict) -> None:
    # Without exclusions, the stand-in generated module, vendor code and legacy raw remotes are all reported.
    diagnostics = lint_sources(manifest, _game_files(), LintSettings())
    paths = {d.span.path for d in diagnostics if d.code == "raw-remote"}
    assert {"src/shared/Networking/init.luau", "src/vendor/ThirdParty.luau", "src/legacy/OldRemotes.luau"} <= paths


def test_every_rule_fires_somewhere_in_the_corpus(manifest: dict) -> None:
    fired = set()
    for path in SINGLE:
        fired |= {line.split()[1] for line in _expected(path.with_suffix(".expected"))}
    fired |= {line.split()[-1] for line in _expected(GAME / "expected.txt")}
    assert fired == set(RULES) - {"unused-message"}  # unused-message: test_rules.py


def test_clean_corpus_files_have_no_findings(manifest: dict) -> None:
    for name in ("mentions.client.luau", "shadowed.client.luau"):
        assert _expected((CORPUS / name).with_suffix(".expected")) == []
