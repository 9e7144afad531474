"""NaN and ±inf in every float field of the game's schemas, in both languages, against fixed messages.

Agreement between the Luau validators and the Python mirror cannot see a check both lose at once (they come from one
walker), so every float field is listed here with the message it must produce; a new float field fails
`test_every_float_field_is_listed` until it is added.
"""

from __future__ import annotations

import math

import pytest

from .payloads import both_languages, valid_payloads, with_value
from .projects import game_project

NAN, INF = float("nan"), float("inf")

# (channel, message, path in the payload, the message up to ", got …")
FLOAT_FIELDS = [
    ("Cooldowns", "CooldownStarted", ("cooldown", "endsAt"), "payload.cooldown.endsAt: expected finite number"),
    ("Cooldowns", "CooldownStarted", ("cooldown", "duration"), "payload.cooldown.duration: expected finite number >= 0"),
    ("Cooldowns", "CooldownSnapshot", ("cooldowns", 1, "endsAt"), "payload.cooldowns[1].endsAt: expected finite number"),
    ("Cooldowns", "CooldownSnapshot", ("cooldowns", 1, "duration"),
     "payload.cooldowns[1].duration: expected finite number >= 0"),
    ("Cooldowns", "CooldownSnapshot", ("serverTime",), "payload.serverTime: expected finite number"),
    ("Skills", "SkillCast", ("castTime",), "payload.castTime: expected finite number >= 0"),
    ("Skills", "SkillHit", ("damage",), "payload.damage: expected finite number >= 0"),
    ("Skills", "SkillHit", ("effects", 1, "duration"), "payload.effects[1].duration: expected finite number >= 0"),
    ("Stats", "StatsSnapshot", ("stats", "Strength"), 'payload.stats["Strength"]: expected finite number >= 0'),
    ("Stats", "StatsSnapshot", ("healthRatio",), "payload.healthRatio: expected finite number in 0..1"),
    ("Stats", "StatChanged", ("value",), "payload.value: expected finite number"),
    ("Stats", "StatChanged", ("delta",), "payload.delta: expected finite number"),
]


@pytest.fixture(scope="module")
def game():
    return game_project()


def _float_paths(t: dict, path: tuple = ()) -> list[tuple]:
    """Paths of the float fields in a manifest type: arrays at index 1, maps at their first enum key (or "k")."""
    kind = t["kind"]
    if kind == "number":
        return [path]
    if kind == "array":
        return _float_paths(t["items"], path + (1,))
    if kind == "map":
        return _float_paths(t["value"], path + (t["key"].get("values", ["k"])[0],))
    if kind in ("struct", "union"):
        fields = t["fields"] if kind == "struct" else [f for v in t["variants"] for f in v["fields"]]
        return [p for f in fields for p in _float_paths(f["type"], path + (f["name"],))]
    return []


def test_every_float_field_is_listed(game):
    found = set()
    for channel in game.manifest["channels"]:
        for message in channel["messages"]:
            assert message["reply"] is None or not _float_paths(message["reply"]), "float reply fields: list them too"
            found |= {(channel["name"], message["name"], p) for p in _float_paths(message["payload"])}
    assert found == {(c, m, p) for c, m, p, _ in FLOAT_FIELDS}


@pytest.mark.parametrize("channel, message, path, expected", FLOAT_FIELDS,
                         ids=[f"{c}.{m}." + ".".join(map(str, p)) for c, m, p, _ in FLOAT_FIELDS])
def test_nan_and_infinities_are_rejected_in_both_languages(game, channel, message, path, expected):
    base = valid_payloads(game.mirror.roblox)[(channel, message)]
    payloads = [base] + [with_value(base, path, value) for value in (NAN, INF, -INF)]
    assert both_languages(game, channel, message, payloads) == [
        ("", ""),
        (f"{expected}, got nan",) * 2,
        (f"{expected}, got inf",) * 2,
        (f"{expected}, got -inf",) * 2,
    ]


@pytest.mark.parametrize("component", ["x", "y", "z"])
def test_datatype_components_must_be_finite_in_both_languages(game, component):
    rb = game.mirror.roblox
    base = valid_payloads(rb)[("Skills", "SkillHit")]
    results = []
    for value in (NAN, INF, -INF):
        xyz = {"x": 1.0, "y": 2.0, "z": 3.0, component: value}
        results.append(with_value(base, ("hitPosition",), rb.Vector3(xyz["x"], xyz["y"], xyz["z"])))
    shown = ["nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") for v in (NAN, INF, -INF)]
    assert both_languages(game, "Skills", "SkillHit", results) == [
        (f"payload.hitPosition.{component.upper()}: expected finite number, got {s}",) * 2 for s in shown]
