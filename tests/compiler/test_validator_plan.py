"""Validators are planned once per build and written per language; a check written before is copied, never guessed.

The writers remember the statements of a shared check (a scalar, or an array of them) and copy them where the same
check recurs under the same name at the same path. These tests compare that with writing every check afresh, on
contracts whose locals collide (`err`, `nameSize`, `n`, a second array in one function), so a copy that should
not have been made shows as a difference.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from luaugen.compiler import compile_project
from luaugen.config import Config
from luaugen.emit import render
from luaugen.emit.checks import plan_checks
from luaugen.emit.dialects import LuauDialect, PythonDialect
from luaugen.emit.validators import Validators, write_validators
from luaugen.load.yaml_loader import load_document
from luaugen.model.build import build_project

REPO = Path(__file__).resolve().parents[2]

# Messages 1 and 4 are alike (the second copies the first's statements); the others declare, before a check
# remembered elsewhere, a local that check also wants, or reach the same checks through arrays (Wider's arrays are
# new but their items are not, and ItemLocalsTaken takes the locals those items declare).
COLLIDING = """\
channel: Memo
qos: NORMAL
intents:
  First:
    payload:
      name: { type: string, max_length: 8 }
      where: cframe
      tags: { type: array, items: { type: string, max_length: 4 }, max_items: 3 }
      spots: { type: array, items: cframe, max_items: 3 }
  ErrTaken:
    payload:
      err: u8
      where: cframe
      name: { type: string, max_length: 8 }
  SizeTaken:
    payload:
      nameSize: u8
      name: { type: string, max_length: 8 }
  Again:
    payload:
      name: { type: string, max_length: 8 }
      where: cframe
      tags: { type: array, items: { type: string, max_length: 4 }, max_items: 3 }
  CountTaken:
    payload:
      n: u8
      item: bool
      tags: { type: array, items: { type: string, max_length: 4 }, max_items: 3 }
  TwoArrays:
    payload:
      tags: { type: array, items: { type: string, max_length: 4 }, max_items: 3 }
      more: { type: array, items: { type: string, max_length: 4 }, max_items: 3 }
      grid: { type: array, items: { type: array, items: u8, max_items: 2 }, max_items: 2 }
      again: { type: array, items: { type: array, items: u8, max_items: 2 }, max_items: 2 }
      maybe: { type: string, max_length: 8, optional: true }
  Wider:
    payload:
      tags: { type: array, items: { type: string, max_length: 4 }, max_items: 5 }
      spots: { type: array, items: cframe, max_items: 5 }
  ItemLocalsTaken:
    payload:
      itemSize: u8
      err: u8
      tags: { type: array, items: { type: string, max_length: 4 }, max_items: 5 }
      spots: { type: array, items: cframe, max_items: 5 }
events:
  Snapshot:
    payload:
      name: { type: string, max_length: 8 }
      where: cframe
      tags: { type: array, items: { type: string, max_length: 4 }, max_items: 3 }
"""


def _project(sources: dict[str, str]):
    documents = []
    for path, text in sorted(sources.items()):
        document, problems = load_document(path, text)
        assert problems == [] and document is not None
        documents.append(document)
    project, problems = build_project(documents, Config(root=REPO))
    assert problems == []
    return project


def _game_sources() -> dict[str, str]:
    return {str(p.relative_to(REPO)): p.read_text(encoding="utf-8") for p in sorted((REPO / "schemas").rglob("*.yaml"))}


class _Afresh:
    """A writer that writes every check afresh (nothing remembered)."""

    def _remembered(self, write):
        return write


class LuauAfresh(_Afresh, LuauDialect):
    pass


class PythonAfresh(_Afresh, PythonDialect):
    pass


def _text(checks: Validators) -> list:
    scopes = [*checks.named, *(s for table in (checks.payloads, checks.replies) for m in table.values()
                                for s in m.values())]
    return [(s.entry, s.constants, [(f.name, f.body.split("\n")) for f in s.functions], s.imports, sorted(s.helpers),
             sorted(s.uses)) for s in scopes]


@pytest.mark.parametrize("sources", [{"schemas/memo.yaml": COLLIDING}, _game_sources()], ids=["colliding", "game"])
@pytest.mark.parametrize("remembering, afresh", [(LuauDialect, LuauAfresh), (PythonDialect, PythonAfresh)],
                         ids=["luau", "python"])
def test_remembered_checks_are_written_exactly_as_afresh(sources, remembering, afresh):
    project = _project(sources)
    limits = Config(root=REPO).limits
    plan = plan_checks(project, limits)
    expected = _text(write_validators(plan, afresh()))
    assert _text(write_validators(plan, remembering())) == expected


def _lines(checks: Validators, message: str) -> str:
    return "\n".join(fn.body for fn in checks.payloads["Memo"][message].functions)


def test_colliding_locals_are_numbered_where_they_collide_and_only_there():
    project = _project({"schemas/memo.yaml": COLLIDING})
    plan = plan_checks(project, Config(root=REPO).limits)
    python = write_validators(plan, PythonDialect())
    assert "    nameSize2 = len(name)" in _lines(python, "SizeTaken")
    assert "    nameSize = len(name)" in _lines(python, "First") and "    nameSize = len(name)" in _lines(python, "Again")
    luau = write_validators(plan, LuauDialect())
    assert "local err2 = checkDatatype(where" in _lines(luau, "ErrTaken")
    assert "local err = checkDatatype(where" in _lines(luau, "Again")
    assert "local n2 = arrayLength(tags)" in _lines(luau, "CountTaken")
    assert "local item2 = tags[i]" in _lines(luau, "CountTaken")
    two = _lines(luau, "TwoArrays")
    assert two.count("local n = arrayLength(tags)") == 1 and two.count("local n2 = arrayLength(more)") == 1
    assert "local item2 = more[i2]" in two


def test_a_build_plans_the_checks_once_for_both_languages(monkeypatch):
    planned = []
    real = render.plan_checks
    monkeypatch.setattr(render, "plan_checks", lambda project, limits: planned.append(project) or real(project, limits))
    config = Config(root=REPO)
    result = compile_project(config, {"schemas/memo.yaml": COLLIDING})
    assert result.ok and len(planned) == 1
    assert {f"{config.luau_server}/Validators/Memo.luau", f"{config.python_package_dir}/validators.py"} <= set(result.files)
