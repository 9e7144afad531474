from __future__ import annotations

from pathlib import Path

import pytest

from .harness import build_good_output


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes several seconds (still part of the default run)")


@pytest.fixture(scope="session")
def good_generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """generated/ from a fresh build of the repo's schemas, plus hand-written user files."""
    return build_good_output(tmp_path_factory.mktemp("good") / "project")
