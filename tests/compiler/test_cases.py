"""The broken-schema corpus: each case must fail with exactly its expected diagnostics and write nothing.

Refresh the expected files with `.venv/bin/python -m tests.compiler.update_cases` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import CASES, case_names, copy_case, run_cli, snapshot


def test_corpus_is_large_enough() -> None:
    assert len(case_names()) >= 30


@pytest.mark.parametrize("name", case_names())
def test_case(name: str, tmp_path: Path, good_generated: Path) -> None:
    case = CASES / name
    project = copy_case(case, tmp_path / "project", generated=good_generated)
    before = snapshot(project / "generated")
    code, stdout, stderr = run_cli("build", "--root", str(project))
    assert stderr == (case / "expected_stderr.txt").read_text(encoding="utf-8")
    assert code == 2
    assert stdout == ""
    assert snapshot(project / "generated") == before
    assert not list(project.glob("generated/**/.*.tmp"))
