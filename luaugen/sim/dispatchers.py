"""Three dispatchers run over the same traffic, frame by frame, to measure queueing: `tiered` (the generated
runtime's policy, Runtime/Outbound.luau), `fifo` (one queue, no tiers, the same frame budget) and `netray` (the
legacy dispatcher: priorities applied only where incoming events are processed, once every 0.1 s).

These are test doubles that live beside the simulator, not in the generated runtime. The tiered model follows
Outbound.flush step for step (CRITICAL never held back, the rest share the frame budget in tier order, LOW
unreliable traffic beyond the budget is shed oldest first, `queue_limit` per tier); tests/stress/test_dispatchers.py
checks its queue depth frame by frame against the generated runtime running in the simulator.

Queueing delay: frames between a message entering the queue it waits in and leaving it (tiered/fifo: the
sender's outbound queue until a flush routes it; netray: the receiver's tier queue until a cycle processes it).
Link transit is not queueing. Messages are kept in run-length blocks, so an unbounded legacy queue holding
millions of entries costs a few blocks per frame.
"""

from __future__ import annotations

import random
from collections import Counter, deque
from dataclasses import dataclass

from .network import Channel, Link

TIERS = ("CRITICAL", "HIGH", "NORMAL", "LOW")
WATCHED = ("CRITICAL", "HIGH")  # the tiers saturation is about
NETRAY_CYCLE = 0.1  # seconds between the legacy receiver's processing cycles
NETRAY_PER_CYCLE = {"CRITICAL": None, "HIGH": 5, "NORMAL": 3, "LOW": 2, "BACKGROUND": 1}  # None: drain all
DISPATCHERS = ("tiered", "fifo", "netray")
SAMPLE_FRAMES = 6  # queue depth is sampled every 0.1 s
SERVER = -1  # peer index of the server; clients are 0..n-1
ALL = -2  # destination of a fireAll


@dataclass(frozen=True)
class Source:
    """One message's traffic: sent by every client (intent) or fired to all clients by the server (event)."""

    name: str  # "Channel.Message"
    tier: str
    reliable: bool
    intent: bool
    request: bool  # an intent answered by a reply at the same tier
    rate: float  # messages per second per sender


class Block:
    """`count` identical messages that entered a queue in the same frame."""

    __slots__ = ("queued", "count", "source", "sender", "to", "reply")

    def __init__(self, queued: int, count: int, source: Source, sender: int, to: int, reply: bool = False):
        self.queued, self.count, self.source, self.sender, self.to, self.reply = queued, count, source, sender, to, reply

    def split(self, count: int) -> "Block":
        """Take `count` messages off the front of this block as a new block."""
        self.count -= count
        return Block(self.queued, count, self.source, self.sender, self.to, self.reply)


class Recorder:
    """Queueing delays per tier (an exact histogram in frames), drops per tier, and the frames in which a watched
    message had been waiting for more than one frame."""

    def __init__(self, frames: int, clients: int):
        self.delays = {tier: Counter() for tier in TIERS}
        self.dropped = Counter()
        self.frames = frames
        self.clients = clients
        self._waiting = Counter()  # difference array over frames

    def left(self, block: Block, frame: int) -> None:
        """`block` left its queue in `frame`: one delay per receiving player (a fireAll reaches every client)."""
        delay = frame - block.queued
        self.delays[block.source.tier][delay] += block.count * (self.clients if block.to == ALL else 1)
        if delay >= 2 and block.source.tier in WATCHED:  # it was still waiting at the end of queued+1 .. frame-1
            self._waiting[block.queued + 1] += 1
            self._waiting[frame] -= 1

    def drop(self, tier: str, count: int, frame: int) -> None:
        """Messages dropped by a full queue or shed; a watched one dropped never arrives, which counts as
        waiting longer than one frame in the frame it was dropped."""
        self.dropped[tier] += count
        if tier in WATCHED:
            self._waiting[frame] += 1
            self._waiting[frame + 1] -= 1

    def saturated_frames(self) -> int:
        running, count = 0, 0
        for frame in range(1, self.frames + 1):
            running += self._waiting[frame]
            count += running > 0
        return count


