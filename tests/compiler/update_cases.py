"""Rewrite every `cases/<name>/expected_stderr.txt` from the current compiler; review the diff before committing.

    .venv/bin/python -m tests.compiler.update_cases [name ...]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from .harness import CASES, case_names, copy_case, run_cli


def main(argv: list[str]) -> int:
    names = argv or case_names()
    for name in names:
        with tempfile.TemporaryDirectory() as tmp:
            project = copy_case(CASES / name, Path(tmp) / "project")
            code, _, stderr = run_cli("build", "--root", str(project))
        expected = CASES / name / "expected_stderr.txt"
        old = expected.read_text(encoding="utf-8") if expected.is_file() else None
        expected.write_text(stderr, encoding="utf-8")
        status = "new" if old is None else ("changed" if old != stderr else "same")
        flag = "" if code == 2 else f"  (exit {code}, expected 2!)"
        print(f"{status:8} {name}{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
