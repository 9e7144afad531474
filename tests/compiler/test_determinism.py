"""Builds are byte-identical whatever the hash seed, carry no timestamps, and the committed output is current."""

from __future__ import annotations

import datetime
import os
import re
import subprocess
from pathlib import Path

import pytest

from .harness import LUAUGEN, REPO, make_project, snapshot

SEEDS = ("0", "1", "12345")


def build_in_subprocess(project: Path, seed: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run([str(LUAUGEN), "build", "--root", str(project)], cwd=project, env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = {}
    for seed in SEEDS:
        project = make_project(tmp_path_factory.mktemp(f"seed{seed}") / "project")
        done = build_in_subprocess(project, seed)
        assert done.returncode == 0, done.stderr
        out[seed] = project / "generated"
    return out


def contents(folder: Path) -> dict[str, bytes]:
    return {rel: (folder / rel).read_bytes() for rel in snapshot(folder)}


def test_hash_seed_does_not_change_output(builds: dict[str, Path]) -> None:
    first = contents(builds[SEEDS[0]])
    assert first
    for seed in SEEDS[1:]:
        assert contents(builds[seed]) == first, f"PYTHONHASHSEED={seed} changed the output"


def test_no_timestamps(builds: dict[str, Path]) -> None:
    today = datetime.date.today()
    patterns = [
        re.compile(rf"\b{today.year}-\d\d-\d\d"),
        re.compile(re.escape(today.strftime("%d/%m/%Y")) + "|" + re.escape(today.strftime("%m/%d/%Y"))),
        re.compile(r"\b\d\d:\d\d:\d\d\b"),
        re.compile(r"\b1[6-9]\d{8}\b"),  # unix seconds around now
    ]
    for relative, data in contents(builds[SEEDS[0]]).items():
        text = data.decode("utf-8")
        for pattern in patterns:
            assert not pattern.search(text), (relative, pattern.pattern, pattern.search(text))
        assert str(today.year) not in text.split("\n", 3)[0], relative  # the header names no date


def test_no_absolute_paths(builds: dict[str, Path]) -> None:
    for seed, folder in builds.items():
        for relative, data in contents(folder).items():
            assert str(folder.parent).encode() not in data, (seed, relative)


def test_committed_output_is_current() -> None:
    done = subprocess.run([str(LUAUGEN), "build", "--check", "--root", str(REPO)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
