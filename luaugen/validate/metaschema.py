"""Check a loaded schema file against the luaugen meta-schema (JSON Schema 2020-12), reporting at the offending node.

Two validators share the one meta-schema. A compiled one (fastjsonschema) answers only "is it valid?" and is about
ten times cheaper (it reads `typeObject`'s rules as one decision tree on `type:`, luaugen/validate/dispatch.py);
most documents are valid, so that is usually the whole cost. A document it rejects goes through
jsonschema, which finds every error with its path, so diagnostics are exactly those of the detailed pass. The
meta-schema only uses keywords both read alike (no `$ref` with constraining siblings, no 2020-12-only keywords);
tests/compiler/test_meta_schema.py checks they agree on every case.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from ..diagnostics import Diagnostic, error
from ..load.nodes import Document
from .dispatch import use_decision_trees

_TYPE_NAMES = {"object": "a mapping", "array": "a list", "string": "a string", "integer": "an integer",
               "number": "a number", "boolean": "true or false", "null": "a value"}


def meta_schema_text() -> str:
    return resources.files(__package__).joinpath("luaugen.schema.json").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _fast_validator():
    import fastjsonschema

    schema = json.loads(meta_schema_text())
    del schema["$schema"]  # fastjsonschema knows drafts 4-7; the keywords used here mean the same in draft 7
    use_decision_trees(schema)
    # Only "valid?" is asked of it: without detailed exceptions its code is a third the size, and generating and
    # compiling it (at every start-up) costs ~10 ms instead of ~40.
    code = fastjsonschema.compile_to_code(schema, use_default=False, use_formats=False, detailed_exceptions=False)
    # Its code names every value it descends into for the error message, even when the value passes: the name of
    # each field, message and list item goes through `"...{key}".format(**locals())` (a dict of every local, ~1 µs).
    # Names are never read here, so they stay unformatted.
    code = code.replace(".format(**locals())", "")
    # `uniqueItems` defines a local function that calls itself, once per list checked: a reference cycle each
    # time, left for the cycle collector. The same function is defined once, at module level, instead.
    namespace: dict = {}
    for definition in dict.fromkeys(_LOCAL_FN.findall(code)):
        exec(definition, namespace)
    code = _LOCAL_FN.sub("", code)
    exec(code, namespace)  # the code fastjsonschema generated from our own meta-schema
    # A valid document still takes a few exceptions per type (each `if` that does not hold raises one): its code
    # raises and catches a variant made by Exception's own (C) initializer, which sets no detail attributes.
    namespace["JsonSchemaValueException"] = type("Failed", (fastjsonschema.JsonSchemaValueException,),
                                                 {"__init__": Exception.__init__})
    return namespace[_ENTRY.search(code)[1]]  # the root's function comes first


_ENTRY = re.compile(r"^def (\w+)\(", re.MULTILINE)
_LOCAL_FN = re.compile(r"^[ \t]+(def fn\(var\): return .*)$", re.MULTILINE)


def is_valid_fast(value) -> bool:
    """True when `value` satisfies the meta-schema (the compiled validator; no error details)."""
    from fastjsonschema import JsonSchemaValueException

    try:
        _fast_validator()(value)
    except JsonSchemaValueException:
        return False
    return True


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft202012Validator  # ~70 ms to import: only documents with errors need it

    return Draft202012Validator(json.loads(meta_schema_text()))


def _leaf_errors(err) -> list:
    """Descend through if/then/allOf wrappers to the errors that name a concrete problem."""
    if err.context:
        return [leaf for sub in err.context for leaf in _leaf_errors(sub)]
    return [err]


def _describe(value) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "nothing"
    return "a string"


def _where(path) -> str:
    parts = [str(p) for p in path if not isinstance(p, int)]
    return f" in '{parts[-1]}'" if parts else ""


def _edit_distance(a: str, b: str) -> int:
    """Levenshtein distance counting a swap of neighbours as one edit (`intnets` is one edit from `intents`)."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def closest(word: str, options: list[str]) -> str | None:
    """The option `word` is most likely a misspelling of: a few edits away for its length, or a shortening of it
    (`maximum` for `max`). None when nothing is that close: a wrong suggestion costs more than none."""
    if len(word) > 64:  # hostile input: no quadratic work on huge keys
        return None
    allowed_edits = 1 if len(word) <= 4 else 2 if len(word) <= 8 else 3
    scored = []
    for option in options:
        lowered, target = word.lower(), option.lower()
        distance = _edit_distance(lowered, target)
        prefix = min(len(lowered), len(target)) >= 3 and (lowered.startswith(target) or target.startswith(lowered))
        if distance <= allowed_edits or prefix:
            scored.append((distance, option))
    return min(scored)[1] if scored else None


