"""Recorded payloads as the Python mirror sees them: "$type" tags become the mirror's datatypes and wire forms
(maps with integer keys travel as `[keys, values]`, Runtime/Wire.luau) are rebuilt from the schema's types."""

from __future__ import annotations

import importlib
import importlib.util
import itertools
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

INVALID = False  # what Wire.luau decodes a malformed wire value to: every table validator rejects it
_LOADS = itertools.count(1)
_NUMBERS = {"nan": float("nan"), "inf": float("inf"), "-inf": float("-inf")}


def load_mirror(files: dict[str, str], python_out: str, package: str) -> ModuleType:
    """Import the Python mirror from compiled `files` (the current schemas, not the last build on disk) under a
    fresh module name, with its `roblox` and `validators` modules loaded."""
    prefix = f"{python_out}/{package}/"
    name = f"_luaugen_replay_mirror_{next(_LOADS)}"
    with tempfile.TemporaryDirectory(prefix="luaugen-mirror-") as tmp:
        folder = Path(tmp) / package
        folder.mkdir()
        for path, text in files.items():
            if path.startswith(prefix) and path.endswith(".py"):
                (folder / path[len(prefix):]).write_text(text, encoding="utf-8")
        spec = importlib.util.spec_from_file_location(name, folder / "__init__.py",
                                                      submodule_search_locations=[str(folder)])
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        module.roblox = importlib.import_module(f"{name}.roblox")
        module.validators = importlib.import_module(f"{name}.validators")
    return module


def untag(value: Any, roblox: ModuleType, depth: int = 0) -> Any:
    """Replace Replay.luau's "$type" objects with mirror datatypes (instances keep their path as the name)."""
    if depth > 64:
        return value
    if isinstance(value, list):
        return [untag(v, roblox, depth + 1) for v in value]
    if not isinstance(value, dict):
        return value
    tag = value.get("$type")
    try:
        if tag in ("Vector3", "Vector2", "Color3"):
            return getattr(roblox, tag)(**{k: v for k, v in value.items() if k != "$type"})
        if tag == "CFrame":
            return roblox.CFrame(*value["components"])
        if tag == "Instance":
            return {"$instance": "/".join(map(str, value["path"]))}  # the class is settled by the schema
        if tag == "number":
            return _NUMBERS[value["value"]]
    except (TypeError, KeyError):
        return INVALID
    if tag == "table":
        value = value.get("value", {})
    return {k: untag(v, roblox, depth + 1) for k, v in value.items()}


def decode(value: Any, type_json: dict, roblox: ModuleType) -> Any:
    """A recorded wire payload (already untagged) as the payload the schema describes."""
    kind = type_json["kind"]
    if kind == "instance" and isinstance(value, dict) and "$instance" in value:
        # a dump records an instance by path only; it is taken to be of the class the schema asks for
        return roblox.Instance(type_json["class"], value["$instance"].rsplit("/", 1)[-1])
    if kind == "struct" and isinstance(value, dict):
        return _fields(value, type_json["fields"], roblox)
    if kind == "union" and isinstance(value, dict):
        variant = next((v for v in type_json["variants"] if v["name"] == value.get(type_json["tag"])), None)
        return _fields(value, variant["fields"], roblox) if variant else value
    if kind == "array" and isinstance(value, list):
        return [decode(v, type_json["items"], roblox) for v in value]
    if kind == "map":
        if type_json["key"]["kind"] == "integer":
            return _int_map(value, type_json["value"], roblox)
        if isinstance(value, dict):
            return {k: decode(v, type_json["value"], roblox) for k, v in value.items()}
    return value


def _fields(value: dict, fields: list[dict], roblox: ModuleType) -> dict:
    out = dict(value)
    for field in fields:
        if field["name"] in out:
            out[field["name"]] = decode(out[field["name"]], field["type"], roblox)
    return out


def _int_map(wire: Any, value_type: dict, roblox: ModuleType) -> Any:
    if not isinstance(wire, list) or len(wire) != 2 or not all(isinstance(x, list) for x in wire):
        return INVALID
    keys, values = wire
    if len(keys) != len(values) or len(set(map(repr, keys))) != len(keys):
        return INVALID
    if not all(isinstance(k, (int, float)) and not isinstance(k, bool) and k == k for k in keys):
        return INVALID
    return {k: decode(v, value_type, roblox) for k, v in zip(keys, values)}
