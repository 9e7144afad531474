"""`make mutation`: apply each catalogued mutant to a copy of the repository, regenerate, run its tests.

    python -m mutation.run [--only NAME ...] [--jobs N] [--output MUTATION.md]

The working tree is never touched: the repository is copied once to a temporary folder (the baseline, whose
selected tests must pass unmutated), and each mutant runs in its own copy of that, deleted afterwards. In the
copy the mutated file is written, `luaugen build` and the golden refresh run (so golden files cannot kill a
mutant: behaviour must), then the mutant's tests under a timeout. Exit 0 when every mutant is killed or
documented as equivalent; 1 when one survived or is stale; 2 when the baseline fails.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .catalogue import ROOT, Mutant, Stale, load, problems
from .report import write_report

IGNORED = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".pytest_cache", ".hypothesis", "*.egg-info",
                                 "build", "dist", "MUTATION.md")
FAILED_LINE = re.compile(r"^(FAILED|ERROR) (.+?)(?: - .*)?$", re.MULTILINE)


@dataclass
class Outcome:
    mutant: Mutant
    status: str  # killed | survived | equivalent | stale | error
    detail: str  # the killing test, the build failure, or why it could not run
    seconds: float


def _env(copy: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(copy), PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1", CI="true")
    env.pop("PYTEST_ADDOPTS", None)
    return env


_live: set[subprocess.Popen] = set()  # process groups to kill when the run is interrupted
_live_lock = threading.Lock()


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _run(args: list[str], copy: Path, timeout: float) -> tuple[int | None, str]:
    """(exit code or None on timeout, combined output); a timeout kills the whole process group."""
    proc = subprocess.Popen(args, cwd=copy, env=_env(copy), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, text=True, start_new_session=True)
    with _live_lock:
        _live.add(proc)
    try:
        out, _ = proc.communicate(timeout=timeout)
        return proc.returncode, out
    except subprocess.TimeoutExpired:
        _kill(proc)
        out, _ = proc.communicate()
        return None, out
    except BaseException:  # Ctrl-C while waiting: the child's group would outlive us
        _kill(proc)
        raise
    finally:
        with _live_lock:
            _live.discard(proc)


def _pytest(tests: list[str], copy: Path, timeout: float) -> tuple[int | None, str]:
    return _run([sys.executable, "-m", "pytest", "-x", "-q", "-rfE", "-p", "no:cacheprovider", *tests], copy, timeout)


def _regenerate(copy: Path) -> tuple[bool, str]:
    for args in ([sys.executable, "-m", "luaugen.cli", "build"], [sys.executable, "-m", "tests.golden.update"]):
        code, out = _run(args, copy, 120)
        if code != 0:
            return False, out
    return True, ""


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()]
    return (errors or lines or ["(no output)"])[-1][:160]


def run_mutant(mutant: Mutant, base: Path, scratch: Path) -> Outcome:
    started = time.monotonic()
    copy = scratch / mutant.name
    try:
        source = base / mutant.file
        try:
            mutated = mutant.apply(source.read_text(encoding="utf-8"))
        except (Stale, FileNotFoundError) as stale:
            return Outcome(mutant, "stale", str(stale), 0.0)
        shutil.copytree(base, copy, symlinks=True)
        (copy / mutant.file).write_text(mutated, encoding="utf-8")
        built, out = _regenerate(copy)
        if not built:
            return Outcome(mutant, "killed", f"build: {_first_line(out)}", time.monotonic() - started)
        code, out = _pytest(list(mutant.tests), copy, mutant.timeout)
        seconds = time.monotonic() - started
        if code is None:
            return Outcome(mutant, "killed", f"timeout after {mutant.timeout}s", seconds)
        if code == 1:
            failed = FAILED_LINE.search(out)
            return Outcome(mutant, "killed", failed.group(2) if failed else _first_line(out), seconds)
        if code == 0:
            return Outcome(mutant, "equivalent" if mutant.equivalent else "survived", "", seconds)
        return Outcome(mutant, "error", f"pytest exit {code}: {_first_line(out)}", seconds)
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def _baseline(base: Path, mutants: list[Mutant]) -> str | None:
    """Why the unmutated copy is unfit to judge mutants, or None: it must import from itself and pass the tests."""
    code, out = _run([sys.executable, "-c", "import luaugen; print(luaugen.__file__)"], base, 60)
    if code != 0 or not out.strip().startswith(str(base)):
        return f"the copy imports luaugen from elsewhere: {out.strip()}"
    code, out = _run([sys.executable, "-m", "luaugen.cli", "build", "--check"], base, 120)
    if code != 0:
        return f"`luaugen build --check` fails before any mutation:\n{out}"
    tests = sorted({t for m in mutants for t in m.tests})
    code, out = _pytest(tests, base, 900)
    if code != 0:
        return f"the selected tests fail before any mutation (exit {code}):\n{out[-3000:]}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mutation.run", description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[], metavar="NAME", help="run only these mutants")
    parser.add_argument("--jobs", type=int, default=2, help="mutants run side by side (default 2)")
    parser.add_argument("--output", type=Path, default=None, help="write the table here (e.g. MUTATION.md)")
    args = parser.parse_args(argv)

    mutants = load()
    malformed = [p for p in problems(mutants) if not p.endswith("(STALE)")]
    if malformed:
        print("mutation/catalogue.yaml is malformed:\n  " + "\n  ".join(malformed), file=sys.stderr)
        return 2
    if args.only:
        unknown = set(args.only) - {m.name for m in mutants}
        if unknown:
            print(f"unknown mutants: {', '.join(sorted(unknown))}", file=sys.stderr)
            return 2
        mutants = [m for m in mutants if m.name in args.only]

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="luaugen-mutation-", ignore_cleanup_errors=True) as scratch_name:
        scratch = Path(scratch_name)
        base = scratch / "baseline"
        shutil.copytree(ROOT, base, ignore=IGNORED, symlinks=True)
        reason = _baseline(base, mutants)
        if reason:
            print(f"baseline: {reason}", file=sys.stderr)
            return 2
        print(f"baseline passes; {len(mutants)} mutants, {args.jobs} at a time", flush=True)

        def one(mutant: Mutant) -> Outcome:
            outcome = run_mutant(mutant, base, scratch)
            print(f"{outcome.status:>10}  {mutant.name}  {outcome.detail}  ({outcome.seconds:.1f}s)", flush=True)
            return outcome

        pool = ThreadPoolExecutor(max_workers=max(1, args.jobs))
        try:
            outcomes = list(pool.map(one, mutants))
        except KeyboardInterrupt:  # the tests run in their own sessions: Ctrl-C does not reach them
            pool.shutdown(wait=False, cancel_futures=True)
            with _live_lock:
                for proc in list(_live):
                    _kill(proc)
            pool.shutdown(wait=True)  # the running mutants end at once; then their copies can be removed
            print("interrupted", file=sys.stderr)
            return 130
        pool.shutdown()
    total = time.monotonic() - started

    if args.output:
        write_report(args.output, outcomes, total, args.jobs)
        print(f"wrote {args.output}")
    bad = [o for o in outcomes if o.status in ("survived", "stale", "error")]
    counts = {s: sum(o.status == s for o in outcomes) for s in ("killed", "survived", "equivalent", "stale", "error")}
    print(", ".join(f"{n} {s}" for s, n in counts.items()) + f" in {total:.0f}s")
    return 1 if bad else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
