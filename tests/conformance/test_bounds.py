"""Both sides of every kind of bound, in both languages, against fixed messages: the bound itself is accepted, one
past it is rejected. Also array holes, union variants and which unknown field is named."""

from __future__ import annotations

import pytest

from .payloads import both_languages, valid_payloads, with_value
from .projects import game_project

CAST, HIT, SNAPSHOT = ("Skills", "CastSkill"), ("Skills", "SkillHit"), ("Stats", "StatsSnapshot")
ATTRS, ALLOCATE = ("Attributes", "AttributesUpdated"), ("Attributes", "AllocatePoints")
U32 = "expected integer in 0..4294967295"

# (message, path, value, the expected message or "" when accepted)
CASES = [
    # integers: min and max of a range with a declared min, of a u32, of a signed range; fractions
    (HIT, ("targetId",), 1, ""),
    (HIT, ("targetId",), 0, "payload.targetId: expected integer in 1..4294967295, got 0"),
    (("Skills", "CancelCast"), ("castId",), 0, ""),
    (("Skills", "CancelCast"), ("castId",), -1, f"payload.castId: {U32}, got -1"),
    (("Skills", "CancelCast"), ("castId",), 4294967295, ""),
    (("Skills", "CancelCast"), ("castId",), 4294967296, f"payload.castId: {U32}, got 4294967296"),
    (("Skills", "CancelCast"), ("castId",), 1.5, f"payload.castId: {U32}, got 1.5"),
    (CAST, ("comboStep",), 5, ""),
    (CAST, ("comboStep",), 6, "payload.comboStep: expected integer in 0..5, got 6"),
    (("Cooldowns", "CooldownStarted"), ("slot",), -1, ""),
    (("Cooldowns", "CooldownStarted"), ("slot",), -2, "payload.slot: expected integer in -1..12, got -2"),
    (("Cooldowns", "CooldownStarted"), ("slot",), 12, ""),
    (("Cooldowns", "CooldownStarted"), ("slot",), 13, "payload.slot: expected integer in -1..12, got 13"),
    # floats
    (HIT, ("damage",), 0, ""),
    (HIT, ("damage",), -0.5, "payload.damage: expected finite number >= 0, got -0.5"),
    (SNAPSHOT, ("healthRatio",), 0, ""),
    (SNAPSHOT, ("healthRatio",), 1, ""),
    (SNAPSHOT, ("healthRatio",), 1.5, "payload.healthRatio: expected finite number in 0..1, got 1.5"),
    (SNAPSHOT, ("healthRatio",), -0.25, "payload.healthRatio: expected finite number in 0..1, got -0.25"),
    # strings count UTF-8 bytes
    (CAST, ("skillId",), "x" * 48, ""),
    (CAST, ("skillId",), "é" * 24, ""),
    (CAST, ("skillId",), "x" * 49, "payload.skillId: expected string of 1..48 bytes, got 49 bytes"),
    (CAST, ("skillId",), "é" * 24 + "x", "payload.skillId: expected string of 1..48 bytes, got 49 bytes"),
    (CAST, ("skillId",), "", "payload.skillId: expected string of 1..48 bytes, got 0 bytes"),
    # arrays: the bound, one past it, and a table with a hole
    (CAST, ("modifiers",), ["a"] * 4, ""),
    (CAST, ("modifiers",), ["a"] * 5, "payload.modifiers: expected array of at most 4 items, got 5 items"),
    (CAST, ("modifiers",), {1: "a", 3: "b"}, "payload.modifiers: expected array, got table with non-array keys"),
    # maps: entries, keys, values
    (ATTRS, ("modifiers",), {f"m{i}": 1 for i in range(32)}, ""),
    (ATTRS, ("modifiers",), {f"m{i}": 1 for i in range(33)},
     "payload.modifiers: expected table of at most 32 entries, got 33 entries"),
    (ATTRS, ("modifiers",), {"x" * 32: 1}, ""),
    (ATTRS, ("modifiers",), {"x" * 33: 1, "ok": 1},
     "payload.modifiers: expected keys of type string of at most 32 bytes, got 1 invalid key"),
    (ALLOCATE, ("allocations",), {"Strength": 50, "Luck": 1}, ""),
    (ALLOCATE, ("allocations",), {"Charisma": 1, "Wisdom": 2},
     ('payload.allocations: expected keys of type one of "Strength", "Agility", "Intellect", "Vitality", "Luck", '
      "got 2 invalid keys")),
    (ALLOCATE, ("allocations",), {"Strength": 51}, 'payload.allocations["Strength"]: expected integer in 1..50, got 51'),
    (ALLOCATE, ("allocations",), {"Strength": 0}, 'payload.allocations["Strength"]: expected integer in 1..50, got 0'),
    # a union variant knows only its own fields
    (CAST, ("target",), {"kind": "entity", "entityId": 3}, ""),
    (CAST, ("target",), {"kind": "self", "entityId": 3}, 'payload.target: unexpected field "entityId"'),
    (CAST, ("target",), {"kind": "entity", "entityId": 3, "position": 1}, 'payload.target: unexpected field "position"'),
    (CAST, ("zeta",), 1, 'payload: unexpected field "zeta"'),
]


@pytest.fixture(scope="module")
def game():
    return game_project()


@pytest.mark.parametrize("message", sorted({m for m, *_ in CASES}), ids=".".join)
def test_bounds_are_exact_in_both_languages(game, message):
    base = valid_payloads(game.mirror.roblox)[message]
    cases = [(path, value, expected) for m, path, value, expected in CASES if m == message]
    payloads = [base] + [with_value(base, path, value) for path, value, _ in cases]
    results = both_languages(game, *message, payloads)
    assert results[0] == ("", "")
    assert [(path, r) for (path, _, _), r in zip(cases, results[1:])] == [
        (path, (expected, expected)) for path, _, expected in cases]


def test_of_several_unknown_fields_the_smallest_name_is_reported(game):
    base = valid_payloads(game.mirror.roblox)[CAST]
    payloads = [{**base, "zeta": 1, "alpha": 1}, {**base, "alpha": 1, "zeta": 1}, {**base, "zeta": 1, "beta": 2}]
    assert both_languages(game, *CAST, payloads) == [
        ('payload: unexpected field "alpha"',) * 2, ('payload: unexpected field "alpha"',) * 2,
        ('payload: unexpected field "beta"',) * 2]
