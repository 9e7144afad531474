"""Offline Luau host: runs generated Luau on the real Luau VM (pluau) with a Roblox-like Instance tree.

The Roblox surface (datatypes, Instance tree, `require`, task scheduler, signals) is written in Luau
(`luaugen/sim/luau/*.luau`); Python only mounts files, converts values (`convert.py`) and steps the virtual clock.
"""

from __future__ import annotations

import atexit
import gc
import math
import os
import sys
import weakref
from pathlib import Path
from typing import Any, Callable, Iterable

import pluau

from ..model.roblox_classes import CLASS_PARENTS
from .convert import YIELDED, Tag, flatten, is_marker, lua_str, parse
from .errors import LuauError, from_text, guard

__all__ = ["FRAME", "LuauError", "LuauHost", "ScriptRun", "is_nan"]

RUNTIME_DIR = Path(__file__).parent / "luau"
CORE_RUNTIME = ("base", "datatypes", "convert", "scheduler", "instance", "runner")
FRAME = 1.0 / 60.0


def _drop_quietly(holder: list) -> None:
    """Drop the VM in `holder` with stdout silenced at the fd level (pluau prints "Lua VM is being closed")."""
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError, AttributeError):
        holder.clear()
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        holder.clear()
        gc.collect()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


class ScriptRun:
    """A script started with `exec`: finished synchronously or still running in a scheduler thread."""

    def __init__(self, host: "LuauHost", run_id: int | None, results: tuple = (), error: LuauError | None = None):
        self._host = host
        self._id = run_id
        self._results = results
        self._error = error
        self._done = run_id is None

    def _poll(self) -> None:
        if self._done:
            return
        try:
            res = self._host._rt_runStatus(self._id)
        except RuntimeError as exc:
            self._done = True
            self._error = from_text(str(exc))
            return
        if is_marker(res[0], YIELDED):
            return
        self._done = True
        if is_marker(res[0], Tag.FAILED):
            self._error = from_text(str(res[1]))
        else:
            self._results = tuple(parse(res))

    @property
    def done(self) -> bool:
        """True once the script returned or failed."""
        self._poll()
        return self._done

    @property
    def ok(self) -> bool:
        """True once the script returned without error."""
        return self.done and self._error is None

    @property
    def error(self) -> LuauError | None:
        self._poll()
        return self._error

    @property
    def results(self) -> tuple:
        """The converted return values (raises LuauError if the script failed, RuntimeError if still running)."""
        self._poll()
        if self._error is not None:
            raise self._error
        if not self._done:
            raise RuntimeError("script is still running (it yielded); step the scheduler first")
        return self._results

    @property
    def result(self) -> Any:
        """The first return value (or None)."""
        res = self.results
        return res[0] if res else None

    def cancel(self) -> None:
        if not self._done:
            self._host._rt.get("cancelRun")(self._id)
            self._done = True
            self._error = LuauError("cancelled")


def _shape(values: list, nresults: int | None) -> Any:
    if nresults is None:
        if not values:
            return None
        return values[0] if len(values) == 1 else tuple(values)
    values = (values + [None] * nresults)[:nresults]
    return values[0] if nresults == 1 else tuple(values)


_LIVE: "weakref.WeakSet[LuauHost]" = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    for host in list(_LIVE):
        host.close()


