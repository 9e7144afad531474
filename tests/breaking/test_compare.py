"""Table-driven rules: each change is compared forward (old → new) and in reverse (new → old), in both directions."""

from __future__ import annotations

import pytest

from luaugen.breaking import RULES, ManifestError, compare, summarize
from luaugen.diagnostics import Severity, Span

from .manifests import (
    C2S, S2C, array, channel, clone, enum, field, instance, integer, manifest, map_, message, number, string, struct,
    union, with_payload,
)

B, C = True, False  # breaking, compatible

# (case id, old payload, new payload,
#  forward code, reverse code,
#  forward breaking for client→server, forward breaking for server→client,
#  reverse breaking for client→server, reverse breaking for server→client)
TYPE_CASES = [
    ("required-field-added", struct(), struct(field("a", integer())),
     "field-added", "field-removed", B, B, B, B),
    ("optional-field-added", struct(), struct(field("a", integer(), optional=True)),
     "field-added", "field-removed", C, B, B, C),
    ("optional-to-required", struct(field("a", integer(), optional=True)), struct(field("a", integer())),
     "field-made-required", "field-made-optional", B, C, C, B),
    ("kind-changed", struct(field("a", integer())), struct(field("a", string())),
     "type-kind-changed", "type-kind-changed", B, B, B, B),
    ("integer-widened-u8-u16", struct(field("a", integer("u8"))), struct(field("a", integer("u16"))),
     "integer-range-changed", "integer-range-changed", C, B, B, C),
    ("integer-shifted-u8-i8", struct(field("a", integer("u8"))), struct(field("a", integer("i8"))),
     "integer-range-changed", "integer-range-changed", B, B, B, B),
    ("integer-max-raised", struct(field("a", integer("u8", 0, 10))), struct(field("a", integer("u8", 0, 20))),
     "integer-range-changed", "integer-range-changed", C, B, B, C),
    ("number-f32-to-f64", struct(field("a", number("f32"))), struct(field("a", number("f64"))),
     "number-format-changed", "number-format-changed", C, B, B, C),
    ("number-bound-removed", struct(field("a", number(lo=0, hi=1))), struct(field("a", number(lo=0))),
     "number-range-changed", "number-range-changed", C, B, B, C),
    ("number-finite-dropped", struct(field("a", number(finite=True))), struct(field("a", number(finite=False))),
     "number-finite-changed", "number-finite-changed", C, B, B, C),
    ("string-max-raised", struct(field("a", string(hi=16))), struct(field("a", string(hi=32))),
     "string-length-changed", "string-length-changed", C, B, B, C),
    ("string-min-added", struct(field("a", string(hi=16))), struct(field("a", string(lo=1, hi=16))),
     "string-length-changed", "string-length-changed", B, C, C, B),
    ("array-max-raised", struct(field("a", array(integer(), hi=4))), struct(field("a", array(integer(), hi=8))),
     "array-length-changed", "array-length-changed", C, B, B, C),
    ("array-items-widened", struct(field("a", array(integer("u8")))), struct(field("a", array(integer("u16")))),
     "integer-range-changed", "integer-range-changed", C, B, B, C),
    ("map-entries-raised", struct(field("a", map_(string(), integer(), hi=4))), struct(field("a", map_(string(), integer(), hi=8))),
     "map-entries-changed", "map-entries-changed", C, B, B, C),
    ("map-value-narrowed", struct(field("a", map_(string(), integer("u16")))), struct(field("a", map_(string(), integer("u8")))),
     "integer-range-changed", "integer-range-changed", B, C, C, B),
    ("enum-value-added", struct(field("a", enum("Fire", "Ice"))), struct(field("a", enum("Fire", "Ice", "Bolt"))),
     "enum-values-added", "enum-values-removed", C, B, B, C),
    ("instance-widened-part-basepart", struct(field("a", instance("Part"))), struct(field("a", instance("BasePart"))),
     "instance-class-changed", "instance-class-changed", C, B, B, C),
    ("instance-unrelated", struct(field("a", instance("Player"))), struct(field("a", instance("Tool"))),
     "instance-class-changed", "instance-class-changed", B, B, B, B),
    ("union-variant-added",
     struct(field("a", union(("point", [field("x", number())])))),
     struct(field("a", union(("point", [field("x", number())]), ("unit", [field("id", integer("u32"))])))),
     "union-variant-added", "union-variant-removed", C, B, B, C),
    ("union-tag-changed",
     struct(field("a", union(("point", [])))), struct(field("a", union(("point", []), tag="type"))),
     "union-tag-changed", "union-tag-changed", B, B, B, B),
    ("union-variant-field-added",
     struct(field("a", union(("point", [field("x", number())])))),
     struct(field("a", union(("point", [field("x", number()), field("y", number(), optional=True)])))),
     "field-added", "field-removed", C, B, B, C),
]


def _only(diags, code):
    found = [d for d in diags if d.code == code]
    assert len(found) == 1, f"expected one {code}, got {[(d.code, d.message) for d in diags]}"
    return found[0]


