"""Load a compiled project for real: every Luau file through the Luau compiler, the modules required in the
simulator's VM, the Python mirror imported in a fresh interpreter. "Exit 0 means it loads" is checked here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from luaugen.config import Config
from luaugen.sim.build import networking_mounts
from luaugen.sim.host import LuauHost
from luaugen.sim.simulator import Simulator



def write_tree(files: dict[str, str], root: Path) -> None:
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def compile_every_luau_file(files: dict[str, str]) -> list[str]:
    """Compile each generated .luau file with the real compiler; returns the files that do not compile."""
    failures = []
    with LuauHost(name="compile") as host:
        for relative, text in sorted(files.items()):
            if relative.endswith(".luau"):
                try:
                    host.compile(text, relative)
                except RuntimeError as exc:
                    failures.append(f"{relative}: {exc}")
    return failures


def require_modules(config: Config, root: Path) -> object:
    """Require the package on a simulated server and client (every module it loads); returns `_G.INJECTED`."""
    sim = Simulator(seed=1, mounts=networking_mounts(config, root))
    try:
        require = "local Net = require(game.ReplicatedStorage.Networking)\n"
        sim.server.exec(require)
        sim.add_client("Player1").exec(require)
        sim.step(2)
        assert sim.errors() == {vm.name: [] for vm in sim.vms}
        return sim.server.eval("return _G.INJECTED")
    finally:
        sim.close()


def import_mirror(config: Config, root: Path) -> dict:
    """Import the mirror in a fresh interpreter; returns its docstrings and whether importing ran injected code."""
    script = (
        "import builtins, inspect, json, sys\n"
        f"sys.path.insert(0, {str(root / config.python_out)!r})\n"
        f"import {config.python_package} as p\n"
        f"from {config.python_package} import types, validators, registry, roblox\n"
        "docs = {n: inspect.cleandoc(c.__doc__) for n, c in vars(types).items() if isinstance(c, type) and c.__doc__}\n"
        "print(json.dumps({'docs': docs, 'injected': hasattr(builtins, 'INJECTED') or 'INJECTED' in vars(types)}))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)
