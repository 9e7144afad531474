"""Diagnostics as values: every stage reports problems as `Diagnostic`s, rendered once at the edge.

Shared by every stage (it knows nothing about YAML, Luau or the IR), so any stage may import it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from enum import Enum
from typing import Iterable, Mapping, TextIO

from .records import record


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@record(order=True)
class Span:
    """A position in a source file; line and col are 1-based. (A record: a build makes one for every key and type
    the model keeps, ~15,000 at 1,000 messages.)"""

    path: str
    line: int
    col: int
    end_line: int | None = None
    end_col: int | None = None


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    span: Span | None = None
    hint: str | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple:
        span = self.span or Span("", 0, 0)
        return (span.path, span.line, span.col, self.code, self.message)

    def to_json(self) -> dict:
        data: dict = {"code": self.code, "severity": self.severity.value, "message": self.message}
        if self.span is not None:
            data.update(path=self.span.path, line=self.span.line, col=self.span.col)
            if self.span.end_line is not None:
                data.update(end_line=self.span.end_line, end_col=self.span.end_col)
        if self.hint:
            data["hint"] = self.hint
        return data


def error(code: str, message: str, span: Span | None = None, hint: str | None = None) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, span, hint)


def warning(code: str, message: str, span: Span | None = None, hint: str | None = None) -> Diagnostic:
    return Diagnostic(code, Severity.WARNING, message, span, hint)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def sorted_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=Diagnostic.sort_key)


def render_text(diagnostics: Iterable[Diagnostic], sources: Mapping[str, str] | None = None, *,
                color: bool = False) -> str:
    """`path:line:col: severity: message [code]`, then the source line with a caret, then notes and the hint.

    `color` adds ANSI styles (for a terminal); the characters are the same either way.
    """
    sources = sources or {}
    lines: list[list[tuple[str, str]]] = []  # each line: (text, rich style) pieces
    for diag in diagnostics:
        where = ""
        if diag.span is not None:
            where = f"{diag.span.path}:{diag.span.line}:{diag.span.col}: "
        severity = _SEVERITY_STYLE[diag.severity]
        lines.append([(where, "bold"), (f"{diag.severity.value}:", severity), (f" {diag.message} ", "bold"),
                      (f"[{diag.code}]", "dim")])
        snippet = _source_line(sources, diag.span)
        if snippet is not None:
            width = 1
            if diag.span.end_line == diag.span.line and diag.span.end_col:
                width = max(1, diag.span.end_col - diag.span.col)
            gutter = f"{diag.span.line:>5} | "
            lines.append([(gutter, "blue"), (snippet, "")])
            lines.append([(" " * (len(gutter) + _display_col(snippet, diag.span.col)), ""),
                          ("^" + "~" * (width - 1), severity)])
        for note in diag.notes:
            lines.append([("  note:", "bold"), (f" {note}", "")])
        if diag.hint:
            lines.append([("  hint:", "bold cyan"), (f" {diag.hint}", "")])
    render = _styled if color else lambda pieces: "".join(text for text, _ in pieces)
    return "".join(render(pieces) + "\n" for pieces in lines)


_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.INFO: "bold blue"}


def _styled(pieces: list[tuple[str, str]]) -> str:
    from rich.console import Console  # only a terminal pays for importing rich
    from rich.text import Text

    console = Console(color_system="standard", force_terminal=True, width=1 << 16, highlight=False, soft_wrap=True)
    text = Text()
    for piece, style in pieces:
        text.append(piece, style=style or None)
    with console.capture() as captured:
        console.print(text, end="")
    return captured.get()


def use_color(stream: TextIO) -> bool:
    """Colour only for a person at a terminal: never with NO_COLOR (no-color.org), in CI, or into a pipe or file."""
    if os.environ.get("NO_COLOR") or os.environ.get("CI"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _source_line(sources: Mapping[str, str], span: Span | None) -> str | None:
    if span is None or span.path not in sources or span.line < 1:
        return None
    text_lines = sources[span.path].splitlines()
    if span.line > len(text_lines):
        return None
    return text_lines[span.line - 1].rstrip("\n").expandtabs(1)


def _display_col(line: str, col: int) -> int:
    return max(0, min(col - 1, len(line)))


def render_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([d.to_json() for d in diagnostics], indent=2, sort_keys=True) + "\n"


def _escape_annotation(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_github(diagnostics: Iterable[Diagnostic]) -> str:
    """GitHub Actions workflow commands: one `::error file=…,line=…,col=…::message` per diagnostic."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    out: list[str] = []
    for diag in diagnostics:
        props = [f"title={_escape_annotation(diag.code, property_value=True)}"]
        if diag.span is not None:
            props = [
                f"file={_escape_annotation(diag.span.path, property_value=True)}",
                f"line={diag.span.line}",
                f"col={diag.span.col}",
            ] + props
        message = diag.message + (f" (hint: {diag.hint})" if diag.hint else "")
        out.append(f"::{level[diag.severity]} {','.join(props)}::{_escape_annotation(message)}")
    return "\n".join(out) + ("\n" if out else "")