class TieredQueue:
    """Runtime/Outbound.luau's queues: one per tier, flushed in tier order within the frame budget."""

    def __init__(self, budget: int, limit: int, recorder: Recorder):
        self.queues = {tier: deque() for tier in TIERS}
        self.depth = dict.fromkeys(TIERS, 0)
        self.budget, self.limit, self.recorder = budget, limit, recorder

    def _lane(self, block: Block) -> str:
        return block.source.tier

    def enqueue(self, block: Block) -> None:
        lane = self._lane(block)
        room = max(0, self.limit - self.depth[lane])
        if block.count > room:
            self.recorder.drop(block.source.tier, block.count - room, block.queued)
            block.count = room
        if block.count:
            self.queues[lane].append(block)
            self.depth[lane] += block.count

    def flush(self, frame: int) -> list[Block]:
        budget, out = self.budget, []
        for tier in TIERS:
            if tier == "LOW" and self.depth[tier] > budget:
                self._shed(budget)
            take = self.depth[tier] if tier == "CRITICAL" else min(self.depth[tier], budget)
            budget = max(0, budget - take)
            out += self._take(tier, take)
        for block in out:
            self.recorder.left(block, frame)
        return out

    def _shed(self, keep: int) -> None:
        """LOW unreliable messages beyond `keep` are dropped, oldest first (Outbound's shed)."""
        excess = self.depth["LOW"] - keep
        kept = deque()
        for block in self.queues["LOW"]:
            if excess > 0 and not block.source.reliable:
                gone = min(excess, block.count)
                excess -= gone
                block.count -= gone
                self.depth["LOW"] -= gone
                self.recorder.drop("LOW", gone, block.queued)
            if block.count:
                kept.append(block)
        self.queues["LOW"] = kept

    def _take(self, lane: str, take: int) -> list[Block]:
        queue, out = self.queues[lane], []
        self.depth[lane] -= take
        while take:
            head = queue[0]
            if head.count <= take:
                out.append(queue.popleft())
                take -= head.count
            else:
                out.append(head.split(take))
                take = 0
        return out

    def pending(self) -> int:
        return sum(self.depth.values())

    def tier_depth(self, tier: str) -> int:
        return self.depth[tier]


class FifoQueue(TieredQueue):
    """One queue for every tier, first in first out, with the same frame budget and queue limit."""

    def _lane(self, block: Block) -> str:
        return "CRITICAL"  # every message waits in the one lane

    def tier_depth(self, tier: str) -> int:
        return sum(b.count for b in self.queues["CRITICAL"] if b.source.tier == tier)

    def flush(self, frame: int) -> list[Block]:
        out = self._take("CRITICAL", min(self.depth["CRITICAL"], self.budget))
        for block in out:
            self.recorder.left(block, frame)
        return out


class NetRayReceiver(TieredQueue):
    """The legacy receiving side: unbounded tier queues, processed once per cycle (all CRITICAL, then at most
    NETRAY_PER_CYCLE of each other tier)."""

    def __init__(self, recorder: Recorder):
        super().__init__(budget=0, limit=2**62, recorder=recorder)

    def flush(self, frame: int) -> list[Block]:
        out = []
        for tier in TIERS:
            limit = NETRAY_PER_CYCLE[tier]
            out += self._take(tier, self.depth[tier] if limit is None else min(limit, self.depth[tier]))
        for block in out:
            self.recorder.left(block, frame)
        return out


