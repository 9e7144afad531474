"""example_payload: every example for every message and reply of schemas/ and the golden fixture validates with
the generated Python mirror, and the same seed gives the same examples."""

from __future__ import annotations

import random

import pytest

from luaugen.sim.examples import example_payload, instance_classes

from ..conformance.projects import fixture_project, game_project, validators_of

EXAMPLES = 60  # per message and reply


@pytest.fixture(scope="module", params=["schemas", "fixture"])
def project(request, tmp_path_factory):
    if request.param == "schemas":
        return game_project()
    return fixture_project(tmp_path_factory.mktemp("fixture"))


def test_every_example_validates(project):
    checked = 0
    for channel, message, reply, type_json in validators_of(project.manifest):
        table = project.mirror.validators.REPLY_VALIDATORS if reply else project.mirror.validators.VALIDATORS
        rng = random.Random(f"{channel}.{message}.{reply}")
        present: dict[str, set[bool]] = {}
        for _ in range(EXAMPLES):
            value = example_payload(type_json, rng)
            ok, err = table[channel][message](value)
            assert ok, f"{channel}.{message}{' reply' if reply else ''}: {err}\n{value!r}"
            for field in type_json["fields"]:
                present.setdefault(field["name"], set()).add(field["name"] in value)
            checked += 1
        for field in type_json["fields"]:  # optional fields are sometimes present, sometimes not; required always
            assert present[field["name"]] == ({True, False} if field["optional"] else {True}), field["name"]
    assert checked >= 4 * EXAMPLES


def test_examples_are_deterministic_and_varied():
    project = game_project()
    cast = next(m for c in project.manifest["channels"] for m in c["messages"] if m["name"] == "CastSkill")
    first = [example_payload(cast["payload"], random.Random(5)) for _ in range(2)]
    assert first[0] == first[1]
    rng = random.Random(5)
    kinds = {example_payload(cast["payload"], rng)["target"]["kind"] for _ in range(30)}
    assert kinds == {"point", "entity", "self"}


def test_lengths_count_utf8_bytes_and_bounds_hold():
    rng = random.Random(3)
    for _ in range(300):
        text = example_payload({"kind": "string", "min_length": 3, "max_length": 4}, rng)
        assert 3 <= len(text.encode("utf-8")) <= 4
        number = example_payload({"kind": "number", "format": "f32", "min": 0.25, "max": 0.5, "finite": True}, rng)
        assert 0.25 <= number <= 0.5
        table = example_payload({"kind": "map", "key": {"kind": "enum", "values": ["A", "B"]},
                                 "value": {"kind": "bool"}, "max_entries": 1}, rng)
        assert len(table) <= 1 and set(table) <= {"A", "B"}


def test_instance_classes_are_found_through_containers():
    tune = {"kind": "struct", "name": None, "fields": [
        {"name": "a", "optional": True, "type": {"kind": "array", "items": {"kind": "instance", "class": "Model"}}},
        {"name": "d", "optional": False, "type": {"kind": "union", "name": None, "tag": "k", "variants": [
            {"name": "x", "fields": [{"name": "p", "optional": False, "type": {"kind": "instance", "class": "Player"}}]},
        ]}},
    ]}
    assert instance_classes(tune) == {"Model", "Player"}
