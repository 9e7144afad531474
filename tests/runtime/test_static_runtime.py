"""The runtime's static Luau (`runtime/*.luau`) reaches the output unchanged, under a header naming its source."""

from __future__ import annotations

from luaugen.compiler import compile_project
from luaugen.config import load_config
from luaugen.emit.templates import runtime_dir

from .conftest import ROOT, schema_sources

SHARED = sorted(runtime_dir().glob("*.luau"))
SERVER = sorted((runtime_dir() / "server").glob("*.luau"))
SOURCES = SHARED + SERVER


def test_every_runtime_module_is_copied_verbatim_after_its_header():
    config = load_config(ROOT)
    files = compile_project(config, schema_sources()).files
    assert [path.stem for path in SHARED] == ["Api", "Codecs", "Debug", "Dispatcher", "Facade", "Frames", "Guard", "Handlers",
                                              "Messages", "Outbound", "Packing", "Replay", "Requests", "ServerParts", "Stats"]
    assert [path.stem for path in SERVER] == ["ReplyCache"]
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        first, _, rest = text.partition("\n")
        assert first == "--!strict", path.name
        name = path.relative_to(runtime_dir()).as_posix()
        target = f"{config.luau_server}/{path.name}" if path in SERVER else f"{config.luau_out}/Runtime/{path.name}"
        assert files[target] == "\n".join([
            "--!strict",
            f"-- Copied by luaugen from runtime/{name} (the static runtime, the same for every schema).",
            f"-- Do not edit: change runtime/{name} in luaugen and run `luaugen build`.",
            rest,
        ])


def test_runtime_modules_are_plain_luau_without_template_syntax():
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        assert [marker for marker in ("{{", "{%", "{#") if marker in text] == [], path.name
