"""Golden files: the emitted output of the fixture schema, byte for byte. Refresh with `make golden`."""

from __future__ import annotations

import pytest

from .build import EXPECTED, compile_fixture

FILES = compile_fixture()


def test_same_file_set():
    expected = sorted(p.relative_to(EXPECTED).as_posix() for p in EXPECTED.rglob("*") if p.is_file())
    assert expected == sorted(FILES), "file set changed: run `make golden` and review the diff"


@pytest.mark.parametrize("relative", sorted(FILES))
def test_file_matches_golden(relative):
    expected = (EXPECTED / relative).read_text(encoding="utf-8")
    assert FILES[relative] == expected, f"{relative} differs from its golden file: run `make golden` and review"


@pytest.mark.parametrize("relative", sorted(FILES))
def test_no_trailing_whitespace(relative):
    assert [n for n, line in enumerate(FILES[relative].splitlines(), 1) if line != line.rstrip()] == []
