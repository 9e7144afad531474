"""`lint_sources`: the pure core of `luaugen lint` (no disk access)."""

from __future__ import annotations

import re
from typing import Mapping

from ..config import LintSettings
from ..diagnostics import Diagnostic, Span, sorted_diagnostics
from .check import Checker, Finding
from .globs import compile_globs, matches
from .manifest import ManifestIndex
from .parse import parse, span, syntax_errors
from .remotes import find_raw_remotes
from .resolve import find_uses
from .rules import RULES, effective_levels, severity

_IGNORE = re.compile(rb"luaugen-ignore(-file)?(?![\w-])(?:[ \t]*:[ \t]*([\w-]+(?:[ \t]*,[ \t]*[\w-]+)*))?")
ALL = "*"


def role_of(path: str, settings: LintSettings) -> str:
    if matches(path, settings.client):
        return "client"
    if matches(path, settings.server):
        return "server"
    return "shared"


def is_excluded(path: str, settings: LintSettings, generated: tuple[str, ...] = ()) -> bool:
    """Excluded by the settings, or inside one of the `generated` folders (luaugen's own output)."""
    for folder in generated:
        folder = folder.strip("/").removeprefix("./")
        if path == folder or path.startswith(folder + "/"):
            return True
    return matches(path, settings.exclude)


def lint_sources(
    manifest: dict,
    files: Mapping[str, str],
    settings: LintSettings,
    *,
    generated: tuple[str, ...] = (),
    server_module: str | None = None,
    enable_unused: bool = False,
) -> list[Diagnostic]:
    """Lint Luau `files` (root-relative posix path -> text) against `manifest`; sorted diagnostics. `generated`:
    luaugen's output folders (not linted); `server_module`: the server half's name (requiring it is a finding).

    Raises rules.LintConfigError for an unknown rule id or level, or a glob that expands too far, in `settings`.
    """
    levels = effective_levels(settings.rule_levels(), enable_unused=enable_unused)
    for glob, rule_ids in settings.ignore:
        effective_levels({r: "off" for r in rule_ids if r != ALL})  # validates the ids
        compile_globs((glob,))  # and the globs, before any file
    for globs in (settings.client, settings.server, settings.exclude):
        compile_globs(globs)
    checker = Checker(ManifestIndex(manifest))
    module = settings.networking_module
    out: list[Diagnostic] = []
    for path in sorted(files):
        if is_excluded(path, settings, generated):
            continue
        source = files[path].encode("utf-8")
        if len(source) > settings.max_file_bytes:
            _too_large(path, settings, levels, out)
            continue
        if b"\r" in source:  # lone CRs end lines too (as in editors); tree-sitter and the spans count only LF
            source = source.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        tree = parse(source)
        findings: list[Finding] = []
        if tree.root_node.has_error:
            rows: set[int] = set()
            for node, what in syntax_errors(tree):  # one per line: recovery often yields several
                if node.start_point[0] not in rows:
                    rows.add(node.start_point[0])
                    findings.append(Finding("parse-error", node, f"syntax error: {what}"))
        uses, internal = find_uses(tree, source, module, server_module)
        findings.extend(checker.check(uses, role_of(path, settings)))
        for call, dotted in internal:
            findings.append(Finding("internal-module", call, f"requires {dotted}, an internal module of the networking layer"))
        findings.extend(find_raw_remotes(tree, source))
        if not findings:
            continue
        file_off, line_off = _suppressions(tree, source) if b"luaugen-ignore" in source else (set(), {})
        path_off = _ignored_at(path, settings)
        for finding in findings:
            level = levels[finding.rule]
            if level == "off" or {finding.rule, ALL} & (file_off | path_off):
                continue
            where = span(path, source, finding.node)
            if {finding.rule, ALL} & line_off.get(where.line, set()):
                continue
            out.append(_diagnostic(finding.rule, level, finding.message, where, finding.hint))
    if levels["unused-message"] != "off":
        for info in checker.index.all_messages():
            if (info.channel, info.name) in checker.used:
                continue
            where = Span(*info.source) if info.source else None
            if where is not None and {"unused-message", ALL} & _ignored_at(where.path, settings):
                continue
            message = f"message {info.channel}.{info.name} is registered but never used"
            out.append(_diagnostic("unused-message", levels["unused-message"], message, where, None))
    return sorted_diagnostics(out)


def _ignored_at(path: str, settings: LintSettings) -> set[str]:
    """Rule ids that `[lint.ignore]` turns off for `path`."""
    return {r for glob, rule_ids in settings.ignore if matches(path, (glob,)) for r in rule_ids}


def _too_large(path: str, settings: LintSettings, levels: dict[str, str], out: list[Diagnostic]) -> None:
    """A file over the size cap is reported, never parsed: hostile input costs bounded time and memory."""
    level = levels["file-too-large"]
    if level != "off" and not {"file-too-large", ALL} & _ignored_at(path, settings):
        message = f"file is larger than the lint limit of {settings.max_file_bytes} bytes ([lint] max_file_bytes); it was not checked"
        out.append(_diagnostic("file-too-large", level, message, Span(path, 1, 1), None))


def _diagnostic(rule: str, level: str, message: str, where: Span | None, hint: str | None) -> Diagnostic:
    return Diagnostic(rule, severity(level), message, where, hint or RULES[rule].help)


def _suppressions(tree, source: bytes) -> tuple[set[str], dict[int, set[str]]]:
    """Rules ignored for the whole file, and per line, from `-- luaugen-ignore[-file][: rule, ...]` comments."""
    root = tree.root_node
    file_off: set[str] = set()
    line_off: dict[int, set[str]] = {}
    for match in _IGNORE.finditer(source):
        node = root.descendant_for_byte_range(match.start(), match.end())
        if node is None or node.type not in ("comment", "comment_content"):
            continue
        rules = {r.strip().decode() for r in match.group(2).split(b",")} if match.group(2) else {ALL}
        if match.group(1):
            file_off |= rules
            continue
        line = source.count(b"\n", 0, match.start()) + 1
        line_off.setdefault(line, set()).update(rules)
        comment = node if node.type == "comment" else node.parent
        line_start = source.rfind(b"\n", 0, comment.start_byte) + 1
        if not source[line_start:comment.start_byte].strip():  # a comment on its own line covers the next line
            line_off.setdefault(comment.end_point[0] + 2, set()).update(rules)
    return file_off, line_off
