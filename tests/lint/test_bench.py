"""The throughput benchmark's generator and measurement (speed itself is reported, not asserted: CI machines vary)."""

from __future__ import annotations

from luaugen.config import LintSettings
from luaugen.lint import lint_sources
from luaugen.lint.bench import generate_codebase, measure
from luaugen.lint.parse import parse


def test_generate_codebase_is_deterministic_valid_and_sized() -> None:
    files = generate_codebase(3000, seed=7)
    assert files == generate_codebase(3000, seed=7) and files != generate_codebase(3000, seed=8)
    lines = sum(text.count("\n") for text in files.values())
    assert 3000 <= lines < 3400
    assert {path.split("/")[1] for path in files} == {"client", "server", "shared"}
    assert all(not parse(text.encode()).root_node.has_error for text in files.values())


def test_generated_code_uses_the_api_and_is_clean(manifest) -> None:
    files = generate_codebase(6000, seed=3)
    assert sum(text.count("Net.") for text in files.values()) > 20
    assert lint_sources(manifest, files, LintSettings()) == []
    # Swap sides: every client call becomes wrong on the server and vice versa.
    swapped = {p.replace("/client/", "/tmp/").replace("/server/", "/client/").replace("/tmp/", "/server/"): t for p, t in files.items()}
    assert {d.code for d in lint_sources(manifest, swapped, LintSettings())} == {"wrong-direction"}


def test_measure_reports_throughput(manifest) -> None:
    result = measure(manifest, lines=5000, seed=2, repeat=1)
    assert result["lines"] >= 5000 and result["findings"] == 0
    assert result["lines_per_second"] > 1000 and result["seconds"] > 0
