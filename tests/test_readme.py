"""README tells the truth: its Python examples run as written, and its error example is what luaugen prints."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PYTHON_BLOCKS = re.findall(r"```python\n(.*?)```", README, re.DOTALL)


@pytest.mark.parametrize("index", range(len(PYTHON_BLOCKS)))
def test_python_example_runs(index, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(sys, "path", list(sys.path))
    exec(compile(PYTHON_BLOCKS[index], f"README.md python block {index + 1}", "exec"), {"__name__": "readme"})


def test_error_example_is_what_build_prints(tmp_path):
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    shutil.copy(ROOT / "luaugen.toml", tmp_path)
    skills = tmp_path / "schemas" / "skills.yaml"
    skills.write_text(skills.read_text(encoding="utf-8").replace("      target: Target\n", "      target: Targte\n", 1),
                      encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "luaugen.cli", "build"], cwd=tmp_path, capture_output=True,
                          text=True)
    example = re.search(r"nothing under `generated/` changes:\n\n```\n(.*?)```", README, re.DOTALL)[1]
    assert done.returncode == 2
    assert example in done.stderr
