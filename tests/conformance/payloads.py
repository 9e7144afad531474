"""Valid payloads of the game's messages, and single-value edits of them: a hostile value deep in a valid payload."""

from __future__ import annotations

import copy
from typing import Any

from .projects import Project


def valid_payloads(rb) -> dict[tuple[str, str], dict]:
    """One valid payload per (channel, message) the fixed-message tests edit; `rb` is the mirror's roblox module."""
    cooldown = {"skillId": "fireball", "endsAt": 10.5, "duration": 2.0}
    return {
        ("Attributes", "AllocatePoints"): {"allocations": {"Strength": 2}},
        ("Attributes", "AttributesUpdated"): {"unspentPoints": 3, "attributes": {"Luck": 4}, "modifiers": {"ring": -2}},
        ("Cooldowns", "CooldownStarted"): {"cooldown": dict(cooldown), "slot": 1},
        ("Cooldowns", "CooldownSnapshot"): {"cooldowns": [dict(cooldown)], "serverTime": 8.0},
        ("Skills", "CastSkill"): {"skillId": "fireball", "target": {"kind": "self"}, "comboStep": 1, "modifiers": ["quick"]},
        ("Skills", "CancelCast"): {"castId": 7},
        ("Skills", "SkillCast"): {"castId": 1, "casterId": 1, "skillId": "fireball", "target": {"kind": "self"},
                                  "castTime": 0.5},
        ("Skills", "SkillHit"): {"castId": 1, "targetId": 2, "damage": 12.5, "critical": False,
                                 "hitPosition": rb.Vector3(1, 2, 3), "effects": [{"name": "burn", "duration": 3.0}]},
        ("Stats", "StatsSnapshot"): {"entityId": 1, "level": 3, "experience": 100, "stats": {"Strength": 5.0},
                                     "healthRatio": 0.5},
        ("Stats", "StatChanged"): {"entityId": 1, "stat": "Luck", "value": 7.0, "delta": -1.0},
    }


def with_value(payload: dict, path: tuple, value: Any) -> dict:
    """A copy of `payload` with the value at `path` (keys; 1-based list indices) replaced."""
    out = copy.deepcopy(payload)
    node = out
    for key in path[:-1]:
        node = node[key - 1] if isinstance(node, list) else node[key]
    last = path[-1]
    if isinstance(node, list):
        node[last - 1] = value
    else:
        node[last] = value
    return out


def both_languages(project: Project, channel: str, message: str, payloads: list) -> list[tuple[str, str]]:
    """(Luau result, Python result) per payload: "" when accepted, else the message."""
    luau = project.luau_results(channel, message, False, payloads)
    python = project.python_results(channel, message, False, payloads)
    return list(zip(luau, python))
