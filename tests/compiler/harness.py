"""Shared helpers for the compiler tests: run the real CLI on a temporary project and snapshot trees."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from click.testing import CliRunner

from luaugen.cli import main
from luaugen.config import Config, load_config
from luaugen.project import read_sources

from ..scale.synthetic import synthetic_sources

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
PYTHON = REPO / ".venv" / "bin" / "python"
LUAUGEN = REPO / ".venv" / "bin" / "luaugen"

# Files a user put under generated/ by hand: luaugen must never touch them.
USER_FILES = {
    "generated/README.md": "Notes kept next to the generated code.\n",
    "generated/luau/Networking/Custom.luau": "-- hand-written helper, not generated\nreturn {}\n",
}


def sample_projects() -> list[tuple[str, Config, dict[str, str]]]:
    """(name, config, schema sources) of the game's schemas, the golden fixture and a 60-message synthetic contract
    of every type: projects that reach every emitter."""
    game = load_config(REPO)
    golden = load_config(REPO / "tests" / "golden" / "fixture")
    return [("game", game, read_sources(game)[0]), ("golden", golden, read_sources(golden)[0]),
            ("synthetic", Config(root=REPO), synthetic_sources(60))]


def run_cli(*args: str) -> tuple[int, str, str]:
    """Run `luaugen <args>` in-process; returns (exit code, stdout, stderr)."""
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def make_project(target: Path, *, schemas: Path | None = None, config: Path | None = None) -> Path:
    """A project folder holding a copy of `schemas` (default: the repo's) and `config` (default: the repo's)."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(schemas or REPO / "schemas", target / "schemas")
    config = REPO / "luaugen.toml" if config is None else config
    if config.is_file():
        shutil.copy2(config, target / "luaugen.toml")
    return target


def build_good_output(target: Path) -> Path:
    """A fresh build of the repo's schemas plus user files: the `generated/` a broken build must leave alone."""
    project = make_project(target)
    code, _, stderr = run_cli("build", "--root", str(project))
    assert code == 0, stderr
    for relative, text in USER_FILES.items():
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return project / "generated"


def copy_case(case: Path, target: Path, generated: Path | None = None) -> Path:
    """A temporary project from a case folder (its schemas/ and optional luaugen.toml), with `generated` copied in."""
    shutil.copytree(case / "schemas", target / "schemas")
    if (case / "luaugen.toml").is_file():
        shutil.copy2(case / "luaugen.toml", target / "luaugen.toml")
    if generated is not None:
        shutil.copytree(generated, target / "generated", copy_function=shutil.copy2)
    return target


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under `folder` (relative posix path) with its content hash and mtime in ns."""
    if not folder.exists():
        return {}
    return {
        path.relative_to(folder).as_posix(): (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "schemas").is_dir())
