"""Keep what is valid in a file that failed the meta-schema, so semantic checks still run on the rest of it.

An invalid message or named type is left out whole; so is an unknown top-level key. A problem in a channel-wide
setting (`channel`, `qos`, `reliable`, ...) leaves the file out: every message inherits those settings, and checking
messages against a guess would report false alarms.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic, Span
from ..load.nodes import Document, MapEntry, Node

SECTIONS = ("intents", "events", "types")


def _region(entry: MapEntry) -> tuple[tuple[int, int], tuple[int, int]]:
    end = entry.value.span
    return (entry.key_span.line, entry.key_span.col), (end.end_line or end.line, end.end_col or end.col)


def _within(span: Span, entry: MapEntry) -> bool:
    start, end = _region(entry)
    return start <= (span.line, span.col) <= end


def prune_invalid(document: Document, problems: list[Diagnostic]) -> Document | None:
    """`document` without the parts `problems` point into; None when what is left cannot be checked fairly."""
    root = document.root
    if not root.is_map:
        return None
    kept = dict(root.value)
    for problem in problems:
        span = problem.span
        if span is None or span.path != document.path:
            return None
        owner = next((key for key, entry in root.value.items() if _within(span, entry)), None)
        if owner is None:
            return None  # about the file as a whole (e.g. a missing key)
        if owner in SECTIONS and root.value[owner].value.is_map:
            section = root.value[owner].value
            name = next((key for key, entry in section.value.items() if _within(span, entry)), None)
            if name is not None:
                current = kept.get(owner, root.value[owner])
                entries = {k: e for k, e in current.value.value.items() if k != name}
                kept[owner] = MapEntry(current.key_span, Node(entries, current.value.span))
                continue
        if problem.code == "unknown-key" and owner not in SECTIONS:
            kept.pop(owner, None)
            continue
        return None
    return Document(document.path, document.text, Node(kept, root.span))
