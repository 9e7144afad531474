"""The wheel ships everything a build needs (templates, meta-schema): an installed copy that cannot see the
repository produces the committed output byte for byte."""

from __future__ import annotations

import os
import subprocess
import sysconfig
from pathlib import Path

import pytest

from .harness import PYTHON, REPO, make_project, snapshot


def run(args: list, cwd: Path, env: dict, timeout: float = 60) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.mark.slow
def test_installed_wheel_builds_the_committed_output(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    scratch = tmp_path / "cwd"
    scratch.mkdir()
    # 1. A real (non-editable) wheel of the working tree.
    run([PYTHON, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", tmp_path / "dist", REPO], scratch, env, 120)
    wheel = next((tmp_path / "dist").glob("luaugen-*.whl"))
    # 2. A fresh venv holding only that wheel; its dependencies come from the dev venv's site-packages through a
    #    .pth line (.pth files there, such as the editable install's, are not processed from such a line).
    venv = tmp_path / "v"
    run([PYTHON, "-m", "venv", "--without-pip", venv], scratch, env)
    python = venv / "bin" / "python"
    run([PYTHON, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "--quiet", wheel], scratch, env,
        120)
    site = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], scratch, env)
                .stdout.strip())
    (site / "_dev_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    probe = ("import luaugen, sys; from luaugen.emit.templates import templates_dir; "
             "print(luaugen.__file__); print(templates_dir()); print(*sys.path, sep='\\n')")
    lines = run([python, "-c", probe], scratch, env).stdout.splitlines()
    assert Path(lines[0]).resolve().is_relative_to(venv.resolve()), lines[0]
    assert Path(lines[1]).resolve().is_relative_to(venv.resolve()), lines[1]
    assert str(REPO) not in lines[2:] and "" not in lines[3:]
    # 3. Build a copy of the repo's project with the installed command.
    project = make_project(tmp_path / "project")
    done = run([venv / "bin" / "luaugen", "build", "--root", project], scratch, env)
    assert "written" in done.stdout
    built = project / "generated"
    assert sorted(snapshot(built)) == sorted(snapshot(REPO / "generated"))
    for relative in snapshot(built):
        assert (built / relative).read_bytes() == (REPO / "generated" / relative).read_bytes(), relative
    run([venv / "bin" / "luaugen", "schema"], scratch, env)
