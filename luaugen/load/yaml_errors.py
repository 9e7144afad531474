"""PyYAML's syntax errors in luaugen's words, at the place the user has to fix.

PyYAML reports where its parser gave up, which is often a line too late (an unclosed `{` is reported at the next
key) and in its own vocabulary (`<block end>`, `<block mapping start>`). Each rule below recognises one family of
errors and says what is wrong where it starts; anything unrecognised keeps PyYAML's text with its tokens translated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

_TOKENS = {"<block end>": "the end of the indented block", "<block mapping start>": "a new indented mapping",
           "<block sequence start>": "a new indented list", "<stream end>": "the end of the file",
           "<document start>": "a document start (---)", "'?'": "a complex key"}
_CLOSERS = {"flow mapping": ("{", "}", "mapping"), "flow sequence": ("[", "]", "list")}


@dataclass(frozen=True)
class SyntaxProblem:
    message: str
    line: int  # 1-based
    col: int
    hint: str | None = None


def _at(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _plain(text: str) -> str:
    for token, words in _TOKENS.items():
        text = text.replace(token, words)
    return text


def describe(exc: yaml.YAMLError, text: str) -> SyntaxProblem:
    if not isinstance(exc, yaml.MarkedYAMLError):
        return SyntaxProblem(f"invalid YAML: {_plain(str(exc))}", 1, 1)
    problem, context = exc.problem or "", exc.context or ""
    line, col = _at(exc.problem_mark or exc.context_mark)
    opened = re.fullmatch(r"while parsing a (flow mapping|flow sequence)", context)
    if opened and exc.context_mark is not None:
        opener, closer, kind = _CLOSERS[opened[1]]
        start_line, start_col = _at(exc.context_mark)
        return SyntaxProblem(f"unclosed '{opener}': this {kind} is never closed with '{closer}'", start_line, start_col,
                             f"add '{closer}' where the {kind} ends (it may span lines only between its brackets)")
    if context == "while scanning a quoted scalar" and exc.context_mark is not None:
        start_line, start_col = _at(exc.context_mark)
        quote = _char(text, exc.context_mark)
        return SyntaxProblem(f"unclosed quote: the string starting here has no closing {quote}", start_line, start_col,
                             f"end the string with {quote}")
    if "'\\t'" in problem:
        return SyntaxProblem("tab character: YAML indents with spaces only", line, col, "replace the tab with spaces")
    token = re.fullmatch(r"found character '(.)' that cannot start any token", problem)
    if token:
        return SyntaxProblem(f"'{token[1]}' cannot start an unquoted value", line, col,
                             "put the value in quotes: \"...\"")
    if problem == "mapping values are not allowed here":
        return SyntaxProblem("unexpected ':' in an unquoted value", line, col,
                             "quote the value, or move the nested mapping to its own indented lines")
    if context == "while parsing a block mapping" and "but found '<block mapping start>'" in problem:
        return SyntaxProblem(f"this key is indented to column {col}, which lines up with no key above it", line, col,
                             _indent_hint(text, line, col))
    if context == "while parsing a block mapping" and "but found '-'" in problem:
        return SyntaxProblem("a list item where a key was expected", line, col,
                             "indent the list under the key it belongs to")
    alias = re.fullmatch(r"found undefined alias '(.*)'", problem)
    if alias:
        return SyntaxProblem(f"'*{alias[1]}' refers to no anchor '&{alias[1]}' above it", line, col)
    return SyntaxProblem(f"invalid YAML: {_plain(problem or context or 'unreadable')}", line, col)


def _char(text: str, mark) -> str:
    lines = text.splitlines()
    if mark.line < len(lines) and mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return "quote"


_KEY = re.compile(r"^( *)([^\s#:-][^:#]*?):(\s|$)")


def _indent_hint(text: str, line: int, col: int) -> str:
    """Name the keys above at the nearest indentation on either side: the ones the user probably meant."""
    levels: list[tuple[int, str]] = []  # the chain of enclosing keys, nearest first, each less indented
    for above in reversed(text.splitlines()[:line - 1]):
        match = _KEY.match(above)
        if match and (not levels or len(match[1]) + 1 < levels[-1][0]):
            levels.append((len(match[1]) + 1, match[2].strip()))
    deeper = [key for key in levels if key[0] > col][-1:]
    shallower = [key for key in levels if key[0] < col][:1]
    choices = [f"'{name}' (column {column})" for column, name in deeper + shallower]
    if not choices:
        return "indent it under the key it belongs to"
    return "line it up with " + " or ".join(choices)
