"""Every I/O failure is a clear message and exit 2, never a traceback, and nothing is written or lost.

Permission errors are injected (the tests may run as root, who reads everything); FIFOs, symlinks, invalid UTF-8
and oversized files are real."""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from luaugen import write as write_module
from luaugen.breaking.command import command as breaking

from ..compiler.harness import run_cli, snapshot

CHAT = "channel: Chat\nevents:\n  Said:\n    payload: { text: string }\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "schemas").mkdir(parents=True)
    (root / "schemas" / "chat.yaml").write_text(CHAT, encoding="utf-8")
    return root


def build(root: Path, *extra: str) -> tuple[int, str, str]:
    return run_cli("build", "--root", str(root), *extra)


def test_unreadable_schema_file_is_an_error(project, monkeypatch):
    real_open = Path.open

    def denied(self, *args, **kwargs):
        if self.name == "chat.yaml":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)
    code, stdout, stderr = build(project)
    assert (code, stdout) == (2, "")
    assert stderr.startswith("schemas/chat.yaml:1:1: error: cannot read 'schemas/chat.yaml': Permission denied [unreadable]\n")
    assert not (project / "generated").exists()


def test_unreadable_subfolder_is_an_error_not_a_silent_skip(project, monkeypatch):
    (project / "schemas" / "locked").mkdir()
    real_scandir = os.scandir

    def denied(path):
        if str(path).endswith("locked"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", denied)
    code, _, stderr = build(project)
    assert code == 2
    assert "schemas/locked:1:1: error: cannot read folder 'schemas/locked': Permission denied [unreadable]\n" in stderr


def test_fifo_named_like_a_schema_is_reported_without_blocking(project):
    os.mkfifo(project / "schemas" / "pipe.yaml")
    code, _, stderr = build(project)
    assert code == 2
    assert "schemas/pipe.yaml:1:1: error: 'schemas/pipe.yaml' is not a regular file (a FIFO, device or socket) [not-a-file]" in stderr


def test_symlink_loop_is_reported_and_read_once(project):
    (project / "schemas" / "again").symlink_to(project / "schemas")
    (project / "schemas" / "dangling.yml").symlink_to(project / "missing.yaml")
    code, _, stderr = build(project)
    assert code == 2  # the dangling link is an unreadable schema
    assert "schemas/again:1:1: warning: folder 'schemas/again' is reached again through a symlink; skipped" in stderr
    assert "schemas/dangling.yml:1:1: error: cannot read 'schemas/dangling.yml': No such file or directory" in stderr
    (project / "schemas" / "dangling.yml").unlink()
    code, stdout, stderr = build(project)
    assert code == 0 and "1 schema files" in stdout
    assert stderr.count("[symlink-loop]") == 1


def test_schema_over_the_size_cap_is_refused_before_reading(project):
    (project / "luaugen.toml").write_text("[project]\nmax_schema_bytes = 59\n", encoding="utf-8")
    code, _, stderr = build(project)
    assert code == 2
    assert stderr.startswith("schemas/chat.yaml:1:1: error: schema file is 60 bytes; the limit is 59 [file-too-large]")
    (project / "luaugen.toml").write_text("[project]\nmax_schema_bytes = 60\n", encoding="utf-8")
    assert build(project)[0] == 0


def test_unreadable_config_is_a_message(project, monkeypatch):
    (project / "luaugen.toml").write_text("[project]\n", encoding="utf-8")
    real = Path.read_bytes

    def denied(self):
        if self.name == "luaugen.toml":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    code, _, stderr = build(project)
    assert code == 2
    assert stderr.startswith("luaugen.toml:1:1: error: cannot read luaugen.toml: Permission denied [config-unreadable]")


@pytest.mark.parametrize("entry, message, pointed", [
    ({"id": 7, "messages": []}, "channel entry without a 'name' string", "{"),
    ({"name": "Other", "id": "1", "messages": []}, "channel id must be a whole number from 1, got '1'", '"1",'),
    ({"name": "Other", "id": 1, "messages": []}, "channel id 1 is used twice", '1,\n   "messages": []'),
    ({"name": "Chat", "id": 2, "messages": []}, "channel 'Chat' is listed twice", '"Chat",\n   "id": 2'),
])
def test_damaged_manifest_is_a_located_error(project, entry, message, pointed):
    assert build(project)[0] == 0
    path = project / "generated" / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["channels"].append(entry)
    text = json.dumps(manifest, indent=1)
    path.write_text(text, encoding="utf-8")
    before = snapshot(project / "generated")
    code, _, stderr = build(project)
    assert code == 2
    match = re.match(r"generated/manifest.json:(\d+):(\d+): error: (.*) \[bad-manifest\]$", stderr.splitlines()[0])
    assert match and match[3] == message
    lines = text.splitlines(keepends=True)
    offset = sum(len(line) for line in lines[:int(match[1]) - 1]) + int(match[2]) - 1
    assert text[offset:].startswith(pointed)  # the value in the appended entry (the last of its kind)
    assert snapshot(project / "generated") == before


def test_duplicate_message_id_in_manifest_is_refused(project):
    assert build(project)[0] == 0
    path = project / "generated" / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    said = manifest["channels"][0]["messages"][0]
    manifest["channels"][0]["messages"].append(dict(said, name="Shout"))
    path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    code, _, stderr = build(project)
    assert code == 2
    assert "error: message id 1 is used twice in channel 'Chat' [bad-manifest]" in stderr


@pytest.mark.parametrize("failure", [errno.ENOSPC, errno.EROFS])
def test_full_disk_or_read_only_output_is_a_message_and_changes_nothing(project, monkeypatch, failure):
    assert build(project)[0] == 0
    (project / "schemas" / "chat.yaml").write_text(CHAT.replace("text: string", "text: string, loud: bool"),
                                                   encoding="utf-8")
    before = snapshot(project / "generated")
    real = os.fsync

    def broken(fd):
        raise OSError(failure, os.strerror(failure), "generated/luau/Networking/Types.luau")

    monkeypatch.setattr(write_module.os, "fsync", broken)
    code, stdout, stderr = build(project)
    monkeypatch.setattr(write_module.os, "fsync", real)
    assert (code, stdout) == (2, "")
    assert stderr == (f"luaugen: cannot write the build: {os.strerror(failure)}: generated/luau/Networking/Types.luau; "
                      "the previous output is unchanged\n")
    assert snapshot(project / "generated") == before


def test_output_symlinked_out_of_the_project_is_refused(project, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / "generated").symlink_to(outside)
    code, _, stderr = build(project)
    assert code == 2
    assert "luau = 'generated/luau/Networking' must name a path inside the project folder" in stderr
    assert list(outside.iterdir()) == []


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def test_breaking_reports_invalid_utf8_and_bombs_at_a_revision(project, monkeypatch):
    _git(project, "init", "-q", "-b", "main")
    (project / "schemas" / "bad.yaml").write_bytes(b"channel: Bad\ndescription: caf\xe9\n")
    _git(project, "add", "-A")
    _git(project, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "v1")
    (project / "schemas" / "bad.yaml").unlink()
    monkeypatch.chdir(project)
    result = CliRunner().invoke(breaking, ["--against", "main"])
    assert result.exit_code == 2
    assert "schemas/bad.yaml:2:17: error: not UTF-8 text: invalid continuation byte [encoding]" in result.output
    bomb = "".join(f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    (project / "schemas" / "bad.yaml").write_text("channel: Bomb\na: &a [1,2,3,4,5,6,7,8,9]\n" + bomb, encoding="utf-8")
    _git(project, "add", "-A")
    _git(project, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "v2")
    (project / "schemas" / "bad.yaml").unlink()
    result = CliRunner().invoke(breaking, ["--against", "main"])
    assert result.exit_code == 2
    assert "[too-large]" in result.output


@pytest.mark.parametrize("setting, line", [
    ("frame_budget = 0", "frame_budget must be between 1 and 2147483647, got 0"),
    ("reply_cache = -5", "reply_cache must be between 1 and 2147483647, got -5"),
    ("queue_limit = 0", "queue_limit must be between 1 and 2147483647, got 0"),
    ("request_timeout = -3", "request_timeout must be between 0.001 and 3600, got -3.0"),
    ("request_timeout = inf", "request_timeout must be between 0.001 and 3600, got inf"),
    ("max_inbound_batch = 0", "max_inbound_batch must be between 1 and 2147483647, got 0"),
])
def test_runtime_settings_out_of_range_are_located_errors(project, setting, line):
    (project / "luaugen.toml").write_text(f"[runtime]\n\n{setting}\n", encoding="utf-8")
    code, _, stderr = build(project)
    assert code == 2
    assert stderr.splitlines()[0] == f"luaugen.toml:3:1: error: {line} [config-value]"
    assert not (project / "generated").exists()
