"""Hypothesis strategies for payloads of a manifest type: valid ones, and valid ones with hostile parts planted."""

from __future__ import annotations

from hypothesis import strategies as st

from luaugen.model.roblox_classes import CLASS_PARENTS, is_a



F32_MAX = 3.4028234663852886e38


def payload_strategies(rb, packable: bool = False):
    """Strategies building datatypes with the classes of `rb` (the mirror's generated `roblox` module).

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

    return payloads
