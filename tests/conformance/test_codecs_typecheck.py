"""The generated packed codecs type-check in strict mode with the official checker, under both solvers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from .projects import REPO

TOOLS = REPO.parent / "shared" / "tools"
pytestmark = pytest.mark.skipif(not (TOOLS / "luau-analyze").is_file(),
                                reason=f"luau-analyze not found in {TOOLS} (see GUIDE: shared tools)")


@pytest.mark.parametrize("solver", ["new", "old"])
def test_packed_modules_have_no_findings(tmp_path: Path, solver: str):
    root = tmp_path / "Networking"
    (root / "Runtime").mkdir(parents=True)
    shutil.copytree(REPO / "generated" / "luau" / "Networking" / "Packed", root / "Packed")
    shutil.copy(REPO / "generated" / "luau" / "Networking" / "Runtime" / "Packing.luau", root / "Runtime")
    files = ["Networking/Runtime/Packing.luau"]
    for path in sorted((root / "Packed").glob("[A-Z]*.luau")):
        # the checker resolves string requires only: the Rojo path becomes the equivalent relative path
        text = path.read_text(encoding="utf-8")
        assert "require(script.Parent.Parent.Runtime.Packing)" in text
        path.write_text(text.replace("require(script.Parent.Parent.Runtime.Packing)", 'require("../Runtime/Packing")'),
                        encoding="utf-8")
        files.append(path.relative_to(tmp_path).as_posix())
    assert len(files) == 6
    done = subprocess.run([str(TOOLS / "luau-analyze"), f"--solver={solver}", "--mode=strict", "--formatter=gnu",
                           f"--definitions={TOOLS / 'roblox.d.luau'}", *files],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert (done.stdout + done.stderr).strip() == ""
    assert done.returncode == 0
