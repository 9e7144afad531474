"""Stress scenario files (`luaugen stress SCENARIO.yaml`): who sends what, over which link, and what must hold.
The format is documented in docs/stress.md; errors point at the offending line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Span, error, render_text
from ..load.nodes import Node
from ..load.yaml_loader import load_document
from .network import Link
from .saturation import SATURATION_KEYS
from .stress_report import THRESHOLD_KEYS, TIERS

TOP_KEYS = ("description", "clients", "seconds", "seed", "rate_factor", "frame_budget", "link", "messages",
            "assertions")
LINK_KEYS = ("latency_ms", "jitter_ms", "loss", "duplication", "reordering")
ASSERTION_KEYS = (*THRESHOLD_KEYS, "saturation")
MAX_RATE = 1_000_000.0  # messages per second per sender: bounds the work a hostile file can ask for
MAX_FACTOR = 10_000.0


class ScenarioError(ValueError):
    """A scenario file that cannot be used; str() is the rendered diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic], sources: dict[str, str]):
        super().__init__(render_text(diagnostics, sources).rstrip("\n"))
        self.diagnostics = diagnostics


@dataclass(frozen=True)
class MessageRate:
    rate: float | None = None  # messages per second per sender
    rate_factor: float | None = None  # multiple of the rate the harness would use by default


@dataclass(frozen=True)
class Scenario:
    path: str
    description: str = ""
    clients: int = 4
    seconds: float = 5.0
    seed: int = 1
    rate_factor: float = 1.0
    frame_budget: int | None = None  # None: luaugen.toml's [runtime] frame_budget
    link: Link = field(default_factory=Link)
    messages: dict[str, MessageRate] = field(default_factory=dict)  # empty: every message at rate_factor
    thresholds: dict[str, Any] = field(default_factory=dict)
    saturation: dict[str, float] = field(default_factory=dict)


class _Reader:
    def __init__(self, path: str):
        self.path = path
        self.problems: list[Diagnostic] = []

    def fail(self, message: str, span: Span, hint: str | None = None) -> None:
        self.problems.append(error("scenario", message, span, hint))

    def keys(self, node: Node, allowed: tuple[str, ...], where: str) -> bool:
        if not node.is_map:
            self.fail(f"{where} must be a mapping", node.span)
            return False
        for key in node.value:
            if key not in allowed:
                self.fail(f"unknown key {key!r} in {where}", node.key_span(key), f"known: {', '.join(allowed)}")
        return True

    def number(self, node: Node | None, what: str, *, low: float, high: float = float("inf"), integer: bool = False,
               default: Any = None) -> Any:
        if node is None:
            return default
        value = node.value
        kind = int if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kind) or not low <= value <= high:
            bounds = f">= {low:g}" if high == float("inf") else f"within [{low:g}, {high:g}]"
            self.fail(f"{what} must be {'an integer' if integer else 'a number'} {bounds}, got {value!r}", node.span)
            return default
        return value


def _thresholds(r: _Reader, node: Node) -> tuple[dict[str, Any], dict[str, float]]:
    thresholds, saturation = {}, {}
    if not r.keys(node, ASSERTION_KEYS, "assertions"):
        return thresholds, saturation
    for key, entry in node.value.items():
        child = entry.value
        if key == "saturation":
            if r.keys(child, SATURATION_KEYS, "assertions.saturation"):
                for name, limit in child.value.items():
                    saturation[name] = r.number(limit.value, f"saturation.{name}", low=0)
        elif key.endswith("_ms") or (key == "max_dropped" and child.is_map):
            if r.keys(child, TIERS, f"assertions.{key}"):
                thresholds[key] = {tier: r.number(v.value, f"{key}.{tier}", low=0) for tier, v in child.value.items()}
        elif key == "max_failed_ratio":
            thresholds[key] = r.number(child, key, low=0, high=1)
        else:
            thresholds[key] = r.number(child, key, low=0, integer=True)
    return thresholds, saturation


def _messages(r: _Reader, node: Node) -> dict[str, MessageRate]:
    out = {}
    if not node.is_map:
        r.fail("messages must map Channel.Message to { rate: N } or { rate_factor: N }", node.span)
        return out
    for name, entry in node.value.items():
        child = entry.value
        if "." not in name:
            r.fail(f"message {name!r} must be written Channel.Message", entry.key_span)
        if child.value is None:
            out[name] = MessageRate()
        elif r.keys(child, ("rate", "rate_factor"), f"messages.{name}"):
            if len(child.value) > 1:
                r.fail(f"messages.{name}: give rate or rate_factor, not both", child.span)
            out[name] = MessageRate(r.number(child.get("rate"), "rate", low=0, high=MAX_RATE),
                                    r.number(child.get("rate_factor"), "rate_factor", low=0, high=MAX_FACTOR))
    return out


def load_scenario(path: Path) -> Scenario:
    """Read and check a scenario file; raises ScenarioError (located) when it cannot be used."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([error("scenario", f"cannot read scenario: {exc}", Span(name, 1, 1))], {}) from None
    document, problems = load_document(name, text) if text.strip() else (None, [])
    if document is None:
        problems = problems or [error("scenario", "scenario file is empty", Span(name, 1, 1), "see docs/stress.md")]
        raise ScenarioError(problems, {name: text})
    r, root = _Reader(name), document.root
    if not r.keys(root, TOP_KEYS, "the scenario"):
        raise ScenarioError(r.problems, {name: text})
    link_node = root.get("link")
    link = Link()
    if link_node is not None and r.keys(link_node, LINK_KEYS, "link"):
        get = link_node.get
        latency, jitter = (r.number(get(k), k, low=0, default=0.0) / 1000 for k in ("latency_ms", "jitter_ms"))
        link = Link(latency, jitter, *(r.number(get(k), k, low=0, high=1, default=0.0)
                                       for k in ("loss", "duplication", "reordering")))
    thresholds, saturation = _thresholds(r, root.get("assertions")) if root.get("assertions") else ({}, {})
    description = root.value_of("description", "")
    if not isinstance(description, str):
        r.fail("description must be text", root.get("description").span)
    scenario = Scenario(
        path=name, description=description if isinstance(description, str) else "",
        clients=r.number(root.get("clients"), "clients", low=1, high=256, integer=True, default=4),
        seconds=r.number(root.get("seconds"), "seconds", low=1 / 60, high=3600, default=5.0),
        seed=r.number(root.get("seed"), "seed", low=0, integer=True, default=1),
        rate_factor=r.number(root.get("rate_factor"), "rate_factor", low=0, high=MAX_FACTOR, default=1.0),
        frame_budget=r.number(root.get("frame_budget"), "frame_budget", low=1, integer=True),
        link=link, messages=_messages(r, root.get("messages")) if root.get("messages") else {},
        thresholds=thresholds, saturation=saturation,
    )
    if r.problems:
        raise ScenarioError(r.problems, {name: text})
    return scenario
