"""A new game repository, as README's quick start walks it: init, build, game code, lint, type check, release deploy."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.compiler.harness import run_cli, snapshot
from tests.typecheck.analyzer import string_requires

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
TOOLS = ROOT.parent / "shared" / "tools"
ROJO_PROJECT = {"name": "game", "tree": {"$className": "DataModel",
                                          "ServerScriptService": {"Server": {"$path": "src/server"}}}}
REQUIRE_NET = "local Net = require(ReplicatedStorage.Networking)"


def game_code() -> dict[str, str]:
    """The server and client examples of README's quick start, keyed by the path their first line names."""
    blocks = re.findall(r"```lua\n-- (src/\S+)\n(.*?)```", README, re.DOTALL)
    assert [path for path, _ in blocks] == ["src/server/Greetings.server.luau", "src/client/Greetings.client.luau"]
    return dict(blocks)


@pytest.fixture(scope="module")
def game(tmp_path_factory) -> Path:
    """An empty Rojo game repository after `luaugen init --rojo`, `luaugen build` and README's game code."""
    repo = tmp_path_factory.mktemp("game")
    (repo / "default.project.json").write_text(json.dumps(ROJO_PROJECT, indent="\t") + "\n", encoding="utf-8")
    code, out, err = run_cli("init", str(repo), "--rojo", "--install", "luaugen @ git+https://example.org/luaugen@v1")
    assert (code, err) == (0, "")
    assert out.splitlines()[:4] == ["created luaugen.toml", "created schemas/greetings.yaml",
                                    "created .github/workflows/networking.yml",
                                    "added ReplicatedStorage.Networking -> generated/luau/Networking, "
                                    "ServerScriptService.NetworkingServer -> generated/luau/NetworkingServer to "
                                    "default.project.json"]
    code, out, err = run_cli("build", "--root", str(repo))
    assert code == 0, err
    assert out.startswith("luaugen dev: 1 schema files, 1 channels, 2 messages\n")
    for path, text in game_code().items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text, encoding="utf-8")
    return repo


def test_init_writes_a_rojo_entry_and_a_workflow_that_checks(game: Path):
    project = json.loads((game / "default.project.json").read_text(encoding="utf-8"))
    assert project["tree"]["ReplicatedStorage"] == {"$className": "ReplicatedStorage",
                                                    "Networking": {"$path": "generated/luau/Networking"}}
    # The server half goes beside the game's own server scripts, where clients never receive it.
    assert project["tree"]["ServerScriptService"] == {
        "Server": {"$path": "src/server"}, "NetworkingServer": {"$path": "generated/luau/NetworkingServer"}}
    assert (game / "default.project.json").read_text(encoding="utf-8").startswith('{\n\t"name"')  # tabs kept
    workflow = (game / ".github" / "workflows" / "networking.yml").read_text(encoding="utf-8")
    steps = re.findall(r"- run: (.*)", workflow)
    assert steps == ['pip install "luaugen @ git+https://example.org/luaugen@v1"',
                     "luaugen build --check --format github", "luaugen lint --format github"]


def test_init_refuses_to_overwrite_without_force(game: Path):
    schema = game / "schemas" / "greetings.yaml"
    before = snapshot(game)
    code, out, err = run_cli("init", str(game))
    assert (code, out) == (2, "")
    assert err == ("luaugen init: luaugen.toml, schemas/greetings.yaml, .github/workflows/networking.yml already "
                   "exist; nothing written (use --force to overwrite)\n")
    assert snapshot(game) == before
    assert schema.read_text(encoding="utf-8").startswith("# A first channel, written by `luaugen init`")


def test_the_game_code_lints_clean(game: Path):
    code, out, err = run_cli("lint", "--config-root", str(game), str(game / "src"))
    assert code == 0, out + err
    assert "2 files" in out + err and "0 findings" in out + err


def test_a_wrong_direction_call_is_a_lint_finding(game: Path, tmp_path: Path):
    client = tmp_path / "Bad.client.luau"
    client.write_text(game_code()["src/client/Greetings.client.luau"].replace(
        "Net.Greetings.Greeted.on(", "Net.Greetings.Greeted.fireAll(", 1), encoding="utf-8")
    code, out, err = run_cli("lint", "--config-root", str(game), str(client))
    assert code == 1
    assert "[wrong-direction]" in out + err


