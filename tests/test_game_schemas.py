"""The game's schemas/ are the real contract: every type of the language appears in them at least once."""

from __future__ import annotations

import json
import re
from pathlib import Path

from luaugen.compiler import compile_project
from luaugen.config import load_config
from luaugen.project import read_sources

ROOT = Path(__file__).resolve().parents[1]


def _walk(t: dict, found: set[str]) -> None:
    kind = t["kind"]
    found.add(t.get("format", kind) if kind in ("number", "integer") else kind)
    if kind == "string" and t["min_length"] is not None and t["max_length"] is not None:
        found.add("string bounds")
    if kind == "array":
        _walk(t["items"], found)
    elif kind == "map":
        _walk(t["key"], found)
        _walk(t["value"], found)
    elif kind in ("struct", "union"):
        for fields in ([t["fields"]] if kind == "struct" else [v["fields"] for v in t["variants"]]):
            for f in fields:
                if f["optional"]:
                    found.add("optional")
                if f["type"]["kind"] == "struct":
                    found.add("nested struct")
                _walk(f["type"], found)


def test_every_type_appears_in_the_game_schemas():
    config = load_config(ROOT)
    sources, problems = read_sources(config)
    result = compile_project(config, sources, None)
    assert not problems and result.ok
    manifest = json.loads(result.files[config.manifest])
    found: set[str] = set()
    for channel in manifest["channels"]:
        for message in channel["messages"]:
            _walk(message["payload"], found)
            if message["reply"]:
                _walk(message["reply"], found)
    expected = {"bool", "string", "string bounds", "f32", "f64", "number", "i8", "i16", "i32", "u8", "u16", "u32",
                "vector2", "vector3", "cframe", "color3", "instance", "enum", "array", "map", "struct",
                "nested struct", "optional", "union"}
    assert expected <= found, sorted(expected - found)
    text = "\n".join(sources.values())
    assert "?\n" in text and "optional: true" in text, "both optional spellings are used"
    shared = [path for path, source in sources.items() if not re.search(r"^channel:", source, re.MULTILINE)]
    assert shared, "a shared types file exists"
    assert all("types:" in sources[path] for path in sources if path.endswith("skills.yaml"))
