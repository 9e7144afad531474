"""Stable ids: the previous manifest locks them; removed ids are retired and never handed out again."""

from __future__ import annotations

import json
import random
from pathlib import Path

from luaugen.compiler import compile_project
from luaugen.config import Config

CONFIG = Config(root=Path("/nonexistent-project-root"))


def channel_yaml(name: str, intents: list[str] = (), events: list[str] = ()) -> str:
    lines = [f"channel: {name}"]
    for section, names in (("intents", intents), ("events", events)):
        if names:
            lines.append(f"{section}:")
            lines += [f"  {n}:\n    payload: {{}}" for n in names]
    return "\n".join(lines) + "\n"


def build(sources: dict[str, str], previous: dict | None = None) -> dict:
    result = compile_project(CONFIG, sources, previous)
    assert result.ok, result.diagnostics
    return json.loads(result.files[CONFIG.manifest])


def ids(manifest: dict) -> dict[str, int]:
    out = {}
    for channel in manifest["channels"]:
        out[channel["name"]] = channel["id"]
        out.update({f"{channel['name']}.{m['name']}": m["id"] for m in channel["messages"]})
    return out


def test_first_build_numbers_in_file_order() -> None:
    manifest = build({"schemas/a.yaml": channel_yaml("Alpha", ["Hit", "Block"], ["Hurt"]),
                      "schemas/b.yaml": channel_yaml("Beta", events=["Moved"])})
    assert ids(manifest) == {"Alpha": 1, "Alpha.Hit": 1, "Alpha.Block": 2, "Alpha.Hurt": 3, "Beta": 2, "Beta.Moved": 1}
    assert manifest["retired"] == {"channels": {}, "messages": {}}


def test_adding_a_message_never_renumbers() -> None:
    first = build({"schemas/a.yaml": channel_yaml("Alpha", ["Hit", "Block"], ["Hurt"])})
    # The new intent is written first in the file and sorts first by name: neither may move the old ids.
    second = build({"schemas/a.yaml": channel_yaml("Alpha", ["Aim", "Hit", "Block"], ["Hurt"])}, first)
    assert ids(second) == {**ids(first), "Alpha.Aim": 4}


def test_reordering_messages_keeps_ids() -> None:
    first = build({"schemas/a.yaml": channel_yaml("Alpha", ["Hit", "Block", "Parry"], ["Hurt", "Died"])})
    second = build({"schemas/a.yaml": channel_yaml("Alpha", ["Parry", "Hit", "Block"], ["Died", "Hurt"])}, first)
    assert ids(second) == ids(first)
    assert second["schema_hash"] == first["schema_hash"]


def test_removed_message_is_retired_and_its_id_never_reused() -> None:
    first = build({"schemas/a.yaml": channel_yaml("Alpha", ["Hit", "Block"], ["Hurt"])})
    second = build({"schemas/a.yaml": channel_yaml("Alpha", ["Hit"], ["Hurt"])}, first)
    assert ids(second) == {"Alpha": 1, "Alpha.Hit": 1, "Alpha.Hurt": 3}
    assert second["retired"] == {"channels": {}, "messages": {"Alpha.Block": 2}}
    third = build({"schemas/a.yaml": channel_yaml("Alpha", ["Hit", "Parry"], ["Hurt"])}, second)
    assert ids(third)["Alpha.Parry"] == 4
    assert third["retired"]["messages"] == {"Alpha.Block": 2}
    # Removing the highest id too: the next message still goes above every id ever used.
    fourth = build({"schemas/a.yaml": channel_yaml("Alpha", ["Hit"], ["Hurt"])}, third)
    fifth = build({"schemas/a.yaml": channel_yaml("Alpha", ["Hit", "Kick"], ["Hurt"])}, fourth)
    assert ids(fifth)["Alpha.Kick"] == 5


def test_readding_a_removed_message_gets_a_fresh_id() -> None:
    first = build({"schemas/a.yaml": channel_yaml("Alpha", ["Hit", "Block"])})
    second = build({"schemas/a.yaml": channel_yaml("Alpha", ["Hit"])}, first)
    third = build({"schemas/a.yaml": channel_yaml("Alpha", ["Hit", "Block"])}, second)
    assert ids(third)["Alpha.Block"] == 3  # old clients may still send id 2 with the old contract


def test_removed_channel_is_retired_with_its_messages() -> None:
    sources = {"schemas/a.yaml": channel_yaml("Alpha", ["Hit"]), "schemas/b.yaml": channel_yaml("Beta", ["Move"]),
               "schemas/c.yaml": channel_yaml("Gamma", ["Look"])}
    first = build(sources)
    del sources["schemas/b.yaml"]
    second = build(sources, first)
    assert ids(second) == {"Alpha": 1, "Alpha.Hit": 1, "Gamma": 3, "Gamma.Look": 1}
    assert second["retired"] == {"channels": {"Beta": 2}, "messages": {"Beta.Move": 1}}
    sources["schemas/d.yaml"] = channel_yaml("Delta", ["Wave"])
    third = build(sources, second)
    assert ids(third)["Delta"] == 4
    assert third["retired"]["channels"] == {"Beta": 2}


def test_channel_moving_to_another_file_keeps_its_id() -> None:
    first = build({"schemas/a.yaml": channel_yaml("Alpha", ["Hit"]), "schemas/b.yaml": channel_yaml("Beta", ["Move"])})
    second = build({"schemas/z.yaml": channel_yaml("Alpha", ["Hit"]), "schemas/b.yaml": channel_yaml("Beta", ["Move"])},
                   first)
    assert ids(second) == ids(first)


def test_random_edit_sequences_keep_the_id_invariants() -> None:
    rng = random.Random(20240611)
    names = [f"Msg{i}" for i in range(12)]
    channels = {f"Chan{c}": [] for c in "ABCD"}
    previous = None
    ever: dict[str, int] = {}  # every id ever assigned, by qualified name
    used_per_channel: dict[str, set[int]] = {}
    for _ in range(40):
        name = rng.choice(sorted(channels))
        messages = channels[name]
        action = rng.random()
        if action < 0.5 and len(messages) < len(names):
            messages.insert(rng.randrange(len(messages) + 1), rng.choice([n for n in names if n not in messages]))
        elif action < 0.8 and messages:
            messages.remove(rng.choice(messages))
        else:
            rng.shuffle(messages)
        sources = {f"schemas/{n.lower()}.yaml": channel_yaml(n, events=m) for n, m in channels.items() if m}
        if not sources:
            continue
        manifest = build(sources, previous)
        current = ids(manifest)
        for key, value in current.items():
            if key in ever and previous is not None and key in ids(previous):
                assert value == ever[key], f"{key} was renumbered"
        for channel in manifest["channels"]:
            seen = [m["id"] for m in channel["messages"]]
            assert len(seen) == len(set(seen))
            used = used_per_channel.setdefault(channel["name"], set())
            fresh = {f"{channel['name']}.{m['name']}": m["id"] for m in channel["messages"]
                     if previous is None or f"{channel['name']}.{m['name']}" not in ids(previous)}
            assert not set(fresh.values()) & used, "a retired or live id was handed out again"
        for key, value in current.items():
            ever[key] = value
            if "." in key:
                used_per_channel.setdefault(key.split(".")[0], set()).add(value)
        previous = manifest
