"""Drive the Luau packed codecs of a conformance project in the VM, batch by batch, beside the Python mirror's."""

from __future__ import annotations

import importlib
from typing import Any

from .projects import Project

LUAU_RUNNER = """
local Packed = require(game.ReplicatedStorage.Networking.Packed)
local Packing = require(game.ReplicatedStorage.Networking.Runtime.Packing)
-- Payload validators live in two halves: the server's checks of intents, the shared module's of events.
local payloads = {}
for _, half in { require(game.ReplicatedStorage.Networking.Validators), require(game.ServerScriptService.NetworkingServer.Validators) } do
	for channel, messages in half do
		payloads[channel] = payloads[channel] or {}
		for name, validate in messages do
			payloads[channel][name] = validate
		end
	end
end
local validators = { payloads = payloads, replies = require(game.ReplicatedStorage.Networking.ReplyValidators) }

local function encodeAll(channel, which, message, items, n)
	local codec = Packed[channel][which][message]
	local out = table.create(n)
	for i = 1, n do
		local ok, b = pcall(Packing.encode, codec, items[i])
		out[i] = if ok then buffer.tostring(b) else "THREW: " .. tostring(b)
	end
	return out
end

-- Decode each byte string (with the instances of `sources[i]`, packed again here) and pack the result again;
-- a rejected buffer answers its error, an accepted one its validator's verdict and its bytes packed again.
local function decodeAll(channel, which, message, blobs, sources, n)
	local codec = Packed[channel][which][message]
	local validate = validators[which][channel][message]
	local out = table.create(n)
	for i = 1, n do
		local _, inst = Packing.encode(codec, sources[i])
		local ok, value = Packing.decode(codec, buffer.fromstring(blobs[i]), inst)
		if not ok then
			out[i] = { false, value }
		else
			local valid, why = validate(value)
			local packed, again = pcall(Packing.encode, codec, value)
			out[i] = { true, if valid then "" else why, if packed and valid then buffer.tostring(again) else "" }
		end
	end
	return out
end

return { encodeAll = encodeAll, decodeAll = decodeAll }
"""


def as_bytes(value: Any) -> bytes:
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


class Codecs:
    """The two codecs of one project."""

    def __init__(self, project: Project):
        self.project = project
        package = project.mirror.__name__
        self.codec = importlib.import_module(f"{package}.codec")
        runner = project.host.eval(LUAU_RUNNER, name="codecs")
        self._encode_all, self._decode_all = runner.get("encodeAll"), runner.get("decodeAll")

    def layout(self, channel: str, message: str, reply: bool) -> tuple:
        return (self.codec.REPLIES if reply else self.codec.PAYLOADS)[channel][message]

    def luau_encode(self, channel: str, message: str, reply: bool, batch: list) -> list[bytes]:
        out = self.project.host.call(self._encode_all, channel, "replies" if reply else "payloads", message, batch,
                                     len(batch))
        return [as_bytes(x) for x in out]

    def luau_decode(self, channel: str, message: str, reply: bool, blobs: list[bytes], sources: list) -> list:
        """Per blob: (False, error) or (True, validator verdict, bytes packed again when valid)."""
        out = self.project.host.call(self._decode_all, channel, "replies" if reply else "payloads", message,
                                     list(blobs), sources, len(blobs))
        return [(False, str(r[1])) if not r[0] else (True, str(r[1]), as_bytes(r[2])) for r in out]

    def python_decode(self, channel: str, message: str, reply: bool, blobs: list[bytes], sources: list) -> list:
        layout = self.layout(channel, message, reply)
        validators = self.project.mirror.validators
        validate = (validators.REPLY_VALIDATORS if reply else validators.VALIDATORS)[channel][message]
        out = []
        for blob, source in zip(blobs, sources):
            _, instances = self.codec.encode(layout, source)
            try:
                value = self.codec.decode(layout, blob, instances)
            except self.codec.DecodeError as exc:
                out.append((False, str(exc)))
                continue
            ok, why = validate(value)
            out.append((True, "" if ok else why, self.codec.encode(layout, value)[0] if ok else b""))
        return out