_TYPE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*(\[\])?\??")


def _unknown_key_hint(node, key: str, allowed: list[str]) -> str | None:
    """A misspelt key gets its correction; a field written one level too high (its value is a type) is told where
    fields go, since that is what a wrong indent or a forgotten `payload:` looks like. Otherwise: the allowed keys."""
    close = closest(key, allowed)
    if close:
        return f"did you mean '{close}'?"
    value = node.get(key)
    looks_like_field = value is not None and (
        (isinstance(value.value, str) and _TYPE_NAME.fullmatch(value.value) is not None)
        or (value.is_map and "type" in value.value))
    container = next((name for name in ("payload", "fields") if name in allowed), None)
    if looks_like_field and container:
        if node.get(container) is not None:
            return (f"'{key}' looks like a field: indent it under '{container}:' "
                    f"(line {node.key_span(container).line})")
        return f"'{key}' looks like a field: fields go under '{container}:'"
    return f"allowed keys: {', '.join(allowed)}" if allowed else None


def _diagnostic(doc: Document, err) -> Diagnostic:
    path = tuple(err.absolute_path)
    node = doc.root.at(path)
    kind = err.validator
    if kind == "additionalProperties":
        allowed = sorted(err.schema.get("properties", {}))
        extras = sorted(set(err.instance) - set(allowed))
        key = extras[0]
        return error("unknown-key", f"unknown key '{key}'{_where(path)}", node.key_span(key),
                     _unknown_key_hint(node, key, allowed))
    if kind == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        # Point at the key owning the incomplete mapping (`Say:`), not at the mapping's first entry.
        span = doc.root.at(path[:-1]).key_span(path[-1]) if path and isinstance(path[-1], str) else node.span
        return error("missing-key", f"missing required key '{missing}'{_where(path)}", span)
    if kind == "type":
        wanted = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        expected = " or ".join(_TYPE_NAMES.get(w, w) for w in wanted)
        hint = None
        if "string" in wanted and isinstance(err.instance, (bool, int, float)) and node.span.end_line == node.span.line:
            token = doc.text.splitlines()[node.span.line - 1][node.span.col - 1:node.span.end_col - 1]
            if token and token != str(err.instance):  # YAML 1.1 read `On`, `no`, `1e3`... as something else
                hint = f"YAML reads `{token}` as {_describe(err.instance)}; quote it: \"{token}\""
        return error("wrong-type", f"expected {expected}, got {_describe(err.instance)}{_where(path)}", node.span, hint)
    if kind in ("enum", "const"):
        options = err.validator_value if kind == "enum" else [err.validator_value]
        shown = ", ".join(str(o) for o in options)
        close = closest(str(err.instance), [str(o) for o in options])
        hint = f"did you mean '{close}'?" if close else None
        return error("bad-value", f"'{err.instance}' is not one of {shown}{_where(path)}", node.span, hint)
    if kind == "pattern":
        expected = err.schema.get("x-expected", f"a value matching {err.validator_value}")
        return error("bad-value", f"'{err.instance}' is not {expected}{_where(path)}", node.span)
    if kind in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        relation = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}[kind]
        return error("bad-value", f"{err.instance} must be {relation} {err.validator_value}{_where(path)}", node.span)
    if kind == "minItems" or kind == "minProperties":
        return error("bad-value", f"must not be empty{_where(path)}", node.span)
    if kind == "uniqueItems":
        return error("bad-value", f"values must be unique{_where(path)}", node.span)
    return error("schema", f"{err.message}{_where(path)}", node.span)


def validate_document(doc: Document) -> list[Diagnostic]:
    plain = doc.plain()
    if is_valid_fast(plain):
        return []
    found: dict[tuple, Diagnostic] = {}
    for err in _validator().iter_errors(plain):
        for leaf in _leaf_errors(err):
            diag = _diagnostic(doc, leaf)
            found.setdefault((diag.span, diag.message), diag)
    return list(found.values())
