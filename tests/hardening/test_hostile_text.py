"""Schema text is data: hostile descriptions and file names reach every output escaped, the modules load, no
injected code runs, and the text reads back exactly from the comments, docstrings and manifest."""

from __future__ import annotations

import inspect
import json
import re

import pytest

from luaugen.compiler import compile_project
from luaugen.config import Config
from luaugen.emit.escape import (json_text, luau_comment, luau_string, python_comment, python_docstring,
                                 python_string, unescape_comment)
from luaugen.sim.host import LuauHost

from .loading import compile_every_luau_file, import_mirror, require_modules, write_tree

HOSTILE = {
    "newline": "Looks harmless.\n_G.INJECTED = true",
    "carriage_return": "Old Mac line end\r_G.INJECTED = true",
    "long_brackets": "]] --[[ ]=] --[==[\n]]_G.INJECTED = true --]]",
    "python_quotes": 'Ends here """\nimport builtins; builtins.INJECTED = True\n"""',
    "backslashes": "C:\\path\\ and a trailing \\",
    "nul": "before\x00after",
    "bidi": "access \u202e\u2066 denied\u2069 \u200b zero width",
    "separators": "para\u2028line\u2029next\x85end\x0cform feed",
    "blank_lines": "first\n\n\n  indented\n\ttabbed",
    "huge": "x" * 10_000,
    "astral": "tag \U000e0041 private \U000f0000 end",
}


def _schema(text: str) -> str:
    # A JSON string is a YAML double-quoted scalar, except that YAML writes astral characters as \U, not as pairs.
    quoted = re.sub(r"\\ud[89ab][0-9a-f]{2}\\ud[c-f][0-9a-f]{2}",
                    lambda m: f"\\U{ord(json.loads(chr(34) + m[0] + chr(34))):08x}", json.dumps(text))
    return (f"channel: Chat\ndescription: {quoted}\n"
            f"types:\n  Mood:\n    type: enum\n    values: [calm, angry]\n    description: {quoted}\n"
            f"  Note:\n    type: struct\n    fields: {{ body: string }}\n    description: {quoted}\n"
            f"intents:\n  Say:\n    description: {quoted}\n    payload: {{ mood: Mood, note: Note }}\n"
            "    reply: { ok: bool }\n")


def _normalized(text: str) -> str:
    """What a comment can hold: every kind of line break becomes one newline."""
    return re.sub(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]", "\n", text)


def _comment_blocks(luau: str, first: str) -> str:
    """The description read back from `-- Chat.Say: ...` comment lines."""
    lines = luau.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"-- {first}"))
    block = [lines[start][len(f"-- {first}"):]]
    for line in lines[start + 1:]:
        if not line.startswith("--"):
            break
        block.append(line[3:])
    return unescape_comment(block)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_description_is_inert_and_round_trips(name, tmp_path):
    text = HOSTILE[name]
    config = Config(root=tmp_path, python_package=f"hostile_{name}")
    # The schema's path is schema text too: it is printed in every header.
    source = f"schemas/chat{name}\n_G.INJECTED = true.yaml"
    result = compile_project(config, {source: _schema(text)})
    assert result.ok, result.diagnostics
    assert compile_every_luau_file(result.files) == []
    write_tree(result.files, tmp_path)
    assert require_modules(config, tmp_path) is None
    mirror = import_mirror(config, tmp_path)
    assert mirror["injected"] is False
    # Docstrings lose their indentation to the compiler (3.13) and to tools: compare line by line, stripped.
    expected = [line.strip() for line in inspect.cleandoc(_normalized(text)).split("\n")]
    assert [line.strip() for line in mirror["docs"]["ChatSay"].split("\n")] == expected
    assert [line.strip() for line in mirror["docs"]["ChatNote"].split("\n")] == expected
    types = result.files[f"{config.luau_out}/Types.luau"]
    assert _comment_blocks(types, "Chat.Say: ") == _normalized(text)
    manifest = json.loads(result.files[config.manifest])
    assert manifest["channels"][0]["description"] == text
    for relative, output in result.files.items():
        assert "\x00" not in output and "\u202e" not in output and "\r" not in output, relative


@pytest.mark.parametrize("text", sorted(HOSTILE.values()))
def test_string_literals_hold_exactly_the_text(text):
    with LuauHost(name="strings") as host:
        assert str(host.eval(f"return {luau_string(text)}")) == text
    assert eval(python_string(text)) == text  # noqa: S307 - evaluating our own literal is the point
    assert eval(python_docstring(text, "    ")).replace("\n    ", "\n") == _normalized(text)  # noqa: S307


def test_comments_are_one_line_per_line_and_escape_what_a_reader_could_misread():
    assert luau_comment("a\nb", first="X: ") == "-- X: a\n-- b"
    assert python_comment("a\r\n\nb") == "# a\n#\n# b"
    assert luau_comment("bidi \u202e and \\u{41}") == "-- bidi \\u{202E} and \\\\u{41}"
    assert unescape_comment(["bidi \\u{202E} and \\\\u{41}"]) == "bidi \u202e and \\u{41}"


def test_json_text_keeps_readable_text_and_escapes_only_what_a_reader_could_misread():
    assert json_text({"a": "plain ASCII"}) == '{"a": "plain ASCII"}'
    assert json_text({"a": "DEL \x7f"}) == '{"a": "DEL \\u007f"}'  # ASCII, but a control character
    assert json_text({"a": "é \u202e \u2028"}) == '{"a": "é \\u202e \\u2028"}'
    for text in ("x", "\x7f", "é", "\u202e"):
        assert json.loads(json_text({"a": text})) == {"a": text}
