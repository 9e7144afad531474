"""The realistic game tree under tests/lint/realgame/ (used by tests/lint and tests/ci).

Every planted problem sits on lines marked `--@planted`; dropping those lines gives the clean tree.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

REALGAME = Path(__file__).parent / "realgame"
EXPECTED = REALGAME / "expected.txt"
PLANTED = "--@planted"


def game_files() -> dict[str, str]:
    """Root-relative posix path -> text of every Luau file of the tree, with the planted problems."""
    return {p.relative_to(REALGAME).as_posix(): p.read_text(encoding="utf-8") for p in sorted(REALGAME.rglob("*.luau"))}


def clean_files() -> dict[str, str]:
    """The same tree with every `--@planted` line removed."""
    return {
        path: "".join(line for line in text.splitlines(keepends=True) if PLANTED not in line)
        for path, text in game_files().items()
    }


def planted_lines() -> set[tuple[str, int]]:
    return {
        (path, number)
        for path, text in game_files().items()
        for number, line in enumerate(text.splitlines(), 1)
        if PLANTED in line
    }


def expected() -> list[str]:
    """`path:line:col severity rule-id`, in lint's sort order."""
    return [line.strip() for line in EXPECTED.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_tree(files: dict[str, str], root: Path) -> None:
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def luaugen_argv() -> list[str]:
    """The installed `luaugen` console script of this interpreter's environment (or an equivalent)."""
    script = shutil.which("luaugen", path=str(Path(sys.executable).parent))
    if script:
        return [script]
    return [sys.executable, "-c", "import sys; from luaugen.cli import main; sys.exit(main())"]
