"""The meta-schema (luaugen.schema.json) and the compiler agree: every documented key is accepted and compiles."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import yaml

from luaugen.compiler import compile_project
from luaugen.config import Config

from .harness import REPO, run_cli

CONFIG = Config(root=Path("/nonexistent-project-root"))
META = json.loads(resources.files("luaugen.validate").joinpath("luaugen.schema.json").read_text(encoding="utf-8"))
NAMED = "<named type>"

# One file per shape, together using every key the meta-schema documents.
EVERY_KEY = {
    "schemas/shared.yaml": """
types:
  Score:
    type: u16
    description: A shared named type.
""",
    "schemas/full.yaml": """
channel: Full
description: Uses every documented key.
qos: NORMAL
reliable: true
replay: 16
rate: 600/m
types:
  Shape:
    type: union
    description: Variants with a tag.
    optional: false
    tag: kind
    variants:
      circle:
        radius: { type: f32, min: 0 }
      square: {}
intents:
  Ask:
    description: A request with every message key.
    qos: HIGH
    reliable: true
    rate: 5/s
    retry: { strategy: exponential, attempts: 3, base: 0.1, max: 1 }
    timeout: 2.5
    payload:
      flag: { type: bool, optional: true, description: a bool }
      text: { type: string, min_length: 1, max_length: 8, optional: false, description: a string }
      ratio: { type: f64, min: 0, max: 1, finite: true, optional: true, description: a float }
      count: { type: i16, min: -5, max: 5, optional: true, description: an integer }
      where: { type: vector2, optional: true, description: a datatype }
      part: { type: instance, class: BasePart, optional: true, description: an instance }
      mode: { type: enum, values: [Up, Down], optional: true, description: an enum }
      list: { type: array, items: u8, min_items: 0, max_items: 4, optional: true, description: an array }
      table: { type: map, key: string, value: u8, max_entries: 4, optional: true, description: a map }
      inner: { type: struct, fields: { a: u8 }, optional: true, description: a struct }
      shape: { type: Shape, optional: true, description: a named type }
      score: { type: Score, optional: true, description: a shared named type }
    reply:
      ok: bool
events:
  Moved:
    qos: LOW
    reliable: false
    payload:
      at: vector3