class LuauHost:
    """One Luau VM with a Roblox-like DataModel.

    `mount()` Rojo folders into the tree, `require()` modules, `call()` Luau functions with Python values,
    `exec()`/`eval()` snippets, `step()` the scheduler. `print`/`warn` go to `output`; errors in scheduler
    threads go to `errors`.
    """

    def __init__(self, *, name: str = "host", echo: bool = False, extra_runtime: Iterable[str] = (), setup: Callable[["LuauHost", Any], None] | None = None):
        self.name = name
        self.echo = echo
        self.output: list[str] = []
        self.errors: list[str] = []
        self.time = 0.0
        self._closed = False
        lua = pluau.Lua()
        self.lua = lua
        me = weakref.ref(self)

        def out(_lua, args):
            host = me()
            if host is not None:
                host._emit(str(args[0]), lua_str(args[1]))

        def report(_lua, args):
            host = me()
            if host is not None:
                host._report(str(args[0]), str(args[1]) if len(args) > 1 and args[1] is not None else "")

        def compile_chunk(_lua, args):
            source, chunkname, env = args[0], str(args[1]), args[2]
            try:
                return [_lua.load_chunk(source, name="@" + chunkname, env=env)]
            except RuntimeError as exc:
                return [None, str(exc)]

        rt = lua.create_table()
        rt.set("G", lua.globals())
        rt.set("KIND", lua.create_table())
        parents = lua.create_table()
        for child, parent in CLASS_PARENTS.items():
            if parent is not None:
                parents.set(child, parent)
        rt.set("classParents", parents)
        rt.set("out", lua.create_function(out))
        rt.set("reportError", lua.create_function(report))
        rt.set("compile", lua.create_function(compile_chunk))
        self._rt = rt
        if setup is not None:
            setup(self, rt)
        for unit in (*CORE_RUNTIME, *extra_runtime):
            self._load_runtime(unit)
        self._rt_decode = rt.get("decode")
        self._rt_encode = rt.get("encode")
        self._rt_invoke = rt.get("invoke")
        self._rt_runScript = rt.get("runScript")
        self._rt_runStatus = rt.get("runStatus")
        self._rt_step = rt.get("step")
        self._console_env = rt.get("scriptEnv")(None)[0]
        _LIVE.add(self)

    # ------------------------------------------------------------------ lifecycle
    def _load_runtime(self, unit: str) -> None:
        path = RUNTIME_DIR / f"{unit}.luau"
        try:
            self.lua.load_chunk(path.read_text(encoding="utf-8"), name=f"@luaugen/sim/{unit}")(self._rt)
        except RuntimeError as exc:
            raise from_text(str(exc)) from None

    def close(self) -> None:
        """Free the VM (quietly). Handles to its values stop working."""
        if self._closed:
            return
        self._closed = True
        holder = [self.__dict__.pop("lua", None)]
        for key in [k for k in self.__dict__ if k.startswith("_rt") or k == "_console_env"]:
            self.__dict__.pop(key)
        _drop_quietly(holder)

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def __enter__(self) -> "LuauHost":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ output
    def _emit(self, kind: str, text: str | bytes) -> None:
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        lines = text.split("\n")
        if kind == "warn":
            lines = ["[warn] " + line for line in lines]
        self.output.extend(lines)
        if self.echo:
            for line in lines:
                print(f"[{self.name}] {line}")

    def _report(self, message: str, trace: str) -> None:
        text = message if not trace or trace in message else f"{message}\n{trace}"
        self.errors.append(text)
        self.output.extend("[error] " + line for line in message.split("\n"))
        if self.echo:
            print(f"[{self.name}] error: {text}")

    # ------------------------------------------------------------------ tree and modules
    @property
    def game(self) -> Any:
        return self._rt.get("game")

    @guard
    def find(self, path: str) -> Any:
        """The Instance at "Service/A/B" (a pluau Table) or None."""
        return self._rt.get("resolvePath")(path.strip("/"))[0]

    def _ensure(self, path: str) -> Any:
        return self._rt.get("ensurePath")(path.strip("/"))[0]

    @guard
    def add_module(self, path: str, source: str, chunkname: str | None = None) -> Any:
        """Create (or replace) ModuleScript `path` ("ReplicatedStorage/Lib/Util") with `source`."""
        parent_path, _, name = path.strip("/").rpartition("/")
        if not parent_path:
            raise ValueError(f"module path needs a service and a name: {path!r}")
        parent = self._ensure(parent_path)
        return self._rt.get("addModule")(parent, name, source, chunkname or path.replace("/", "."))[0]

    @guard
    def mount(self, path: str, folder: Path | str) -> Any:
        """Mount a Rojo-style folder (or one .luau file) at `path`; returns the created Instance."""
        folder = Path(folder)
        parent_path, _, name = path.strip("/").rpartition("/")
        if not parent_path:
            raise ValueError(f"mount path needs a service and a name: {path!r}")
        if not folder.exists():
            raise FileNotFoundError(folder)
        parent = self._ensure(parent_path)
        return self._mount(parent, name, folder, path.strip("/").replace("/", "."))

    def _mount(self, parent: Any, name: str, folder: Path, chunk: str) -> Any:
        add_module = self._rt.get("addModule")
        if folder.is_file():
            return add_module(parent, name, folder.read_text(encoding="utf-8"), chunk)[0]
        init = next((folder / n for n in ("init.luau", "init.lua") if (folder / n).is_file()), None)
        if init is not None:
            inst = add_module(parent, name, init.read_text(encoding="utf-8"), chunk)[0]
        else:
            inst = self._rt.get("ensureChild")(parent, name, "Folder")[0]
        for entry in sorted(folder.iterdir()):
            if entry.is_dir():
                self._mount(inst, entry.name, entry, f"{chunk}.{entry.name}")
            elif entry.suffix in (".luau", ".lua") and entry.stem not in ("init",):
                stem = entry.stem
                if stem.endswith((".server", ".client")) or stem.startswith("init."):
                    continue
                add_module(inst, stem, entry.read_text(encoding="utf-8"), f"{chunk}.{stem}")
        return inst

    @guard
    def require(self, path: str) -> Any:
        """require() the ModuleScript at "Service/A/B" and return its value unconverted (e.g. a pluau Table)."""
        res = self._rt.get("requirePath")(path.strip("/"))
        if not res[0]:
            raise from_text(str(res[1]))
        return res[1]

    # ------------------------------------------------------------------ conversion
    @guard
    def to_luau(self, value: Any) -> Any:
        """Python value -> Luau value (see module doc for the mapping)."""
        toks: list = [1]
        flatten(self.lua, value, toks)
        return self._rt_decode(*toks)[0]

    @guard
    def to_python(self, value: Any) -> Any:
        """Luau value -> Python: tables become list (keys exactly 1..n) or dict, datatypes become luaugen.sim.values."""
        return parse(self._rt_encode(value))[0]

    # ------------------------------------------------------------------ running code
    @guard
    def call(self, fn: Any, *args: Any, nresults: int | None = None) -> Any:
        """Call a Luau function synchronously with converted args.

        Returns None for no results, the value for one, a tuple for several; with `nresults=k` always k values
        (a single value when k == 1), padded with None.
        """
        toks: list = [len(args)]
        for a in args:
            flatten(self.lua, a, toks)
        res = self._rt_invoke(fn, *toks)
        if is_marker(res[0], Tag.FAILED):
            raise from_text(str(res[1]))
        return _shape(parse(res), nresults)

    def compile(self, source: str, name: str = "exec") -> Any:
        """Compile a chunk in the shared console environment (globals persist between exec/eval calls)."""
        try:
            return self.lua.load_chunk(source, name="=" + name, env=self._console_env)
        except RuntimeError as exc:
            raise from_text(str(exc)) from None

    @guard
    def exec(self, source: str, name: str = "exec") -> ScriptRun:
        """Run a chunk in a new scheduler thread; it may yield (task.wait, :Wait, WaitForChild).

        Errors before the first yield raise LuauError; later ones land in `errors` and in the ScriptRun.
        """
        res = self._rt_runScript(self.compile(source, name))
        head = res[0]
        if is_marker(head, Tag.FAILED):
            raise from_text(str(res[1]))
        if is_marker(head, YIELDED):
            return ScriptRun(self, res[1])
        return ScriptRun(self, None, tuple(parse(res)))

    @guard
    def eval(self, source: str, name: str = "eval", nresults: int | None = None) -> Any:
        """Run a chunk that must not yield and return its converted results (shaped as in `call`).

        A bare expression ("1 + 2") is accepted as well as statements ending in `return`.
        """
        try:
            fn = self.lua.load_chunk("return " + source, name="=" + name, env=self._console_env)
        except RuntimeError:
            fn = self.compile(source, name)
        res = self._rt_runScript(fn)
        head = res[0]
        if is_marker(head, Tag.FAILED):
            raise from_text(str(res[1]))
        if is_marker(head, YIELDED):
            self._rt.get("cancelRun")(res[1])
            raise LuauError("eval: the script yielded; use exec() and step the scheduler")
        return _shape(parse(res), nresults)

    @guard
    def step(self, dt: float = FRAME, server_time: float | None = None) -> None:
        """Advance the virtual clock by dt and run due threads (timers, deferred threads, frame callbacks)."""
        self.time += dt
        self._rt_step(dt, self.time if server_time is None else server_time)

    def run_for(self, seconds: float, dt: float = FRAME) -> None:
        """Step whole frames until `seconds` of virtual time have passed."""
        for _ in range(max(0, round(seconds / dt))):
            self.step(dt)


def is_nan(x: Any) -> bool:
    return isinstance(x, float) and math.isnan(x)
