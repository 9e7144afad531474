"""`make bench`, validators: the generated Skills.CastSkill validator against a hand-written one, side by side.

Luau runs in a bare, sandboxed pluau VM (`lua.sandbox(True)`: globals read-only, safeenv on), so builtin fast paths
(`type`, `typeof`, `getmetatable`, `utf8.len`, …) are on as in Roblox; the simulator's environment, which wraps
`typeof` and friends in Luau, would measure itself instead. Vector3 and Vector2 are userdata with a `__type`, so
`typeof` answers natively. Python compares the mirror with a hand-written function, fastjsonschema and jsonschema on
an equivalent JSON Schema. Every implementation must give the same answer on every payload before it is timed.
"""

from __future__ import annotations

import time
from importlib import resources
from pathlib import Path

import pluau

from .sim.host import _drop_quietly

# Installs `require` and `script` the way Roblox resolves them: `script` is the module being loaded (imports are
# resolved when a chunk loads, so each chunk sees its own), `require(node)` loads a node once.
LOADER = """
local compile = ...
local loaded = {}
require = function(node)
	local done = loaded[node]
	if done == nil then
		local outer = script
		script = node
		local chunk = compile(node)
		done = { chunk() }
		script = outer
		loaded[node] = done
	end
	return done[1]
end
"""

DATATYPES = """
local components = setmetatable({}, { __mode = "k" })
local function kind(name)
	return { __type = name, __index = function(self, key) return components[self][key] end, __metatable = "locked" }
end
local function set(value, fields)
	components[value] = fields
	return value
end
return kind("Vector3"), kind("Vector2"), set
"""

TIMER = """
return function(validate, payload, n)
	local start = os.clock()
	for _ = 1, n do
		validate(payload)
	end
	return os.clock() - start
end
"""

# Payloads, built in Luau from the datatypes: valid, wrong type deep inside, and unexpected field at the top.
PAYLOADS = """
local V3, V2 = ...
return {
	valid = { skillId = "Fireball", target = { kind = "point", position = V3 }, aim = V2, comboStep = 2,
		modifiers = { "Empowered", "Quick" } },
	wrongType = { skillId = "Fireball", target = { kind = "entity", entityId = 7 }, comboStep = 2,
		modifiers = { "Empowered", 5 } },
	unknownField = { skillId = "Fireball", target = { kind = "self" }, modifiers = {}, mana = 10 },
}
"""


class SandboxedLuau:
    """A sandboxed VM with a Rojo-style module tree of `folder` mounted as `root_name`."""

    def __init__(self, folder: Path, root_name: str = "Networking"):
        self.lua = pluau.Lua()
        self.lua.sandbox(True)
        self._sources: dict[str, str] = {}
        self.root = self._mount(folder, root_name, None, root_name)

        def compile_node(_lua, args):
            path = str(args[0].get("__path"))
            return [self.lua.load_chunk(self._sources[path], name=path)]

        self.lua.load_chunk(LOADER, name="loader")(self.lua.create_function(compile_node))
        v3_meta, v2_meta, setter = self.lua.load_chunk(DATATYPES, name="datatypes")()
        v3 = setter(self.lua.create_userdata(None, v3_meta), self._table({"X": 1.0, "Y": 2.0, "Z": 3.0}))[0]
        v2 = setter(self.lua.create_userdata(None, v2_meta), self._table({"X": 0.5, "Y": 0.25}))[0]
        self.payloads = self.lua.load_chunk(PAYLOADS, name="payloads")(v3, v2)[0]
        self.timer = self.lua.load_chunk(TIMER, name="timer")()[0]

    def _table(self, values: dict):
        table = self.lua.create_table()
        for key, value in values.items():
            table.set(key, value)
        return table

    def _mount(self, folder: Path, name: str, parent, path: str):
        node = self._table({"Name": name, "__path": path})
        if parent is not None:
            node.set("Parent", parent)
            parent.set(name, node)
        init = folder / "init.luau"
        if init.is_file():
            self._sources[path] = init.read_text(encoding="utf-8")
        for entry in sorted(folder.iterdir()):
            if entry.is_dir():
                self._mount(entry, entry.name, node, f"{path}/{entry.name}")
            elif entry.suffix == ".luau" and entry.stem != "init":
                child = self._table({"Name": entry.stem, "__path": f"{path}/{entry.stem}", "Parent": node})
                node.set(entry.stem, child)
                self._sources[f"{path}/{entry.stem}"] = entry.read_text(encoding="utf-8")
        return node

    def require(self, *names: str):
        node = self.root
        for name in names:
            node = node.get(name)
        return self.lua.globals().get("require")(node)[0]

    def load(self, source: str, name: str, *args):
        return self.lua.load_chunk(source, name=name)(*args)[0]

    def close(self) -> None:
        holder = [self.__dict__.pop("lua")]
        self.payloads = self.timer = self.root = None
        _drop_quietly(holder)  # pluau prints "Lua VM is being closed" when a VM is dropped


