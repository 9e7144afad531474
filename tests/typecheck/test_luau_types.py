"""The generated Luau is type-clean under the official checker (both solvers, strict, Roblox definitions), and the
typed API catches misuse: in the consumer files every line tagged `-- expect-error`, and only those, gets a finding.

One luau-analyze run per solver per project; the consumer files are checked in the same run as the project they
call (tests/typecheck/project, which uses every type and option of the schema language)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.golden.build import FIXTURE, compile_fixture

from .analyzer import (MISSING, ROOT, SOLVERS, Finding, findings as read_findings, start, string_requires,
                       tools_present, write_checkable)

needs_tools = pytest.mark.skipif(not tools_present(), reason=MISSING)

HERE = Path(__file__).parent
CONSUMERS = sorted((HERE / "consumers").glob("*.luau"))
EXPECT_ERROR = re.compile(r"--\s*expect-error\b")
PROJECTS = {
    "schemas (dev)": (ROOT, "dev"),
    "schemas (release)": (ROOT, "release"),
    "golden fixture": (FIXTURE, "dev"),
    "type-check project": (HERE / "project", "dev"),
}
WITH_CONSUMERS = "type-check project"


@pytest.fixture(scope="module")
def findings(tmp_path_factory) -> dict[tuple[str, str], list[Finding]]:
    """Every finding of every project under both solvers, keyed (project, solver); the runs go side by side."""
    runs = {}
    for index, (project, (root, profile)) in enumerate(PROJECTS.items()):
        folder = tmp_path_factory.mktemp(f"project{index}")
        files = {path.removeprefix("generated/luau/"): text for path, text in compile_fixture(profile, root).items()
                 if path.startswith(("generated/luau/Networking/", "generated/luau/NetworkingServer/"))}
        assert {"Networking/init.luau", "NetworkingServer/init.luau"} <= set(files), sorted(files)
        paths = write_checkable(files, folder)
        if project == WITH_CONSUMERS:
            paths += write_checkable({c.name: c.read_text(encoding="utf-8") for c in CONSUMERS}, folder)
        for solver in SOLVERS:
            runs[project, solver] = start(folder, paths, solver)
    return {key: read_findings(run) for key, run in runs.items()}


def test_rojo_requires_become_the_string_requires_of_the_same_files():
    source = ("local A = require(script.Parent.Checks)\nlocal B = require(script.Parent.Parent.Registry)\n"
              "local C = require(script.Parent.Parent.Parent.Shared.Util)\nlocal D = require( script.Types )\n")
    assert string_requires(source.replace("script.Types", "script.Parent.Types"), is_init=False) == (
        'local A = require("./Checks")\nlocal B = require("../Registry")\n'
        'local C = require("../../Shared/Util")\nlocal D = require("./Types")\n')
    assert string_requires(source, is_init=True) == (
        'local A = require("./Checks")\nlocal B = require("../Registry")\n'
        'local C = require("../../Shared/Util")\nlocal D = require("@self/Types")\n')
    assert string_requires("require(game.ReplicatedStorage.X) require(script)", is_init=False) == \
        "require(game.ReplicatedStorage.X) require(script)"
    with pytest.raises(ValueError, match="script.Child"):
        string_requires("require(script.Child)", is_init=False)
    with pytest.raises(ValueError, match="ancestor"):
        string_requires("require(script.Parent)", is_init=True)


@needs_tools
@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("project", PROJECTS)
def test_generated_luau_has_no_findings(findings, project: str, solver: str):
    generated = [f for f in findings[project, solver] if f.path not in {c.name for c in CONSUMERS}]
    assert not generated, f"{len(generated)} findings ({solver} solver) in the generated Luau of {project}:\n" + \
        "\n".join(map(str, generated))


def test_the_consumer_files_cover_both_directions():
    assert [c.name for c in CONSUMERS] == ["Client.client.luau", "Server.server.luau"]
    for consumer in CONSUMERS:
        assert len(EXPECT_ERROR.findall(consumer.read_text(encoding="utf-8"))) >= 8, consumer.name


@needs_tools
@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("consumer", [c.name for c in CONSUMERS])
def test_exactly_the_tagged_lines_of_a_consumer_are_findings(findings, consumer: str, solver: str):
    lines = (HERE / "consumers" / consumer).read_text(encoding="utf-8").splitlines()
    tagged = {number for number, line in enumerate(lines, 1) if EXPECT_ERROR.search(line)}
    found: dict[int, list[str]] = {}
    for finding in findings[WITH_CONSUMERS, solver]:
        if finding.path == consumer:
            found.setdefault(finding.line, []).append(f"{finding.kind}: {finding.message}")
    unexpected = [f"{consumer}:{n}: {lines[n - 1].strip()}\n    {found[n]}" for n in sorted(found.keys() - tagged)]
    missed = [f"{consumer}:{n}: {lines[n - 1].strip()}" for n in sorted(tagged - found.keys())]
    assert not unexpected and not missed, (f"{solver} solver\nfindings on untagged lines:\n" + "\n".join(unexpected)
                                           + "\ntagged lines without a finding:\n" + "\n".join(missed))
