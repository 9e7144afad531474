"""Schema text as data: the only way a string from a schema reaches generated code.

Schema files are reviewed as data, so a description, a name or a file name must never be able to end a comment,
close a string or start a statement. One function per place text can land:

- `luau_comment` / `python_comment`: `-- ` / `# ` lines; every line break in the text starts a new comment line.
- `luau_string` / `python_string`: a complete quoted literal.
- `python_docstring`: a triple-quoted literal that keeps line breaks readable.
- `json_text`: JSON (the manifest).

Inside comments, characters that could end a line for some reader (CR, NUL, U+2028...) or reorder what a reviewer
sees (bidirectional controls) are shown as `\\u{XXXX}`, and a backslash as `\\\\`, so `unescape_comment` gives
back the exact text: the comment is the description, not an approximation of it.
"""

from __future__ import annotations

import json
import re
import unicodedata

# Line breaks for Luau (\n, \r), Python (\n, \r, \r\n, form feed resets indentation) and editors (U+2028...).
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_ESCAPE_IN_COMMENT = re.compile(r"\\|[^\t\x20-\x7e]")
_NON_ASCII = re.compile(r"[^\x00-\x7e]")  # json.dumps already escaped the ASCII controls


def _unsafe(char: str) -> bool:
    """Control, format (bidi, zero-width), separator, surrogate and unassigned characters: never written raw."""
    return unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


def _comment_char(match: re.Match) -> str:
    char = match[0]
    if char == "\\":
        return "\\\\"
    return f"\\u{{{ord(char):04X}}}" if _unsafe(char) else char


def comment_lines(text: str) -> list[str]:
    """The text as comment-safe lines (no prefix): one per line of the text, special characters escaped."""
    return [_ESCAPE_IN_COMMENT.sub(_comment_char, line) for line in _LINE_BREAK.split(text)]


def unescape_comment(lines: list[str]) -> str:
    """The inverse of `comment_lines` (for tests and tools reading descriptions back from generated code)."""
    joined = "\n".join(lines)
    return re.sub(r"\\(\\|u\{([0-9A-F]+)\})", lambda m: "\\" if m[1] == "\\" else chr(int(m[2], 16)), joined)


def _comment(prefix: str, text: str, first: str) -> str:
    lines = comment_lines(text)
    lines[0] = first + lines[0]
    return "\n".join(f"{prefix} {line}".rstrip() for line in lines)


def luau_comment(text: str, first: str = "") -> str:
    """`-- text` lines; `first` (trusted, e.g. `Chat.Say: `) precedes the first line."""
    return _comment("--", text, first)


def python_comment(text: str, first: str = "") -> str:
    return _comment("#", text, first)


def _plain(text: str) -> bool:
    """Printable ASCII without quotes or backslashes (names, nearly every literal): written as it is, between
    double quotes, by both quoting functions below; answered without their per-character work."""
    return text.isascii() and text.isprintable() and '"' not in text and "\\" not in text


def luau_string(text: str) -> str:
    """A Luau string literal holding exactly `text`: double-quoted unless `text` holds more double quotes than
    single ones, then single-quoted (StyLua's AutoPreferDouble, so the output passes `stylua --check`)."""
    if _plain(text):
        return '"' + text + '"'
    quote = "'" if text.count('"') > text.count("'") else '"'
    out = []
    for char in text:
        if char in (quote, "\\"):
            out.append("\\" + char)
        elif " " <= char <= "~":
            out.append(char)
        elif char == "\n":
            out.append("\\n")
        elif ord(char) < 0x80:
            out.append(f"\\x{ord(char):02x}")
        elif _unsafe(char):
            out.append(f"\\u{{{ord(char):x}}}")
        else:
            out.append(char)
    return quote + "".join(out) + quote


def python_string(text: str) -> str:
    """A double-quoted Python string literal holding exactly `text`."""
    if _plain(text):
        return '"' + text + '"'
    literal = json.dumps(text, ensure_ascii=False)  # JSON string syntax is Python syntax for what it escapes
    return _NON_ASCII.sub(lambda m: (f"\\U{ord(m[0]):08x}" if ord(m[0]) > 0xFFFF else f"\\u{ord(m[0]):04x}")
                          if _unsafe(m[0]) else m[0], literal)


def python_docstring(text: str, indent: str) -> str:
    """A triple-quoted docstring: readable line breaks, everything else that could end or bend it escaped."""
    # Tabs stay raw: docstring tools expand them when they strip the indentation.
    lines = ["\t".join(python_string(part)[1:-1] for part in line.split("\t")) for line in _LINE_BREAK.split(text)]
    body = "\n".join((indent + line if line and i else line) for i, line in enumerate(lines))
    return '"""' + body + '"""'


def json_text(data, **options) -> str:
    """`json.dumps`, readable non-ASCII kept, but no raw bidi, separator or control character in the file."""
    text = json.dumps(data, ensure_ascii=False, **options)
    if text.isascii() and "\x7f" not in text:  # the usual case, answered without a regex pass over the text
        return text
    return _NON_ASCII.sub(lambda m: json.dumps(m[0])[1:-1] if _unsafe(m[0]) else m[0], text)
