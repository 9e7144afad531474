"""`luaugen init` details: --force, Rojo entries that conflict, where CI installs luaugen from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from luaugen import init
from luaugen.init import INSTALL_VARIABLE, InitError, init_project, install_source, merge_rojo

from .harness import run_cli


def test_force_overwrites_the_starter_files(tmp_path: Path):
    assert run_cli("init", str(tmp_path))[0] == 0
    (tmp_path / "schemas" / "greetings.yaml").write_text("channel: Mine\n", encoding="utf-8")
    code, out, _ = run_cli("init", str(tmp_path), "--force")
    assert code == 0 and out.startswith("created luaugen.toml\n")
    assert (tmp_path / "schemas" / "greetings.yaml").read_text(encoding="utf-8").startswith("# A first channel")


def test_rojo_needs_a_project_file_and_writes_nothing_without_one(tmp_path: Path):
    with pytest.raises(InitError, match="no default.project.json"):
        init_project(tmp_path, rojo=True)
    assert list(tmp_path.iterdir()) == []


def test_a_conflicting_rojo_entry_needs_force():
    text = json.dumps({"tree": {"ReplicatedStorage": {"Networking": {"$path": "src/shared/Net"}}}}, indent=4)
    with pytest.raises(InitError, match=r'already maps ReplicatedStorage.Networking to \{"\$path": "src/shared/Net"\}'):
        merge_rojo(text, force=False)
    merged = merge_rojo(text, force=True)
    assert json.loads(merged)["tree"]["ReplicatedStorage"]["Networking"] == {"$path": "generated/luau/Networking"}
    assert json.loads(merged)["tree"]["ServerScriptService"] == {
        "$className": "ServerScriptService", "NetworkingServer": {"$path": "generated/luau/NetworkingServer"}}
    assert merged.startswith('{\n    "tree"')  # the file's own indentation
    assert merge_rojo(merged, force=False) is None  # already there: left alone


class _Distribution:
    def __init__(self, direct_url: dict | None):
        self.direct_url = direct_url

    def read_text(self, name: str) -> str | None:
        assert name == "direct_url.json"
        return json.dumps(self.direct_url) if self.direct_url is not None else None


@pytest.mark.parametrize(("direct_url", "expected"), [
    ({"url": "https://example.org/luaugen.git", "vcs_info": {"vcs": "git", "requested_revision": "v1.2",
                                                             "commit_id": "abc"}},
     "luaugen @ git+https://example.org/luaugen.git@v1.2"),
    ({"url": "file:///home/me/luaugen", "dir_info": {"editable": True}}, INSTALL_VARIABLE),
    (None, INSTALL_VARIABLE),
])
def test_ci_installs_luaugen_from_where_it_came(monkeypatch, direct_url, expected):
    monkeypatch.setattr(init.metadata, "distribution", lambda name: _Distribution(direct_url))
    assert install_source() == expected
