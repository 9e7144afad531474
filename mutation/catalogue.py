"""The mutant catalogue (mutation/catalogue.yaml): loading, and the checks that keep it applicable as code moves.

A mutant is one exact text edit: `find` must occur exactly once in `file`, else the mutant is STALE. Checking that
needs no test run, so `make test` does it (tests/test_mutation_catalogue.py) and a move that strands a mutant is
noticed when it happens, not at the next `make mutation`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = Path(__file__).resolve().parent / "catalogue.yaml"
KEYS = {"name", "file", "find", "replace", "tests", "why", "equivalent", "timeout"}
REQUIRED = ("name", "file", "find", "replace", "tests", "why")
# Mutants edit what becomes generated code: templates, emitters, and the static runtime.
EDITABLE = ("templates/", "runtime/", "luaugen/emit/", "luaugen/model/")
NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DEFAULT_TIMEOUT = 180


@dataclass(frozen=True)
class Mutant:
    name: str
    file: str
    find: str
    replace: str
    tests: tuple[str, ...]
    why: str
    equivalent: str | None = None
    timeout: int = DEFAULT_TIMEOUT

    def apply(self, text: str) -> str:
        """The mutated text; raises Stale unless `find` occurs exactly once."""
        count = text.count(self.find)
        if count != 1:
            raise Stale(f"{self.name}: `find` occurs {count} times in {self.file} (expected exactly once)")
        return text.replace(self.find, self.replace)


class Stale(Exception):
    """A mutant that no longer applies: its snippet moved, changed, or became ambiguous."""


class CatalogueError(Exception):
    """The catalogue file itself is malformed."""


def load(path: Path = CATALOGUE) -> list[Mutant]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("mutants"), list):
        raise CatalogueError(f"{path}: expected a mapping with a `mutants:` list")
    mutants = []
    for index, entry in enumerate(data["mutants"], 1):
        where = f"{path.name}: mutant {index}"
        if not isinstance(entry, dict):
            raise CatalogueError(f"{where}: expected a mapping")
        where = f"{path.name}: mutant {entry.get('name', index)!r}"
        unknown = set(entry) - KEYS
        missing = [key for key in REQUIRED if key not in entry]
        if unknown or missing:
            raise CatalogueError(f"{where}: unknown keys {sorted(unknown)}, missing keys {missing}")
        tests = entry["tests"]
        if not (isinstance(tests, list) and tests and all(isinstance(t, str) and t for t in tests)):
            raise CatalogueError(f"{where}: `tests` must be a non-empty list of pytest node ids")
        for key in ("name", "file", "find", "replace", "why"):
            if not isinstance(entry[key], str):
                raise CatalogueError(f"{where}: `{key}` must be a string")
        timeout = entry.get("timeout", DEFAULT_TIMEOUT)
        if not isinstance(timeout, int) or timeout <= 0:
            raise CatalogueError(f"{where}: `timeout` must be a positive number of seconds")
        mutants.append(Mutant(entry["name"], entry["file"], entry["find"], entry["replace"], tuple(tests),
                              entry["why"], entry.get("equivalent"), timeout))
    return mutants


def problems(mutants: list[Mutant], root: Path = ROOT) -> list[str]:
    """Everything wrong with the catalogue against the tree at `root`, stale snippets included; [] when sound."""
    found = []
    seen: set[str] = set()
    for m in mutants:
        if not NAME.match(m.name):
            found.append(f"{m.name}: names are lower-case words joined by '-'")
        if m.name in seen:
            found.append(f"{m.name}: duplicate name")
        seen.add(m.name)
        if not m.file.startswith(EDITABLE):
            found.append(f"{m.name}: {m.file} is not a template, emitter or runtime file")
        if m.find == m.replace or not m.find:
            found.append(f"{m.name}: `replace` must differ from a non-empty `find`")
        for test in m.tests:
            test_file = test.split("::")[0]
            if not test_file.startswith("tests/") or not (root / test_file).is_file():
                found.append(f"{m.name}: no test file {test_file}")
            elif "tests/golden" in test_file:
                found.append(f"{m.name}: golden tests are refreshed for each mutant, so they cannot kill it")
        source = root / m.file
        if not source.is_file():
            found.append(f"{m.name}: no file {m.file} (STALE)")
            continue
        try:
            m.apply(source.read_text(encoding="utf-8"))
        except Stale as stale:
            found.append(f"{stale} (STALE)")
    return found
