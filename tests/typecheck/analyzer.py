"""Run the official `luau-analyze` (../shared/tools) over Rojo-style Luau, with its requires made string requires."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ROOT.parent / "shared" / "tools"
ANALYZE = TOOLS / "luau-analyze"
DEFINITIONS = TOOLS / "roblox.d.luau"
MISSING = f"luau-analyze and roblox.d.luau not found in {TOOLS} (the shared tools folder beside the repository)"
SOLVERS = ("new", "old")

_ROJO_REQUIRE = re.compile(r"require\(\s*script((?:\.[A-Za-z_]\w*)+)\s*\)")
# gnu formatter: `path:line.col-line.col: Kind: message`; a message may continue on the lines after it.
_FINDING = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+)\.\d+-\d+\.\d+: (?P<kind>\w+): (?P<message>.*)$")


def tools_present() -> bool:
    return ANALYZE.is_file() and DEFINITIONS.is_file()


def string_requires(source: str, is_init: bool) -> str:
    """Rewrite Rojo instance requires to the relative string requires luau-analyze resolves.

    `script.Parent.X` is a sibling (`./X`) and each further `.Parent` climbs one folder (`../`). String requires
    treat an init.luau as standing in for its folder, just as Rojo does, so that holds for it too; `script.X`
    (a child) exists only for an init module, where it is `@self/X`."""
    def rewrite(match: re.Match[str]) -> str:
        parts = match[1].split(".")[1:]
        ups = 0
        while ups < len(parts) and parts[ups] == "Parent":
            ups += 1
        names = parts[ups:]
        if not names:
            raise ValueError(f"cannot rewrite a require of an ancestor folder: {match[0]}")
        if ups == 0:
            if not is_init:
                raise ValueError(f"`script.<child>` of a plain module has no file to point at: {match[0]}")
            prefix = "@self/"
        else:
            prefix = "./" if ups == 1 else "../" * (ups - 1)
        return f'require("{prefix}{"/".join(names)}")'
    return _ROJO_REQUIRE.sub(rewrite, source)


def write_checkable(files: dict[str, str], folder: Path) -> list[Path]:
    """Write the .luau files of `files` (relative path -> text) under `folder`, requires rewritten; their paths."""
    written = []
    for relative, text in sorted(files.items()):
        if relative.endswith(".luau"):
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(string_requires(text, path.name == "init.luau"), encoding="utf-8")
            written.append(path)
    return written


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind}: {self.message}"


@dataclass(frozen=True)
class Run:
    """One luau-analyze process over `files` (paths reported relative to `cwd`), started and not yet read."""
    cwd: Path
    process: subprocess.Popen[str]


def start(cwd: Path, files: list[Path], solver: str) -> Run:
    """Start one strict luau-analyze run; the runs of a test go side by side and are read with `findings`.

    Files are passed as absolute paths: a module named one way on the command line and another way by a require
    would be checked (and reported) twice."""
    args = [str(ANALYZE), "--mode=strict", "--formatter=gnu", f"--definitions={DEFINITIONS}"]
    if solver == "old":
        args.append("--solver=old")
    args += [str(path.resolve()) for path in files]
    return Run(cwd, subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))


def findings(run: Run) -> list[Finding]:
    """Every finding (errors and lint warnings) of a run, waiting for it to end."""
    output, _ = run.process.communicate(timeout=240)
    found: list[Finding] = []
    for line in output.splitlines():
        match = _FINDING.match(line)
        if match:
            path = Path(match["path"])
            path = str(path.relative_to(run.cwd) if path.is_absolute() else path).removeprefix("./")
            found.append(Finding(path, int(match["line"]), match["kind"], match["message"]))
        elif found and line.strip():
            last = found[-1]
            found[-1] = Finding(last.path, last.line, last.kind, f"{last.message} {line.strip()}")
    code = run.process.returncode
    if code not in (0, 1) or (code == 1 and not found):
        raise RuntimeError(f"luau-analyze exited {code}:\n{output}")
    return found

