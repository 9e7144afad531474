"""Rewrite the golden files from the current compiler: `make golden`, then review `git diff tests/golden`."""

from __future__ import annotations

import shutil

from .build import EXPECTED, compile_fixture


def main() -> None:
    files = compile_fixture()
    shutil.rmtree(EXPECTED, ignore_errors=True)
    for relative, text in files.items():
        target = EXPECTED / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} golden files under {EXPECTED}")


if __name__ == "__main__":
    main()