@dataclass(frozen=True)
class Run:
    """What one dispatcher did with the traffic."""

    dispatcher: str
    frames: int  # frames of traffic (saturation is measured over these)
    frame: float  # seconds per frame
    saturated_frames: int
    delays: dict[str, dict[int, int]]  # tier -> {delay in frames: messages}
    dropped: dict[str, int]  # tier -> messages dropped by the dispatcher (queue full, LOW shed)
    stuck: int  # messages still queued when the drain gave up
    depth: dict[str, list[int]]  # tier -> messages queued on all peers after every SAMPLE_FRAMES-th frame

    @property
    def saturation(self) -> float:
        return self.saturated_frames / self.frames

    def percentile(self, p: float, tiers: tuple[str, ...] = WATCHED) -> float:
        """Queueing delay in ms at percentile p (0..1) over `tiers`, exact; 0 when nothing was sent."""
        counts = Counter()
        for tier in tiers:
            counts.update(self.delays[tier])
        total = sum(counts.values())
        if not total:
            return 0.0
        rank, seen = max(1, -(-total * p // 1)), 0
        for delay in sorted(counts):
            seen += counts[delay]
            if seen >= rank:
                return delay * self.frame * 1000
        raise AssertionError("unreachable: the ranks add up to total")

    def max_frames(self, tier: str) -> int:
        return max(self.delays[tier], default=0)


def _links(link: Link, clients: int, seed: int, frame: float, dispatcher: str) -> tuple[list[Channel], list[Channel]]:
    seq = [0]
    make = lambda i, way: Channel(link, random.Random(f"{seed}/{dispatcher}/{i}/{way}"), frame, seq)  # noqa: E731
    return [make(i, "up") for i in range(clients)], [make(i, "down") for i in range(clients)]


def run_dispatcher(dispatcher: str, sources: list[Source], *, clients: int, frames: int, link: Link, seed: int,
                   budget: int, queue_limit: int, frame: float = 1 / 60, drain_frames: int = 1800) -> Run:
    """Send `sources` for `frames` frames through `dispatcher`, then let queues drain (at most `drain_frames`)."""
    if dispatcher not in DISPATCHERS:
        raise ValueError(f"unknown dispatcher {dispatcher!r} (known: {', '.join(DISPATCHERS)})")
    recorder = Recorder(frames, clients)
    legacy = dispatcher == "netray"
    if legacy:
        queues = {peer: NetRayReceiver(recorder) for peer in (SERVER, *range(clients))}
    else:
        kind = TieredQueue if dispatcher == "tiered" else FifoQueue
        queues = {peer: kind(budget, queue_limit, recorder) for peer in (SERVER, *range(clients))}
    up, down = _links(link, clients, seed, frame, dispatcher)
    acc = {s.name: 1.0 for s in sources}
    cycle = max(1, round(NETRAY_CYCLE / frame))

    def send(blocks: list[Block], now: float) -> None:
        """Put released blocks on the wire: one packet per destination and reliability per frame."""
        packets: dict[tuple[int, int, bool], list[Block]] = {}
        for block in blocks:
            targets = range(clients) if block.to == ALL else [block.to]
            for target in targets:
                packets.setdefault((block.sender, target, block.source.reliable), []).append(block)
        for (sender, target, reliable), body in sorted(packets.items()):
            channel = up[sender] if target == SERVER else down[target]
            channel.send(now, "event", reliable, "", sender, tuple(body))

    def arrive(block: Block, at: int, frame_no: int) -> list[Block]:
        """A message reached peer `at`; returns what the peer sends at once (replies, legacy forwarding)."""
        if legacy:
            copy = Block(frame_no, block.count, block.source, block.sender, at, block.reply)
            queues[at].enqueue(copy)
            return []
        if at == SERVER and block.source.request:
            queues[SERVER].enqueue(Block(frame_no, block.count, block.source, SERVER, block.sender, reply=True))
        return []

    def handled(block: Block, frame_no: int) -> list[Block]:
        """The legacy receiver processed `block`: the server answers a request immediately."""
        if block.to == SERVER and block.source.request and not block.reply:
            return [Block(frame_no, block.count, block.source, SERVER, block.sender, reply=True)]
        return []

    depth: dict[str, list[int]] = {tier: [] for tier in TIERS}
    frame_no = 0
    while True:
        frame_no += 1
        now = frame_no * frame
        outgoing: list[Block] = []
        if frame_no <= frames:
            for source in sources:
                acc[source.name] += source.rate * frame
                count = 0
                while acc[source.name] >= 1:
                    acc[source.name] -= 1
                    count += 1
                if not count:
                    continue
                senders = range(clients) if source.intent else [SERVER]
                for sender in senders:
                    block = Block(frame_no, count, source, sender, SERVER if source.intent else ALL)
                    outgoing.append(block) if legacy else queues[sender].enqueue(block)
        for i in range(clients):
            for packet in up[i].due(now):
                for block in packet.body:
                    outgoing += arrive(block, SERVER, frame_no)
            for packet in down[i].due(now):
                for block in packet.body:
                    arrive(block, i, frame_no)
        if legacy:
            if frame_no % cycle == 0:
                for queue in queues.values():
                    for block in queue.flush(frame_no):
                        outgoing += handled(block, frame_no)
        else:
            for queue in queues.values():
                outgoing += queue.flush(frame_no)
        send(outgoing, now)
        if frame_no % SAMPLE_FRAMES == 0 and frame_no <= frames:
            for tier in TIERS:
                depth[tier].append(sum(q.tier_depth(tier) for q in queues.values()))
        pending = sum(q.pending() for q in queues.values()) + sum(len(c.queue) for c in (*up, *down))
        if frame_no >= frames and (pending == 0 or frame_no >= frames + drain_frames):
            break
    stuck = 0
    for queue in queues.values():
        for lane in TIERS:
            for block in queue.queues[lane]:
                recorder.left(block, frame_no)  # a lower bound of their wait
                stuck += block.count
    return Run(dispatcher, frames, frame, recorder.saturated_frames(),
               {tier: dict(sorted(c.items())) for tier, c in recorder.delays.items()},
               {tier: recorder.dropped[tier] for tier in TIERS}, stuck, depth)
