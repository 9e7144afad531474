"""`[lint]` globs (pathspec + bracex, root-anchored gitignore semantics): `./`, dot-folders, braces, classes, folders."""

from __future__ import annotations

import pytest

from luaugen.config import LintSettings
from luaugen.lint import LintConfigError, lint_sources
from luaugen.lint.engine import is_excluded
from luaugen.lint.globs import matches


@pytest.mark.parametrize(
    ("path", "glob", "expected"),
    [
        ("src/legacy/a/b.luau", "src/legacy/**", True),
        ("src/legacyx/a.luau", "src/legacy/**", False),
        ("src/legacy/a.luau", "src/legacy", True),  # a folder covers everything below it
        ("src/legacy/a.luau", "src/legacy/", True),
        ("a/b/c.luau", "**/*.luau", True),
        ("c.luau", "**/*.luau", True),
        ("a/b.luau", "*.luau", False),  # anchored at the root: `*` stays within one segment
        ("src/a.luau", "./src/*.luau", True),
        ("src/a.luau", "././src/*.luau", True),
        (".lune/x.luau", "./.lune/**", True),  # the dot of a dot-folder survives the `./` prefix
        ("lune/x.luau", "./.lune/**", False),
        (".lune/deep/x.luau", ".lune", True),
        ("src/.hidden/x.client.luau", "**/*.client.luau", True),  # wildcards match dot-folders
        ("src/client/a.luau", "src/{client,server}/**", True),
        ("src/server/a.luau", "src/{client,server}/**", True),
        ("src/shared/a.luau", "src/{client,server}/**", False),
        ("src/a/x.luau", "src/[ab]/*.luau", True),
        ("src/b/x.luau", "src/[ab]/*.luau", True),
        ("src/c/x.luau", "src/[ab]/*.luau", False),
        ("src/ab/x.luau", "src/[ab]/*.luau", False),
        ("src/x1.luau", "src/x?.luau", True),
        ("src/x12.luau", "src/x?.luau", False),
        ("src/a/x.luau", "src/?/x.luau", True),
        ("src/a/b/x.luau", "src/?/x.luau", False),
    ],
)
def test_glob(path: str, glob: str, expected: bool) -> None:
    assert matches(path, [glob]) is expected


def test_no_globs_match_nothing() -> None:
    assert not matches("src/a.luau", [])
    assert not matches("src/a.luau", ["", "  "])


def test_exclude_with_dot_folder_and_braces() -> None:
    settings = LintSettings(exclude=("./.lune/**", "src/{vendor,legacy}/**"))
    assert is_excluded(".lune/build.luau", settings)
    assert is_excluded("src/vendor/x.luau", settings) and is_excluded("src/legacy/y/z.luau", settings)
    assert not is_excluded("src/client/a.luau", settings) and not is_excluded("lune/build.luau", settings)


def test_brace_bombs_are_a_config_error(manifest) -> None:
    bomb = "src/" + "{a,b}" * 9 + "/**"  # 512 patterns
    assert matches("src/aaaaaaaaa/x.luau", ["src/" + "{a,b}" * 8 + "a/**"])  # 256: still fine
    with pytest.raises(LintConfigError, match="expands to more than 256 patterns"):
        lint_sources(manifest, {}, LintSettings(exclude=(bomb,)))
