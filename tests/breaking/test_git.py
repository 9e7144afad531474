"""`--against <git revision>`: read schemas, luaugen.toml and the lock file at the revision, compile them in memory.

Two layers:
* with a stand-in compiler (patched into luaugen.breaking.sources per test) the git plumbing: which files are read at
  the revision, which config and previous manifest reach the compiler, exit codes;
* with the real compiler, end to end.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from luaugen.breaking.command import command
from luaugen.breaking import sources as sources_module
from luaugen.breaking.sources import SourceError, load_revision
from luaugen.diagnostics import error

from .manifests import channel, field as mfield, integer, manifest, message, struct

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def init_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.email", "test@example.invalid")
    git(path, "config", "user.name", "test")
    git(path, "config", "commit.gpgsign", "false")
    return path


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def run(*args: str):
    return CliRunner().invoke(command, list(args))


# -- stand-in compiler ----------------------------------------------------------------------------------------------
# Each schema source is JSON: {"channel": name, "id": n, "fields": {field: integer format}} (one intent "Do").


@dataclass
class FakeResult:
    files: dict
    diagnostics: list = field(default_factory=list)


@pytest.fixture
def fake_compiler(monkeypatch):
    calls: list[dict] = []

    def compile_project(config, sources, previous_manifest):
        calls.append({"config": config, "sources": dict(sources), "previous": previous_manifest})
        channels = []
        for path, text in sorted(sources.items()):
            try:
                spec = json.loads(text)
            except json.JSONDecodeError:
                return FakeResult({}, [error("yaml-syntax", "cannot parse", None)])
            payload = struct(*(mfield(n, integer(f)) for n, f in spec["fields"].items()))
            msg = message("Do", 1, payload=payload)
            msg["source"]["path"] = path
            msg["source"]["line"] = spec.get("line", 10)
            channels.append(channel(spec["channel"], spec["id"], messages=[msg]))
        return FakeResult({config.manifest: json.dumps(manifest(*channels))})

    monkeypatch.setattr(sources_module, "compile_project", compile_project)
    return calls


def schema(channel_name: str, cid: int, **fields: str) -> str:
    return json.dumps({"channel": channel_name, "id": cid, "fields": fields})


def test_fake_revision_compare_breaking_and_compatible(tmp_path, monkeypatch, fake_compiler):
    repo = init_repo(tmp_path / "repo")
    write(repo / "luaugen.toml", '[project]\nschemas = "contracts"\n[output]\nmanifest = "out/m.json"\n')
    write(repo / "contracts/skills.yaml", schema("Skills", 4, slot="u8", target="u16"))
    write(repo / "contracts/notes.txt", "not a schema")
    write(repo / "out/m.json", json.dumps(manifest()))
    commit_all(repo, "v1")
    git(repo, "tag", "v1")
    monkeypatch.chdir(repo)

    write(repo / "contracts/skills.yaml", schema("Skills", 4, slot="u16", target="u16"))
    result = run("--against", "v1")
    assert result.exit_code == 0, result.output
    assert "[integer-range-changed]" in result.stdout and "0 breaking, 1 compatible (against revision v1)" in result.stderr

    old_call, new_call = fake_compiler[0], fake_compiler[1]
    assert list(old_call["sources"]) == ["contracts/skills.yaml"]  # only schema files, keyed root-relative
    assert old_call["config"].manifest == "out/m.json" and old_call["config"].root == repo.resolve()
    assert old_call["previous"] == manifest()  # the lock file at the revision
    assert json.loads(new_call["sources"]["contracts/skills.yaml"])["fields"]["slot"] == "u16"  # working tree

    write(repo / "contracts/skills.yaml", schema("Skills", 4, slot="u8"))
    result = run("--against", "v1")
    assert result.exit_code == 1
    assert "contracts/skills.yaml:10:3: error: breaking: required field Skills.Do.payload.target was removed" in result.stdout


def test_fake_revision_uses_config_at_that_revision(tmp_path, monkeypatch, fake_compiler):
    repo = init_repo(tmp_path / "repo")
    write(repo / "old_schemas/a.yaml", schema("A", 1, x="u8"))
    write(repo / "luaugen.toml", '[project]\nschemas = "old_schemas"\n')
    commit_all(repo, "v1")
    git(repo, "mv", "old_schemas", "schemas")
    write(repo / "luaugen.toml", '[project]\nschemas = "schemas"\n')
    commit_all(repo, "v2")
    monkeypatch.chdir(repo)
    result = run("--against", "HEAD~1")
    assert result.exit_code == 0, result.output
    assert list(fake_compiler[0]["sources"]) == ["old_schemas/a.yaml"]
    assert list(fake_compiler[1]["sources"]) == ["schemas/a.yaml"]
    assert fake_compiler[0]["previous"] is None  # no lock file at the revision


def test_fake_project_below_repository_top(tmp_path, monkeypatch, fake_compiler):
    repo = init_repo(tmp_path / "repo")
    project = repo / "game"
    write(project / "luaugen.toml", "")
    write(project / "schemas/a.yaml", schema("A", 1, x="u8"))
    write(repo / "schemas/decoy.yaml", schema("Decoy", 2, y="u8"))
    commit_all(repo, "v1")
    write(project / "schemas/a.yaml", schema("A", 1))
    monkeypatch.chdir(project / "schemas")
    result = run("--against", "main")
    assert result.exit_code == 1, result.output
    assert list(fake_compiler[0]["sources"]) == ["schemas/a.yaml"]
    assert "field A.Do.payload.x was removed" in result.stdout


def test_text_snippets_come_from_the_side_the_span_points_into(tmp_path, monkeypatch, fake_compiler):
    repo = init_repo(tmp_path / "repo")
    write(repo / "schemas/gone.yaml", json.dumps({"channel": "Gone", "id": 2, "fields": {}, "line": 1, "old": True}))
    write(repo / "schemas/a.yaml", json.dumps({"channel": "A", "id": 1, "fields": {"x": "u8"}, "line": 1}))
    commit_all(repo, "v1")
    (repo / "schemas/gone.yaml").unlink()
    write(repo / "schemas/a.yaml", json.dumps({"channel": "A", "id": 1, "fields": {"x": "u8", "y": "u8"}, "line": 1, "new": 1}))
    monkeypatch.chdir(repo)
    result = run("--against", "HEAD")
    assert result.exit_code == 1, result.output
    out = result.stdout
    # the removed channel exists only at the revision: its snippet is the old file's line 1
    removed = out.index("schemas/gone.yaml:1:1: error: breaking: channel 'Gone' was removed [channel-removed]")
    assert out.index("[field-added]") < removed  # sorted by path: schemas/a.yaml first
    assert '"old": true' in out[removed:] and '"old": true' not in out[:removed]
    # the added field's message is in the working tree: its snippet is the new file's line 1
    assert '"new": 1' in out[:removed] and '"new": 1' not in out[removed:]
    assert "[message-removed]" not in out  # a removed channel is reported once, not per message


def test_fake_compile_error_at_revision_exits_2(tmp_path, monkeypatch, fake_compiler):
    repo = init_repo(tmp_path / "repo")
    write(repo / "schemas/a.yaml", "{broken")
    commit_all(repo, "broken")
    write(repo / "schemas/a.yaml", schema("A", 1, x="u8"))
    monkeypatch.chdir(repo)
    result = run("--against", "HEAD")
    assert result.exit_code == 2
    assert "[yaml-syntax]" in result.stderr


def test_fake_bad_config_at_revision_exits_2(tmp_path, monkeypatch, fake_compiler):
    repo = init_repo(tmp_path / "repo")
    write(repo / "luaugen.toml", "[project]\nbogus = 1\n")
    commit_all(repo, "v1")
    write(repo / "luaugen.toml", "")
    monkeypatch.chdir(repo)
    result = run("--against", "HEAD")
    assert result.exit_code == 2
    assert "at HEAD" in result.stderr and "bogus" in result.stderr


def test_unknown_ref_in_repo_exits_2(tmp_path, monkeypatch):
    repo = init_repo(tmp_path / "repo")
    write(repo / "x.txt", "x")
    commit_all(repo, "v1")
    monkeypatch.chdir(repo)
    result = run("--against", "origin/nope", "--new-manifest", "x.txt")
    assert result.exit_code == 2
    assert "neither a git revision" in result.stderr


def test_option_like_ref_is_rejected(tmp_path):
    repo = init_repo(tmp_path / "repo")
    with pytest.raises(SourceError):
        load_revision(repo, "--output=/tmp/x")


def test_saved_manifest_against_working_tree_compile(tmp_path, monkeypatch, fake_compiler):
    write(tmp_path / "schemas/a.yaml", schema("A", 1, x="u8"))
    write(tmp_path / "old.json", json.dumps(manifest(channel("A", 1, messages=[message("Do", 1, payload=struct(mfield("x", integer("u16"))))]))))
    monkeypatch.chdir(tmp_path)
    result = run("--against", "old.json")
    # the message is client→server: the new server accepting u8 where old clients may send u16 breaks them
    assert result.exit_code == 1, result.output
    assert "(narrower; new server validates) [integer-range-changed]" in result.stdout


# -- the real compiler ---------------------------------------------------------------------------------------------

SKILLS_V1 = """\
channel: Skills
qos: CRITICAL
intents:
  CastSkill:
    payload:
      slot: u8
      target: string
