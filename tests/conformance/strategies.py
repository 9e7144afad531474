"""Hypothesis strategies for payloads of a manifest type: valid ones, and valid ones with hostile parts planted."""

from __future__ import annotations

from hypothesis import strategies as st

from luaugen.model.roblox_classes import CLASS_PARENTS, is_a



F32_MAX = 3.4028234663852886e38


def payload_strategies(rb, packable: bool = False):
    """(payloads, planted): strategies of values for a manifest type, building datatypes with the classes of `rb`
    (the mirror's generated `roblox` module).

    `packable`: f32 numbers stay within the f32 range (beyond it the packed value is infinite, see docs/wire.md).
    """
    Vector2, Vector3, Color3, CFrame, Instance = rb.Vector2, rb.Vector3, rb.Color3, rb.CFrame, rb.Instance

    finite = st.floats(allow_nan=False, allow_infinity=False, width=64)
    any_float = st.floats(allow_nan=True, allow_infinity=True)
    class_names = st.sampled_from(sorted(CLASS_PARENTS))

    # Roblox keeps datatype components as f32: a packable one is within the f32 range.
    component = st.floats(-F32_MAX, F32_MAX, width=64) if packable else finite

    def _component(hostile: bool):
        return st.one_of(finite, any_float) if hostile else component

    def datatype(kind: str, hostile: bool = False):
        c = _component(hostile)
        if kind == "vector2":
            return st.builds(Vector2, c, c)
        if kind == "vector3":
            return st.builds(Vector3, c, c, c)
        if kind == "color3":
            return st.builds(Color3, c, c, c)
        return st.builds(CFrame, *([c] * 12))

    def _bytes_bounded(text: str, low: int | None, high: int | None) -> str:
        if high is not None:
            text = text.encode("utf-8")[:high].decode("utf-8", "ignore")
        if low:
            text += "a" * max(0, low - len(text.encode("utf-8")))
        return text


    hostile_scalar = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**40), 2**40),
        any_float,
        st.just(-0.0),
        st.sampled_from([float("nan"), float("inf"), float("-inf"), 2**53 + 1, 1e300, -1e-300]),
        st.text(max_size=12),
        st.sampled_from(["x" * 300, "ok_name", "", "é" * 40, "has space", "line\nbreak"]),
        datatype("vector3", hostile=True),
        datatype("vector2", hostile=True),
        datatype("cframe", hostile=True),
        datatype("color3", hostile=True),
        st.builds(Instance, class_names, st.text(max_size=4)),
    )

    hostile = st.recursive(
        hostile_scalar,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(st.text(max_size=6), inner, max_size=4),
            st.dictionaries(st.integers(-2, 6), inner, max_size=4),
        ),
        max_leaves=12,
    )

    def payloads(t: dict, hostile_rate: bool = True):
        """Values for type `t` (manifest form); with `hostile_rate`, any node may be replaced by something hostile."""
        valid = _valid(t, hostile_rate)
        return st.one_of(valid, hostile) if hostile_rate else valid

    def _fields(fields: list[dict], hostile_on: bool, tag: tuple[str, str] | None = None):
        required = {f["name"]: payloads(f["type"], hostile_on) for f in fields if not f["optional"]}
        optional = {f["name"]: st.one_of(st.none(), payloads(f["type"], hostile_on)) for f in fields if f["optional"]}
        if tag:
            required[tag[0]] = st.just(tag[1])
        base = st.fixed_dictionaries(required, optional=optional)
        if not hostile_on:
            return base
        extra = st.dictionaries(st.sampled_from(["extra", "ok_name", "__index", "x y", "1"]), hostile_scalar, max_size=2)
        dropped = st.sets(st.sampled_from([f["name"] for f in fields] or ["none"]), max_size=1)

        def plant(parts):
            value, more, gone = parts
            value = {k: v for k, v in value.items() if k not in gone}
            value.update(more)
            return value

        return st.one_of(base, st.tuples(base, extra, dropped).map(plant))

    def _valid(t: dict, hostile_on: bool):
        kind = t["kind"]
        if kind == "bool":
            return st.booleans()
        if kind == "string":
            return st.text(max_size=(t["max_length"] or 60) + 4).map(
                lambda s: _bytes_bounded(s, t["min_length"], t["max_length"]))
        if kind == "number":
            low, high = t["min"], t["max"]
            if packable and t["format"] == "f32":
                low = -F32_MAX if low is None else max(low, -F32_MAX)
                high = F32_MAX if high is None else min(high, F32_MAX)
            return st.floats(min_value=low, max_value=high, allow_nan=not t["finite"] and low is None and high is None,
                             allow_infinity=not t["finite"] and (low is None or high is None))
        if kind == "integer":
            return st.integers(t["min"], t["max"])
        if kind in ("vector2", "vector3", "color3", "cframe"):
            return datatype(kind)
        if kind == "instance":
            return st.builds(Instance, st.sampled_from(sorted(c for c in CLASS_PARENTS if is_a(c, t["class"]))),
                             st.text(max_size=4))
        if kind == "enum":
            return st.sampled_from(t["values"])
        if kind == "array":
            high = t["max_items"] if t["max_items"] is not None else 6
            return st.lists(payloads(t["items"], hostile_on), min_size=t["min_items"] or 0, max_size=min(high, 8) + hostile_on)
        if kind == "map":
            high = t["max_entries"] if t["max_entries"] is not None else 5
            keys = _valid(t["key"], False)
            if hostile_on:
                keys = st.one_of(keys, st.integers(-3, 3), st.text(max_size=8))
            return st.dictionaries(keys, payloads(t["value"], hostile_on), max_size=min(high, 6) + hostile_on)
        if kind == "struct":
            return _fields(t["fields"], hostile_on)
        return st.one_of(*[_fields(v["fields"], hostile_on, (t["tag"], v["name"])) for v in t["variants"]])

    def _wrong_type(kind: str):
        """Values of another Luau type than `kind` holds."""
        pool = {"bool": [0, "true", 1.5], "string": [7, True, 0.5], "number": ["1", True], "integer": ["1", False],
                "enum": [1, True], "instance": ["Part", 3]}.get(kind, ["x", 2, True])
        return st.sampled_from(pool)

    def _hostile_scalar_for(t: dict):
        """A value an attacker would send for a scalar of type `t`: past its bounds, NaN/±inf, or the wrong type."""
        kind = t["kind"]
        if kind in ("number", "integer"):
            low, high = t["min"], t["max"]
            step = 1 if kind == "integer" else 0.5
            edges = [float("nan"), float("inf"), float("-inf"), 1e300, -1e300]
            edges += [low - step] if low is not None else []
            edges += [high + step] if high is not None else []
            edges += [1.5, 2**53 + 1] if kind == "integer" else []
            return st.one_of(st.sampled_from(edges), _wrong_type(kind))
        if kind == "string":
            high = t["max_length"] if t["max_length"] is not None else 300
            edges = ["x" * (high + 1), "é" * (high // 2 + 1)] + ([""] if t["min_length"] else [])
            return st.one_of(st.sampled_from(edges), _wrong_type(kind))
        if kind in ("vector2", "vector3", "color3", "cframe"):
            other = "vector2" if kind != "vector2" else "vector3"
            return st.one_of(datatype(kind, hostile=True), datatype(other), _wrong_type(kind))
        if kind == "instance":
            wrong = sorted(c for c in CLASS_PARENTS if not is_a(c, t["class"]))
            return st.one_of(st.builds(Instance, st.sampled_from(wrong), st.just("x")), _wrong_type(kind))
        if kind == "enum":
            return st.one_of(st.sampled_from(["NotAMember", t["values"][0].lower(), ""]), _wrong_type(kind))
        return _wrong_type(kind)

    def planted(t: dict):
        """A valid value of type `t` except for one hostile value planted at any depth inside it.

        Every node on the way down stays valid, so the validators get past the outer checks and must find the
        planted value where it is: NaN in a float field three levels deep, an oversize string inside a map value.
        """
        kind = t["kind"]
        if kind == "struct":
            return _planted_fields(t["fields"], None)
        if kind == "union":
            return st.one_of(*[_planted_fields(v["fields"], (t["tag"], v["name"])) for v in t["variants"]],
                             st.builds(lambda value: {t["tag"]: value}, _wrong_type("enum")))
        if kind == "array":
            low, high = t["min_items"] or 0, min(t["max_items"] if t["max_items"] is not None else 6, 6)
            inside = st.tuples(st.lists(_valid(t["items"], False), min_size=max(low, 1), max_size=max(high, 1)),
                               planted(t["items"]), st.integers(0, 10)).map(
                lambda parts: parts[0][:parts[2] % len(parts[0])] + [parts[1]] + parts[0][parts[2] % len(parts[0]) + 1:])
            options = [inside]
            if t["max_items"] is not None:  # one item over the bound (repeated: 65 distinct structs are slow to draw)
                options.append(_valid(t["items"], False).map(lambda item: [item] * (t["max_items"] + 1)))
            return st.one_of(*options)
        if kind == "map":
            keys = _valid(t["key"], False)
            keys = keys.filter(lambda k: k == k)  # a Luau table cannot hold a NaN key
            inside = st.tuples(st.dictionaries(keys, _valid(t["value"], False), max_size=3), keys,
                               planted(t["value"])).map(lambda parts: {**parts[0], parts[1]: parts[2]})
            bad_key = st.tuples(st.dictionaries(keys, _valid(t["value"], False), max_size=3),
                                _hostile_scalar_for(t["key"]).filter(lambda k: k == k), _valid(t["value"], False)).map(
                lambda parts: {**parts[0], parts[1]: parts[2]})
            return st.one_of(inside, bad_key)
        return _hostile_scalar_for(t)

    def _planted_fields(fields: list[dict], tag: tuple[str, str] | None):
        def with_one(parts):
            name, valid, bad = parts
            return {**valid, name: bad}

        base = _fields(fields, False, tag)
        present = hostile_scalar.filter(lambda value: value is not None)  # a None value is an absent key
        extra = st.tuples(base, st.sampled_from(["extra", "x y", "__index"]), present).map(
            lambda parts: {**parts[0], parts[1]: parts[2]})
        if not fields:
            return extra
        deep = [st.tuples(st.just(f["name"]), base, planted(f["type"])).map(with_one) for f in fields]
        return st.one_of(*deep, extra)  # mostly deep: an unknown key fails at the first check

    return payloads, planted
