"""The meta-schema rewritten for the compiled fast validator: a list of `if`/`then` rules on one key becomes one
decision tree on that key.

`typeObject` says what each `type:` allows as `allOf: [{if: <type is one of ...>, then: <allowed keys>}, ...]`.
fastjsonschema evaluates every `if` of the list and learns that it does not hold by catching an exception, so a
`u32` field paid for 16 exceptions. The tree tests the key against halves of the values instead (four or five tests,
each failing one an exception) and then applies exactly the `then`s whose `if` held for that value. It answers the same
"valid?" as the list; jsonschema keeps the original schema, so error reports do not change.
"""

from __future__ import annotations

_OTHER = object()  # stands for every value that no condition names (including non-strings)


def use_decision_trees(schema: dict) -> None:
    """Replace, in place, each rewritable `allOf` of `if`/`then` rules in the `$defs` of `schema` by its tree."""
    for definition in schema.get("$defs", {}).values():
        rules = definition.get("allOf")
        key = _discriminant(definition)
        if key is not None:
            definition["allOf"] = [_tree(key, _groups(key, rules))]


def _condition(rule: dict, key: str) -> dict | None:
    """The schema the rule's `if` puts on `key`, when the rule is a plain `if`/`then` on that key alone."""
    if set(rule) != {"if", "then"} or set(rule["if"]) != {"properties"} or set(rule["if"]["properties"]) != {key}:
        return None
    return rule["if"]["properties"][key]


def _holds(condition: dict, value) -> bool | None:
    """Whether `value` (a string, or _OTHER) satisfies `condition`; None for a condition this module cannot read."""
    if set(condition) == {"not"}:
        inner = _holds(condition["not"], value)
        return None if inner is None else not inner
    if set(condition) == {"enum"} and all(isinstance(v, str) for v in condition["enum"]):
        return value in condition["enum"]
    if set(condition) == {"const"} and isinstance(condition["const"], str):
        return value == condition["const"]
    return None


def _named_values(condition: dict) -> list[str]:
    if "not" in condition:
        return _named_values(condition["not"])
    return list(condition["enum"]) if "enum" in condition else [condition["const"]]


def _discriminant(definition: dict) -> str | None:
    """The key every rule of `definition`'s `allOf` tests, when the whole list can become a tree.

    Only for an object that requires the key: without it every `if` holds vacuously, which a tree does not mirror
    (the object is invalid either way once the key is required)."""
    rules = definition.get("allOf")
    if not rules or definition.get("type") != "object":
        return None
    first = rules[0].get("if", {}).get("properties", {}) if isinstance(rules[0], dict) else {}
    if len(first) != 1:
        return None
    key = next(iter(first))
    if key not in definition.get("required", []):
        return None
    for rule in rules:
        condition = _condition(rule, key)
        if condition is None or _holds(condition, _OTHER) is None:
            return None
    return key


def _groups(key: str, rules: list[dict]) -> list[tuple[list[str], list[dict]]]:
    """Values that get the same `then`s, grouped: (values, thens), in order of first mention; the group holding every
    value no condition names comes last (its values need no test: it is what remains)."""
    conditions = [_condition(rule, key) for rule in rules]
    values = list(dict.fromkeys(v for c in conditions for v in _named_values(c)))
    by_verdicts: dict[tuple[bool, ...], list] = {}
    for value in [*values, _OTHER]:
        by_verdicts.setdefault(tuple(_holds(c, value) for c in conditions), []).append(value)
    groups = []
    for verdicts, members in by_verdicts.items():
        thens = [rule["then"] for rule, holds in zip(rules, verdicts) if holds]
        groups.append(([v for v in members if v is not _OTHER], thens, _OTHER in members))
    groups.sort(key=lambda g: g[2])  # stable: the rest keep their order
    return [(names, thens) for names, thens, _ in groups]


def _tree(key: str, groups: list[tuple[list[str], list[dict]]]) -> dict:
    """Halve the groups until one remains: `if key in <left values> then <left tree> else <right tree>`."""
    if len(groups) == 1:
        thens = groups[0][1]
        return {"allOf": thens} if len(thens) > 1 else dict(thens[0]) if thens else {}
    middle = len(groups) // 2
    left, right = groups[:middle], groups[middle:]
    return {"if": {"properties": {key: {"enum": [v for names, _ in left for v in names]}}},
            "then": _tree(key, left), "else": _tree(key, right)}
