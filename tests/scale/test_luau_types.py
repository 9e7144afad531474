"""The per-channel validator modules type-check in strict mode with the official analyzer, with both solvers."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from .build import compile_synthetic, write_files

TOOLS = Path(__file__).resolve().parents[2].parent / "shared" / "tools"
ANALYZE = TOOLS / "luau-analyze"

# luau-analyze resolves string requires only: Rojo instance paths are rewritten to the equivalent relative strings.
REWRITES = (
    (r"require\(script\.Parent\.Parent\.(\w+)\)", r'require("../\1")'),
    (r"require\(script\.Parent\.(\w+)\)", r'require("./\1")'),
    (r"require\(script\.(\w+)\)", r'require("@self/\1")'),
)


@pytest.mark.skipif(not ANALYZE.is_file(), reason=f"official luau-analyze not found at {ANALYZE}")
@pytest.mark.parametrize("solver", ["new", "old"])
def test_validator_modules_type_check_in_strict_mode(solver, tmp_path):
    write_files(compile_synthetic(30, tmp_path), tmp_path)
    shared, server = tmp_path / "generated" / "luau" / "Networking", tmp_path / "generated" / "luau" / "NetworkingServer"
    checked = [folder / name for folder in (shared, server) for name in ("Checks.luau", "TypeChecks.luau")]
    checked += [*sorted((server / "Validators").glob("*.luau")), *sorted((shared / "ReplyValidators").glob("*.luau"))]
    # two channels (25 + 5 intents, checked by the server half), each with requests, plus the two index modules
    assert len(checked) == 4 + 3 + 3
    for path in checked:
        text = path.read_text(encoding="utf-8")
        for pattern, replacement in REWRITES:
            text = re.sub(pattern, replacement, text)
        path.write_text(text, encoding="utf-8")
    args = [str(ANALYZE), "--mode=strict", f"--definitions={TOOLS / 'roblox.d.luau'}", *map(str, checked)]
    if solver == "old":
        args.insert(2, "--solver=old")
    done = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path)
    findings = [line for line in done.stdout.splitlines() + done.stderr.splitlines()
                if line.strip() and "LocalUnused" not in line]
    assert findings == []
