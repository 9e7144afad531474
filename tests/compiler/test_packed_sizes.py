"""Compile-time packed sizes in the manifest: exact bounds from the declared widths (docs/wire.md)."""

from __future__ import annotations

import json

from ..conformance.projects import REPO


def _sizes() -> dict[str, dict]:
    manifest = json.loads((REPO / "generated" / "manifest.json").read_text(encoding="utf-8"))
    return {f"{c['name']}.{m['name']}": m["packed_size"] for c in manifest["channels"] for m in c["messages"]}


def test_fixed_fields_and_an_optional_one():
    # header (animationId?) + u32 + 2 x vector3 (3 f32 each) + i16, and i32 when present
    assert _sizes()["EntityInfo.EntityMoved"] == {"payload": {"min": 31, "max": 35}, "reply": None}


def test_arrays_strings_and_bitpacked_booleans():
    # header (critical) + u32 + u32 + f64 + vector3 + u8 count, then up to 8 x (u8 length + 48 bytes + f32)
    assert _sizes()["Skills.SkillHit"] == {"payload": {"min": 30, "max": 30 + 8 * (1 + 48 + 4)}, "reply": None}
    # reply: header (accepted, castId?, reason?) + u32 + u8 enum index
    assert _sizes()["Skills.CastSkill"]["reply"] == {"min": 1, "max": 6}


def test_an_enum_keyed_map_is_bounded_by_its_values_and_an_empty_payload_is_empty():
    # u16 + map of StatName (5 values) to u16 + map of up to 32 (string of 32, i16)
    assert _sizes()["Attributes.AttributesUpdated"]["payload"] == {"min": 4, "max": 2 + 1 + 5 * 3 + 1 + 32 * 35}
    assert _sizes()["Stats.RequestStats"]["payload"] == {"min": 0, "max": 0}
