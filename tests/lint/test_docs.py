"""docs/lint.md lists every rule with its default level, and nothing else."""

from __future__ import annotations

import re

from luaugen.lint.rules import RULES

from .conftest import REPO


def test_rule_table_matches_the_rules() -> None:
    text = (REPO / "docs" / "lint.md").read_text(encoding="utf-8")
    table = text[text.index("| id | default | what |"):text.index("## What lint follows")]
    documented = {}
    for row in table.splitlines()[2:]:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        if len(cells) == 3:
            for rule_id in re.findall(r"`([\w-]+)`", cells[0]):
                documented[rule_id] = cells[1]
    assert documented == {rule_id: rule.level for rule_id, rule in RULES.items()}
