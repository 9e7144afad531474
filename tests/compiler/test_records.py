"""`@record` behaves as `@dataclass(frozen=True, slots=True)` in everything but the speed of its `__init__`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import pytest

from luaugen.records import evolve, record


@record
class Point:
    x: int
    y: int = 0
    tags: tuple = field(default_factory=tuple)
    cache: int | None = field(default=None, init=False, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Reference:
    x: int
    y: int = 0
    tags: tuple = field(default_factory=tuple)
    cache: int | None = field(default=None, init=False, compare=False, repr=False)


def _state(obj) -> dict:
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}


@pytest.mark.parametrize("args, kwargs", [((1,), {}), ((1, 2), {}), ((1,), {"tags": ("a",)}), ((), {"x": 3, "y": 4})])
def test_a_record_is_built_equal_hashed_and_shown_like_a_frozen_dataclass(args, kwargs):
    mine, theirs = Point(*args, **kwargs), Reference(*args, **kwargs)
    assert _state(mine) == _state(theirs)
    assert mine == Point(*args, **kwargs) and hash(mine) == hash(Point(*args, **kwargs))
    assert repr(mine).removeprefix("Point") == repr(theirs).removeprefix("Reference")
    assert dataclasses.replace(mine, y=9) == Point(mine.x, 9, mine.tags)


def test_a_record_refuses_assignment_and_unknown_arguments():
    point = Point(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        point.x = 2
    with pytest.raises(TypeError):
        Point(1, z=2)
    with pytest.raises(TypeError):
        Point()


def test_each_record_gets_a_fresh_default_from_its_factory():
    @record
    class Box:
        items: list = field(default_factory=list)

    assert Box().items is not Box().items


def test_what_a_record_cannot_do_is_refused_when_the_class_is_made():
    with pytest.raises(TypeError, match="no __post_init__"):
        record(type("Checked", (), {"__annotations__": {"x": "int"}, "__post_init__": lambda self: None}))


@pytest.mark.parametrize("changes", [{}, {"y": 5}, {"x": 2, "tags": ("b",)}])
def test_evolve_is_replace(changes):
    point = Point(1, 2, ("a",))
    assert _state(evolve(point, **changes)) == _state(dataclasses.replace(point, **changes))


def test_evolve_starts_caches_again_and_refuses_unknown_fields():
    @record
    class Cached:
        x: int
        seen: list = field(default_factory=list, init=False, compare=False)
        cache: int | None = field(default=None, init=False, compare=False)

    old = Cached(1)
    old.seen.append("x")
    object.__setattr__(old, "cache", 3)  # what a lazily worked-out hash leaves behind
    new = evolve(old, x=2)
    assert (new.x, new.seen, new.cache) == (2, [], None)
    with pytest.raises(TypeError, match="no field z"):
        evolve(old, z=1)


def test_a_record_keeps_no_dict():
    assert not hasattr(Point(1), "__dict__")
