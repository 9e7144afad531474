"""Checking resolved uses of the Networking module against the manifest: names, direction, per-call options."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from tree_sitter import Node

from .manifest import QOS_RANK, ManifestIndex, MessageInfo
from .parse import string_value, text
from .resolve import Segment, Use

# Typed API on a message: method -> index of the opts argument (None: takes no opts).
METHODS: dict[str, int | None] = {"send": 1, "request": 1, "on": None, "fire": 2, "fireAll": 1, "fireExcept": 2, "fireList": 2}
# String-keyed dispatcher on the module: function -> (channel arg, message arg, opts arg).
DISPATCH: dict[str, tuple[int, int, int | None]] = {
    "send": (0, 1, 3),
    "request": (0, 1, 3),
    "on": (0, 1, None),
    "fire": (1, 2, 4),
    "fireAll": (0, 1, 3),
    "fireExcept": (1, 2, 4),
    "fireList": (1, 2, 4),
}
FIRE = frozenset({"fire", "fireAll", "fireExcept", "fireList"})
# Module members that are not channels (besides lower-case functions and fields).
MODULE_MEMBERS = frozenset({"Types", "Registry", "Validators", "ReplyValidators"})
ALLOWED = {
    ("intent", "client"): frozenset({"send", "request"}),
    ("intent", "server"): frozenset({"on"}),
    ("intent", "shared"): frozenset({"send", "request", "on"}),
    ("event", "client"): frozenset({"on"}),
    ("event", "server"): FIRE,
    ("event", "shared"): FIRE | {"on"},
}


@dataclass(frozen=True)
class Finding:
    rule: str
    node: Node
    message: str
    hint: str | None = None


def _suggest(name: str, candidates) -> str | None:
    close = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


class Checker:
    def __init__(self, index: ManifestIndex):
        self.index = index
        self.used: set[tuple[str, str]] = set()
        self.escaped: set[tuple[int, int]] = set()  # (start, end) of places already reported untracked, per file

    def check(self, uses: list[Use], role: str) -> list[Finding]:
        out: list[Finding] = []
        self.escaped = set()
        for use in uses:
            self._use(use, role, out)
        return out

    def _use(self, use: Use, role: str, out: list[Finding]) -> None:
        segs = use.segments
        if not segs:
            return self._untracked(use, "the networking module", out)
        first = segs[0]
        if first.name is None:
            out.append(Finding("dynamic-name", first.node, "channel name is not a string literal; it cannot be verified"))
            return None
        channels = self.index.channels
        if first.name not in channels:
            if first.name in DISPATCH and len(segs) == 1:
                if use.escape is not None:
                    return self._untracked(use, f"the string-keyed {first.name}()", out)
                if use.args is not None:
                    where = _call_site(use) if first.inherited else first.node
                    self._dispatch(Segment(first.name, where), use.args, role, out)
                return None
            if first.name in DISPATCH or first.name in MODULE_MEMBERS or not first.name[:1].isupper() or first.inherited:
                return None
            out.append(Finding("unknown-channel", first.node, f"unknown channel {first.name!r}", _suggest(first.name, channels)))
            return None
        if len(segs) == 1:
            return self._untracked(use, f"channel {first.name}", out)
        info = self._message(first.name, segs[1], out)
        if info is None:
            return None
        if len(segs) == 2:
            return self._untracked(use, f"message {info.channel}.{info.name}", out)
        method = segs[2]
        if len(segs) != 3 or (use.args is None and use.escape is None):
            return None
        # A function handed on whole (`pcall(Net.X.Y.send, ...)`) is still checked by name; its options cannot be.
        where = _call_site(use) if method.inherited or use.escape is not None else method.node
        self._call(info, method.name, where, use.args or [], METHODS.get(method.name) if use.args else None, role, out)
        return None

    def _untracked(self, use: Use, what: str, out: list[Finding]) -> None:
        if use.escape is None or (use.node.start_byte, use.node.end_byte) in self.escaped:
            return  # one finding per place: a table holding several uses escapes once
        self.escaped.add((use.node.start_byte, use.node.end_byte))
        subject = f"a table holding {what}" if use.in_table else what
        out.append(Finding("untracked-networking-use", use.node, f"{subject} is {use.escape}, so its uses cannot be verified"))

    def _message(self, channel: str, seg: Segment, out: list[Finding]) -> MessageInfo | None:
        if seg.name is None:
            out.append(Finding("dynamic-name", seg.node, "message name is not a string literal; it cannot be verified"))
            return None
        info = self.index.channels[channel].get(seg.name)
        if info is None:
            if not seg.inherited:
                owners = self.index.owners.get(seg.name)
                hint = f"{seg.name!r} is declared on channel {owners[0]!r}" if owners else _suggest(seg.name, self.index.channels[channel])
                out.append(Finding("unknown-message", seg.node, f"unknown message {seg.name!r} on channel {channel!r}", hint))
            return None
        self.used.add((channel, seg.name))
        return info

    def _dispatch(self, func: Segment, args: list[Node], role: str, out: list[Finding]) -> None:
        ch_i, msg_i, opts_i = DISPATCH[func.name]
        if len(args) <= max(ch_i, msg_i):
            return
        ch_node, msg_node = args[ch_i], args[msg_i]
        channel = string_value(ch_node)
        if channel is None:
            out.append(Finding("dynamic-name", ch_node, "channel name is not a string literal; it cannot be verified"))
            return
        if channel not in self.index.channels:
            out.append(Finding("unknown-channel", ch_node, f"unknown channel {channel!r}", _suggest(channel, self.index.channels)))
            return
        info = self._message(channel, Segment(string_value(msg_node), msg_node), out)
        if info is not None:
            shifted = None if opts_i is None else opts_i - msg_i - 1
            self._call(info, func.name, func.node, args[msg_i + 1:], shifted, role, out)

    def _call(self, info: MessageInfo, method: str | None, node: Node, args: list[Node], opts_i, role, out) -> None:
        full = f"{info.channel}.{info.name}"
        if method not in METHODS:
            out.append(Finding("unknown-method", node, f"{full} has no function {method!r}", _suggest(method or "", METHODS)))
            return
        if method == "request" and info.kind == "intent" and not info.has_reply:
            out.append(Finding("unknown-method", node, f"{full} declares no reply, so it has no 'request'", "use send(payload) instead"))
            return
        if method not in ALLOWED[(info.kind, role)]:
            out.append(Finding("wrong-direction", node, _direction_message(info, method, role, full)))
            return
        if opts_i is not None and len(args) > opts_i and args[opts_i].type == "table_constructor":
            self._options(info, args[opts_i], full, out)

    def _options(self, info: MessageInfo, table: Node, full: str, out: list[Finding]) -> None:
        for entry in table.named_children:
            key = entry.child_by_field_name("name") if entry.type == "field" else None
            value = entry.child_by_field_name("value") if key is not None else None
            if key is None or value is None:
                continue
            bracketed = entry.children[0].type == "["  # `["qos"] = ...` names the key; `[qos] = ...` does not
            name = string_value(key) if bracketed else text(key)
            if name == "qos":
                tier = string_value(value)
                if tier is not None and tier not in QOS_RANK:
                    out.append(Finding("qos-above-declared", value, f"{tier!r} is not a QoS tier", "use CRITICAL, HIGH, NORMAL or LOW"))
                elif tier is not None and QOS_RANK[tier] > QOS_RANK[info.qos]:
                    out.append(Finding("qos-above-declared", value, f"qos {tier} is above {full}'s declared tier {info.qos}"))
            elif info.reliable and ((name == "reliable" and value.type == "false") or (name == "unreliable" and value.type == "true")):
                out.append(Finding("unreliable-reliable", entry, f"{full} is declared reliable but this call sends it unreliably"))


def _call_site(use: Use) -> Node:
    return (use.node.child_by_field_name("name") if use.escape is None else None) or use.node


def _direction_message(info: MessageInfo, method: str, role: str, full: str) -> str:
    what = "intent (client→server)" if info.kind == "intent" else "event (server→client)"
    if role == "shared":
        return f"{method}() on {full}, an {what}, is wrong on either side"
    return f"{role} code calls {method}() on {full}, an {what}"
