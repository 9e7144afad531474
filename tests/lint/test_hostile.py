"""Hostile files cost bounded work: no quadratic walks, no recursion on nesting, a cap on values followed.

Sizes are chosen so each case runs in well under a second now; the walks these tests guard against took minutes
(or raised RecursionError) at the same sizes.
"""

from __future__ import annotations

from luaugen.config import LintSettings
from luaugen.lint import lint_sources, resolve

HEADER = "local Net = require(script.Parent.Networking)\n"
BIG = LintSettings(max_file_bytes=1 << 24)


def lint(manifest: dict, source: str) -> list[tuple[int, str]]:
    return [(d.span.line, d.code) for d in lint_sources(manifest, {"src/client/a.luau": source}, BIG)]


def test_many_redeclarations_of_one_alias(manifest: dict) -> None:
    body = "local n = Net\nn.Skills.CastSkill.send({})\n" * 2000 + "n.Skillz.X.send({})\n"
    assert lint(manifest, HEADER + body) == [(4002, "unknown-channel")]


def test_long_value_lists_arguments_and_tables(manifest: dict) -> None:
    many = ", ".join(["Net"] * 3000)
    assert lint(manifest, HEADER + f"local a = {many}\nlocal t = {{{many}}}\nt[3000].Skillz.X.send({{}})\n") == [(4, "unknown-channel")]
    escapes = lint(manifest, HEADER + f"print(select(1, {many}))\n")
    assert escapes == [(2, "untracked-networking-use")] * 3000


def test_deep_require_path_and_parentheses(manifest: dict) -> None:
    assert lint(manifest, "local Net = require(script" + ".Folder" * 5000 + ".Networking)\nNet.Skillz.X.send({})\n") == [(2, "unknown-channel")]
    nested = "(" * 300 + "Net" + ")" * 300
    assert lint(manifest, HEADER + f"local n = {nested}\nn.Skillz.X.send({{}})\n") == [(3, "unknown-channel")]


def test_self_referencing_tables_stop_at_the_nesting_limit(manifest: dict) -> None:
    source = HEADER + "local t = {}\nt.x = Net\n" + "t.x = t\n" * 20 + "t.x.Skillz.X.send({})\n"
    found = lint(manifest, source)
    assert found[-1] == (24, "unknown-channel")
    assert set(found[:-1]) == {(line, "untracked-networking-use") for line in range(4, 24)}


def test_values_followed_per_file_are_capped(manifest: dict, monkeypatch) -> None:
    monkeypatch.setattr(resolve, "MAX_STEPS", 50)
    chain = "local a0 = require(script.Parent.Networking)\n" + "".join(f"local a{i + 1} = a{i}\n" for i in range(60))
    found = lint_sources(manifest, {"src/client/a.luau": chain + "a60.Skillz.X.send({})\n"}, BIG)
    assert [(d.span.line, d.code) for d in found] == [(51, "untracked-networking-use")]
    assert found[0].message == "the networking module is followed past lint's limit of 50 values in one file, so its uses cannot be verified"


def test_long_concatenations_and_escaped_strings(manifest: dict) -> None:
    pieces = " .. ".join(['""'] * 5000 + ['"Fire"', '"Server"'])
    assert lint(manifest, f"local m = {pieces}\nlocal n = {pieces} .. x\n") == [(1, "raw-remote")]
    escapes = '"' + "\\n" * 200_000 + '"'
    assert lint(manifest, f"local s = {escapes}\nlocal t = \"Fire\\83erver\"\n") == [(2, "raw-remote")]


def test_long_or_chains_are_followed_once(manifest: dict) -> None:
    chain = " or ".join(["Net"] * 1000)
    assert lint(manifest, HEADER + f"local x = {chain}\nx.Skillz.A.send({{}})\n") == [(3, "unknown-channel")]
