"""Lint throughput benchmark: a generated, realistic Luau game tree and the lines/second `lint_sources` reaches on it."""

from __future__ import annotations

import random
import time

from ..config import LintSettings
from .engine import lint_sources

_FUNCTION = '''
local function {name}(entity: Entity, dt: number): number
	local total = 0
	for index, item in ipairs(entity.items) do
		if item.kind == "{word}" then
			total += item.power * dt
		elseif item.kind == nil then
			continue
		end
		local label = `{{entity.name}} #{{index}}`
		entity.labels[index] = if total > {num} then label else nil
	end
	-- {word}: keep the {other} in sync with the server
	return total
end
'''
_TYPES = '''
export type Entity = {{
	name: string,
	items: {{ {{ kind: string?, power: number }} }},
	labels: {{ [number]: string? }},
	{word}: boolean,
}}
'''
_TABLE = '''
local {name}_CONFIG = {{
	{word} = {num},
	{other} = "{word}_{num}",
	nested = {{ a = 1, b = 2, c = {{ {num}, {num}, {num} }} }},
}}
'''


def _client_call(rng: random.Random, net: dict) -> str:
    channel = rng.choice(sorted(net))
    intents = [m for m, kind in net[channel].items() if kind == "intent"]
    events = [m for m, kind in net[channel].items() if kind == "event"]
    if intents and rng.random() < 0.5:
        return f"\tNet.{channel}.{rng.choice(intents)}.send({{ id = {rng.randint(1, 99)} }})\n"
    if events:
        return f"\tNet.{channel}.{rng.choice(events)}.on(function(payload) print(payload) end)\n"
    return f'\tNet.send("{channel}", "{rng.choice(intents)}", {{}})\n'


def _server_call(rng: random.Random, net: dict) -> str:
    channel = rng.choice(sorted(net))
    intents = [m for m, kind in net[channel].items() if kind == "intent"]
    events = [m for m, kind in net[channel].items() if kind == "event"]
    if events and rng.random() < 0.6:
        return f"\tNet.{channel}.{rng.choice(events)}.fireAll({{ value = {rng.randint(1, 99)} }})\n"
    if intents:
        return f"\tNet.{channel}.{rng.choice(intents)}.on(function(player, payload) return nil end)\n"
    return f'\tNet.fireAll("{channel}", "{rng.choice(events)}", {{}})\n'


_DEFAULT_NET = {
    "Skills": {"CastSkill": "intent", "CancelCast": "intent", "SkillCast": "event", "SkillHit": "event"},
    "EntityInfo": {"InspectEntity": "intent", "EntitySpawned": "event", "EntityDespawned": "event", "EntityMoved": "event"},
    "Stats": {"RequestStats": "intent", "StatsChanged": "event"},
}
_WORDS = ("sword", "shield", "potion", "dungeon", "boss", "loot", "mana", "rune", "torch", "chest", "trap", "goblin")


def generate_codebase(lines: int, seed: int, net: dict[str, dict[str, str]] | None = None) -> dict[str, str]:
    """About `lines` lines of typed Luau in src/client, src/server and src/shared (about 300 lines a file)."""
    rng = random.Random(seed)
    net = net or _DEFAULT_NET
    files: dict[str, str] = {}
    total = 0
    index = 0
    while total < lines:
        side = ("client", "server", "shared")[index % 3]
        parts = ["--!strict\n", f"-- {side} module {index}: generated for the lint benchmark\n",
                 'local ReplicatedStorage = game:GetService("ReplicatedStorage")\n']
        if side != "shared" or rng.random() < 0.5:
            parts.append('local Net = require(ReplicatedStorage:WaitForChild("Generated"):WaitForChild("Networking"))\n')
        parts.append(_TYPES.format(word=rng.choice(_WORDS)))
        size = 14
        while size < 300:
            word, other = rng.choice(_WORDS), rng.choice(_WORDS)
            name = f"{word}{rng.randint(0, 9999)}"
            piece = rng.choice((_FUNCTION, _FUNCTION, _TABLE)).format(name=name, word=word, other=other, num=rng.randint(1, 500))
            if side != "shared" and "Net" in parts[-1] + parts[3] and rng.random() < 0.5:
                call = _client_call(rng, net) if side == "client" else _server_call(rng, net)
                piece = piece.replace("\treturn total\n", call + "\treturn total\n", 1)
            parts.append(piece)
            size += piece.count("\n")
        parts.append("\nreturn {}\n")
        text = "".join(parts)
        files[f"src/{side}/Module{index:05d}.luau"] = text
        total += text.count("\n")
        index += 1
    return files


def _net_of(manifest: dict) -> dict[str, dict[str, str]]:
    return {c["name"]: {m["name"]: m["kind"] for m in c["messages"]} for c in manifest.get("channels", []) if c.get("messages")}


def measure(manifest: dict, *, lines: int = 200_000, seed: int = 1, repeat: int = 3) -> dict:
    """Best-of-`repeat` throughput of `lint_sources` over a generated tree (single thread)."""
    files = generate_codebase(lines, seed, _net_of(manifest) or None)
    total_lines = sum(text.count("\n") for text in files.values())
    settings = LintSettings()
    best = float("inf")
    findings = 0
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        findings = len(lint_sources(manifest, files, settings))
        best = min(best, time.perf_counter() - started)
    return {
        "files": len(files),
        "lines": total_lines,
        "bytes": sum(len(text) for text in files.values()),
        "seconds": round(best, 4),
        "lines_per_second": round(total_lines / best) if best > 0 else None,
        "findings": findings,
    }


if __name__ == "__main__":  # python -m luaugen.lint.bench [manifest.json]
    import json
    import sys

    from .manifest import load_manifest

    data = load_manifest(sys.argv[1]) if len(sys.argv) > 1 else {"channels": [], "format": 1, "generator": "luaugen"}
    print(json.dumps(measure(data), indent=2))
