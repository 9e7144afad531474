"""A build's output appears as a whole: killed at any moment (a real SIGKILL, and a simulated death at every
file-system step) the tree is, after the next run's recovery, exactly the old output or exactly the new one."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from luaugen import write as write_module
from luaugen.compiler import compile_project
from luaugen.config import load_config
from luaugen.project import read_previous_manifest, read_sources
from luaugen.write import plan, recover, write

from ..compiler.harness import make_project, run_cli

OLD, NEW = "max: 500", "max: 600"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def compiled(project: Path) -> tuple[dict[str, str], dict | None]:
    config = load_config(project)
    sources, _ = read_sources(config)
    previous, _ = read_previous_manifest(config)
    result = compile_project(config, sources, previous)
    assert result.ok
    return result.files, previous


@pytest.fixture(scope="module")
def states(tmp_path_factory) -> tuple[Path, dict[str, bytes], dict[str, bytes]]:
    """A built project about to change (old tree), and the tree the change produces (new tree)."""
    base = tmp_path_factory.mktemp("transaction")
    project = make_project(base / "project")
    assert run_cli("build", "--root", str(project))[0] == 0
    old = tree(project / "generated")
    after = make_project(base / "after")
    shutil.copytree(project / "generated", after / "generated")
    schema = after / "schemas" / "stats.yaml"
    schema.write_text(schema.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    assert run_cli("build", "--root", str(after))[0] == 0
    new = tree(after / "generated")
    assert old != new
    schema = project / "schemas" / "stats.yaml"
    schema.write_text(schema.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    return project, old, new


def fresh(states, target: Path) -> Path:
    project, old, _ = states
    shutil.copytree(project, target)
    shutil.rmtree(target / "generated")
    for relative, data in old.items():
        (target / "generated" / relative).parent.mkdir(parents=True, exist_ok=True)
        (target / "generated" / relative).write_bytes(data)
    return target


def test_a_death_at_every_step_recovers_to_old_or_new(states, tmp_path, monkeypatch):
    """Copy the project at each rename, link and unlink the writer makes, as if the process died right there."""
    project = fresh(states, tmp_path / "live")
    files, previous = compiled(project)
    config = load_config(project)
    deaths: list[Path] = []

    def dying(real):
        def step(*args, **kwargs):
            copy = tmp_path / f"death{len(deaths)}"
            shutil.copytree(project, copy, symlinks=True)
            deaths.append(copy)
            return real(*args, **kwargs)
        return step

    for name in ("replace", "link", "unlink"):
        monkeypatch.setattr(write_module.os, name, dying(getattr(os, name)))
    write(config, files, plan(config, files, previous))
    monkeypatch.undo()
    _, old, new = states
    assert len(deaths) >= 20  # backups, journal, every rename, the commit, dropping the backups
    outcomes = []
    for copy in deaths:
        recover(load_config(copy))
        after = tree(copy / "generated")
        assert after in (old, new), copy.name
        outcomes.append("old" if after == old else "new")
        if copy in (deaths[0], deaths[-1]):  # --check agrees with what is on disk
            assert run_cli("build", "--check", "--root", str(copy))[0] == (1 if after == old else 0)
    committed = outcomes.index("new")  # the journal's removal: before it every death is undone, after it kept
    assert committed > 10 and outcomes == ["old"] * committed + ["new"] * (len(deaths) - committed)
    assert tree(project / "generated") == new


def test_an_error_at_any_rename_leaves_the_old_tree(states, tmp_path, monkeypatch):
    real = os.replace
    renames = None
    step = 0
    while renames is None or step < renames:
        project = fresh(states, tmp_path / f"step{step}")
        files, previous = compiled(project)
        config = load_config(project)
        the_plan = plan(config, files, previous)
        renames = len(the_plan.changed) + 1  # the journal, then each changed file
        calls = {"n": 0}

        def failing(*args):
            calls["n"] += 1
            if calls["n"] == step + 1:
                raise OSError(5, "I/O error (simulated)")
            return real(*args)

        monkeypatch.setattr(write_module.os, "replace", failing)
        with pytest.raises(OSError, match="simulated"):
            write(config, files, the_plan)
        monkeypatch.undo()
        assert tree(project / "generated") == states[1], step
        step += 1
    assert renames == 7  # the journal and six files: both halves carry the schema hash


KILLER = """
import json, os, sys, time
from pathlib import Path
from luaugen import write as w
from luaugen.config import load_config
project = Path(sys.argv[1])
files, previous = json.loads((project / "build.json").read_text())
config = load_config(project)
def slow(real):
    def step(*args):
        time.sleep(0.004)
        return real(*args)
    return step
