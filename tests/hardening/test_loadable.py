"""Exit 0 means the output loads: every test project compiles with the real Luau and Python compilers, limits are
refused just above what the compilers accept and accepted at it, and hostile nesting ends in a located error."""

from __future__ import annotations

from pathlib import Path

import pytest

from luaugen.check.loadable import MAX_NESTING, MAX_UNION_MEMBERS
from luaugen.compiler import compile_project
from luaugen.config import Config, load_config
from luaugen.load.yaml_loader import MAX_DEPTH, load_document
from luaugen.project import read_sources

from ..golden.build import FIXTURE
from .loading import compile_every_luau_file

REPO = Path(__file__).resolve().parents[2]


def _compile(sources: dict[str, str], root: Path = REPO, profile: str = "dev"):
    return compile_project(Config(root=root, profile=profile), sources)


def _python_failures(files: dict[str, str]) -> list[str]:
    failures = []
    for relative, text in files.items():
        if relative.endswith(".py"):
            try:
                compile(text, relative, "exec")
            except SyntaxError as exc:
                failures.append(f"{relative}: {exc}")
    return failures


@pytest.mark.parametrize("root", [REPO, FIXTURE], ids=["schemas", "golden-fixture"])
@pytest.mark.parametrize("profile", ["dev", "release"])
def test_every_generated_file_of_every_project_compiles(root, profile):
    config = load_config(root).with_profile(profile)
    sources, problems = read_sources(config)
    result = compile_project(config, sources)
    assert result.ok and not problems
    assert compile_every_luau_file(result.files) == []
    assert _python_failures(result.files) == []


def _enum(count: int) -> str:
    values = ", ".join(f"v{i}" for i in range(count))
    return f"channel: Wide\nintents:\n  Pick:\n    payload:\n      item: {{ type: enum, values: [{values}], optional: true }}\n"


def test_the_widest_enum_luau_accepts_builds_and_one_more_is_refused():
    result = _compile({"schemas/wide.yaml": _enum(MAX_UNION_MEMBERS)})
    assert result.ok
    assert compile_every_luau_file(result.files) == []
    assert _python_failures(result.files) == []
    refused = _compile({"schemas/wide.yaml": _enum(MAX_UNION_MEMBERS + 1)})
    assert [(d.code, d.span.line, d.span.col) for d in refused.diagnostics] == [("too-wide", 5, 13)]


def _arrays(levels: int) -> str:
    t = "u8"
    for _ in range(levels):
        t = f"{{ type: array, items: {t} }}"
    return f"channel: Deep\nintents:\n  Go:\n    payload:\n      x: {t}\n"


def test_the_deepest_nesting_both_compilers_accept_builds_and_one_more_is_refused():
    result = _compile({"schemas/deep.yaml": _arrays(MAX_NESTING - 1)})  # the payload struct is a level too
    assert result.ok
    assert compile_every_luau_file(result.files) == []
    assert _python_failures(result.files) == []
    refused = _compile({"schemas/deep.yaml": _arrays(MAX_NESTING)})
    assert [(d.code, d.span.line) for d in refused.diagnostics] == [("too-deep", 3)]
    assert "17 levels" in refused.diagnostics[0].message


def test_a_long_chain_of_named_aliases_is_one_located_error_not_a_recursion_error():
    lines = ["types:"] + [f"  T{i}: T{i + 1}" for i in range(5000)] + ["  T5000: u8"]
    result = _compile({"schemas/chain.yaml": "\n".join(lines) + "\n"})
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("too-deep", 5000 - MAX_NESTING + 1)]


def test_5000_deep_yaml_is_refused_where_it_crosses_the_limit():
    text = "".join("  " * i + f"k{i}:\n" for i in range(5000)) + "  " * 5000 + "v: 1\n"
    document, problems = load_document("schemas/deep.yaml", text)
    assert document is None
    assert [(d.code, d.span.line, d.span.col) for d in problems] == [("too-deep", MAX_DEPTH + 1, 2 * MAX_DEPTH + 1)]
    flow = "a: " + "[" * 5000 + "]" * 5000
    assert [d.code for d in load_document("schemas/flow.yaml", flow)[1]] == ["too-deep"]


def test_aliases_within_the_budget_still_load():
    text = "channel: Ok\ntypes:\n  A: &a { type: struct, fields: { x: u8 } }\n  B: *a\n"
    document, problems = load_document("schemas/ok.yaml", text)
    assert problems == [] and document.root.plain()["types"]["B"] == {"type": "struct", "fields": {"x": "u8"}}
