"""The runtime's static Luau (`runtime/*.luau`) reaches the output unchanged, under a header naming its source."""

from __future__ import annotations

from luaugen.compiler import compile_project
from luaugen.config import load_config
from luaugen.emit.templates import runtime_dir

from .conftest import ROOT, schema_sources

SOURCES = sorted(runtime_dir().glob("*.luau"))


def test_every_runtime_module_is_copied_verbatim_after_its_header():
    config = load_config(ROOT)
    files = compile_project(config, schema_sources()).files
    assert [path.stem for path in SOURCES] == ["Api", "Codecs", "Debug", "Dispatcher", "Facade", "Frames", "Guard", "Handlers",
                                               "Messages", "Outbound", "Packing", "Replay", "ReplyCache", "Requests", "Stats"]
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        first, _, rest = text.partition("\n")
        assert first == "--!strict", path.name
        assert files[f"{config.luau_out}/Runtime/{path.name}"] == "\n".join([
            "--!strict",
            f"-- Copied by luaugen from runtime/{path.name} (the static runtime, the same for every schema).",
            f"-- Do not edit: change runtime/{path.name} in luaugen and run `luaugen build`.",
            rest,
        ])


def test_runtime_modules_are_plain_luau_without_template_syntax():
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        assert [marker for marker in ("{{", "{%", "{#") if marker in text] == [], path.name
