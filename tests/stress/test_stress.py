"""The stress harness on schemas/: clean traffic at the declared rates, rate limiting when clients exceed them,
thresholds, and the `luaugen stress` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from luaugen.cli import main
from luaugen.sim import Link
from luaugen.sim.stress import DEFAULT_THRESHOLDS, UnknownMessage, run_stress

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def report():
    return run_stress(ROOT, clients=2, seconds=1.5, seed=3)


def test_every_message_flows_cleanly_at_the_declared_rates(report):
    assert report.check(DEFAULT_THRESHOLDS) == []
    assert report.errors == [] and report.skipped == {} and report.malformed == 0
    names = {m.name for m in report.messages}
    assert {"Skills.CastSkill", "EntityInfo.EntitySpawned", "EntityInfo.EntityMoved"} <= names
    for m in report.messages:
        assert m.invalid == m.handler_errors == m.failed == 0, m
        assert m.rate_limited == 0, m  # the harness paces within each message's and channel's rate
        assert m.sent > 0, m
        expected = m.sent if m.kind == "intent" else m.sent * report.clients  # fireAll: one envelope, two players
        assert m.delivered == expected, m
        if m.tier in ("CRITICAL", "HIGH"):
            assert m.latency is not None and m.latency.count > 0, m
        assert (m.rtt is not None) == m.request, m
    for tier in ("CRITICAL", "HIGH"):
        latency = report.tiers[tier]["latency"]
        assert latency.count == sum(m.latency.count for m in report.messages if m.tier == tier)
        assert 0 < latency.p50 <= latency.p99 < 50  # an ideal link: delivered within a couple of frames
        assert report.tiers[tier]["queue_max"] >= 1
    cast = next(m for m in report.messages if m.name == "Skills.CastSkill")
    # Skills' 20/s channel budget is shared with CancelCast (20/s): CastSkill (10/s) gets 20 * 10/30 = 6.67/s, paced at
    # 99%: one at once, then every 0.152 s for 1.5 s -> 10 per client
    assert cast.sent == report.clients * 10


def test_exceeding_the_declared_rate_is_rate_limited():
    calm = run_stress(ROOT, clients=2, seconds=1.5, messages=["Stats.RequestStats"])
    spam = run_stress(ROOT, clients=2, seconds=1.5, rate_factor=3, messages=["Stats.RequestStats"])
    assert [m.name for m in spam.messages] == ["Stats.RequestStats"]
    (calm_row,), (spam_row,) = calm.messages, spam.messages
    assert calm_row.rate_limited == 0 and calm_row.delivered == calm_row.sent
    assert spam_row.rate_limited > 0
    assert spam_row.delivered + spam_row.rate_limited == spam_row.sent
    assert spam.check({"max_rate_limited": 0}) == [f"max_rate_limited: {spam_row.rate_limited} rate limited > 0"]


def test_lossy_link_and_thresholds():
    lossy = run_stress(ROOT, clients=2, seconds=1, link=Link(latency=0.06, jitter=0.02, loss=0.3),
                       messages=["EntityInfo.EntityMoved", "Skills.SkillHit"])
    moved, hit = lossy.messages
    assert moved.delivered < moved.sent * 2  # unreliable: some lost
    assert hit.delivered == hit.sent * 2  # reliable: none lost
    assert hit.latency.p50 >= 60
    assert lossy.check({"p99_ms": {"CRITICAL": 1000}}) == []
    assert lossy.check({"p99_ms": {"CRITICAL": 10}}) == [f"p99_ms CRITICAL: {hit.latency.p99:.0f} ms > 10 ms"]
    assert lossy.check({"p99_ms": {"HIGH": 10}}) == ["p99_ms HIGH: no latency samples"]
    with pytest.raises(ValueError, match="unknown threshold"):
        lossy.check({"max_latency": 1})
    with pytest.raises(UnknownMessage, match="did you mean 'Skills.SkillHit'"):
        run_stress(ROOT, messages=["Skills.SkilHit"])


def _cli(*args: str):
    return CliRunner().invoke(main, ["stress", "--config-root", str(ROOT), "--clients", "1", "--seconds", "0.5", *args])


def test_cli_exit_codes_and_json():
    ok = _cli("--format", "json", "--max-p99", "CRITICAL=100", "--message", "Skills.CastSkill")
    assert ok.exit_code == 0, ok.output
    document = json.loads(ok.output)
    assert document["violations"] == []
    assert [m["name"] for m in document["report"]["messages"]] == ["Skills.CastSkill"]
    assert document["report"]["messages"][0]["rtt"]["count"] > 0

    violated = _cli("--max-p99", "CRITICAL=0", "--message", "Skills.CastSkill")
    assert violated.exit_code == 1, violated.output
    assert "FAIL p99_ms CRITICAL:" in violated.output and "> 0 ms" in violated.output

    unknown = _cli("--message", "Skills.Nope")
    assert unknown.exit_code == 2 and "unknown message 'Skills.Nope'" in unknown.output
    assert _cli("--max-p99", "FAST=10").exit_code == 2
    assert _cli("--loss", "2").exit_code == 2
