"""Rule behaviour in isolation: levels, suppression, config ignores, roles, manifest loading, require forms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from luaugen.config import LintSettings, load_config
from luaugen.diagnostics import Severity
from luaugen.lint import LintConfigError, ManifestError, lint_sources, load_manifest
from luaugen.lint.engine import role_of

HEADER = "local Net = require(script.Parent.Networking)\n"


def codes(manifest, source: str, path: str = "src/client/x.luau", settings: LintSettings | None = None, **kw) -> list[str]:
    return [d.code for d in lint_sources(manifest, {path: source}, settings or LintSettings(), **kw)]


@pytest.mark.parametrize(
    "require",
    [
        "require(game.ReplicatedStorage.Generated.Networking)",
        'require(game:GetService("ReplicatedStorage"):WaitForChild("Generated"):WaitForChild("Networking"))',
        'require(game:GetService("ReplicatedStorage").Networking)',
        "require(script.Parent.Networking)",
        'require(ReplicatedStorage:FindFirstChild("Networking"))',
        'require(ReplicatedStorage["Networking"])',
        'require("@shared/Networking")',
        "(require(script.Parent.Networking) :: any)",
    ],
)
def test_require_forms(manifest, require: str) -> None:
    assert codes(manifest, f"local Net = {require}\nNet.Skillz.CastSkill.send({{}})\n") == ["unknown-channel"]


def test_other_modules_and_custom_module_name(manifest) -> None:
    source = "local Net = require(script.Parent.OtherNet)\nNet.Skillz.CastSkill.send({})\n"
    assert codes(manifest, source) == []
    settings = LintSettings(networking_module="OtherNet")
    assert codes(manifest, source, settings=settings) == ["unknown-channel"]


def test_direct_require_chain_and_global_alias(manifest) -> None:
    assert codes(manifest, "require(script.Parent.Networking).Skillz.X.send({})\n") == ["unknown-channel"]
    assert codes(manifest, "Net = require(script.Parent.Networking)\nlocal function f() Net.Skillz.X.send({}) end\n") == ["unknown-channel"]


def test_did_you_mean_across_channels(manifest) -> None:
    diags = lint_sources(manifest, {"a.luau": HEADER + "Net.Skills.EntityMoved.on(print)\n"}, LintSettings())
    assert diags[0].code == "unknown-message" and diags[0].hint == "'EntityMoved' is declared on channel 'EntityInfo'"


def test_module_members_that_are_not_channels(manifest) -> None:
    assert codes(manifest, HEADER + "Net.start()\nlocal t: Net.Types.SkillsCastSkill = nil\nprint(Net.Registry.schemaHash)\n") == []


@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("src/client/a.luau", "client"),
        ("src/StarterPlayer/x/y.luau", "client"),
        ("foo.client.luau", "client"),
        ("lib/deep/foo.client.lua", "client"),
        ("src/server/a.luau", "server"),
        ("src/ServerScriptService/Main.server.luau", "server"),
        ("src/shared/a.luau", "shared"),
        ("src/clientele/a.luau", "shared"),
    ],
)
def test_roles_from_default_globs(path: str, role: str) -> None:
    assert role_of(path, LintSettings()) == role


def test_direction_by_role(manifest) -> None:
    client = HEADER + "Net.Skills.CastSkill.send({})\nNet.Skills.SkillCast.on(print)\n"
    server = HEADER + "Net.Skills.CastSkill.on(print)\nNet.Skills.SkillCast.fire(p, {})\nNet.Skills.SkillCast.fireList({p}, {})\n"
    assert codes(manifest, client, "src/client/a.luau") == []
    assert codes(manifest, client, "src/server/a.luau") == ["wrong-direction", "wrong-direction"]
    assert codes(manifest, server, "src/server/a.luau") == []
    assert codes(manifest, server, "src/client/a.luau") == ["wrong-direction"] * 3
    assert codes(manifest, client, "src/shared/a.luau") == codes(manifest, server, "src/shared/a.luau") == []


def test_qos_ranks(manifest) -> None:
    call = HEADER + 'Net.EntityInfo.InspectEntity.request({{}}, {{ qos = "{}" }})\n'  # declared NORMAL
    assert codes(manifest, call.format("LOW")) == codes(manifest, call.format("NORMAL")) == []
    assert codes(manifest, call.format("HIGH")) == codes(manifest, call.format("CRITICAL")) == ["qos-above-declared"]
    assert codes(manifest, HEADER + "Net.EntityInfo.InspectEntity.request({}, { qos = tier })\n") == []


def test_bracketed_option_keys(manifest) -> None:
    assert codes(manifest, HEADER + 'Net.Skills.CancelCast.send({}, { ["qos"] = "CRITICAL" })\n') == ["qos-above-declared"]
    assert codes(manifest, HEADER + "Net.Skills.CancelCast.send({}, { ['reliable'] = false })\n") == ["unreliable-reliable"]
    assert codes(manifest, HEADER + 'Net.Skills.CancelCast.send({}, { [qos] = "CRITICAL" })\n') == []  # not a literal key


def test_unreliable_option_forms(manifest) -> None:
    assert codes(manifest, HEADER + "Net.Skills.CancelCast.send({}, { unreliable = true })\n") == ["unreliable-reliable"]
    assert codes(manifest, HEADER + "Net.Skills.CancelCast.send({}, { reliable = true })\n") == []
    # An unreliable message may be sent unreliably.
    assert codes(manifest, HEADER + "Net.fireAll('EntityInfo', 'EntityMoved', {}, { reliable = false })\n", "src/server/a.luau") == []
    # Options in the payload position are not options.
    assert codes(manifest, HEADER + "Net.Skills.CancelCast.send({ reliable = false })\n") == []


def test_rule_levels_and_off(manifest) -> None:
    source = HEADER + "Net.Skillz.X.send({})\nNet.send(n, 'X', {})\n"
    settings = LintSettings(rules=(("unknown-channel", "warning"), ("dynamic-name", "off")))
    diags = lint_sources(manifest, {"a.luau": source}, settings)
    assert [(d.code, d.severity) for d in diags] == [("unknown-channel", Severity.WARNING)]


def test_invalid_rule_settings(manifest) -> None:
    with pytest.raises(LintConfigError, match="unknown lint rule"):
        lint_sources(manifest, {}, LintSettings(rules=(("nope", "error"),)))
    with pytest.raises(LintConfigError, match="must be one of"):
        lint_sources(manifest, {}, LintSettings(rules=(("raw-remote", "fatal"),)))
    with pytest.raises(LintConfigError, match="unknown lint rule"):
        lint_sources(manifest, {}, LintSettings(ignore=(("src/**", ("nope",)),)))


def test_unused_message_via_config_and_ignore(manifest) -> None:
    source = HEADER + "".join(
        f"print(Net.{c['name']}.{m['name']})\n" for c in manifest["channels"] for m in c["messages"] if m["name"] != "SkillHit"
    )
    assert codes(manifest, source) == []
    diags = lint_sources(manifest, {"a.luau": source}, LintSettings(rules=(("unused-message", "warning"),)))
    assert [(d.code, d.severity, d.span.path, d.message) for d in diags] == [
        ("unused-message", Severity.WARNING, "schemas/skills.yaml", "message Skills.SkillHit is registered but never used")
    ]
    settings = LintSettings(rules=(("unused-message", "info"),), ignore=(("schemas/skills.yaml", ("unused-message",)),))
    assert codes(manifest, source, settings=settings) == []


def test_string_dispatcher_counts_as_use(manifest) -> None:
    used = HEADER + "Net.on('Skills', 'SkillHit', print)\n"
    assert "Skills.SkillHit" not in " ".join(d.message for d in lint_sources(manifest, {"a.luau": used}, LintSettings(), enable_unused=True))


def test_suppression_rules(manifest) -> None:
    bad = "Net.Skillz.X.send({})"
    assert codes(manifest, HEADER + f"{bad} -- luaugen-ignore: unknown-channel\n") == []
    assert codes(manifest, HEADER + f"-- luaugen-ignore: unknown-channel\n{bad}\n") == []
    assert codes(manifest, HEADER + f"-- luaugen-ignore: unknown-channel\n\n{bad}\n") == ["unknown-channel"]
    assert codes(manifest, HEADER + f"{bad}\n-- luaugen-ignore: unknown-channel\n") == ["unknown-channel"]
    assert codes(manifest, HEADER + f"x() -- luaugen-ignore: unknown-channel\n{bad}\n") == ["unknown-channel"]
    assert codes(manifest, HEADER + f"{bad}\n--[[ luaugen-ignore-file: unknown-channel ]]\n") == []
    assert codes(manifest, HEADER + f"{bad} -- luaugen-ignore: raw-remote, unknown-channel\n") == []


def test_path_ignore_and_exclude(manifest) -> None:
    source = "local r = Instance.new('RemoteEvent')\nr:FireAllClients()\n"
    ignore = LintSettings(ignore=(("src/legacy/**", ("raw-remote",)),))
    assert codes(manifest, source, "src/legacy/a.luau", ignore) == []
    assert codes(manifest, source, "src/server/a.luau", ignore) == ["raw-remote", "raw-remote"]
    assert codes(manifest, source, "src/vendor/a.luau", LintSettings(exclude=("src/vendor/**",))) == []
    assert codes(manifest, source, "gen/Networking/init.luau", generated=("gen/Networking",)) == []


def test_raw_remote_forms(manifest) -> None:
    members = ["r:FireServer()", "r:FireClient(p)", "r:FireAllClients()", "r.OnServerEvent:Connect(f)", "r.OnClientEvent:Connect(f)",
               "r:InvokeServer()", "r:InvokeClient(p)", "r.OnServerInvoke = f", "r.OnClientInvoke = f",
               'Instance.new("RemoteEvent")', "Instance.new('UnreliableRemoteEvent', workspace)", 'Instance.new("RemoteFunction")']
    for line in members:
        assert codes(manifest, line + "\n") == ["raw-remote"], line
    harmless = ['Instance.new("Part")', 'print("RemoteEvent")', "local FireServer = 1", "x:IsA('RemoteEvent')", "t = { FireServer = 1 }"]
    for line in harmless:
        assert codes(manifest, line + "\n") == [], line


def test_parse_error_location_and_severity(manifest) -> None:
    diags = lint_sources(manifest, {"src/a.luau": "--!strict\nlocal t = {\n  a = 1,\n\nreturn t\n"}, LintSettings())
    assert [(d.code, d.severity, d.span.line) for d in diags][:1] == [("parse-error", Severity.ERROR, 2)]  # the unclosed table's statement
    assert lint_sources(manifest, {"ok.luau": "local x: number = if true then 1 else 2\nx += 1\n"}, LintSettings()) == []


def test_load_manifest_errors(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="luaugen build"):
        load_manifest(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    for content, message in [
        ("[", "not valid JSON"),
        ('{"generator": "other"}', "not a luaugen manifest"),
        ('{"generator": "luaugen", "format": 2, "channels": []}', "unsupported format"),
        ('{"generator": "luaugen", "format": 1, "channels": [{"name": "A", "messages": [{"name": "M", "kind": "x"}]}]}', "'kind'"),
    ]:
        bad.write_text(content, encoding="utf-8")
        with pytest.raises(ManifestError, match=message):
            load_manifest(bad)
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"generator": "luaugen", "format": 1, "channels": []}), encoding="utf-8")
    assert load_manifest(good)["channels"] == []


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        (r'"St\u{61}ts"', "Stats"),
        (r'"\83tats"', "Stats"),  # decimal, not octal
        (r'"\x53tats"', "Stats"),
        (r'"Sta\z   ts"', "Stats"),
        (r'"caf\195\169"', "café"),  # \ddd are bytes of UTF-8
        (r"'it\'s'", "it's"),
        (r'"a\\b"', "a\\b"),
        (r'"\q"', None),  # not a Luau escape
        (r'"\300"', None),
    ],
)
def test_string_literal_escapes_are_luau_escapes(literal: str, value: str | None) -> None:
    from luaugen.lint.parse import parse, string_value

    call = parse(f"f({literal})".encode()).root_node.named_children[0]
    assert string_value(call.child_by_field_name("arguments").named_children[0]) == value


def test_escaped_channel_names_resolve(manifest) -> None:
    assert codes(manifest, HEADER + r'Net.send("St\u{61}ts", "RequestStats", {})' + "\n") == []
    assert codes(manifest, HEADER + r'Net.send("\83kills", "CancelCast", {})' + "\n") == []


def test_the_server_half_is_internal_under_its_configured_name(manifest, tmp_path) -> None:
    source = "local S = game:GetService('ServerScriptService')\nlocal H = require(S.NetServer)\nprint(H)\n"
    assert codes(manifest, source, "src/server/a.luau", server_module="NetworkingServer") == []  # another module
    assert codes(manifest, source, "src/server/a.luau", server_module="NetServer") == ["internal-module"]
    (tmp_path / "luaugen.toml").write_text('[output]\nluau_server = "gen/NetServer"\n', encoding="utf-8")
    assert load_config(tmp_path).server_module == "NetServer"
    (tmp_path / "luaugen.toml").write_text('[runtime]\nserver_module = "Half"\n', encoding="utf-8")
    assert load_config(tmp_path).server_module == "Half"