@pytest.mark.parametrize("case", TYPE_CASES, ids=[c[0] for c in TYPE_CASES])
@pytest.mark.parametrize("direction", [C2S, S2C])
def test_type_rules_both_ways(case, direction):
    _, old_payload, new_payload, fwd_code, rev_code, fwd_c2s, fwd_s2c, rev_c2s, rev_s2c = case
    old, new = with_payload(old_payload, direction), with_payload(new_payload, direction)
    forward = _only(compare(old, new), fwd_code)
    reverse = _only(compare(new, old), rev_code)
    expect_fwd, expect_rev = (fwd_c2s, rev_c2s) if direction == C2S else (fwd_s2c, rev_s2c)
    assert forward.is_error is expect_fwd, forward.message
    assert reverse.is_error is expect_rev, reverse.message
    assert forward.severity is (Severity.ERROR if expect_fwd else Severity.INFO)
    for d in (forward, reverse):
        assert d.message.startswith("breaking: " if d.is_error else "compatible: ")
        assert d.span == Span("schemas/skills.yaml", 10, 3)
        assert d.code in RULES
        assert (d.hint is not None) is d.is_error


@pytest.mark.parametrize("direction", [C2S, S2C])
def test_reply_flows_opposite_to_the_request(direction):
    # A reply to a client→server request is sent by the server and validated by old clients: widening it breaks.
    old = with_payload(struct(), direction, reply=struct(field("a", integer("u8"))))
    new = with_payload(struct(), direction, reply=struct(field("a", integer("u16"))))
    d = _only(compare(old, new), "integer-range-changed")
    assert "CastSkill.reply.a" in d.message
    assert d.is_error is (direction == C2S)
    assert _only(compare(new, old), "integer-range-changed").is_error is (direction == S2C)


def test_reply_added_and_removed_break():
    old = with_payload(struct())
    new = with_payload(struct(), reply=struct(field("ok", {"kind": "bool"})))
    assert _only(compare(old, new), "reply-added").is_error
    assert _only(compare(new, old), "reply-removed").is_error


def test_no_changes_no_diagnostics():
    m = with_payload(struct(field("a", integer()), field("b", array(string()))))
    assert compare(m, clone(m)) == []


def test_nested_path_names_every_level():
    def payload(fmt):
        position = struct(field("position", {"kind": "vector3"}), field("slot", integer(fmt)))
        return struct(field("target", struct(field("anchor", position))), field("list", array(map_(string(), position))))

    diags = compare(with_payload(payload("u8")), with_payload(payload("u16")))
    messages = sorted(d.message for d in diags)
    assert len(diags) == 2
    assert "Skills.CastSkill.payload.target.anchor.slot" in messages[1] or "Skills.CastSkill.payload.target.anchor.slot" in messages[0]
    assert any("Skills.CastSkill.payload.list[]{value}.slot" in m for m in messages)
    assert not any(d.is_error for d in diags)  # client→server: widening is compatible


def test_union_variant_paths():
    old = with_payload(struct(field("target", union(("point", [field("at", integer("u8"))])))), S2C)
    new = with_payload(struct(field("target", union(("point", [field("at", integer("u16"))])))), S2C)
    d = _only(compare(old, new), "integer-range-changed")
    assert "Skills.CastSkill.payload.target(point).at" in d.message and d.is_error


def test_integer_format_rename_with_same_range_is_compatible_both_ways():
    old = with_payload(struct(field("a", integer("u8", 0, 100))), S2C)
    new = with_payload(struct(field("a", integer("u16", 0, 100))), S2C)
    assert not _only(compare(old, new), "integer-range-changed").is_error
    assert not _only(compare(new, old), "integer-range-changed").is_error


def test_enum_values_swapped_breaks_both_directions():
    for direction in (C2S, S2C):
        old = with_payload(struct(field("a", enum("Fire", "Ice"))), direction)
        new = with_payload(struct(field("a", enum("Fire", "Bolt"))), direction)
        diags = compare(old, new)
        assert {d.code for d in diags} == {"enum-values-removed", "enum-values-added"}
        assert summarize(diags) == (1, 1)


def test_removed_optional_field_server_to_client_is_compatible_but_required_is_not():
    old = with_payload(struct(field("opt", integer(), optional=True), field("req", integer())), S2C)
    new = with_payload(struct(), S2C)
    by_msg = {("opt" in d.message): d for d in compare(old, new)}
    assert not by_msg[True].is_error and by_msg[False].is_error


# -- channel and message level -----------------------------------------------------------------------------------

def _msg(**kw):
    return manifest(channel(messages=[message(**kw)]))


