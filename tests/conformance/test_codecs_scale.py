"""Luau's limits hold at any contract size: a channel with 300 messages and a message with 260 fields (many of
them optional or boolean: a 15-byte header) compile to codecs that load in the VM, agree with the mirror and
read back payloads the validators accept."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from luaugen.compiler import compile_project
from luaugen.config import Config
from luaugen.sim.examples import example_payload

from .codecs import Codecs
from .projects import _load

FIELD_TYPES = ["u8", "i16", "{ type: f32, min: 0, max: 1 }", "bool", "{ type: string, max_length: 8 }", "vector3",
               "{ type: enum, values: [A, B, C] }", "{ type: array, items: u16, max_items: 4 }"]
WIDE_FIELDS = 260
MESSAGES = 300


def _schema() -> str:
    lines = ["channel: Wide", "qos: NORMAL", "events:", "  Everything:", "    payload:"]
    for i in range(WIDE_FIELDS):
        optional = ", optional: true" if i % 3 == 0 else ""
        kind = FIELD_TYPES[i % len(FIELD_TYPES)]
        if not kind.startswith("{"):
            kind = f"{{ type: {kind} }}"
        lines.append(f"      field{i}: {kind[:-2]}{optional} }}")
    for m in range(MESSAGES):
        lines += [f"  Small{m}:", "    payload:", "      id: u32", "      flag: bool?"]
    return "\n".join(lines) + "\n"


def test_a_huge_channel_packs_the_same_bytes_in_luau_and_python(tmp_path: Path):
    config = replace(Config(root=tmp_path), python_package="wide_net")
    result = compile_project(config, {"schemas/wide.yaml": _schema()})
    assert result.ok, result.diagnostics
    for relative, text in result.files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    side = Codecs(_load("wide", tmp_path / "generated", "wide_net"))
    messages = side.project.manifest["channels"][0]["messages"]
    assert len(messages) == MESSAGES + 1
    rng = random.Random(5)
    for name in ("Everything", "Small0", f"Small{MESSAGES - 1}"):
        manifest_type = next(m for m in messages if m["name"] == name)["payload"]
        batch = [example_payload(manifest_type, rng) for _ in range(3)]
        python = [side.codec.encode(side.layout("Wide", name, False), p)[0] for p in batch]
        assert side.luau_encode("Wide", name, False, batch) == python
        assert side.luau_decode("Wide", name, False, python, batch) == [(True, "", b) for b in python]
    header = side.layout("Wide", "Everything", False)[2]
    assert header == (WIDE_FIELDS // 3 + 1 + WIDE_FIELDS // len(FIELD_TYPES) + 7) // 8  # presence + boolean bits
