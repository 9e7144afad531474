"""Hostile buffers: both decoders reject them with the same error at the same byte, never read past the end and
never allocate beyond what the bytes left can hold. A seeded corpus (random bytes, truncations, length bombs) for
every message, and hand-made buffers with their exact errors."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from .codecs import Codecs
from .projects import fixture_project, game_project
from .strategies import payload_strategies
from .test_validators_agree import _cases

VALID = 3  # valid payloads per message, each cut, bombed and scrambled
CUTS = 12  # truncations per payload
BOMBS = 12  # positions per payload overwritten with 0xFF bytes


@pytest.fixture(scope="module")
def codecs(tmp_path_factory):
    return {"schemas": Codecs(game_project()), "fixture": Codecs(fixture_project(tmp_path_factory.mktemp("fixture")))}


def _spread(length: int, count: int) -> list[int]:
    return sorted({length * i // count for i in range(count)}) if length else []


def corpus(blob: bytes, rng: random.Random) -> list[tuple[str, bytes]]:
    out = [("cut", blob[:n]) for n in _spread(len(blob), CUTS)]
    out.append(("trailing", blob + b"\x00"))
    for at in _spread(len(blob), BOMBS):
        out.append(("bomb", blob[:at] + b"\xff" + blob[at + 1:]))
        out.append(("bomb", blob[:at] + b"\xff\xff\xff\xff\x0f" + blob[at + 5:]))
    for _ in range(6):
        out.append(("random", rng.randbytes(rng.randrange(0, 48))))
    out.append(("random", blob[: len(blob) // 2] + rng.randbytes(len(blob))))
    return out


@pytest.mark.parametrize("project_name, channel, message, reply, type_", _cases())
def test_hostile_buffers_are_rejected_the_same_way(codecs, project_name, channel, message, reply, type_):
    side = codecs[project_name]
    payloads, _ = payload_strategies(side.project.mirror.roblox, packable=True)
    layout = side.layout(channel, message, reply)
    rng = random.Random(f"{channel}.{message}.{reply}")
    kinds = {"cut": 0, "rejected": 0}

    @seed(20)
    @settings(max_examples=1, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
    @given(st.lists(payloads(type_, False), min_size=VALID, max_size=VALID))
    def agree(batch):
        blobs, sources, labels = [], [], []
        for payload in batch:
            blob = side.codec.encode(layout, payload)[0]
            for label, hostile in corpus(blob, rng):
                blobs.append(hostile)
                sources.append(payload)
                labels.append(label)
        python = side.python_decode(channel, message, reply, blobs, sources)
        luau = side.luau_decode(channel, message, reply, blobs, sources)
        for blob, label, in_python, in_luau in zip(blobs, labels, python, luau):
            assert in_python[:2] == in_luau[:2], (label, blob.hex())
            if label in ("cut", "trailing"):
                kinds["cut"] += 1
                assert in_python[0] is False, (label, blob.hex())  # the format is prefix-free
            kinds["rejected"] += not in_python[0]

    agree()
    assert kinds["cut"] >= 1 and kinds["rejected"] >= kinds["cut"]


# Hand-made buffers for the golden fixture's Inventory channel (tests/golden/fixture/schemas/inventory.yaml):
# Dropped = drop (union Drop: u8 variant), slots (u8 count, max 40, of Slot = header, u16 item, u8 count,
# optional u8 rarity), label (varint length), history (varint count of u16).
DROPPED = bytes.fromhex("02" "00" "0161" "00")  # quest drop, no slots, label "a", no history
EXACT = {
    "empty": ("Dropped", b"", "truncated at byte 0"),
    "unknown variant": ("Dropped", bytes.fromhex("05") + DROPPED[1:], "unknown variant 5 at byte 0"),
    "too many slots": ("Dropped", bytes.fromhex("0229"), "length 41 at byte 1 exceeds the maximum 40"),
    "slot count bomb": ("Dropped", bytes.fromhex("0228") + b"\x00" * 20, "count 40 at byte 2 exceeds the bytes left"),
    "label past the end": ("Dropped", bytes.fromhex("020005 61"), "truncated at byte 3"),
    "history count bomb": ("Dropped", DROPPED[:4] + bytes.fromhex("ffffffff0f"),
                           "count 4294967295 at byte 9 exceeds the bytes left"),
    "label length bomb": ("Dropped", DROPPED[:2] + bytes.fromhex("ffffffff0f") + b"a" * 64,
                          "truncated at byte 7"),
    "varint of six bytes": ("Dropped", DROPPED[:4] + bytes.fromhex("ffffffffff01"), "bad varint at byte 4"),
    "varint above u32": ("Dropped", DROPPED[:4] + bytes.fromhex("ffffffff1f"), "bad varint at byte 4"),
    "unknown rarity": ("Dropped", bytes.fromhex("02" "01" "01" "0100" "05" "07" "0161" "00"),
                       "unknown enum index 7 at byte 6"),
    "instance not sent": ("Dropped", bytes.fromhex("01" "0000") + DROPPED[1:], "instance index 0 at byte 1 is out of range"),
    "trailing byte": ("Dropped", DROPPED + b"\x00", "1 trailing bytes at byte 5"),
    "megabyte of 0xff": ("Dropped", b"\xff" * 2**20, "unknown variant 255 at byte 0"),
    # MoveItem (client to server): header (amount?, note?), u8 from, u8 to; note bounded by [limits] to 40 bytes
    "string above the limit": ("MoveItem", bytes.fromhex("02" "0000" "ff") + b"x" * 300,
                               "length 255 at byte 3 exceeds the maximum 40"),
    "string past the end": ("MoveItem", bytes.fromhex("02" "0000" "28") + b"x" * 39, "truncated at byte 4"),
}


@pytest.mark.parametrize("case", sorted(EXACT))
def test_hand_made_buffer_gives_its_exact_error_in_both(codecs, case):
    side = codecs["fixture"]
    message, blob, expected = EXACT[case]
    source = {"drop": {"source": "quest"}, "slots": [], "label": "a", "history": []} if message == "Dropped" \
        else {"from": 0, "to": 1}
    assert side.python_decode("Inventory", message, False, [blob], [source]) == [(False, expected)]
    assert side.luau_decode("Inventory", message, False, [blob], [source]) == [(False, expected)]


def test_duplicate_map_keys_are_rejected(codecs):
    side = codecs["schemas"]
    blob = bytes.fromhex("02" "00" "05" "00" "06")  # AllocatePoints: 2 entries, both Strength
    source = {"allocations": {}}
    expected = [(False, "duplicate map key at byte 3")]
    assert side.python_decode("Attributes", "AllocatePoints", False, [blob], [source]) == expected
    assert side.luau_decode("Attributes", "AllocatePoints", False, [blob], [source]) == expected
