"""The loader remembers scalar tags and values across files; what it remembers stays bounded, and a remembered
value is the value the text means."""

from __future__ import annotations

import math

from luaugen.load import yaml_loader
from luaugen.load.yaml_loader import load_document


def test_the_memos_stay_bounded_and_answer_right_after_being_cleared(monkeypatch):
    monkeypatch.setattr(yaml_loader, "_MEMO_LIMIT", 10)
    monkeypatch.setattr(yaml_loader, "_plain_tags", {})
    monkeypatch.setattr(yaml_loader, "_values", {})
    text = "values:\n" + "".join(f"  k{i}: {i}\n" for i in range(50)) + "  t: true\n  n: ~\n  f: .nan\n  h: 0x1F\n"
    for _ in range(2):  # the second time, some answers come from the memo
        document, problems = load_document("schemas/a.yaml", text)
        assert problems == []
        plain = document.plain()["values"]
        assert [plain[f"k{i}"] for i in range(50)] == list(range(50))
        assert (plain["t"], plain["n"], math.isnan(plain["f"]), plain["h"]) == (True, None, True, 31)
        assert len(yaml_loader._plain_tags) <= 10 and len(yaml_loader._values) <= 10
