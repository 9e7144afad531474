"""Stable names: adding one field to one message changes only that message's lines in every generated file (plus the
schema hash, and the manifest's record of that message)."""

from __future__ import annotations

import difflib
import json
import re

from .build import compile_synthetic

SCHEMA = "schemas/synth0001.yaml"
MESSAGE_START = "  Do5:\n    payload:\n      id: SynthId\n"
NEW_FIELD = "      note: { type: string, max_length: 40, optional: true }\n"

# Per generated file: the line that opens each block, and the block names the edited message owns.
BLOCKS = {
    "generated/luau/NetworkingServer/Validators/Synth1.luau": (r"^-- (Synth1\.\w+)$", {"Synth1.Do5"}),
    "generated/luau/Networking/Types.luau": (r"^export type (\w+)", {"Synth1Do5"}),
    "generated/python/sdc_net/validators.py": (r"^(?:def (_(?:check|validate)_\w+)|(_[A-Z0-9_]+) = )",
                                               {"_validate_synth1_do5", "_SYNTH1_DO5_FIELDS"}),
    "generated/python/sdc_net/types.py": (r"^class (\w+)", {"Synth1Do5"}),
    "generated/luau/Networking/Packed/Synth1.luau": (r"^Packed\.(?:payloads|replies)\.(\w+) = ", {"Do5"}),
    "generated/python/sdc_net/codec.py": (r'^        "(\w+)": ', {"Do5"}),  # an entry of PAYLOADS[channel]
}
HASH_LINES = {
    "generated/luau/Networking/Registry.luau": r'^\tschemaHash = "[0-9a-f]{64}",$',
    "generated/luau/NetworkingServer/init.luau": r'^\tschemaHash = "[0-9a-f]{64}",$',  # the halves must match
    "generated/python/sdc_net/registry.py": r'^SCHEMA_HASH = "[0-9a-f]{64}"$',
}


def _add_field(sources: dict[str, str]) -> dict[str, str]:
    assert sources[SCHEMA].count(MESSAGE_START) == 1
    return dict(sources, **{SCHEMA: sources[SCHEMA].replace(MESSAGE_START, MESSAGE_START + NEW_FIELD)})


def _owners(lines: list[str], changed: list[int], header: str) -> set[str]:
    """The block each changed line (0-based index) belongs to: the nearest block header at or above it."""
    owners = set()
    for index in changed:
        for line in reversed(lines[:index + 1]):
            found = re.match(header, line)
            if found:
                owners.add(next(g for g in found.groups() if g))
                break
        else:
            owners.add("<before any block>")
    return owners


def _changed(old: str, new: str) -> tuple[list[str], list[str], list[int], list[int]]:
    a, b = old.splitlines(), new.splitlines()
    removed, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += range(i1, i2)
            added += range(j1, j2)
    return a, b, removed, added


def test_adding_one_field_changes_only_that_message(tmp_path):
    before = compile_synthetic(60, tmp_path)
    after = compile_synthetic(60, tmp_path, edit=_add_field)
    assert set(before) == set(after)
    changed = {path for path in before if before[path] != after[path]}
    assert changed == {*BLOCKS, *HASH_LINES, "generated/manifest.json"}

    for path, (header, owned) in BLOCKS.items():
        a, b, removed, added = _changed(before[path], after[path])
        assert added, path
        assert _owners(a, removed, header) | _owners(b, added, header) <= owned, path
    for path, pattern in HASH_LINES.items():
        a, b, removed, added = _changed(before[path], after[path])
        assert [a[i] for i in removed] != [b[i] for i in added]
        assert len(removed) == len(added) == 1 and re.match(pattern, a[removed[0]]) and re.match(pattern, b[added[0]])

    old, new = json.loads(before["generated/manifest.json"]), json.loads(after["generated/manifest.json"])
    assert old["schema_hash"] != new["schema_hash"]
    for old_channel, new_channel in zip(old["channels"], new["channels"], strict=True):
        for m_old, m_new in zip(old_channel["messages"], new_channel["messages"], strict=True):
            if (new_channel["name"], m_new["name"]) == ("Synth1", "Do5"):
                assert m_old["hash"] != m_new["hash"]
                assert [f["name"] for f in m_new["payload"]["fields"]] == ["id", "note", "mode", "where", "aim", "frame"]
                continue
            # Messages declared below the new line in the same schema file moved down one line; nothing else.
            shift = 1 if new_channel["name"] == "Synth1" and int(m_new["name"][2:]) > 5 else 0
            assert m_new == dict(m_old, source=dict(m_old["source"], line=m_old["source"]["line"] + shift))
