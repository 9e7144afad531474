"""Offline Roblox simulator: one server VM and N client VMs running the same modules, linked by simulated networks.

    sim = Simulator(seed=1, mounts=networking_mounts(config, Path(".")))  # both Luau modules, where Rojo puts them
    alice = sim.add_client("Alice", link=Link(latency=0.05, jitter=0.01, loss=0.2))
    sim.server.exec('...')          # runs in a scheduler thread, may yield
    sim.run_for(2.0)                 # 60 Hz virtual frames
    alice.eval("return _G.received")  # converted to Python
"""

from __future__ import annotations

import json
import random
import uuid
from pathlib import Path
from typing import Any, Callable, Mapping

import pluau

from .convert import flatten, lua_str, parse, unpacked
from .errors import from_text
from .host import FRAME, LuauHost
from .network import Channel, Link, Packet

_String = pluau.String


# What Roblox never replicates to clients: a client VM does not get what is mounted there.
SERVER_ONLY_SERVICES = frozenset({"ServerScriptService", "ServerStorage"})


class SimulationTimeout(AssertionError):
    """run_until() reached its timeout before the predicate became true."""


def _portable(tokens) -> tuple:
    """Tokens from one VM made safe for another (Luau strings become Python str/bytes)."""
    return tuple(lua_str(t) if type(t) is _String else t for t in tokens)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        if not value:
            return []
        return {k if isinstance(k, str) else str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise ValueError(f"cannot JSON-encode a {type(value).__name__}")


class VM(LuauHost):
    """One simulated peer (server or client): a LuauHost with Roblox services and remotes."""

    def __init__(self, sim: "Simulator", *, is_server: bool, name: str, user_id: int = 0, echo: bool = False):
        self.sim = sim
        self.is_server = is_server
        self.user_id = user_id
        self.player_name = name
        self._guid_rng = random.Random(f"{sim.seed}/{name}")
        super().__init__(name=name, echo=echo, extra_runtime=("services",), setup=self._setup)
        # The VM seeds math.random from the wall clock; the runtime draws retry jitter from it, so an unseeded VM
        # made request timing (and every test counting retries) differ from run to run.
        self.lua.globals().get("math").get("randomseed")(random.Random(f"{sim.seed}/{name}/math").getrandbits(31))
        for path, folder in sim.mounts.items():
            if is_server or path.split("/")[0] not in SERVER_ONLY_SERVICES:
                self.mount(path, folder)

    def _setup(self, _host: LuauHost, rt: Any) -> None:
        lua = self.lua
        rt.set("isServer", self.is_server)
        sim, me = self.sim, self

        def net_send(_lua, args):
            path, target, reliable, size = str(args[0]), int(args[1]), bool(args[2]), int(args[3])
            sim._send(me, path, target, reliable, size, _portable(unpacked(args[4:])))

        def replicate(_lua, args):
            sim._replicate(_portable(args))

        def guid(_lua, args):
            text = str(uuid.UUID(int=me._guid_rng.getrandbits(128), version=4)).upper()
            return ["{" + text + "}" if args and args[0] else text]

        def json_encode(_lua, args):
            value = parse(list(args))[0]
            return [json.dumps(_jsonable(value), allow_nan=False, separators=(",", ":"), ensure_ascii=False)]

        def json_decode(_lua, args):
            try:
                value = json.loads(lua_str(args[0]))
            except (ValueError, TypeError) as exc:
                return [None, str(exc)]
            toks: list = [1]
            flatten(lua, value, toks)
            return toks

        def kick(_lua, args):
            sim._kicks.append((int(args[0]), str(args[1])))

        for key, fn in (("netSend", net_send), ("pyReplicate", replicate), ("pyGuid", guid),
                        ("pyJsonEncode", json_encode), ("pyJsonDecode", json_decode), ("pyKick", kick)):
            rt.set(key, lua.create_function(fn))

    @property
    def player(self) -> Any:
        """This client's Player instance (Players.LocalPlayer), None on the server."""
        return None if self.is_server else self.find(f"Players/{self.player_name}")

    def __repr__(self) -> str:
        return f"<VM {'server' if self.is_server else 'client ' + self.player_name}>"


class Simulator:
    """A server, clients joined with `add_client`, and a virtual clock stepped in 60 Hz frames.

    seed: drives every random choice (links, GUIDs) so runs are reproducible.
    mounts: {"Service/Path": folder} mounted identically on every VM (server and clients).
    unreliable_max_bytes: UnreliableRemoteEvent payloads estimated larger than this are dropped.
    """

    def __init__(self, seed: int = 0, mounts: Mapping[str, Path | str] | None = None, *, frame: float = FRAME,
                 unreliable_max_bytes: int = 900, echo: bool = False):
        self.seed = seed
        self.mounts = {k: Path(v) for k, v in (mounts or {}).items()}
        self.frame = frame
        self.unreliable_max_bytes = unreliable_max_bytes
        self.echo = echo
        self.time = 0.0
        self.frame_count = 0
        self.trace: list[tuple] = []
        self.clients: list[VM] = []
        self._up: dict[int, Channel] = {}  # user id -> client->server channel
        self._down: dict[int, Channel] = {}  # user id -> server->client channel
        self._links: dict[int, Link] = {}
        self._seq = [0]
        self._kicks: list[tuple[int, str]] = []
        self._raw: dict[int, tuple[Any, Any]] = {}  # raw player's user id -> (calls chunk, its fire function)
        self._next_user_id = 1
        self.server = VM(self, is_server=True, name="Server", echo=echo)

    # ------------------------------------------------------------------ peers
    def add_client(self, name: str | None = None, *, user_id: int | None = None, link: Link | None = None) -> VM:
        """Join a player: creates the client VM (mounts, replicated instances, Players) and fires PlayerAdded on the server."""
        if user_id is None:
            user_id = self._next_user_id
        self._next_user_id = max(self._next_user_id, user_id) + 1
        name = name or f"Player{user_id}"
        if any(c.user_id == user_id or c.player_name == name for c in self.clients):
            raise ValueError(f"a client named {name!r} or with UserId {user_id} already exists")
        link = link or Link()
        client = VM(self, is_server=False, name=name, user_id=user_id, echo=self.echo)
        client.time = 0.0
        snapshot = _portable(self.server._rt.get("snapshot")())
        if snapshot:
            client._rt.get("applyReplication")("add", *snapshot)
        for other in self.clients:
            client._rt.get("addPlayer")(other.user_id, other.player_name, False)
        client._rt.get("addPlayer")(user_id, name, True)
        self._links[user_id] = link
        # One generator per direction and client: a link's losses must not depend on the order in which the
        # server happens to serve its players (Luau iterates tables keyed by Player in address order).
        self._up[user_id] = Channel(link, random.Random(f"{self.seed}/{name}/up"), self.frame, self._seq)
        self._down[user_id] = Channel(link, random.Random(f"{self.seed}/{name}/down"), self.frame, self._seq)
        for other in self.clients:
            self._down[other.user_id].send(self.time, "player-add", True, "", 0, (user_id, name))
        self.clients.append(client)
        self.server._rt.get("addPlayer")(user_id, name, False)
        self.trace.append((self.frame_count, "join", name))
        return client

    def add_raw_player(self, name: str, calls: str) -> int:
        """Join a player without a client VM (what the server sends it goes nowhere) and return its UserId.

        Every frame, before any client's packets are delivered, the Luau chunk `calls` runs on the server VM with
        `fire` as its argument (`local fire = ...`); `fire(remote, ...)` invokes the remote as this player with
        those values as they are, as an exploit calling FireServer would, without the cost of carrying them
        through the simulated network. For flooding tests at the rate a hostile client can reach.
        """
        user_id = self._next_user_id
        self._next_user_id += 1
        self.server._rt.get("addPlayer")(user_id, name, False)
        self._raw[user_id] = (self.server.compile(calls, name), self.server._rt.get("rawFire")(user_id)[0])
        self.trace.append((self.frame_count, "join", name))
        return user_id

    def remove_raw_player(self, user_id: int) -> None:
        """The raw player leaves: its calls stop and PlayerRemoving fires on the server."""
        if self._raw.pop(user_id, None) is not None:
            self.server._rt.get("removePlayer")(user_id)
            self.trace.append((self.frame_count, "leave", str(user_id)))

    def remove_client(self, client: VM | str) -> None:
        """The player leaves: PlayerRemoving fires on the server (and other clients), its traffic is discarded."""
        client = self.client(client) if isinstance(client, str) else client
        if client not in self.clients:
            return
        self.clients.remove(client)
        self._up.pop(client.user_id)
        self._down.pop(client.user_id)
        self.server._rt.get("removePlayer")(client.user_id)
        for other in self.clients:
            self._down[other.user_id].send(self.time, "player-remove", True, "", 0, (client.user_id,))
        self.trace.append((self.frame_count, "leave", client.player_name))
        client.close()

    def client(self, name: str) -> VM:
        for c in self.clients:
            if c.player_name == name:
                return c
        raise KeyError(name)

    @property
    def vms(self) -> list[VM]:
        return [self.server, *self.clients]

    # ------------------------------------------------------------------ traffic (called from Luau)
    def _send(self, vm: VM, path: str, target: int, reliable: bool, size: int, tokens: tuple) -> None:
        if vm.is_server:
            channels = [(uid, ch) for uid, ch in self._down.items() if target == -1 or uid == target]
            direction = "down"
        else:
            channels = [(vm.user_id, self._up[vm.user_id])] if vm.user_id in self._up else []
            direction = "up"
        for uid, ch in channels:
            who = self._name_of(uid)
            if not reliable and size > self.unreliable_max_bytes:
                ch.drop_oversize(size)
                self.trace.append((self.frame_count, "drop-size", who, direction, path, size))
                vm._emit("warn", f"UnreliableRemoteEvent {path}: payload of {size} bytes exceeds the "
                                 f"{self.unreliable_max_bytes} byte limit and was dropped")
                continue
            events = ch.send(self.time, "event", reliable, path, vm.user_id, tokens, size)
            for ev in events:
                self.trace.append((self.frame_count, ev, who, direction, path, size))

    def _replicate(self, body: tuple) -> None:
        for ch in self._down.values():
            ch.send(self.time, "replicate", True, "", 0, body)

    def _name_of(self, user_id: int) -> str:
        for c in self.clients:
            if c.user_id == user_id:
                return c.player_name
        return str(user_id)

    # ------------------------------------------------------------------ time
    def _deliver(self, packet: Packet, vm: VM, direction: str, who: str) -> None:
        rt = vm._rt
        if packet.kind == "event":
            body = tuple(vm.lua.create_string(t) if type(t) is bytes else t for t in packet.body)
            self.trace.append((self.frame_count, "deliver", who, direction, packet.path, packet.size))
            rt.get("deliver")(packet.path, packet.sender, *body)
        elif packet.kind == "replicate":
            rt.get("applyReplication")(*packet.body)
        elif packet.kind == "player-add":
            rt.get("addPlayer")(packet.body[0], packet.body[1], False)
        elif packet.kind == "player-remove":
            rt.get("removePlayer")(packet.body[0])

    def step(self, frames: int = 1) -> None:
        """Advance `frames` frames: deliver due packets, then step every VM (Stepped, timers, Heartbeat, deferred)."""
        for _ in range(frames):
            self.frame_count += 1
            self.time = self.frame_count * self.frame
            for chunk, fire in list(self._raw.values()):
                try:
                    chunk(fire)
                except RuntimeError as exc:
                    raise from_text(str(exc)) from None
            for client in list(self.clients):
                up, down = self._up.get(client.user_id), self._down.get(client.user_id)
                if up is None or down is None:
                    continue
                for packet in up.due(self.time):
                    up.delivered(packet)
                    self._deliver(packet, self.server, "up", client.player_name)
                for packet in down.due(self.time):
                    down.delivered(packet)
                    self._deliver(packet, client, "down", client.player_name)
            for vm in self.vms:
                vm.step(self.frame, server_time=self.time)
            if self._kicks:
                kicks, self._kicks = self._kicks, []
                for uid, _message in kicks:
                    for c in list(self.clients):
                        if c.user_id == uid:
                            self.remove_client(c)

    def run_for(self, seconds: float) -> None:
        """Step whole frames covering `seconds` of virtual time."""
        self.step(max(0, round(seconds / self.frame)))

    def run_until(self, predicate: Callable[[], Any], timeout: float = 10.0) -> int:
        """Step until predicate() is truthy (checked before each frame); returns frames stepped.

        Raises SimulationTimeout after `timeout` virtual seconds.
        """
        limit = max(1, round(timeout / self.frame))
        for n in range(limit + 1):
            if predicate():
                return n
            if n < limit:
                self.step()
        raise SimulationTimeout(f"condition not met within {timeout} s of virtual time")

    # ------------------------------------------------------------------ inspection
    def stats(self) -> dict[str, dict[str, Any]]:
        """Per client: {"up": {"reliable": counters, "unreliable": counters, "in_flight": n}, "down": {...}}."""
        return {c.player_name: {"up": self._up[c.user_id].snapshot(), "down": self._down[c.user_id].snapshot()} for c in self.clients}

    def errors(self) -> dict[str, list[str]]:
        """Errors captured in each VM (handlers, threads), keyed by VM name."""
        return {vm.name: list(vm.errors) for vm in self.vms}

    def chat(self, client: VM | str, text: str) -> int:
        """A player sends a chat message: fires matching TextChatCommand.Triggered on the server and on that client."""
        client = self.client(client) if isinstance(client, str) else client
        fired = 0
        for vm in (self.server, client):
            fired += int(vm._rt.get("chat")(client.user_id, client.player_name, text)[0])
            vm._rt.get("runDeferred")()
        return fired

    def close(self) -> None:
        for vm in self.vms:
            vm.close()

    def __enter__(self) -> "Simulator":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
