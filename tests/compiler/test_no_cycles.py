"""A compile leaves no reference cycles behind: its documents, IR, layouts and writers are freed by reference
counting as soon as it returns, not whenever a full cycle collection happens to run (a watch session or a test
run compiles many projects in one process)."""

from __future__ import annotations

import gc
from collections import Counter

import pytest

from luaugen.compiler import compile_project
from luaugen.config import Config

from .harness import REPO, sample_projects

RECURSIVE = """channel: Loop
types:
  A: { type: struct, fields: { b: B } }
  B: { type: struct, fields: { a: A } }
intents:
  Go:
    payload: { a: A }
"""


PROJECTS = [*sample_projects(), ("recursive-type error", Config(root=REPO), {"schemas/loop.yaml": RECURSIVE})]


@pytest.mark.parametrize("name, config, sources", PROJECTS, ids=[p[0] for p in PROJECTS])
def test_a_compile_leaves_no_cyclic_garbage(name, config, sources):
    compile_project(config, sources, None)  # first: module-level caches fill, which is not garbage
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        result = compile_project(config, sources, None)
        gc.collect()
        garbage = Counter(type(o).__qualname__ for o in gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if enabled:
            gc.enable()
    assert result.ok == (name != "recursive-type error")
    assert garbage == Counter(), f"reference cycles left by the compile: {garbage.most_common(8)}"
