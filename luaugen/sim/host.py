"""Offline Luau host: runs generated Luau on the real Luau VM (pluau) with a Roblox-like Instance tree.

The Roblox surface (datatypes, Instance tree, `require`, task scheduler, signals) is written in Luau
(`luaugen/sim/luau/*.luau`); Python only mounts files, converts values and steps the virtual clock.
Values cross the Python/Luau boundary as flat token streams so one conversion costs one VM call.
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
from . import values as V

RUNTIME_DIR = Path(__file__).parent / "luau"
CORE_RUNTIME = ("base", "datatypes", "convert", "scheduler", "instance", "runner")
FRAME = 1.0 / 60.0

_Vector = pluau.Vector
_String = pluau.String
_Table = pluau.Table
_M = [pluau.Vector(i, 0, 0) for i in range(13)]
_OPAQUE = (pluau.Table, pluau.Function, pluau.String, pluau.Thread, pluau.UserData, pluau.Buffer, pluau.LightUserData)
_MAX_SAFE = 2**63 - 1


_KINDS: dict[type, str] = {}
_DATATYPES = ("Vector3", "Vector2", "Color3", "CFrame", "Instance")


def _classify(t: type) -> str:
    """How to convert values of Python type t (datatypes are duck-typed by class name)."""
    from collections.abc import Mapping, Sequence

    if t.__name__ in _DATATYPES:
        kind = t.__name__
    elif issubclass(t, (bytes, bytearray)):
        kind = "bytes"
    elif t is _Vector:
        kind = "vector"
    elif issubclass(t, _OPAQUE):
        kind = "opaque"
    elif issubclass(t, bool):
        kind = "bool"
    elif issubclass(t, int):
        kind = "int"
    elif issubclass(t, float):
        kind = "float"
    elif issubclass(t, str):
        kind = "str"
    elif issubclass(t, Mapping):
        kind = "dict"
    elif issubclass(t, Sequence):
        kind = "list"
    else:
        kind = "unsupported"
    _KINDS[t] = kind
    return kind


class LuauError(RuntimeError):
    """An error raised by Luau code (compile or runtime); `message` is the Luau message, `traceback` the stack."""

    def __init__(self, message: str, traceback: str = ""):
        super().__init__(message)
        self.message = message
        self.traceback = traceback


def _split_trace(text: str) -> tuple[str, str]:
    head, _, tail = text.partition("\nstack traceback:")
    if head.startswith("runtime error: "):
        head = head[len("runtime error: ") :]
    return head, tail.strip()


def _guard(fn):
    """Turn pluau's RuntimeError (a Luau error escaping a call from Python) into LuauError."""

    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except RuntimeError as exc:
            if isinstance(exc, LuauError):
                raise
            raise LuauError(*_split_trace(str(exc))) from None

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    wrapper.__wrapped__ = fn
    return wrapper


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


