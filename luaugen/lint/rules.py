"""The lint rules: stable ids, default levels, a short explanation and a fix hint for each."""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics import Severity


@dataclass(frozen=True)
class Rule:
    id: str
    level: str  # default level: "error" | "warning" | "info" | "off"
    summary: str  # one-line explanation (SARIF shortDescription)
    help: str  # how to fix it (SARIF help, diagnostic hint fallback)


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "unknown-channel",
            "error",
            "The channel is not registered in the generated manifest.",
            "Use a channel declared under schemas/ (or add it there and run `luaugen build`).",
        ),
        Rule(
            "unknown-message",
            "error",
            "The message is not registered on this channel in the generated manifest.",
            "Use a message declared on the channel (or add it to the schema and run `luaugen build`).",
        ),
        Rule(
            "unknown-method",
            "error",
            "The generated message API has no such function.",
            "Intents have send/request (client) and on (server); events have fire/fireAll/fireExcept/fireList (server) and on (client).",
        ),
        Rule(
            "wrong-direction",
            "error",
            "The call goes against the message's declared direction for this side (client/server).",
            "Clients send/request intents and listen to events; servers listen to intents and fire events.",
        ),
        Rule(
            "qos-above-declared",
            "error",
            "A per-call `qos` option asks for a higher tier than the message declares (CRITICAL > HIGH > NORMAL > LOW).",
            "Drop the `qos` option or raise the message's qos in its schema.",
        ),
        Rule(
            "unreliable-reliable",
            "error",
            "A per-call option sends a message declared reliable over the unreliable transport.",
            "Remove `reliable = false`, or declare the message `reliable: false` in its schema.",
        ),
        Rule(
            "dynamic-name",
            "error",
            "The channel or message name is not a string literal, so it cannot be verified.",
            "Use the typed API (Net.Channel.Message) or a string literal name.",
        ),
        Rule(
            "untracked-networking-use",
            "error",
            "The networking module (or a channel or message of it) flows where lint cannot follow it, so its uses cannot be verified.",
            "Call the module directly or through local aliases, local tables and local functions; do not pass it to "
            "unknown functions, return it, iterate it or store it in _G.",
        ),
        Rule(
            "internal-module",
            "error",
            "The code requires an internal module of the generated networking layer (Networking.Runtime.*, or the "
            "server half NetworkingServer, which the Networking module loads itself).",
            "Require the Networking module itself and use its API; its internals change between builds.",
        ),
        Rule(
            "raw-remote",
            "error",
            "Raw RemoteEvent/RemoteFunction/UnreliableRemoteEvent use bypasses the generated, validated networking layer.",
            "Declare the message in a schema and use the generated Networking API instead.",
        ),
        Rule(
            "unused-message",
            "off",
            "A registered message is never used by the linted code.",
            "Use the message, or remove it from its schema (its id is retired, never reused).",
        ),
        Rule(
            "file-too-large",
            "error",
            "The file is larger than [lint] max_file_bytes, so it was not parsed or checked.",
            "Split the file, or raise max_file_bytes in the [lint] section of luaugen.toml.",
        ),
        Rule(
            "parse-error",
            "error",
            "The file is not valid Luau, so it could not be checked.",
            "Fix the syntax error (a file that does not parse is never skipped silently).",
        ),
    )
}

LEVELS = ("off", "info", "warning", "error")
_SEVERITY = {"info": Severity.INFO, "warning": Severity.WARNING, "error": Severity.ERROR}


class LintConfigError(ValueError):
    """An invalid lint setting (unknown rule id or level); the command exits 2."""


def effective_levels(overrides: dict[str, str], *, enable_unused: bool = False) -> dict[str, str]:
    levels = {rule_id: rule.level for rule_id, rule in RULES.items()}
    if enable_unused:
        levels["unused-message"] = "info"
    for rule_id, level in overrides.items():
        if rule_id not in RULES:
            raise LintConfigError(f"unknown lint rule {rule_id!r} in [lint.rules] (known: {', '.join(sorted(RULES))})")
        if level not in LEVELS:
            raise LintConfigError(f"[lint.rules] {rule_id} must be one of {', '.join(LEVELS)}, got {level!r}")
        levels[rule_id] = level
    return levels


def severity(level: str) -> Severity:
    return _SEVERITY[level]
