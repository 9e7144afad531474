"""README and docs/ tell the truth: their Python examples run as written, the error example is what luaugen prints,
and the quick start's schema is the one `luaugen init` writes."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PAGES = {"README.md": README} | {
    f"docs/{page.name}": page.read_text(encoding="utf-8") for page in sorted((ROOT / "docs").glob("*.md"))}
PYTHON_BLOCKS = [(name, block) for name, text in PAGES.items() for block in re.findall(r"```python\n(.*?)```", text,
                                                                                          re.DOTALL)]


def test_the_first_python_example_is_in_the_readme_and_asserts_its_output():
    first = re.search(r"```python\n(.*?)```", README, re.DOTALL)[1]
    assert "assert (ok, err) == (False, \"payload.target.position.Z: expected finite number, got nan\")" in first


@pytest.mark.parametrize("index", range(len(PYTHON_BLOCKS)), ids=lambda i: f"{PYTHON_BLOCKS[i][0]}-{i}")
def test_python_example_runs(index, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(sys, "path", list(sys.path))
    name, block = PYTHON_BLOCKS[index]
    exec(compile(block, f"{name} python block", "exec"), {"__name__": "readme"})


def test_every_link_to_docs_names_a_page_that_exists():
    links = set(re.findall(r"\]\((docs/[^)#]+)\)", README))
    assert {"docs/schemas.md", "docs/profiles.md", "docs/luau-api.md"} <= links
    assert [link for link in sorted(links) if not (ROOT / link).is_file()] == []


def test_quick_start_schema_is_what_init_writes():
    block = re.search(r"```yaml\n(# schemas/greetings.yaml\n.*?)```", README, re.DOTALL)[1]
    template = yaml.safe_load((ROOT / "templates" / "init" / "schemas" / "greetings.yaml").read_text(encoding="utf-8"))

    def without_descriptions(node):
        if isinstance(node, dict):
            return {k: without_descriptions(v) for k, v in node.items() if k != "description"}
        return node

    assert yaml.safe_load(block) == without_descriptions(template)


def test_error_example_is_what_build_prints(tmp_path):
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    shutil.copy(ROOT / "luaugen.toml", tmp_path)
    skills = tmp_path / "schemas" / "skills.yaml"
    skills.write_text(skills.read_text(encoding="utf-8").replace("      target: Target\n", "      target: Targte\n", 1),
                      encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "luaugen.cli", "build"], cwd=tmp_path, capture_output=True,
                          text=True)
    assert done.returncode == 2
    for name in ("README.md", "docs/schemas.md"):
        example = re.search(r"nothing under `generated/` changes:\n\n```\n(.*?)```", PAGES[name], re.DOTALL)[1]
        assert example in done.stderr
