"""The fixture schemas compile to the channels the lint tests rely on (a guard for edits to the fixture YAML)."""

from __future__ import annotations

from luaugen.lint import load_manifest
from luaugen.lint.manifest import ManifestIndex

# channel.message: kind, qos, reliable, has a reply
EXPECTED = {
    "Attributes.AllocatePoint": ("intent", "HIGH", True, False),
    "Attributes.AttributesUpdated": ("event", "NORMAL", True, False),
    "Cooldowns.RequestCooldowns": ("intent", "LOW", True, True),
    "Cooldowns.CooldownStarted": ("event", "NORMAL", True, False),
    "Cooldowns.CooldownEnded": ("event", "LOW", False, False),
    "EntityInfo.InspectEntity": ("intent", "NORMAL", True, True),
    "EntityInfo.EntitySpawned": ("event", "HIGH", True, False),
    "EntityInfo.EntityDespawned": ("event", "HIGH", True, False),
    "EntityInfo.EntityMoved": ("event", "LOW", False, False),
    "Skills.CastSkill": ("intent", "CRITICAL", True, True),
    "Skills.CancelCast": ("intent", "HIGH", True, False),
    "Skills.SkillCast": ("event", "HIGH", True, False),
    "Skills.SkillHit": ("event", "HIGH", True, False),
    "Stats.RequestStats": ("intent", "NORMAL", True, True),
    "Stats.StatsChanged": ("event", "NORMAL", True, False),
}


def test_fixture_schemas_compile_to_the_expected_messages(manifest: dict) -> None:
    index = ManifestIndex(manifest)
    got = {f"{m.channel}.{m.name}": (m.kind, m.qos, m.reliable, m.has_reply) for m in index.all_messages()}
    assert got == EXPECTED
    sources = {m.source[0] for m in index.all_messages()}
    assert sources == {f"schemas/{c.lower()}.yaml" for c in index.channels}


def test_compiled_manifest_passes_the_lint_loader(manifest: dict, tmp_path) -> None:
    import json

    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    assert load_manifest(path) == manifest
    assert manifest["generator"] == "luaugen" and manifest["format"] == 1
