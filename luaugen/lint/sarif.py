"""SARIF 2.1.0 output for `luaugen lint --format sarif`."""

from __future__ import annotations

import json
from typing import Iterable

from ..diagnostics import Diagnostic, Severity
from .rules import RULES

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def sarif_log(diagnostics: Iterable[Diagnostic], *, tool_version: str = "0.1.0") -> dict:
    rule_ids = sorted(RULES)
    rule_index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    results = []
    for diag in diagnostics:
        text = diag.message + (f" (hint: {diag.hint})" if diag.hint else "")
        result: dict = {"ruleId": diag.code, "level": _LEVEL[diag.severity], "message": {"text": text}}
        if diag.code in rule_index:
            result["ruleIndex"] = rule_index[diag.code]
        if diag.span is not None:
            region = {"startLine": max(1, diag.span.line), "startColumn": max(1, diag.span.col)}
            if diag.span.end_line is not None and diag.span.end_col is not None:
                region.update(endLine=diag.span.end_line, endColumn=max(1, diag.span.end_col))
            result["locations"] = [
                {"physicalLocation": {"artifactLocation": {"uri": diag.span.path, "uriBaseId": "%SRCROOT%"}, "region": region}}
            ]
        results.append(result)
    rules = [
        {
            "id": rule_id,
            "name": "".join(part.capitalize() for part in rule_id.split("-")),
            "shortDescription": {"text": RULES[rule_id].summary},
            "help": {"text": RULES[rule_id].help},
            "defaultConfiguration": {"level": _default_level(RULES[rule_id].level), "enabled": RULES[rule_id].level != "off"},
        }
        for rule_id in rule_ids
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "luaugen-lint", "version": tool_version, "rules": rules}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _default_level(level: str) -> str:
    return {"error": "error", "warning": "warning", "info": "note"}.get(level, "none")


def render_sarif(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps(sarif_log(diagnostics), indent=2, sort_keys=True) + "\n"
