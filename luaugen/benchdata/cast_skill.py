"""Skills.CastSkill validated by hand in Python, the way a careful developer would write it against the mirror's
rules (a payload is what a Luau table would hold: None is an absent key, lists are tables): the same checks and the
same messages as the generated mirror (the benchmark asserts they agree), dict and list fast paths, messages built
only on failure. `make(v)` takes the generated validators module for its message helpers."""

from __future__ import annotations

from typing import Any


def make(v: Any):
    fail, fail_count, unexpected_key, entries = v._fail, v._fail_count, v._unexpected_key, v._entries
    array_length, check_datatype = v._array_length, v._check_datatype
    cast_fields = frozenset({"skillId", "target", "aim", "comboStep", "modifiers"})
    target_fields = {"point": frozenset({"kind", "position"}), "entity": frozenset({"kind", "entityId"}),
                     "self": frozenset({"kind"})}

    def as_table(value: Any) -> dict | None:
        """The dict a Luau table made from value would be (the value itself when it is already a dict), or None."""
        if isinstance(value, dict):
            return value
        if isinstance(value, (list, tuple)):
            return entries(value)
        return None

    def unknown_key(table: dict, known: frozenset) -> str | None:
        if known.issuperset(table):
            return None
        plain = entries(table)  # keys whose value is None are absent
        return None if known.issuperset(plain) else unexpected_key(plain, known)

    def utf8_size(s: str) -> int:
        if s.isascii():
            return len(s)
        try:
            return len(s.encode("utf-8"))
        except UnicodeEncodeError:
            return -1

    def skill_id_error(s: Any) -> str | None:
        if not isinstance(s, str):
            return fail("string of 1..48 bytes", s)
        size = utf8_size(s)
        if size < 0:
            return ": expected valid UTF-8, got invalid bytes"
        if size > 48 or size < 1:
            return fail_count("string of 1..48 bytes", size, "bytes")
        return None

    def is_number(x: Any) -> bool:
        return isinstance(x, (int, float)) and x is not True and x is not False

    def target_error(target: Any) -> str | None:
        table = as_table(target)
        if table is None:
            return fail("table", target)
        kind = table.get("kind")
        known = target_fields.get(kind) if isinstance(kind, str) else None
        if known is None:
            return ".kind" + fail('one of "point", "entity", "self"', kind)
        err = unknown_key(table, known)
        if err:
            return err
        if kind == "point":
            err = check_datatype(table.get("position"), "Vector3")
            return None if err is None else ".position" + err
        if kind == "entity":
            entity_id = table.get("entityId")
            if not is_number(entity_id) or entity_id % 1 != 0 or entity_id < 1 or entity_id > 4294967295:
                return ".entityId" + fail("integer in 1..4294967295", entity_id)
        return None

    def validate(payload: Any) -> tuple[bool, str | None]:
        table = as_table(payload)
        if table is None:
            return False, "payload" + fail("table", payload)
        err = unknown_key(table, cast_fields)
        if err:
            return False, "payload" + err
        err = skill_id_error(table.get("skillId"))
        if err:
            return False, "payload.skillId" + err
        err = target_error(table.get("target"))
        if err:
            return False, "payload.target" + err
        aim = table.get("aim")
        if aim is not None:
            err = check_datatype(aim, "Vector2")
            if err:
                return False, "payload.aim" + err
        combo = table.get("comboStep")
        if combo is not None and (not is_number(combo) or combo % 1 != 0 or combo < 0 or combo > 5):
            return False, "payload.comboStep" + fail("integer in 0..5", combo)
        modifiers = table.get("modifiers")
        if isinstance(modifiers, list) and None not in modifiers:
            items = modifiers
        else:
            if not isinstance(modifiers, (dict, list, tuple)):
                return False, "payload.modifiers" + fail("array", modifiers)
            as_dict = entries(modifiers)
            n = array_length(as_dict)
            if n is None:
                return False, "payload.modifiers: expected array, got table with non-array keys"
            items = [as_dict[i] for i in range(1, n + 1)]
        if len(items) > 4:
            return False, "payload.modifiers" + fail_count("array of at most 4 items", len(items), "items")
        for i, item in enumerate(items, 1):
            err = skill_id_error(item)
            if err:
                return False, "payload.modifiers[" + str(i) + "]" + err
        return True, None

    return validate