def _lua_str(x: Any) -> str | bytes:
    raw = x.as_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw


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
            self._error = LuauError(*_split_trace(str(exc)))
            return
        if type(res[0]) is _Vector and res[0].x == 1:
            return
        self._done = True
        if type(res[0]) is _Vector and res[0].x == 0:
            self._error = LuauError(*_split_trace(str(res[1])))
        else:
            self._results = tuple(self._host._parse(res))

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
                host._emit(str(args[0]), _lua_str(args[1]))

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
            raise LuauError(*_split_trace(str(exc))) from None

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

    @_guard
    def find(self, path: str) -> Any:
        """The Instance at "Service/A/B" (a pluau Table) or None."""
        return self._rt.get("resolvePath")(path.strip("/"))[0]

    def _ensure(self, path: str) -> Any:
        return self._rt.get("ensurePath")(path.strip("/"))[0]

    @_guard
    def add_module(self, path: str, source: str, chunkname: str | None = None) -> Any:
        """Create (or replace) ModuleScript `path` ("ReplicatedStorage/Lib/Util") with `source`."""
        parent_path, _, name = path.strip("/").rpartition("/")
        if not parent_path:
            raise ValueError(f"module path needs a service and a name: {path!r}")
        parent = self._ensure(parent_path)
        return self._rt.get("addModule")(parent, name, source, chunkname or path.replace("/", "."))[0]

    @_guard
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

    @_guard
    def require(self, path: str) -> Any:
        """require() the ModuleScript at "Service/A/B" and return its value unconverted (e.g. a pluau Table)."""
        res = self._rt.get("requirePath")(path.strip("/"))
        if not res[0]:
            raise LuauError(*_split_trace(str(res[1])))
        return res[1]

    # ------------------------------------------------------------------ conversion
    @_guard
    def to_luau(self, value: Any) -> Any:
        """Python value -> Luau value (see module doc for the mapping)."""
        toks: list = [1]
        self._flatten(value, toks, 0)
        return self._rt_decode(*toks)[0]

    @_guard
    def to_python(self, value: Any) -> Any:
        """Luau value -> Python: tables become list (keys exactly 1..n) or dict, datatypes become luaugen.sim.values."""
        return self._parse(self._rt_encode(value))[0]

    def _flatten(self, v: Any, out: list, depth: int) -> None:
        t = type(v)
        if t is str or t is float or t is bool or v is None:
            out.append(v)
        elif t is int:
            out.append(v if -_MAX_SAFE <= v <= _MAX_SAFE else float(v))
        elif t is dict:
            if depth > 200:
                raise ValueError("value is nested too deeply (or cyclic) to convert to Luau")
            out.append(_M[2])
            out.append(len(v))
            flat = self._flatten
            for k, x in v.items():
                flat(k, out, depth + 1)
                flat(x, out, depth + 1)
        elif t is list or t is tuple:
            if depth > 200:
                raise ValueError("value is nested too deeply (or cyclic) to convert to Luau")
            out.append(_M[1])
            out.append(len(v))
            flat = self._flatten
            for x in v:
                flat(x, out, depth + 1)
        else:
            kind = _KINDS.get(t)
            if kind is None:
                kind = _classify(t)
            if kind == "Vector3":
                out.extend((_M[4], float(v.x), float(v.y), float(v.z)))
            elif kind == "Vector2":
                out.extend((_M[3], float(v.x), float(v.y)))
            elif kind == "Color3":
                out.extend((_M[6], float(v.r), float(v.g), float(v.b)))
            elif kind == "CFrame":
                out.append(_M[5])
                out.extend(float(getattr(v, f)) for f in V.CFRAME_FIELDS)
            elif kind == "Instance":
                out.extend((_M[7], str(v.class_name), str(getattr(v, "name", "") or v.class_name)))
            elif kind == "bytes":
                out.append(self.lua.create_string(bytes(v)))
            elif kind == "vector":
                out.append(_M[8])
                out.append(v)
            elif kind == "opaque":
                out.append(v)
            elif kind == "bool":
                out.append(bool(v))
            elif kind == "int":
                self._flatten(int(v), out, depth)
            elif kind == "float":
                out.append(float(v))
            elif kind == "str":
                out.append(str(v))
            elif kind == "dict":
                self._flatten(dict(v), out, depth)
            elif kind == "list":
                self._flatten(list(v), out, depth)
            else:
                raise TypeError(f"cannot convert {t.__name__} to a Luau value")

    def _parse(self, toks: list) -> list:
        """Token stream from Luau (count, values...) -> list of Python values."""
        if toks and type(toks[0]) is _Vector and toks[0].x == 12:
            table, n = toks[1], toks[2]
            toks = [table.raw_get(i) for i in range(1, n + 1)]
        pos = 0

        def rd():
            nonlocal pos
            x = toks[pos]
            pos += 1
            tx = type(x)
            if tx is _String:
                return _lua_str(x)
            if tx is not _Vector:
                return x
            tag = int(x.x)
            if tag == 1:
                n = toks[pos]
                pos += 1
                return [rd() for _ in range(n)]
            if tag == 2:
                n = toks[pos]
                pos += 1
                d = {}
                for _ in range(n):
                    k = rd()
                    try:
                        d[k] = rd()
                    except TypeError:
                        raise LuauError(f"cannot convert a table key of type {type(k).__name__} to a Python dict key") from None
                return d
            if tag == 4:
                pos += 3
                return V.Vector3(*toks[pos - 3 : pos])
            if tag == 3:
                pos += 2
                return V.Vector2(*toks[pos - 2 : pos])
            if tag == 5:
                pos += 12
                return V.CFrame(*toks[pos - 12 : pos])
            if tag == 6:
                pos += 3
                return V.Color3(*toks[pos - 3 : pos])
            if tag == 7:
                pos += 2
                return V.Instance(_lua_str(toks[pos - 2]), _lua_str(toks[pos - 1]))
            if tag == 8:
                pos += 1
                return toks[pos - 1]
            raise LuauError(f"unexpected conversion token {tag}")

        count = toks[0]
        pos = 1
        try:
            return [rd() for _ in range(count)]
        except RuntimeError as exc:
            raise LuauError(str(exc)) from None

    # ------------------------------------------------------------------ running code
    @_guard
    def call(self, fn: Any, *args: Any, nresults: int | None = None) -> Any:
        """Call a Luau function synchronously with converted args.

        Returns None for no results, the value for one, a tuple for several; with `nresults=k` always k values
        (a single value when k == 1), padded with None.
        """
        toks: list = [len(args)]
        for a in args:
            self._flatten(a, toks, 0)
        res = self._rt_invoke(fn, *toks)
        if type(res[0]) is _Vector and res[0].x == 0:
            raise LuauError(*_split_trace(str(res[1])))
        return _shape(self._parse(res), nresults)

    def compile(self, source: str, name: str = "exec") -> Any:
        """Compile a chunk in the shared console environment (globals persist between exec/eval calls)."""
        try:
            return self.lua.load_chunk(source, name="=" + name, env=self._console_env)
        except RuntimeError as exc:
            raise LuauError(*_split_trace(str(exc))) from None

    @_guard
    def exec(self, source: str, name: str = "exec") -> ScriptRun:
        """Run a chunk in a new scheduler thread; it may yield (task.wait, :Wait, WaitForChild).

        Errors before the first yield raise LuauError; later ones land in `errors` and in the ScriptRun.
        """
        res = self._rt_runScript(self.compile(source, name))
        head = res[0]
        if type(head) is _Vector and head.x == 0:
            raise LuauError(*_split_trace(str(res[1])))
        if type(head) is _Vector and head.x == 1:
            return ScriptRun(self, res[1])
        return ScriptRun(self, None, tuple(self._parse(res)))

    @_guard
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
        if type(head) is _Vector and head.x == 0:
            raise LuauError(*_split_trace(str(res[1])))
        if type(head) is _Vector and head.x == 1:
            self._rt.get("cancelRun")(res[1])
            raise LuauError("eval: the script yielded; use exec() and step the scheduler")
        return _shape(self._parse(res), nresults)

    @_guard
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
