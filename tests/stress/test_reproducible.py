"""Stress runs repeat exactly, across processes, even on lossy links with several clients."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_runs_repeat_exactly_across_processes_on_lossy_links():
    # Each link draws from its own seeded generator, so the order in which the server serves its players (Luau
    # iterates Player-keyed tables in address order, which differs between processes) cannot change what is lost.
    args = [sys.executable, "-m", "luaugen.cli", "stress", "--clients", "3", "--seconds", "1", "--latency", "40",
            "--jitter", "20", "--loss", "0.1", "--format", "json", "--config-root", str(ROOT)]
    first, second = (subprocess.run(args, capture_output=True, text=True, env=os.environ | {"PYTHONHASHSEED": seed})
                     for seed in ("1", "2"))
    assert first.returncode == second.returncode == 0, first.stderr + second.stderr
    assert first.stdout == second.stdout
