"""Size rules: every message's packed size is bounded at compile time (luaugen/model/layout.py computes it).

An unreliable message must always fit `[runtime] unreliable_max_bytes` (Roblox drops larger unreliable calls
silently); a reliable message without an upper bound gets a warning, since one call could carry megabytes.
"""

from __future__ import annotations

from ..config import Config
from ..diagnostics import Diagnostic, error, warning
from ..model import ir
from ..model.layout import LayoutBuilder, size_bounds

_BOUND_HINT = "bound its arrays, maps and strings (max_items, max_entries, max_length)"


def check_sizes(project: ir.Project, config: Config, builder: LayoutBuilder) -> list[Diagnostic]:
    """Run only on a project without errors: layouts need every type reference resolved."""
    found = []
    limit = config.runtime.unreliable_max_bytes
    for m in project.messages():
        _, high = size_bounds(builder.message(m))
        if not m.reliable:
            if high is None or high > limit:
                size = "has no upper bound on its packed size" if high is None else f"can pack to {high} bytes"
                found.append(error("unreliable-too-large", f"unreliable '{m.name}' {size}; an unreliable message "
                                   f"must fit [runtime] unreliable_max_bytes = {limit}", m.span_of("reliable"),
                                   f"{_BOUND_HINT}, or set `reliable: true`"))
        elif high is None:
            found.append(warning("unbounded-message", f"'{m.name}' has no upper bound on its packed size",
                                 m.span, _BOUND_HINT))
        reply = builder.reply(m)
        if reply is not None and size_bounds(reply)[1] is None:
            found.append(warning("unbounded-message", f"the reply of '{m.name}' has no upper bound on its packed "
                                 "size", m.span_of("reply"), _BOUND_HINT))
    return found
