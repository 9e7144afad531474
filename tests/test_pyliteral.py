"""The mirror's data literals evaluate back to the data they were made from, and respect the line width."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from luaugen.emit.pyliteral import WIDTH, py_literal

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                    st.text(max_size=30))
data = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=5),
                                                     st.dictionaries(st.text(max_size=12), inner, max_size=5)),
                    max_leaves=40)


@given(data)
def test_literal_evaluates_to_the_value(value):
    assert eval(py_literal(value)) == value


@given(st.dictionaries(st.text(alphabet="abc", min_size=1, max_size=8), st.integers(), min_size=30, max_size=40))
def test_long_containers_break_one_item_per_line(value):
    lines = py_literal(value).splitlines()
    assert len(lines) == len(value) + 2
    assert all(len(line) <= WIDTH for line in lines)