events:
  SkillCast:
    payload:
      slot: u8
"""


@pytest.fixture
def real_repo(tmp_path, monkeypatch):
    repo = init_repo(tmp_path / "repo")
    write(repo / "luaugen.toml", '[project]\nschemas = "schemas"\n')
    write(repo / "schemas/skills.yaml", SKILLS_V1)
    commit_all(repo, "v1")
    monkeypatch.chdir(repo)
    return repo


def test_real_unchanged_is_clean(real_repo):
    result = run("--against", "HEAD")
    assert result.exit_code == 0, result.output
    assert "0 breaking, 0 compatible" in result.stderr


def test_real_client_to_server_widening_is_compatible(real_repo):
    write(real_repo / "schemas/skills.yaml", SKILLS_V1.replace("      slot: u8\n      target", "      slot: u16\n      target"))
    result = run("--against", "HEAD", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(d["code"], d["severity"]) for d in data] == [("integer-range-changed", "info")]
    assert data[0]["path"] == "schemas/skills.yaml"


def test_real_server_to_client_widening_and_field_removal_break(real_repo):
    text = SKILLS_V1.replace("      target: string\n", "").replace("  SkillCast:\n    payload:\n      slot: u8",
                                                                       "  SkillCast:\n    payload:\n      slot: u16")
    write(real_repo / "schemas/skills.yaml", text)
    result = run("--against", "HEAD", "--format", "json")
    assert result.exit_code == 1, result.output
    codes = {(d["code"], d["severity"]) for d in json.loads(result.stdout)}
    assert codes == {("field-removed", "error"), ("integer-range-changed", "error")}


def test_real_broken_revision_exits_2(real_repo):
    write(real_repo / "schemas/skills.yaml", "channel: [unclosed\n")
    commit_all(real_repo, "broken")
    write(real_repo / "schemas/skills.yaml", SKILLS_V1)
    result = run("--against", "HEAD")
    assert result.exit_code == 2, result.output
