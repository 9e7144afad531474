"""The YAML loader's two paths: valid files are read in one go (libyaml composes, nesting bounded while converting);
anything unusual goes through the detailed path, which decides what is reported. Both must read a file alike."""

from __future__ import annotations

import pytest

from luaugen.load import yaml_loader
from luaugen.load.yaml_loader import MAX_DEPTH, load_document

from .harness import REPO

pytestmark = pytest.mark.skipif(yaml_loader._LOADER is yaml_loader.yaml.SafeLoader, reason="PyYAML without libyaml")


def _repository_yaml() -> list[tuple[str, str]]:
    paths = sorted([*REPO.glob("schemas/*.yaml"), *(REPO / "tests").rglob("schemas/*.yaml")])
    return [(str(p.relative_to(REPO)), p.read_text(encoding="utf-8")) for p in paths]


def _detailed_calls(monkeypatch) -> list[str]:
    calls = []
    detailed = yaml_loader._load_in_detail

    def counting(path, text):
        calls.append(path)
        return detailed(path, text)

    monkeypatch.setattr(yaml_loader, "_load_in_detail", counting)
    return calls


def test_both_paths_read_every_repository_file_alike(monkeypatch):
    files = _repository_yaml()
    detailed = [yaml_loader._load_in_detail(path, text) for path, text in files]
    calls = _detailed_calls(monkeypatch)
    # repr: a `.nan` in a file is not equal to itself
    assert [repr(load_document(path, text)) for path, text in files] == [repr(read) for read in detailed]
    readable = [path for (path, _), (document, _) in zip(files, detailed) if document is not None]
    assert len(files) >= 60 and len(readable) >= 40
    assert set(calls).isdisjoint(readable)  # every readable file took the one-go path
    assert set(calls) == {path for (path, _), (document, _) in zip(files, detailed) if document is None}


def _nested(levels: int, innermost: str = "1") -> str:
    """`levels` mappings and lists in all, the last holding `innermost`."""
    return "a: " + "[" * (levels - 1) + innermost + "]" * (levels - 1) + "\n"


def test_nesting_at_the_limit_loads_in_one_go_and_one_more_level_is_refused(monkeypatch):
    calls = _detailed_calls(monkeypatch)
    document, problems = load_document("schemas/deep.yaml", _nested(MAX_DEPTH))
    assert problems == [] and document is not None and calls == []
    for innermost in ("1", "{}"):  # an empty mapping is a level too
        document, problems = load_document("schemas/deep.yaml", _nested(MAX_DEPTH + 1, innermost))
        assert document is None
        assert [(d.code, d.span.line, d.span.col) for d in problems] == [("too-deep", 1, 3 + MAX_DEPTH)]
    assert calls == ["schemas/deep.yaml"] * 2


def test_nesting_is_reported_before_a_duplicate_key_found_earlier_in_the_file():
    text = "k: 1\nk: 2\n" + _nested(MAX_DEPTH + 1)
    document, problems = load_document("schemas/both.yaml", text)
    assert document is None and [(d.code, d.span.line) for d in problems] == [("too-deep", 3)]
    document, problems = load_document("schemas/dup.yaml", "k: 1\nk: 2\n")
    assert [(d.code, d.span.line) for d in problems] == [("duplicate-key", 2)]


def test_aliases_nesting_deeper_than_the_text_still_load(monkeypatch):
    deep = "[" * 40 + "1" + "]" * 40
    text = f"a: &x {deep}\nb: " + "[" * 30 + "*x" + "]" * 30 + "\n"
    calls = _detailed_calls(monkeypatch)
    document, problems = load_document("schemas/alias.yaml", text)
    assert problems == [] and calls == ["schemas/alias.yaml"]
    depth, node = 0, document.root.value["b"].value
    while node.is_seq:
        depth, node = depth + 1, node.value[0]
    assert depth == 70 and node.value == 1
