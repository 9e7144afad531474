"""The documented CI example works as written.

The GitHub Actions workflow in docs/ci.md ("Using luaugen in CI", linked from README.md) is parsed and its
`luaugen …` steps are run in a throw-away git repository holding a copy of this repository's schemas/,
luaugen.toml, a freshly built generated/ and the clean game tree from tests/lint/realgame/. The hooks of .pre-commit-hooks.yaml are run the same way.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.lint.realgame_support import clean_files, luaugen_argv, write_tree

REPO = Path(__file__).resolve().parents[2]
CI_PAGE = REPO / "docs" / "ci.md"
HOOKS = REPO / ".pre-commit-hooks.yaml"
BASE_REF = "${{ github.base_ref || 'main' }}"
SETUP_ACTIONS = ("actions/checkout@", "actions/setup-python@")


# --- the documented workflow ----------------------------------------------------------------------------------------

def _ci_section() -> str:
    text = CI_PAGE.read_text(encoding="utf-8")
    start = text.index("# Using luaugen in CI")
    end = text.find("\n## ", start + 1)
    return text[start:end if end >= 0 else len(text)]


def readme_workflow() -> dict:
    blocks = re.findall(r"```ya?ml\n(.*?)```", _ci_section(), flags=re.S)
    workflows = [yaml.safe_load(block) for block in blocks]
    workflows = [w for w in workflows if isinstance(w, dict) and "jobs" in w]
    assert len(workflows) == 1, "the CI section should hold exactly one workflow"
    return workflows[0]


def luaugen_steps() -> list[str]:
    """The `run:` commands of the workflow that invoke luaugen, GitHub expressions substituted."""
    workflow = readme_workflow()
    assert set(workflow[True if True in workflow else "on"]) >= {"push", "pull_request"}  # YAML 1.1 reads `on` as True
    (job,) = workflow["jobs"].values()
    commands = []
    for step in job["steps"]:
        if "uses" in step:
            assert step["uses"].startswith(SETUP_ACTIONS), step
            continue
        run = step["run"].strip()
        if run.startswith("pip install"):
            continue
        assert run.startswith("luaugen "), f"unexpected step: {run}"
        run = run.replace(BASE_REF, "main")
        assert "${{" not in run, f"unsubstituted GitHub expression in {run!r}"
        commands.append(run)
    return commands


def test_workflow_has_the_three_checks() -> None:
    commands = luaugen_steps()
    assert [shlex.split(c)[1] for c in commands] == ["build", "lint", "breaking"]
    assert all("--format github" in c for c in commands)
    assert "--check" in commands[0] and "--against origin/main" in commands[2]


# --- a game repository -------------------------------------------------------------------------------------------

def _git(root: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "ci", "GIT_AUTHOR_EMAIL": "ci@example.invalid",
           "GIT_COMMITTER_NAME": "ci", "GIT_COMMITTER_EMAIL": "ci@example.invalid", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_GLOBAL": os.devnull}
    result = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _env() -> dict[str, str]:
    """PATH starts with the folder of the `luaugen` console script, as after `pip install` in the workflow."""
    argv = luaugen_argv()
    env = dict(os.environ)
    if len(argv) == 1:
        env["PATH"] = str(Path(argv[0]).parent) + os.pathsep + env.get("PATH", "")
    else:  # no console script: a shim named luaugen
        shim = Path(os.environ.get("TMPDIR", "/tmp")) / f"luaugen-shim-{os.getpid()}"
        shim.mkdir(exist_ok=True)
        (shim / "luaugen").write_text("#!/bin/sh\nexec " + " ".join(map(shlex.quote, argv)) + ' "$@"\n', encoding="utf-8")
        (shim / "luaugen").chmod(0o755)
        env["PATH"] = str(shim) + os.pathsep + env.get("PATH", "")
    env.pop("GITHUB_ACTIONS", None)
    return env


def run_step(root: Path, command: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", command], cwd=root, env=_env(), capture_output=True, text=True, timeout=300)


def _make_game_repo(root: Path) -> Path:
    root.mkdir()
    shutil.copytree(REPO / "schemas", root / "schemas")
    shutil.copy(REPO / "luaugen.toml", root / "luaugen.toml")
    write_tree(clean_files(), root)
    built = run_step(root, "luaugen build")
    assert built.returncode == 0, built.stdout + built.stderr
    assert (root / "generated" / "manifest.json").is_file()
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "game with networking contracts")
    _git(root, "update-ref", "refs/remotes/origin/main", "HEAD")
    return root


@pytest.fixture(scope="module")
def template_repo(tmp_path_factory) -> Path:
    return _make_game_repo(tmp_path_factory.mktemp("ci") / "game")


@pytest.fixture()
def game(template_repo: Path, tmp_path: Path) -> Path:
    """A fresh copy of the committed game repository (tests may dirty it)."""
    root = tmp_path / "game"
    shutil.copytree(template_repo, root, symlinks=True)
    return root


def _step(name: str) -> str:
    return next(c for c in luaugen_steps() if shlex.split(c)[1] == name)


def test_every_readme_step_passes_on_a_clean_repository(game: Path) -> None:
    assert _git(game, "rev-parse", "origin/main") == _git(game, "rev-parse", "HEAD")
    for command in luaugen_steps():
        result = run_step(game, command)
        assert result.returncode == 0, f"{command}\n{result.stdout}{result.stderr}"
        assert "::error" not in result.stdout, command
    # The lint step really looked at the game code (the github format prints nothing when clean).
    summary = run_step(game, "luaugen lint").stderr
    assert f"luaugen lint: {len(clean_files())} files," in summary and " 0 findings " in summary


def test_breaking_step_fails_on_a_removed_field(game: Path) -> None:
    skills = game / "schemas" / "skills.yaml"
    document = yaml.safe_load(skills.read_text(encoding="utf-8"))
    payload = document["intents"]["CastSkill"]["payload"]
    removed = next(iter(payload))
    lines = skills.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("CastSkill:"))
    index = next(i for i in range(start, len(lines)) if re.match(rf"\s+{removed}:", lines[i]))
    skills.write_text("".join(lines[:index] + lines[index + 1:]), encoding="utf-8")
    assert removed not in yaml.safe_load(skills.read_text(encoding="utf-8"))["intents"]["CastSkill"]["payload"]

    result = run_step(game, _step("breaking"))
    assert result.returncode == 1, result.stdout + result.stderr
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert errors and any("CastSkill" in line for line in errors), result.stdout
    assert any(line.startswith("::error file=schemas/skills.yaml,") for line in errors), result.stdout
    # The contract change also leaves generated/ stale until rebuilt.
    assert run_step(game, _step("build")).returncode == 1


def test_build_check_step_fails_when_generated_is_stale(game: Path) -> None:
    types = game / "generated" / "luau" / "Networking" / "Types.luau"
    types.write_text(types.read_text(encoding="utf-8") + "-- edited by hand\n", encoding="utf-8")
    result = run_step(game, _step("build"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "generated/luau/Networking/Types.luau" in result.stdout + result.stderr


def test_build_check_step_fails_when_a_schema_changes_without_a_rebuild(game: Path) -> None:
    stats = game / "schemas" / "stats.yaml"
    stats.write_text(stats.read_text(encoding="utf-8").replace("description:", "description: Changed.", 1), encoding="utf-8")
    result = run_step(game, _step("build"))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "generated/manifest.json" in result.stdout + result.stderr


def test_lint_step_fails_on_a_planted_problem(game: Path) -> None:
    controller = game / "src" / "client" / "HudController.luau"
    controller.write_text(controller.read_text(encoding="utf-8").replace(
        'Net.send("Stats", "RequestStats", {})', 'Net.send("Stats", "RequestStat", {})'), encoding="utf-8")
    result = run_step(game, _step("lint"))
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=src/client/HudController.luau,"), result.stdout


# --- .pre-commit-hooks.yaml --------------------------------------------------------------------------------------

def hooks() -> list[dict]:
    return yaml.safe_load(HOOKS.read_text(encoding="utf-8"))


def test_hooks_are_the_three_documented_ones() -> None:
    assert {h["id"]: h["entry"] for h in hooks()} == {
        "luaugen-build-check": "luaugen build --check",
        "luaugen-lint": "luaugen lint",
        "luaugen-breaking": "luaugen breaking --against origin/main",
    }
    assert all(h["language"] == "python" for h in hooks())


def _hook_command(root: Path, hook: dict) -> str:
    """What pre-commit runs: the entry, plus the matching tracked files when the hook takes file names."""
    command = hook["entry"]
    if hook.get("pass_filenames", True):
        pattern = re.compile(hook.get("files", ""))
        files = [f for f in _git(root, "ls-files").splitlines() if pattern.search(f)]
        assert files, hook["id"]
        command += " " + " ".join(map(shlex.quote, files))
    return command


@pytest.mark.parametrize("hook_id", ["luaugen-build-check", "luaugen-lint", "luaugen-breaking"])
def test_pre_commit_hook_runs_clean(game: Path, hook_id: str) -> None:
    hook = next(h for h in hooks() if h["id"] == hook_id)
    command = _hook_command(game, hook)
    result = run_step(game, command)
    assert result.returncode == 0, f"{command}\n{result.stdout}{result.stderr}"


def test_pre_commit_lint_hook_sees_only_passed_files(game: Path) -> None:
    hook = next(h for h in hooks() if h["id"] == "luaugen-lint")
    broken = game / "src" / "client" / "Broken.luau"
    broken.write_text('local Net = require(script.Parent.Networking)\nNet.Skillz.CastSkill.send({})\n', encoding="utf-8")
    _git(game, "add", "src/client/Broken.luau")
    result = run_step(game, _hook_command(game, hook))
    assert result.returncode == 1 and "src/client/Broken.luau:2:5: error: unknown channel 'Skillz'" in result.stdout
    assert run_step(game, hook["entry"] + " src/client/HudController.luau").returncode == 0
