"""Values only Luau can hold: the server-side validators reject them with a message and never throw."""

from __future__ import annotations

import pytest

from .projects import game_project

HOSTILE = {
    "metatable": ("setmetatable({ skillId = 'a', target = { kind = 'self' }, modifiers = {} }, { __index = function() error('boom') end })",
                  "payload: expected table, got table with metatable"),
    "locked metatable": ("setmetatable({}, { __metatable = 'locked' })", "payload: expected table, got table with metatable"),
    "nested metatable": ("{ skillId = 'a', target = setmetatable({ kind = 'self' }, {}), modifiers = {} }",
                         "payload.target: expected table, got table with metatable"),
    "function": ("function() end", "payload: expected table, got function"),
    "coroutine": ("coroutine.create(function() end)", "payload: expected table, got thread"),
    "buffer": ("buffer.create(8)", "payload: expected table, got buffer"),
    "function field": ("{ skillId = print, target = { kind = 'self' }, modifiers = {} }",
                       "payload.skillId: expected string of 1..48 bytes, got function"),
    "invalid utf8": ("{ skillId = '\\255\\254', target = { kind = 'self' }, modifiers = {} }",
                     "payload.skillId: expected valid UTF-8, got invalid bytes"),
    "huge string": ("{ skillId = string.rep('x', 1e6), target = { kind = 'self' }, modifiers = {} }",
                    "payload.skillId: expected string of 1..48 bytes, got 1000000 bytes"),
    "cyclic": ("(function() local t = { skillId = 'a', modifiers = {} }; t.target = t; return t end)()",
               'payload.target.kind: expected one of "point", "entity", "self", got nil'),
    "deep": ("(function() local t = {} for i = 1, 100000 do t = { t } end return { skillId = 'a', target = { kind = 'self' }, modifiers = t } end)()",
             "payload.modifiers[1]: expected string of 1..48 bytes, got table"),
    "huge array": ("{ skillId = 'a', target = { kind = 'self' }, modifiers = table.create(100000, 'a') }",
                   "payload.modifiers: expected array of at most 4 items, got 100000 items"),
    "boolean key": ("{ skillId = 'a', target = { kind = 'self' }, modifiers = {}, [true] = 1 }",
                    "payload: unexpected non-string key"),
    "table key": ("{ skillId = 'a', target = { kind = 'self' }, modifiers = {}, [{}] = 1 }",
                  "payload: unexpected non-string key"),
    "vector nan": ("{ skillId = 'a', target = { kind = 'point', position = Vector3.new(0/0, 0, 0) }, modifiers = {} }",
                   "payload.target.position.X: expected finite number, got nan"),
    "native vector": ("{ skillId = 'a', target = { kind = 'point', position = vector.create(1, 2, 3) }, modifiers = {} }",
                      "payload.target.position: expected Vector3, got vector"),
}


@pytest.fixture(scope="module")
def cast_skill():
    project = game_project()
    validators = project.host.require("ServerScriptService/NetworkingServer/Validators")
    return project.host, validators.get("Skills").get("CastSkill")


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_value_is_rejected_without_throwing(cast_skill, name):
    host, validate = cast_skill
    source, expected = HOSTILE[name]
    make = host.eval(f"return function() return {source} end")
    check = host.eval("return function(validate, make) local value = make() return pcall(validate, value) end")
    ran, ok, message = host.call(check, validate, make, nresults=3)
    assert ran is True, f"validator threw: {ok}"
    assert ok is False
    assert str(message) == expected
