"""Parsing Luau with tree-sitter-luau, syntax-error reporting and small node helpers."""

from __future__ import annotations

import re

import tree_sitter
import tree_sitter_luau

from ..diagnostics import Span

LANGUAGE = tree_sitter.Language(tree_sitter_luau.language())
_PARSER = tree_sitter.Parser(LANGUAGE)
MAX_PARSE_ERRORS = 10


def parse(source: bytes) -> tree_sitter.Tree:
    return _PARSER.parse(source)


def text(node: tree_sitter.Node) -> str:
    return node.text.decode("utf-8", "replace")


def string_value(node: tree_sitter.Node | None) -> str | None:
    """The value of a string literal node; None for anything else (or an interpolated string)."""
    if node is None or node.type != "string":
        return None
    raw = text(node)
    if raw[:1] in ("'", '"'):
        body = raw[1:-1]
        return _unescape(body) if "\\" in body else body
    if raw[:1] == "`":
        return None if "{" in raw else raw[1:-1]
    if raw[:1] == "[":
        level = raw.index("[", 1) + 1
        body = raw[level:len(raw) - level]
        return body[1:] if body.startswith("\n") else body
    return None


_SIMPLE = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\", '"': '"', "'": "'", "\n": "\n"}
_ESCAPE = re.compile(r"\\(?:([abfnrtv\\\"'\n])|z\s*|x([0-9A-Fa-f]{2})|(\d{1,3})|u\{([0-9A-Fa-f]+)\})")


def _unescape(body: str) -> str | None:
    """Luau escapes (\\n, \\z, \\xXX, decimal \\ddd, \\u{XXX}) over the literal's bytes; None for an invalid escape."""
    raw = body.encode("utf-8").decode("latin-1")  # one char per byte: \\xXX and \\ddd are bytes, as in Luau

    def one(match: re.Match) -> str:
        simple, hex_, dec, code = match.groups()
        if simple is not None:
            return _SIMPLE[simple]
        if hex_ is not None:
            return chr(int(hex_, 16))
        if dec is not None:
            if int(dec) > 255:
                raise ValueError(dec)
            return chr(int(dec))
        if code is not None:
            if int(code, 16) > 0x10FFFF:
                raise ValueError(code)
            return chr(int(code, 16)).encode("utf-8", "surrogatepass").decode("latin-1")
        return ""  # \\z skips the whitespace that follows

    if "\\" in _ESCAPE.sub("", raw):
        return None
    try:
        decoded = _ESCAPE.sub(one, raw)
    except ValueError:
        return None
    return decoded.encode("latin-1").decode("utf-8", "replace")


def char_col(source: bytes, offset: int) -> int:
    """1-based column in characters (code points) of a byte offset."""
    line_start = source.rfind(b"\n", 0, offset) + 1
    chunk = source[line_start:offset]
    return (len(chunk.decode("utf-8", "replace")) if not chunk.isascii() else len(chunk)) + 1


def span(path: str, source: bytes, node: tree_sitter.Node) -> Span:
    (row, _), (end_row, _) = node.start_point, node.end_point
    return Span(path, row + 1, char_col(source, node.start_byte), end_row + 1, char_col(source, node.end_byte))


def syntax_errors(tree: tree_sitter.Tree) -> list[tuple[tree_sitter.Node, str]]:
    """(node, description) for every ERROR / MISSING node, outermost first, in source order."""
    found: list[tuple[tree_sitter.Node, str]] = []
    stack = [tree.root_node]
    while stack and len(found) < MAX_PARSE_ERRORS:
        node = stack.pop()
        if node.is_missing:
            found.append((node, f"missing {node.type!r}"))
        elif node.is_error:
            # Point at the first non-comment piece: recovery often wraps leading comments (or the whole file).
            first = next((c for c in node.children if c.type != "comment"), node)
            near = text(first).splitlines()[0][:30] if first.text else ""
            if first.named_child_count:
                found.append((first, f"cannot parse the code starting with {near!r}"))
            else:
                found.append((first, f"unexpected {near!r}" if near else "unexpected syntax"))
        elif node.has_error:
            stack.extend(reversed(node.children))
    found.sort(key=lambda item: item[0].start_byte)
    return found
