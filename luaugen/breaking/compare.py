"""Classify every difference between two manifests as breaking or compatible.

The model: a value crosses the wire from a *writer* to a *reader*, and the reader's validator rejects anything outside
its contract (including unknown struct fields). A change is compatible when every value an old peer can exchange with
the new build still passes validation:

* client→server payloads (and the replies of server→client requests) are read by the new server and written by old
  clients, so the new contract must accept at least what the old one did: widening is compatible, narrowing breaks.
* server→client payloads (and the replies of client→server requests) are written by the new server and read by old
  clients, so the new contract may only send what the old one accepted: narrowing is compatible, widening breaks.

Each type difference is described by its *effect* on the set of valid values (same, wider, narrower, or neither), and
the direction turns that effect into breaking (error) or compatible (info). Structural changes (removed channels or
messages, kind/direction/reliability/id changes, reply added or removed) break in every direction; QoS, rate, retry,
replay and timeout are delivery settings and are reported as compatible.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Iterator

from ..diagnostics import Diagnostic, Severity, Span
from ..model.roblox_classes import is_a

C2S = "client_to_server"
S2C = "server_to_client"


class ManifestError(ValueError):
    """The input is not a manifest this tool understands."""


class Effect(Enum):
    SAME = "same"  # the set of valid values did not change (e.g. integer format renamed, range unchanged)
    WIDER = "wider"  # the new contract accepts a superset of the old one
    NARROWER = "narrower"  # the new contract accepts a subset of the old one
    INCOMPATIBLE = "incompatible"  # neither: values valid on one side are invalid on the other, both ways

    def combine(self, other: "Effect") -> "Effect":
        if self is other or other is Effect.SAME:
            return self
        if self is Effect.SAME:
            return other
        return Effect.INCOMPATIBLE


class Side(str, Enum):
    OLD = "old"
    NEW = "new"


@dataclass(frozen=True)
class Change:
    """One classified difference; `side` says which manifest the span (and so the source snippet) comes from."""

    diagnostic: Diagnostic
    side: Side

    @property
    def breaking(self) -> bool:
        return self.diagnostic.is_error


# Rule ids → (what the change is, hint). Severity is decided per change (direction-aware rules).
RULES: dict[str, str] = {
    "channel-removed": "keep the channel (it can stay unused) until no live server or client relies on it",
    "channel-added": "",
    "channel-id-changed": "restore the channel's previous id: the manifest (lock file) at the old revision records it",
    "channel-id-reused": "a retired id must never be reused; let the compiler assign a fresh one",
    "channel-reliability-changed": "reliable and unreliable channels use different remotes; add a new channel instead",
    "channel-qos-changed": "",
    "channel-rate-changed": "",
    "channel-replay-changed": "",
    "message-removed": "keep the message (deprecated) until no live peer sends or expects it",
    "message-added": "",
    "message-id-changed": "restore the message's previous id: the manifest (lock file) at the old revision records it",
    "message-id-reused": "a retired id must never be reused; let the compiler assign a fresh one",
    "message-kind-changed": "add a new message with the new kind instead of changing this one",
    "message-direction-changed": "add a new message for the other direction instead of changing this one",
    "message-reliability-changed": "reliable and unreliable messages use different remotes; add a new message instead",
    "message-qos-changed": "",
    "message-rate-changed": "",
    "message-retry-changed": "",
    "message-timeout-changed": "",
    "reply-added": "callers of the old contract do not wait for a reply; add a new request message instead",
    "reply-removed": "callers of the old contract wait for a reply that never comes; add a new message instead",
    "field-removed": "keep the field (optional, ignored) until no old peer sends or expects it",
    "field-added": "",
    "field-made-required": "",
    "field-made-optional": "",
    "type-kind-changed": "add a new field with the new type and deprecate this one",
    "integer-range-changed": "",
    "number-format-changed": "",
    "number-range-changed": "",
    "number-finite-changed": "",
    "string-length-changed": "",
    "array-length-changed": "",
    "map-entries-changed": "",
    "enum-values-removed": "",
    "enum-values-added": "",
    "union-tag-changed": "the tag field name is part of every value; keep the old one",
    "union-variant-removed": "",
    "union-variant-added": "",
    "instance-class-changed": "",
}

_DIRECTIONAL_HINT = {
    "reader-new": "the server validates what old clients send: only widen what it accepts",
    "reader-old": "old clients validate what the server sends: only narrow what it sends, or add a new message",
}


def compare(old_manifest: dict, new_manifest: dict) -> list[Diagnostic]:
    """Every difference between the two contracts; breaking ones are errors, compatible ones are infos."""
    return [change.diagnostic for change in compare_changes(old_manifest, new_manifest)]


def compare_changes(old_manifest: dict, new_manifest: dict) -> list[Change]:
    check_manifest(old_manifest, "old")
    check_manifest(new_manifest, "new")
    return list(_Comparer().manifests(old_manifest, new_manifest))


def summarize(diagnostics: list[Diagnostic]) -> tuple[int, int]:
    """(breaking, compatible) counts."""
    breaking = sum(1 for d in diagnostics if d.is_error)
    return breaking, len(diagnostics) - breaking


def check_manifest(manifest: Any, label: str) -> None:
    """Raise ManifestError unless `manifest` has the shape compare() walks."""
    if not isinstance(manifest, dict):
        raise ManifestError(f"{label} manifest: expected a JSON object, got {type(manifest).__name__}")
    if manifest.get("format") != 1:
        raise ManifestError(f"{label} manifest: unsupported format {manifest.get('format')!r} (expected 1)")
    channels = manifest.get("channels")
    if not isinstance(channels, list):
        raise ManifestError(f"{label} manifest: 'channels' must be a list")
    for channel in channels:
        if not isinstance(channel, dict) or not isinstance(channel.get("name"), str) or not isinstance(channel.get("messages"), list):
            raise ManifestError(f"{label} manifest: every channel needs a 'name' and a 'messages' list")
        for message in channel["messages"]:
            if not isinstance(message, dict) or not isinstance(message.get("name"), str) or not isinstance(message.get("payload"), dict):
                raise ManifestError(f"{label} manifest: channel {channel['name']!r} has a message without 'name' or 'payload'")


def _span(*sources: Any) -> tuple[Span | None, Side]:
    """The first usable source location, in (new, old) order as given by the caller."""
    for side, source in sources:
        if isinstance(source, dict) and isinstance(source.get("path"), str):
            return Span(source["path"], int(source.get("line") or 1), int(source.get("col") or 1)), side
        if isinstance(source, str) and source:
            return Span(source, 1, 1), side
    return None, Side.NEW


def _fmt(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={_fmt(v)}" for k, v in sorted(value.items())) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _interval(lo: Any, hi: Any) -> str:
    return f"[{'-inf' if lo is None else lo}, {'+inf' if hi is None else hi}]"


def _range_effect(old_lo: Any, old_hi: Any, new_lo: Any, new_hi: Any) -> Effect:
    """Compare closed intervals; None is unbounded on that side."""
    def lo_le(a: Any, b: Any) -> bool:  # a allows at least as low as b
        return a is None or (b is not None and a <= b)

    def hi_ge(a: Any, b: Any) -> bool:
        return a is None or (b is not None and a >= b)

    if (old_lo, old_hi) == (new_lo, new_hi):
        return Effect.SAME
    wider = lo_le(new_lo, old_lo) and hi_ge(new_hi, old_hi)
    narrower = lo_le(old_lo, new_lo) and hi_ge(old_hi, new_hi)
    if wider and narrower:
        return Effect.SAME
    if wider:
        return Effect.WIDER
    if narrower:
        return Effect.NARROWER
    return Effect.INCOMPATIBLE


def _set_effect(old: set, new: set) -> Effect:
    if old == new:
        return Effect.SAME
    if old < new:
        return Effect.WIDER
    if new < old:
        return Effect.NARROWER
    return Effect.INCOMPATIBLE


_NUMBER_FORMAT_RANK = {"f32": 0, "f64": 1, "number": 1}


class _Comparer:
    def __init__(self) -> None:
        self._ctx_span: tuple[Span | None, Side] = (None, Side.NEW)

    # -- emitting ------------------------------------------------------------------------------------------------

    def _emit(self, code: str, breaking: bool, message: str, where: tuple[Span | None, Side] | None = None,
              hint: str | None = None) -> Change:
        span, side = where if where is not None else self._ctx_span
        if hint is None and breaking:
            hint = RULES.get(code) or None
        severity = Severity.ERROR if breaking else Severity.INFO
        label = "breaking" if breaking else "compatible"
        return Change(Diagnostic(code, severity, f"{label}: {message}", span, hint if breaking else None), side)

    def _directional(self, code: str, effect: Effect, reader_is_new: bool, message: str,
                     hint: str | None = None) -> Iterator[Change]:
        """Emit a change to a type whose validity depends on who validates it."""
        if effect is Effect.INCOMPATIBLE:
            breaking = True
        elif effect is Effect.SAME:
            breaking = False
        elif reader_is_new:
            breaking = effect is Effect.NARROWER
        else:
            breaking = effect is Effect.WIDER
        hint = hint or RULES.get(code) or _DIRECTIONAL_HINT["reader-new" if reader_is_new else "reader-old"]
        reader = "new server validates" if reader_is_new else "old clients validate"
        yield self._emit(code, breaking, f"{message} ({effect.value}; {reader})", hint=hint)

    # -- manifest / channels -------------------------------------------------------------------------------------

    def manifests(self, old: dict, new: dict) -> Iterator[Change]:
        old_channels = {c["name"]: c for c in old["channels"]}
        new_channels = {c["name"]: c for c in new["channels"]}
        old_by_id = {c.get("id"): c["name"] for c in old["channels"]}
        old_retired = {v: k for k, v in ((old.get("retired") or {}).get("channels") or {}).items()}
        old_retired_msgs = (old.get("retired") or {}).get("messages") or {}
        for name, channel in old_channels.items():
            if name not in new_channels:
                where = _span((Side.OLD, channel.get("source")))
                renamed = [c["name"] for c in new["channels"] if c.get("id") == channel.get("id") and c["name"] not in old_channels]
                hint = RULES["channel-removed"] + (f" (a new channel {renamed[0]!r} now has its id: a rename is a removal plus an addition)" if renamed else "")
                yield self._emit("channel-removed", True, f"channel {name!r} was removed", where, hint)
        for name, channel in new_channels.items():
            where = _span((Side.NEW, channel.get("source")))
            if name not in old_channels:
                yield self._emit("channel-added", False, f"channel {name!r} was added", where)
                cid = channel.get("id")
                previous = old_by_id.get(cid) if old_by_id.get(cid) not in new_channels else None
                previous = previous or old_retired.get(cid)
                if previous is not None and previous != name:
                    yield self._emit("channel-id-reused", True,
                                     f"channel {name!r} reuses id {cid}, which belonged to channel {previous!r}", where)
                continue
            yield from self._channel(old_channels[name], channel, where, old_retired_msgs)

    def _channel(self, old: dict, new: dict, where: tuple[Span | None, Side], old_retired_msgs: dict) -> Iterator[Change]:
        name = new["name"]
        if old.get("id") != new.get("id"):
            yield self._emit("channel-id-changed", True, f"channel {name!r} id changed from {old.get('id')} to {new.get('id')}", where)
        reliability_changed = old.get("reliable") != new.get("reliable")
        if reliability_changed:
            yield self._emit("channel-reliability-changed", True,
                             f"channel {name!r} changed from {_reliability(old)} to {_reliability(new)}", where)
        for key, code in (("qos", "channel-qos-changed"), ("rate", "channel-rate-changed"), ("replay", "channel-replay-changed")):
            if old.get(key) != new.get(key):
                yield self._emit(code, False, f"channel {name!r} {key} changed from {_fmt(old.get(key))} to {_fmt(new.get(key))}", where)
        old_msgs = {m["name"]: m for m in old["messages"]}
        new_msgs = {m["name"]: m for m in new["messages"]}
        old_by_id = {m.get("id"): m["name"] for m in old["messages"]}
        retired = {v: k.split(".", 1)[1] for k, v in old_retired_msgs.items() if k.split(".", 1)[0] == name and "." in k}
        for mname, msg in old_msgs.items():
            if mname not in new_msgs:
                mwhere = _span((Side.OLD, msg.get("source")))
                renamed = [m["name"] for m in new["messages"] if m.get("id") == msg.get("id") and m["name"] not in old_msgs]
                hint = RULES["message-removed"] + (f" (message {renamed[0]!r} now has its id: a rename is a removal plus an addition)" if renamed else "")
                yield self._emit("message-removed", True, f"message {name}.{mname} was removed", mwhere, hint)
        for mname, msg in new_msgs.items():
            mwhere = _span((Side.NEW, msg.get("source")), (Side.OLD, (old_msgs.get(mname) or {}).get("source")))
            if mname not in old_msgs:
                yield self._emit("message-added", False, f"message {name}.{mname} was added ({msg.get('direction')})", mwhere)
                mid = msg.get("id")
                previous = old_by_id.get(mid) if old_by_id.get(mid) not in new_msgs else None
                previous = previous or retired.get(mid)
                if previous is not None and previous != mname:
                    yield self._emit("message-id-reused", True,
                                     f"message {name}.{mname} reuses id {mid}, which belonged to {name}.{previous}", mwhere)
                continue
            channel_flip = (old.get("reliable"), new.get("reliable")) if reliability_changed else None
            yield from self._message(f"{name}.{mname}", old_msgs[mname], msg, mwhere, channel_flip)

    # -- messages ------------------------------------------------------------------------------------------------

    def _message(self, path: str, old: dict, new: dict, where: tuple[Span | None, Side],
                 channel_flip: tuple[Any, Any] | None) -> Iterator[Change]:
        self._ctx_span = where
        if old.get("id") != new.get("id"):
            yield self._emit("message-id-changed", True, f"message {path} id changed from {old.get('id')} to {new.get('id')}")
        if old.get("kind") != new.get("kind"):
            yield self._emit("message-kind-changed", True, f"message {path} kind changed from {old.get('kind')} to {new.get('kind')}")
        direction_changed = old.get("direction") != new.get("direction")
        if direction_changed:
            yield self._emit("message-direction-changed", True,
                             f"message {path} direction changed from {old.get('direction')} to {new.get('direction')}")
        if old.get("reliable") != new.get("reliable") and channel_flip != (old.get("reliable"), new.get("reliable")):
            yield self._emit("message-reliability-changed", True,
                             f"message {path} changed from {_reliability(old)} to {_reliability(new)}")
        for key, code in (("qos", "message-qos-changed"), ("rate", "message-rate-changed"),
                          ("retry", "message-retry-changed"), ("timeout", "message-timeout-changed")):
            if old.get(key) != new.get(key):
                yield self._emit(code, False, f"message {path} {key} changed from {_fmt(old.get(key))} to {_fmt(new.get(key))}")
        if direction_changed:
            return  # every value now flows the other way; field-by-field comparison would only add noise
        payload_reader_is_new = new.get("direction") != S2C
        yield from self._type(f"{path}.payload", old["payload"], new["payload"], payload_reader_is_new)
        old_reply, new_reply = old.get("reply"), new.get("reply")
        if old_reply is None and new_reply is not None:
            yield self._emit("reply-added", True, f"message {path} now has a reply")
        elif old_reply is not None and new_reply is None:
            yield self._emit("reply-removed", True, f"message {path} no longer has a reply")
        elif old_reply is not None and new_reply is not None:
            # The reply flows the other way: for a client→server request the server answers and old clients validate.
            yield from self._type(f"{path}.reply", old_reply, new_reply, not payload_reader_is_new)

    # -- types ---------------------------------------------------------------------------------------------------

    def _type(self, path: str, old: dict, new: dict, reader_is_new: bool) -> Iterator[Change]:
        kind, new_kind = old.get("kind"), new.get("kind")
        if kind != new_kind:
            yield self._emit("type-kind-changed", True, f"{path} changed type from {_describe(old)} to {_describe(new)}")
            return
        if kind == "integer":
            effect = _range_effect(old.get("min"), old.get("max"), new.get("min"), new.get("max"))
            if effect is not Effect.SAME or old.get("format") != new.get("format"):
                yield from self._directional("integer-range-changed", effect, reader_is_new,
                                             f"{path} changed from {_describe(old)} to {_describe(new)}")
        elif kind == "number":
            old_fmt, new_fmt = old.get("format"), new.get("format")
            if old_fmt != new_fmt:
                rank_old, rank_new = _NUMBER_FORMAT_RANK.get(old_fmt, 1), _NUMBER_FORMAT_RANK.get(new_fmt, 1)
                effect = Effect.SAME if rank_old == rank_new else (Effect.WIDER if rank_new > rank_old else Effect.NARROWER)
                yield from self._directional("number-format-changed", effect, reader_is_new,
                                             f"{path} number format changed from {old_fmt} to {new_fmt}")
            effect = _range_effect(old.get("min"), old.get("max"), new.get("min"), new.get("max"))
            if effect is not Effect.SAME:
                yield from self._directional("number-range-changed", effect, reader_is_new,
                                             f"{path} range changed from {_interval(old.get('min'), old.get('max'))} to {_interval(new.get('min'), new.get('max'))}")
            if bool(old.get("finite")) != bool(new.get("finite")):
                effect = Effect.NARROWER if new.get("finite") else Effect.WIDER
                yield from self._directional("number-finite-changed", effect, reader_is_new,
                                             f"{path} {'now' if new.get('finite') else 'no longer'} requires finite numbers")
        elif kind == "string":
            yield from self._bounds("string-length-changed", f"{path} length (bytes)", old, new, "min_length", "max_length", reader_is_new)
        elif kind == "array":
            yield from self._bounds("array-length-changed", f"{path} item count", old, new, "min_items", "max_items", reader_is_new)
            yield from self._type(f"{path}[]", old["items"], new["items"], reader_is_new)
        elif kind == "map":
            old_max, new_max = old.get("max_entries"), new.get("max_entries")
            effect = _range_effect(0, old_max, 0, new_max)
            if effect is not Effect.SAME:
                yield from self._directional("map-entries-changed", effect, reader_is_new,
                                             f"{path} entry count changed from {_interval(0, old_max)} to {_interval(0, new_max)}")
            yield from self._type(f"{path}{{key}}", old["key"], new["key"], reader_is_new)
            yield from self._type(f"{path}{{value}}", old["value"], new["value"], reader_is_new)
        elif kind == "enum":
            old_values, new_values = list(old.get("values") or []), list(new.get("values") or [])
            removed = [v for v in old_values if v not in new_values]
            added = [v for v in new_values if v not in old_values]
            if removed:
                yield from self._directional("enum-values-removed", Effect.NARROWER, reader_is_new,
                                             f"{path} enum values removed: {', '.join(map(str, removed))}")
            if added:
                yield from self._directional("enum-values-added", Effect.WIDER, reader_is_new,
                                             f"{path} enum values added: {', '.join(map(str, added))}")
        elif kind == "instance":
            yield from self._instance(path, old.get("class"), new.get("class"), reader_is_new)
        elif kind == "struct":
            yield from self._fields(path, old.get("fields") or [], new.get("fields") or [], reader_is_new)
        elif kind == "union":
            yield from self._union(path, old, new, reader_is_new)
        # bool, vector2, vector3, cframe, color3: same kind, nothing more to compare

    def _bounds(self, code: str, what: str, old: dict, new: dict, lo_key: str, hi_key: str, reader_is_new: bool) -> Iterator[Change]:
        old_lo, old_hi = old.get(lo_key) or 0, old.get(hi_key)
        new_lo, new_hi = new.get(lo_key) or 0, new.get(hi_key)
        effect = _range_effect(old_lo, old_hi, new_lo, new_hi)
        if effect is not Effect.SAME:
            yield from self._directional(code, effect, reader_is_new,
                                         f"{what} changed from {_interval(old_lo, old_hi)} to {_interval(new_lo, new_hi)}")

    def _instance(self, path: str, old_class: Any, new_class: Any, reader_is_new: bool) -> Iterator[Change]:
        if old_class == new_class:
            return
        if isinstance(old_class, str) and isinstance(new_class, str) and is_a(old_class, new_class):
            effect = Effect.WIDER  # e.g. Part → BasePart: every Part is a BasePart
        elif isinstance(old_class, str) and isinstance(new_class, str) and is_a(new_class, old_class):
            effect = Effect.NARROWER
        else:
            effect = Effect.INCOMPATIBLE
        yield from self._directional("instance-class-changed", effect, reader_is_new,
                                     f"{path} instance class changed from {old_class} to {new_class}")

    def _fields(self, path: str, old_fields: list, new_fields: list, reader_is_new: bool) -> Iterator[Change]:
        old_by_name = {f["name"]: f for f in old_fields}
        new_by_name = {f["name"]: f for f in new_fields}
        for name, field in old_by_name.items():
            if name not in new_by_name:
                # Old writers may still send it and validators reject unknown fields; an old reader only misses it
                # when it was required.
                if reader_is_new:
                    effect = Effect.NARROWER
                else:
                    effect = Effect.NARROWER if field.get("optional") else Effect.INCOMPATIBLE
                qualifier = "optional" if field.get("optional") else "required"
                yield from self._directional("field-removed", effect, reader_is_new, f"{qualifier} field {path}.{name} was removed")
        for name, field in new_by_name.items():
            old_field = old_by_name.get(name)
            if old_field is None:
                effect = Effect.WIDER if field.get("optional") else Effect.INCOMPATIBLE
                qualifier = "optional" if field.get("optional") else "required"
                hint = ("make it optional: old clients do not send it" if reader_is_new
                        else "old clients reject unknown fields: add a new message instead")
                yield from self._directional("field-added", effect, reader_is_new, f"{qualifier} field {path}.{name} was added", hint)
                continue
            was_optional, is_optional = bool(old_field.get("optional")), bool(field.get("optional"))
            if was_optional and not is_optional:
                yield from self._directional("field-made-required", Effect.NARROWER, reader_is_new, f"field {path}.{name} changed from optional to required")
            elif is_optional and not was_optional:
                yield from self._directional("field-made-optional", Effect.WIDER, reader_is_new, f"field {path}.{name} changed from required to optional")
            yield from self._type(f"{path}.{name}", old_field["type"], field["type"], reader_is_new)

    def _union(self, path: str, old: dict, new: dict, reader_is_new: bool) -> Iterator[Change]:
        if old.get("tag") != new.get("tag"):
            yield self._emit("union-tag-changed", True, f"{path} union tag changed from {old.get('tag')!r} to {new.get('tag')!r}")
            return
        old_variants = {v["name"]: v for v in old.get("variants") or []}
        new_variants = {v["name"]: v for v in new.get("variants") or []}
        removed = [n for n in old_variants if n not in new_variants]
        added = [n for n in new_variants if n not in old_variants]
        if removed:
            yield from self._directional("union-variant-removed", Effect.NARROWER, reader_is_new,
                                         f"{path} union variants removed: {', '.join(removed)}")
        if added:
            yield from self._directional("union-variant-added", Effect.WIDER, reader_is_new,
                                         f"{path} union variants added: {', '.join(added)}")
        for name, variant in new_variants.items():
            if name in old_variants:
                yield from self._fields(f"{path}({name})", old_variants[name].get("fields") or [],
                                        variant.get("fields") or [], reader_is_new)


def _reliability(entry: dict) -> str:
    return "reliable" if entry.get("reliable") else "unreliable"


def _describe(t: dict) -> str:
    kind = t.get("kind")
    if kind == "integer":
        return f"integer {t.get('format')} {_interval(t.get('min'), t.get('max'))}"
    if kind == "number":
        return f"number {t.get('format')}"
    if kind == "instance":
        return f"instance {t.get('class')}"
    if kind in ("struct", "union") and t.get("name"):
        return f"{kind} {t['name']}"
    return str(kind)
