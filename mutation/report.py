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
    """The edit in one short line: the changed words of each side, without the context they share."""
    shortest = min(len(find), len(replace))
    start = 0
    while start < shortest and find[start] == replace[start]:
        start += 1
    while start > 0 and not (_boundary(find, start) and _boundary(replace, start)):
        start -= 1
    end = 0  # characters shared at the end
    while end < shortest - start and find[-1 - end] == replace[-1 - end]:
        end += 1
    while end > 0 and not (_boundary(find, len(find) - end) and _boundary(replace, len(replace) - end)):
        end -= 1
    return f"`{_short(find[start:len(find) - end])}` → `{_short(replace[start:len(replace) - end])}`"


def _boundary(text: str, i: int) -> bool:
    """Whether position i falls between words (or at either end)."""
    return i <= 0 or i >= len(text) or text[i - 1].isspace() or text[i].isspace()


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