""",
}


def documented_keys() -> set[tuple[str, str]]:
    """(context, key) for every property the meta-schema lists."""
    keys = {("file", k) for k in META["properties"]}
    keys |= {("message", k) for k in META["$defs"]["message"]["properties"]}
    keys |= {("retry", k) for k in META["$defs"]["retry"]["properties"]}
    for branch in META["$defs"]["typeObject"]["allOf"]:
        properties = branch["then"].get("properties")
        if not properties:
            continue
        condition = branch["if"]["properties"]["type"]
        kinds = [NAMED] if "not" in condition else condition["enum"]
        keys |= {(f"type {kind}", key) for kind in kinds for key in properties}
    return keys


def used_keys(documents: dict[str, str]) -> set[tuple[str, str]]:
    builtin = {kind for branch in META["$defs"]["typeObject"]["allOf"]
               for kind in branch["if"]["properties"]["type"].get("enum", [])}
    found: set[tuple[str, str]] = set()

    def walk(value, context: str | None) -> None:
        if isinstance(value, dict):
            if context is not None:
                found.update((context, k) for k in value)
            for key, child in value.items():
                walk(child, None)
            if isinstance(value.get("type"), str):
                kind = value["type"] if value["type"] in builtin else NAMED
                found.update((f"type {kind}", k) for k in value)
        elif isinstance(value, list):
            for child in value:
                walk(child, None)

    for text in documents.values():
        data = yaml.safe_load(text)
        found.update(("file", k) for k in data)
        for section in ("intents", "events"):
            for message in data.get(section, {}).values():
                found.update(("message", k) for k in message)
                if "retry" in message:
                    found.update(("retry", k) for k in message["retry"])
        walk(data, None)
    return found


def test_the_every_key_document_covers_the_meta_schema() -> None:
    missing = documented_keys() - used_keys(EVERY_KEY)
    # `type: bool/vector3/...` share one branch; covering one kind of a branch is enough for the others' keys.
    assert not {(ctx, key) for ctx, key in missing if not any(
        (other, key) not in missing for other, _ in documented_keys() if other.startswith("type ") and
        ctx.startswith("type ") and _same_branch(ctx, other))}, sorted(missing)


def _same_branch(a: str, b: str) -> bool:
    for branch in META["$defs"]["typeObject"]["allOf"]:
        kinds = branch["if"]["properties"]["type"].get("enum")
        if kinds and a.removeprefix("type ") in kinds and b.removeprefix("type ") in kinds:
            return True
    return False


def test_every_documented_key_is_accepted_and_compiles() -> None:
    result = compile_project(CONFIG, EVERY_KEY, None)
    assert result.ok, [f"{d.span}: {d.message}" for d in result.diagnostics]
    manifest = json.loads(result.files[CONFIG.manifest])
    ask = manifest["channels"][0]["messages"][0]
    assert ask["retry"] == {"strategy": "exponential", "attempts": 3, "base": 0.1, "max": 1.0}
    assert ask["timeout"] == 2.5
    assert ask["rate"] == {"count": 5, "per": 1}
    assert manifest["channels"][0]["rate"] == {"count": 600, "per": 60}


def test_meta_schema_is_a_valid_draft_2020_12_schema() -> None:
    assert META["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(META)


def test_example_schemas_validate() -> None:
    validator = jsonschema.Draft202012Validator(META)
    files = sorted((REPO / "schemas").glob("*.yaml"))
    assert files, "schemas/ holds the game's schema files"
    for path in files:
        assert not list(validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8")))), path.name
    for name, text in EVERY_KEY.items():
        assert not list(validator.iter_errors(yaml.safe_load(text))), name


def test_schema_command_prints_the_packaged_file() -> None:
    code, stdout, _ = run_cli("schema")
    assert code == 0
    assert stdout == resources.files("luaugen.validate").joinpath("luaugen.schema.json").read_text(encoding="utf-8")
    assert stdout == (REPO / "luaugen" / "validate" / "luaugen.schema.json").read_text(encoding="utf-8")


def _documents() -> list[tuple[str, object]]:
    """Every YAML document the repository holds: the game, the fixtures, and each error case."""
    from luaugen.load.yaml_loader import load_document

    found = []
    for path in sorted([*REPO.glob("schemas/*.yaml"), *(REPO / "tests").rglob("schemas/*.yaml")]):
        document, _ = load_document(str(path), path.read_text(encoding="utf-8"))
        if document is not None:
            found.append((str(path.relative_to(REPO)), document.root.plain()))
    return found


def test_compiled_fast_path_agrees_with_jsonschema_on_every_document():
    """The fast path only says "valid": it must never accept what jsonschema rejects, nor reject what it accepts."""
    from luaugen.validate.metaschema import is_valid_fast

    validator = jsonschema.Draft202012Validator(META)
    documents = _documents()
    disagree = [path for path, plain in documents if is_valid_fast(plain) != validator.is_valid(plain)]
    assert disagree == []
    verdicts = {validator.is_valid(plain) for _, plain in documents}
    assert verdicts == {True, False} and len(documents) >= 40


def test_fast_path_agrees_with_jsonschema_on_every_type_and_key():
    """The fast validator tests `type:` through a decision tree (luaugen/validate/dispatch.py) instead of the
    meta-schema's list of if/then rules: for every kind of type, alone and with each key any kind allows (a fitting
    value and a wrong one), both validators give the same verdict."""
    from luaugen.validate.dispatch import use_decision_trees
    from luaugen.validate.metaschema import is_valid_fast

    fast_schema = json.loads(json.dumps(META))
    use_decision_trees(fast_schema)
    tree = fast_schema["$defs"]["typeObject"]["allOf"]
    assert len(tree) == 1 and set(tree[0]) == {"if", "then", "else"}  # one tree instead of the list of rules

    validator = jsonschema.Draft202012Validator(META)
    rules = META["$defs"]["typeObject"]["allOf"]
    kinds = [k for rule in rules for k in rule["if"]["properties"]["type"].get("enum", [])] + ["Score", 7, None]
    good = {"optional": True, "description": "d", "min_length": 1, "max_length": 2, "min": 0, "max": 1,
            "finite": True, "class": "Part", "values": ["A"], "items": "u8", "min_items": 0, "max_items": 3,
            "key": "string", "value": "u8", "max_entries": 2, "fields": {"a": "u8"}, "tag": "kind",
            "variants": {"a": {}}}
    assert set(good) == {k for rule in rules for k in rule["then"].get("properties", {})} - {"type"}
    required = {"enum": ["values"], "array": ["items"], "map": ["key", "value"], "struct": ["fields"],
                "union": ["tag", "variants"], "instance": ["class"]}
    cases = []
    for kind in kinds:
        base = {"type": kind} | {k: good[k] for k in required.get(kind, [])}
        cases += [base, {k: v for k, v in base.items() if k != "type"}]
        cases += [base | {key: value} for key in good for value in (good[key], 0.5, "x", [])]
    cases += [{"type": "map", "key": "string"}, {"type": "union", "tag": "kind"}]
    verdicts = [(validator.is_valid(_in_a_message(case)), is_valid_fast(_in_a_message(case))) for case in cases]
    disagree = [case for case, (slow, fast) in zip(cases, verdicts) if slow != fast]
    assert disagree == []
    assert sum(slow for slow, _ in verdicts) == 133 and len(cases) == 1778  # 24 kinds × 74 cases + 2


def _in_a_message(field_type) -> dict:
    return {"channel": "C", "intents": {"Ask": {"payload": {"field": field_type}}}}