def _ratio_rows(timings: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """{payload: {implementation: seconds}} -> {payload: {implementation: hand-written seconds / its seconds}}."""
    return {payload: {impl: times["hand-written"] / t for impl, t in times.items()} for payload, times in timings.items()}


def bench_luau(server_half: Path, iterations: int = 200_000, repeat: int = 5) -> dict:
    vm = SandboxedLuau(server_half, root_name=server_half.name)
    generated = vm.require("Validators").get("Skills").get("CastSkill")
    handwritten = vm.load(resources.files(__package__).joinpath("benchdata/cast_skill.luau").read_text("utf-8"),
                          "handwritten")(vm.require("Checks"))[0]
    results: dict[str, dict[str, float]] = {}
    for kind in ("valid", "wrongType", "unknownField"):
        payload = vm.payloads.get(kind)
        answers = {name: [str(x) if x is not None else None for x in fn(payload)]
                   for name, fn in (("generated", generated), ("hand-written", handwritten))}
        if answers["generated"] != answers["hand-written"]:
            raise AssertionError(f"Luau {kind}: generated {answers['generated']} != hand-written {answers['hand-written']}")
        best = {"generated": float("inf"), "hand-written": float("inf")}
        for _ in range(repeat):  # interleaved, best of
            for name, fn in (("generated", generated), ("hand-written", handwritten)):
                best[name] = min(best[name], vm.timer(fn, payload, iterations)[0])
        results[kind] = best
    vm.close()
    return {"iterations": iterations, "seconds": results, "ratios": _ratio_rows(results)}


SKILL_ID = {"type": "string", "minLength": 1, "maxLength": 48}
CAST_SKILL_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["skillId", "target", "modifiers"],
    "properties": {
        "skillId": SKILL_ID,
        "target": {"oneOf": [
            {"type": "object", "additionalProperties": False, "required": ["kind", "position"],
             "properties": {"kind": {"const": "point"}, "position": {"type": "object"}}},
            {"type": "object", "additionalProperties": False, "required": ["kind", "entityId"],
             "properties": {"kind": {"const": "entity"},
                            "entityId": {"type": "integer", "minimum": 1, "maximum": 4294967295}}},
            {"type": "object", "additionalProperties": False, "required": ["kind"],
             "properties": {"kind": {"const": "self"}}},
        ]},
        "aim": {"type": "object"},
        "comboStep": {"type": "integer", "minimum": 0, "maximum": 5},
        "modifiers": {"type": "array", "maxItems": 4, "items": SKILL_ID},
    },
}

# JSON-shaped payloads (no Roblox datatypes), so the JSON Schema validators can take them too.
PY_PAYLOADS = {
    "valid": {"skillId": "Fireball", "target": {"kind": "entity", "entityId": 42}, "comboStep": 2,
              "modifiers": ["Empowered", "Quick"]},
    "wrongType": {"skillId": "Fireball", "target": {"kind": "entity", "entityId": 7}, "comboStep": 2,
                  "modifiers": ["Empowered", 5]},
    "unknownField": {"skillId": "Fireball", "target": {"kind": "self"}, "modifiers": [], "mana": 10},
}


def _python_implementations(validators_module) -> dict:
    import fastjsonschema
    import jsonschema

    from .benchdata.cast_skill import make

    compiled = fastjsonschema.compile(CAST_SKILL_SCHEMA)
    detailed = jsonschema.Draft202012Validator(CAST_SKILL_SCHEMA)

    def fast(payload):
        try:
            compiled(payload)
        except fastjsonschema.JsonSchemaValueException as exc:
            return False, exc.message
        return True, None

    def slow(payload):
        error = next(detailed.iter_errors(payload), None)
        return (True, None) if error is None else (False, error.message)

    return {"generated": validators_module.VALIDATORS["Skills"]["CastSkill"], "hand-written": make(validators_module),
            "fastjsonschema": fast, "jsonschema": slow}


def bench_python(validators_module, iterations: int = 20_000, repeat: int = 5) -> dict:
    implementations = _python_implementations(validators_module)
    results: dict[str, dict[str, float]] = {}
    for kind, payload in PY_PAYLOADS.items():
        answers = {name: fn(payload) for name, fn in implementations.items()}
        if answers["generated"] != answers["hand-written"]:
            raise AssertionError(f"Python {kind}: generated {answers['generated']} != {answers['hand-written']}")
        if len({ok for ok, _ in answers.values()}) != 1:
            raise AssertionError(f"Python {kind}: implementations disagree on validity: {answers}")
        best = dict.fromkeys(implementations, float("inf"))
        for _ in range(repeat):
            for name, fn in implementations.items():
                n = iterations // 20 if name == "jsonschema" else iterations
                started = time.perf_counter()
                for _ in range(n):
                    fn(payload)
                best[name] = min(best[name], (time.perf_counter() - started) * iterations / n)
        results[kind] = best
    return {"iterations": iterations, "seconds": results, "ratios": _ratio_rows(results)}