MESSAGE_CASES = [
    # (id, old manifest, new manifest, forward code, forward breaking, reverse code, reverse breaking)
    ("message-added", manifest(channel(messages=[])), _msg(), "message-added", C, "message-removed", B),
    ("channel-added", manifest(channel()), manifest(channel(), channel("Chat", 5)), "channel-added", C, "channel-removed", B),
    ("kind", _msg(), _msg(kind="event"), "message-kind-changed", B, "message-kind-changed", B),
    ("direction", _msg(), _msg(direction=S2C, kind="intent"), "message-direction-changed", B, "message-direction-changed", B),
    ("reliability", _msg(), _msg(reliable=False), "message-reliability-changed", B, "message-reliability-changed", B),
    ("message-id", _msg(), _msg(id=2), "message-id-changed", B, "message-id-changed", B),
    ("channel-id", manifest(channel()), manifest(channel(id=9)), "channel-id-changed", B, "channel-id-changed", B),
    ("channel-reliability", manifest(channel()), manifest(channel(reliable=False)), "channel-reliability-changed", B, "channel-reliability-changed", B),
    ("message-qos", _msg(), _msg(qos="LOW"), "message-qos-changed", C, "message-qos-changed", C),
    ("message-rate", _msg(), _msg(rate={"count": 1, "per": 1.0}), "message-rate-changed", C, "message-rate-changed", C),
    ("message-retry", _msg(), _msg(retry={"strategy": "fixed", "attempts": 3, "base": 0.1, "max": 1.0}), "message-retry-changed", C, "message-retry-changed", C),
    ("message-timeout", _msg(reply=struct()), _msg(reply=struct(), timeout=9.0), "message-timeout-changed", C, "message-timeout-changed", C),
    ("channel-qos", manifest(channel()), manifest(channel(qos="LOW")), "channel-qos-changed", C, "channel-qos-changed", C),
    ("channel-replay", manifest(channel()), manifest(channel(replay=0)), "channel-replay-changed", C, "channel-replay-changed", C),
    ("channel-rate", manifest(channel()), manifest(channel(rate={"count": 5, "per": 1.0})), "channel-rate-changed", C, "channel-rate-changed", C),
]


@pytest.mark.parametrize("case", MESSAGE_CASES, ids=[c[0] for c in MESSAGE_CASES])
def test_message_and_channel_rules_both_ways(case):
    _, old, new, fwd_code, fwd_breaking, rev_code, rev_breaking = case
    assert _only(compare(old, new), fwd_code).is_error is fwd_breaking
    assert _only(compare(new, old), rev_code).is_error is rev_breaking


def test_direction_change_skips_payload_noise():
    old = _msg(payload=struct(field("a", integer())))
    new = _msg(direction=S2C, payload=struct(field("b", string())))
    codes = {d.code for d in compare(old, new)}
    assert "message-direction-changed" in codes and not codes & {"field-added", "field-removed"}


def test_channel_reliability_flip_is_reported_once():
    old = manifest(channel(messages=[message()]))
    new = manifest(channel(reliable=False, messages=[message(reliable=False)]))
    codes = [d.code for d in compare(old, new)]
    assert codes.count("channel-reliability-changed") == 1 and "message-reliability-changed" not in codes


def test_removed_message_is_located_at_old_source_and_rename_is_hinted():
    old = manifest(channel(messages=[message("Old", id=1, line=7)]))
    new = manifest(channel(messages=[message("Renamed", id=1, line=20)]))
    diags = compare(old, new)
    removed = _only(diags, "message-removed")
    assert removed.span == Span("schemas/skills.yaml", 7, 3)
    assert "'Renamed'" in removed.hint
    reused = _only(diags, "message-id-reused")
    assert reused.is_error and reused.span.line == 20


def test_retired_id_reused_is_breaking():
    old = manifest(channel(messages=[message("A", id=1)]), retired={"channels": {"Gone": 7}, "messages": {"Skills.Dead": 2}})
    new = manifest(channel(messages=[message("A", id=1), message("B", id=2)]), channel("Fresh", 7))
    diags = compare(old, new)
    assert "Skills.Dead" in _only(diags, "message-id-reused").message
    assert "'Gone'" in _only(diags, "channel-id-reused").message
    assert summarize(diags) == (2, 2)


def test_new_message_with_fresh_id_is_compatible():
    old = manifest(channel(messages=[message("A", id=1)]), retired={"channels": {}, "messages": {"Skills.Dead": 2}})
    new = manifest(channel(messages=[message("A", id=1), message("B", id=3)]))
    diags = compare(old, new)
    assert [d.code for d in diags] == ["message-added"] and not diags[0].is_error


def test_channel_level_spans_use_channel_source():
    d = _only(compare(manifest(channel()), manifest(channel(qos="LOW"))), "channel-qos-changed")
    assert d.span == Span("schemas/skills.yaml", 1, 1)


@pytest.mark.parametrize("bad", [[], {"format": 2, "channels": []}, {"format": 1}, {"format": 1, "channels": [{"name": "X"}]},
                                 {"format": 1, "channels": [{"name": "X", "messages": [{"name": "M"}]}]}])
def test_malformed_manifest_raises(bad):
    with pytest.raises(ManifestError):
        compare(bad, manifest())
    with pytest.raises(ManifestError):
        compare(manifest(), bad)
