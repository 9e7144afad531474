"""Simulated client <-> server links: latency, jitter, loss, duplication, reordering (seeded).

Reliable traffic (RemoteEvent, replication) is delayed by latency + jitter but delivered exactly once and in
order; only unreliable traffic (UnreliableRemoteEvent) is lost, duplicated or reordered, as on Roblox.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Link:
    """One client's connection. Times in seconds, rates as probabilities in [0, 1].

    latency: one-way base delay; jitter: extra delay drawn uniformly from [0, jitter] per packet;
    loss / duplication: chance an unreliable packet is dropped / delivered twice;
    reordering: chance an unreliable packet is held back by an extra 1-4 frames (so later packets overtake it).
    """

    latency: float = 0.0
    jitter: float = 0.0
    loss: float = 0.0
    duplication: float = 0.0
    reordering: float = 0.0

    def __post_init__(self):
        for name in ("latency", "jitter"):
            if getattr(self, name) < 0:
                raise ValueError(f"Link.{name} must be >= 0")
        for name in ("loss", "duplication", "reordering"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"Link.{name} must be within [0, 1]")


COUNTERS = ("sent", "delivered", "dropped_loss", "dropped_oversize", "duplicated", "reordered", "bytes_sent")


@dataclass(order=True)
class Packet:
    at: float
    seq: int
    kind: str = field(compare=False)  # "event" | "replicate" | "player-add" | "player-remove"
    reliable: bool = field(compare=False)
    path: str = field(compare=False)
    sender: int = field(compare=False)  # UserId of the sending client, 0 for the server
    body: tuple = field(compare=False)
    size: int = field(compare=False, default=0)


class Channel:
    """One direction of one link: a delivery-time-ordered queue plus counters."""

    def __init__(self, link: Link, rng: random.Random, frame: float, seq: list[int]):
        self.link = link
        self.rng = rng
        self.frame = frame
        self._seq = seq
        self.queue: list[Packet] = []
        self.last_reliable = 0.0
        self.stats: dict[str, dict[str, int]] = {"reliable": dict.fromkeys(COUNTERS, 0), "unreliable": dict.fromkeys(COUNTERS, 0)}

    def _next_seq(self) -> int:
        self._seq[0] += 1
        return self._seq[0]

    def _delay(self) -> float:
        link = self.link
        return link.latency + (self.rng.uniform(0.0, link.jitter) if link.jitter > 0 else 0.0)

    def send(self, now: float, kind: str, reliable: bool, path: str, sender: int, body: tuple, size: int = 0) -> list[str]:
        """Queue a packet; returns the events that happened to it ("sent", "lost", "dup", "reordered")."""
        counters = self.stats["reliable" if reliable else "unreliable"]
        counters["sent"] += 1
        counters["bytes_sent"] += size
        if reliable:
            at = max(now + self._delay(), self.last_reliable)
            self.last_reliable = at
            heapq.heappush(self.queue, Packet(at, self._next_seq(), kind, True, path, sender, body, size))
            return ["sent"]
        link, rng = self.link, self.rng
        events = ["sent"]
        if link.loss > 0 and rng.random() < link.loss:
            counters["dropped_loss"] += 1
            return events + ["lost"]
        copies = 1
        if link.duplication > 0 and rng.random() < link.duplication:
            copies = 2
            counters["duplicated"] += 1
            events.append("dup")
        for _ in range(copies):
            at = now + self._delay()
            if link.reordering > 0 and rng.random() < link.reordering:
                at += rng.uniform(1.0, 4.0) * self.frame
                counters["reordered"] += 1
                events.append("reordered")
            heapq.heappush(self.queue, Packet(at, self._next_seq(), kind, False, path, sender, body, size))
        return events

    def due(self, now: float) -> list[Packet]:
        out = []
        while self.queue and self.queue[0].at <= now + 1e-9:
            out.append(heapq.heappop(self.queue))
        return out

    def delivered(self, packet: Packet) -> None:
        self.stats["reliable" if packet.reliable else "unreliable"]["delivered"] += 1

    def drop_oversize(self, size: int) -> None:
        counters = self.stats["unreliable"]
        counters["sent"] += 1
        counters["bytes_sent"] += size
        counters["dropped_oversize"] += 1

    def snapshot(self) -> dict[str, Any]:
        return {k: dict(v) for k, v in self.stats.items()} | {"in_flight": len(self.queue)}
