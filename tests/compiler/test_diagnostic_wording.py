"""Hints only when likely right, YAML errors in luaugen's words at the fix, colour only for a terminal."""

from __future__ import annotations

import io
import re

import pytest

from luaugen.diagnostics import Span, error, render_text, use_color
from luaugen.load.yaml_loader import load_document
from luaugen.validate.metaschema import closest

MESSAGE_KEYS = ["description", "payload", "qos", "rate", "reliable", "reply", "retry", "timeout"]


@pytest.mark.parametrize(("word", "expected"), [
    ("intnets", "intents"), ("descripton", "description"), ("paylod", "payload"), ("maximum", "max"),
    ("Timeout", "timeout"), ("position", None), ("direction", None), ("loud", None), ("x" * 65, None),
])
def test_a_hint_names_a_key_only_when_it_is_close(word, expected):
    assert closest(word, MESSAGE_KEYS + ["intents", "max"]) == expected


@pytest.mark.parametrize(("text", "where", "message", "hint"), [
    ("a: 'abc\nb: 1\n", (1, 4), "unclosed quote: the string starting here has no closing '", "end the string with '"),
    ("a: @x\n", (1, 4), "'@' cannot start an unquoted value", 'put the value in quotes: "..."'),
    ("a: b: c\n", (1, 5), "unexpected ':' in an unquoted value",
     "quote the value, or move the nested mapping to its own indented lines"),
    ("a: 1\n- b\n", (2, 1), "a list item where a key was expected", "indent the list under the key it belongs to"),
    ("a: *x\n", (1, 4), "'*x' refers to no anchor '&x' above it", None),
    ("a: [1,\n  2\n", (1, 4), "unclosed '[': this list is never closed with ']'",
     "add ']' where the list ends (it may span lines only between its brackets)"),
])
def test_yaml_syntax_errors_are_worded_for_people(text, where, message, hint):
    document, problems = load_document("schemas/x.yaml", text)
    assert document is None and len(problems) == 1
    problem = problems[0]
    assert (problem.code, problem.message, (problem.span.line, problem.span.col), problem.hint) == (
        "yaml-syntax", message, where, hint)


class _Stream(io.StringIO):
    def __init__(self, tty: bool):
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_colour_changes_styles_not_text():
    diagnostics = [error("unknown-type", "unknown type 'Targte'", Span("a.yaml", 1, 9, 1, 15), "did you mean 'Target'?")]
    sources = {"a.yaml": "target: Targte\n"}
    plain = render_text(diagnostics, sources)
    coloured = render_text(diagnostics, sources, color=True)
    assert plain == ("a.yaml:1:9: error: unknown type 'Targte' [unknown-type]\n"
                     "    1 | target: Targte\n"
                     "                ^~~~~~\n"
                     "  hint: did you mean 'Target'?\n")
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain
    assert "\x1b[1;31merror:\x1b[0m" in coloured and "\x1b[1;31m^~~~~~\x1b[0m" in coloured


def test_colour_only_at_a_terminal_without_no_color_or_ci(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("CI", raising=False)
    assert use_color(_Stream(tty=True)) is True
    assert use_color(_Stream(tty=False)) is False
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(_Stream(tty=True)) is False
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("CI", "true")
    assert use_color(_Stream(tty=True)) is False
