"""The top-level .pre-commit-hooks.yaml offers the three luaugen hooks with the documented settings."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

HOOKS_FILE = Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml"
KNOWN_KEYS = {"id", "name", "entry", "language", "files", "exclude", "types", "types_or", "exclude_types",
              "always_run", "fail_fast", "verbose", "pass_filenames", "require_serial", "description",
              "language_version", "minimum_pre_commit_version", "args", "stages"}


def hooks() -> dict[str, dict]:
    data = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return {hook["id"]: hook for hook in data}


def test_every_hook_is_well_formed():
    for hook in hooks().values():
        assert {"id", "name", "entry", "language"} <= set(hook), hook
        assert set(hook) <= KNOWN_KEYS, set(hook) - KNOWN_KEYS
        assert hook["language"] == "python"
        assert hook["entry"].split()[0] == "luaugen"
        re.compile(hook.get("files", ""))


def test_build_check_hook():
    hook = hooks()["luaugen-build-check"]
    assert hook["entry"] == "luaugen build --check" and hook["pass_filenames"] is False
    pattern = re.compile(hook["files"])
    assert pattern.search("schemas/skills.yaml") and pattern.search("templates/luau/Init.luau.j2")
    assert pattern.search("luaugen.toml") and not pattern.search("src/client/main.luau")


def test_lint_hook():
    hook = hooks()["luaugen-lint"]
    assert hook["entry"] == "luaugen lint" and hook["pass_filenames"] is True and hook["types"] == ["file"]
    pattern = re.compile(hook["files"])
    assert pattern.search("src/a.luau") and pattern.search("src/b.lua") and not pattern.search("src/c.luaux")
    assert not pattern.search("schemas/skills.yaml")


def test_breaking_hook_is_manual():
    hook = hooks()["luaugen-breaking"]
    assert hook["entry"] == "luaugen breaking --against origin/main"
    assert hook["stages"] == ["manual"] and hook["pass_filenames"] is False
