"""MUTATION.md: the table of a `make mutation` run."""

from __future__ import annotations

from pathlib import Path

HEADER = """# Mutation check

Written by `make mutation` (`python -m mutation.run --output MUTATION.md`) from `mutation/catalogue.yaml`; see
docs/mutation.md. Each mutant is one small edit to a template, an emitter or a static runtime module; the output is
regenerated (golden files refreshed) and the mutant's own tests run. A mutant is **killed** when a test fails (or
the build does), **equivalent** when it survives for a documented reason, **stale** when its snippet no longer
occurs exactly once.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _edit(find: str, replace: str) -> str:
    """The edit in one short line: the changed part of each side, without the shared context."""
    start = 0
    while start < min(len(find), len(replace)) and find[start] == replace[start]:
        start += 1
    end = 0
    while end < min(len(find), len(replace)) - start and find[-1 - end] == replace[-1 - end]:
        end += 1
    old, new = find[start:len(find) - end], replace[start:len(replace) - end]
    return f"`{_short(old)}` → `{_short(new)}`"


def _short(code: str) -> str:
    return _cell(" ".join(code.split())[:70]) or "(nothing)"


def write_report(path: Path, outcomes: list, total: float, jobs: int) -> None:
    counts = {s: sum(o.status == s for o in outcomes) for s in ("killed", "survived", "equivalent", "stale", "error")}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n or s in ("killed", "survived"))
    lines = [HEADER, f"**{len(outcomes)} mutants: {summary}** ({total:.0f} s with {jobs} jobs).", "",
             "| # | mutant | file | edit | what it breaks | result | killed by / reason | s |",
             "|---|---|---|---|---|---|---|---|"]
    for i, o in enumerate(outcomes, 1):
        m = o.mutant
        detail = m.equivalent if o.status == "equivalent" else o.detail
        lines.append(f"| {i} | {m.name} | `{m.file}` | {_edit(m.find, m.replace)} | {_cell(m.why)} | "
                     f"**{o.status}** | {_cell(detail or '')} | {o.seconds:.0f} |")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