@pytest.mark.skipif(not (TOOLS / "luau-analyze").is_file(), reason=f"luau-analyze not found in {TOOLS}")
def test_the_game_code_type_checks_against_the_generated_module(game: Path, tmp_path: Path):
    # Only the game's files are judged: the generated runtime's own findings belong to the type-clean issue.
    for path in (game / "generated" / "luau").rglob("*.luau"):
        target = tmp_path / path.relative_to(game)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(string_requires(path.read_text(encoding="utf-8"), path.name == "init.luau"), encoding="utf-8")
    files = []
    for relative, text in game_code().items():
        assert REQUIRE_NET in text
        text = text.replace(REQUIRE_NET, 'local Net = require("../../generated/luau/Networking")')
        text = text.replace('local ReplicatedStorage = game:GetService("ReplicatedStorage")\n', "")
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
        files.append(relative)
    broken = tmp_path / "src" / "server" / "Broken.server.luau"
    broken.write_text((tmp_path / files[0]).read_text(encoding="utf-8").replace("payload.emote,", "payload.emot,"),
                      encoding="utf-8")

    def findings(*paths: str) -> list[str]:
        done = subprocess.run([str(TOOLS / "luau-analyze"), "--mode=strict", "--formatter=gnu",
                               f"--definitions={TOOLS / 'roblox.d.luau'}", *paths],
                              cwd=tmp_path, capture_output=True, text=True, timeout=120)
        lines = (done.stdout + done.stderr).splitlines()
        return [line for line in lines if line.startswith(("src/", "./src/"))]

    assert findings(*files) == []
    assert findings("src/server/Broken.server.luau") == [
        "./src/server/Broken.server.luau:4.66-4.77: TypeError: Key 'emot' not found in table 'GreetingsGreet'"]
    # docs/typecheck.md shows this finding in the game's own file, one line lower (its GetService line is kept).
    typecheck_page = (ROOT / "docs" / "typecheck.md").read_text(encoding="utf-8")
    assert "src/server/Greetings.server.luau(5,66): TypeError: Key 'emot' not found in table 'GreetingsGreet'" \
        in typecheck_page


def test_a_release_deploy_leaves_the_committed_tree_and_check_alone(game: Path, tmp_path: Path):
    committed = snapshot(game / "generated")
    deploy = tmp_path / "deploy"
    code, out, err = run_cli("build", "--root", str(game), "--profile", "release", "--out", str(deploy))
    assert code == 0, err
    assert out.startswith(f"luaugen release: 1 schema files, 1 channels, 2 messages -> {deploy}\n")
    assert snapshot(game / "generated") == committed
    assert sorted(p.name for p in deploy.iterdir()) == [".luaugen-files", "Networking", "NetworkingServer"]
    shared, server = deploy / "Networking", deploy / "NetworkingServer"
    assert 'profile = "release"' in (shared / "Registry.luau").read_text(encoding="utf-8")
    assert sorted(p.name for p in shared.iterdir()) == ["Checks.luau", "Packed", "Registry.luau", "ReplyValidators",
                                                       "Runtime", "TypeChecks.luau", "Types.luau", "Validators",
                                                       "init.luau"]
    assert sorted(p.name for p in server.iterdir()) == ["Checks.luau", "ReplyCache.luau", "TypeChecks.luau",
                                                       "Validators", "init.luau"]
    assert "dev = false," in (shared / "Runtime" / "Settings.luau").read_text(encoding="utf-8")
    code, _, err = run_cli("build", "--root", str(game), "--check")
    assert (code, err) == (0, "luaugen: generated files are up to date (41 files)\n")
    # 34 modules (3 of them packed codecs, 7 in the server half) and the deploy folder's .luaugen-files record
    code, _, err = run_cli("build", "--root", str(game), "--check", "--profile", "release", "--out", str(deploy))
    assert (code, err) == (0, "luaugen: generated files are up to date (35 files)\n")
    manifest = json.loads((game / "generated" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["profile"] == "dev"


def test_release_in_place_is_refused_and_out_is_confined(game: Path):
    committed = snapshot(game)
    code, _, err = run_cli("build", "--root", str(game), "--profile", "release")
    assert code == 2
    assert "--profile release would rewrite the committed tree" in err
    for out, why in [(game / "schemas" / "x", "is inside the schemas folder 'schemas'"),
                     (game / "generated", "overlaps the committed output 'generated/luau/Networking'"),
                     (game, "holds the whole project"), (game.parent, "holds the whole project")]:
        code, _, err = run_cli("build", "--root", str(game), "--profile", "release", "--out", str(out))
        assert code == 2 and why in err, err
    assert snapshot(game) == committed


def test_check_names_a_profile_mismatch(game: Path, tmp_path: Path):
    config = game / "luaugen.toml"
    original = config.read_text(encoding="utf-8")
    config.write_text(original.replace('profile = "dev"', 'profile = "release"', 1), encoding="utf-8")
    try:
        code, _, err = run_cli("build", "--root", str(game), "--check")
    finally:
        config.write_text(original, encoding="utf-8")
    assert code == 1
    assert err.splitlines()[0] == ("luaugen: generated/manifest.json was built with profile 'dev' but luaugen.toml "
                                   "says 'release': run `luaugen build` and commit; build other profiles with --out DIR")
