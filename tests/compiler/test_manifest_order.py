"""The manifest's encoders do not sort keys (manifest.py): every dict of it must be built in sorted order, or the
manifest text and every message's hash would change."""

from __future__ import annotations

import json

import pytest

from luaugen.compiler import compile_project
from luaugen.emit.manifest import build_manifest, canonical

from .harness import sample_projects


def _unsorted(value, where: str = "manifest") -> list[str]:
    if isinstance(value, dict):
        found = [where] if list(value) != sorted(value) else []
        return found + [w for k, v in value.items() for w in _unsorted(v, f"{where}.{k}")]
    if isinstance(value, list):
        return [w for i, v in enumerate(value) for w in _unsorted(v, f"{where}[{i}]")]
    return []


@pytest.mark.parametrize("name, config, sources", sample_projects(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_dict_of_the_manifest_is_built_in_sorted_order(name, config, sources, monkeypatch):
    built = []

    def keep(*args, **kwargs):
        built.append(build_manifest(*args, **kwargs))
        return built[-1]

    monkeypatch.setattr("luaugen.emit.render.build_manifest", keep)
    result = compile_project(config, sources, None)
    assert result.ok
    manifest = built[0]
    assert _unsorted({k: v for k, v in manifest.items() if k != "files"}) == []
    written = json.loads(result.files[config.manifest])
    assert list(written) == sorted(written)
    for channel in manifest["channels"]:
        for message in channel["messages"]:
            contract = {k: message[k] for k in ("direction", "kind", "payload", "qos", "rate", "reliable", "reply",
                                                "retry", "timeout")}
            assert canonical(contract) == json.dumps(contract, sort_keys=True, separators=(",", ":"),
                                                     ensure_ascii=False)
