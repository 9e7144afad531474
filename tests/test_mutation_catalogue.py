"""The mutation catalogue (mutation/catalogue.yaml) is well formed and every mutant still applies exactly once.

No mutant runs here (that is `make mutation`); this only notices, when code moves, that a snippet went stale.
"""

from __future__ import annotations

import pytest

from mutation.catalogue import CatalogueError, Mutant, Stale, load, problems
from mutation.report import write_report
from mutation.run import Outcome, main


def test_every_mutant_applies_exactly_once_and_names_existing_tests():
    mutants = load()
    assert problems(mutants) == []
    assert len(mutants) >= 30
    assert {m.file.split("/")[0] for m in mutants} == {"luaugen", "templates", "runtime"}


def test_a_snippet_found_twice_or_not_at_all_is_stale(tmp_path):
    mutant = Mutant("flip", "runtime/X.luau", "a < b", "a > b", ("tests/test_static.py",), "flips")
    assert mutant.apply("if a < b then") == "if a > b then"
    for text, count in (("if a < b or a < b then", 2), ("if b < a then", 0)):
        with pytest.raises(Stale, match=f"occurs {count} times in runtime/X.luau"):
            mutant.apply(text)
    (tmp_path / "runtime").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_static.py").write_text("", encoding="utf-8")
    (tmp_path / "runtime" / "X.luau").write_text("if b < a then", encoding="utf-8")
    assert problems([mutant], tmp_path) == ["flip: `find` occurs 0 times in runtime/X.luau (expected exactly once) (STALE)"]


def test_malformed_entries_are_refused(tmp_path):
    path = tmp_path / "catalogue.yaml"
    path.write_text("mutants:\n  - name: x\n    file: runtime/A.luau\n    find: a\n    replace: b\n    tests: []\n"
                    "    why: w\n    colour: red\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"unknown keys \['colour'\], missing keys \[\]"):
        load(path)
    path.write_text("mutants:\n  - name: x\n    file: runtime/A.luau\n    find: a\n    replace: b\n    tests: []\n"
                    "    why: w\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="non-empty list of pytest node ids"):
        load(path)


def test_bad_names_files_and_golden_tests_are_problems(tmp_path):
    (tmp_path / "tests" / "golden").mkdir(parents=True)
    (tmp_path / "tests" / "golden" / "test_golden.py").write_text("", encoding="utf-8")
    (tmp_path / "README.md").write_text("a", encoding="utf-8")
    mutant = Mutant("Bad Name", "README.md", "a", "a", ("tests/golden/test_golden.py", "tests/nope.py"), "w")
    own = [
        "Bad Name: README.md is not a template, emitter or runtime file",
        "Bad Name: `replace` must differ from a non-empty `find`",
        "Bad Name: golden tests are refreshed for each mutant, so they cannot kill it",
        "Bad Name: no test file tests/nope.py",
    ]
    named = "Bad Name: names are lower-case words joined by '-'"
    assert problems([mutant, mutant], tmp_path) == [named, *own, named, "Bad Name: duplicate name", *own]


def test_the_report_shows_each_edit_and_outcome(tmp_path):
    flip = Mutant("flip", "runtime/X.luau", "\tif a < b then", "\tif a > b then", ("tests/t.py",), "flips it")
    same = Mutant("same", "runtime/X.luau", "x = 1", "x = 1.0", ("tests/t.py",), "a float", equivalent="1 == 1.0")
    write_report(tmp_path / "M.md", [Outcome(flip, "killed", "tests/t.py::test_a", 3.2),
                                     Outcome(same, "equivalent", "", 2.0)], 5.4, 2)
    text = (tmp_path / "M.md").read_text(encoding="utf-8")
    assert "**2 mutants: 1 killed, 0 survived, 1 equivalent** (5 s with 2 jobs)." in text
    assert "| 1 | flip | `runtime/X.luau` | `<` → `>` | flips it | **killed** | tests/t.py::test_a | 3 |" in text
    assert "| 2 | same | `runtime/X.luau` | `1` → `1.0` | a float | **equivalent** | 1 == 1.0 | 2 |" in text


def test_an_unknown_mutant_name_is_an_error_before_any_copy(capsys):
    assert main(["--only", "no-such-mutant"]) == 2
    assert capsys.readouterr().err == "unknown mutants: no-such-mutant\n"