w.os.replace, w.os.link = slow(os.replace), slow(os.link)
print("writing", flush=True)
w.write(config, files, w.plan(config, files, previous))
"""


def test_sigkill_at_random_moments_leaves_old_or_new_after_recovery(states, tmp_path):
    _, old, new = states
    rng = random.Random(9)
    outcomes = []
    for i in range(5):
        project = fresh(states, tmp_path / f"kill{i}")
        (project / "build.json").write_text(json.dumps(compiled(project)), encoding="utf-8")
        proc = subprocess.Popen([sys.executable, "-c", KILLER, str(project)], stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline() == "writing\n"
        time.sleep(rng.uniform(0.02, 0.25))  # around the slowed write (about 0.1 s) and after it
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        recover(load_config(project))
        after = tree(project / "generated")
        assert after in (old, new)
        outcomes.append("old" if after == old else "new")
    assert len(outcomes) == 5  # which outcome each kill gives depends on timing; each one is whole


def test_leftovers_fail_check_and_the_next_build_cleans_them(states, tmp_path):
    project = fresh(states, tmp_path / "project")
    schema = project / "schemas" / "stats.yaml"
    schema.write_text(schema.read_text(encoding="utf-8").replace(NEW, OLD), encoding="utf-8")
    assert run_cli("build", "--check", "--root", str(project))[0] == 0
    stray = project / "generated" / "luau" / "Networking" / ".Types.luau.luaugen-abc123_x.tmp"
    stray.write_text("half", encoding="utf-8")
    code, _, stderr = run_cli("build", "--check", "--root", str(project))
    assert code == 1
    assert "left by an interrupted build: generated/luau/Networking/.Types.luau.luaugen-abc123_x.tmp\n" in stderr
    code, stdout, stderr = run_cli("build", "--root", str(project))
    assert code == 0 and "removed 1 temporary files of an interrupted build" in stderr
    assert not stray.exists()
    assert run_cli("build", "--check", "--root", str(project))[0] == 0


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_generated_files_get_ordinary_modes(tmp_path, umask):
    project = make_project(tmp_path / "project")
    previous = os.umask(umask)
    try:
        assert run_cli("build", "--root", str(project))[0] == 0
    finally:
        os.umask(previous)
    modes = {p.stat().st_mode & 0o777 for p in (project / "generated").rglob("*") if p.is_file()}
    assert modes == {0o666 & ~umask}


def test_a_deploy_folder_keeps_a_record_so_only_its_own_stale_files_go(tmp_path):
    project = make_project(tmp_path / "project")
    assert run_cli("build", "--root", str(project))[0] == 0
    deploy = tmp_path / "deploy"
    assert run_cli("build", "--root", str(project), "--out", str(deploy))[0] == 0
    record = json.loads((deploy / ".luaugen-files").read_text(encoding="utf-8"))
    assert sorted(record["files"]) == sorted(p.relative_to(deploy).as_posix() for p in deploy.rglob("*.luau"))
    assert {path.split("/")[0] for path in record["files"]} == {"Networking", "NetworkingServer"}
    old = deploy / "Networking" / "Runtime" / "Old.luau"  # as if an earlier deploy wrote it
    old.write_text("-- old runtime module\n", encoding="utf-8")
    record["files"]["Networking/Runtime/Old.luau"] = hashlib.sha256(old.read_bytes()).hexdigest()
    mine = deploy / "Networking" / "Notes.luau"  # never written by luaugen
    mine.write_text("-- Generated by luaugen (but not really)\n", encoding="utf-8")
    outside = deploy / "keep.txt"  # listed by a forged record, outside both modules
    outside.write_text("x", encoding="utf-8")
    record["files"]["keep.txt"] = hashlib.sha256(b"x").hexdigest()
    (deploy / ".luaugen-files").write_text(json.dumps(record), encoding="utf-8")
    code, stdout, _ = run_cli("build", "--root", str(project), "--out", str(deploy))
    assert code == 0 and "  removed Networking/Runtime/Old.luau\n" in stdout
    assert not old.exists() and mine.exists() and outside.exists()
