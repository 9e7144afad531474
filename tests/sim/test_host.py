import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from luaugen.model.roblox_classes import CLASS_PARENTS
from luaugen.sim import CFrame, Color3, Instance, LuauError, LuauHost, Vector2, Vector3
from luaugen.sim.convert import Tag
from luaugen.sim.host import RUNTIME_DIR


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


def test_mount_rojo_folder_and_require(tmp_path, host):
    write(tmp_path / "Networking", {
        "init.luau": "local V = require(script.Validators)\nreturn {v = V, name = script.Name, parent = script.Parent.Name}",
        "Validators.luau": "local R = require(script.Parent:WaitForChild('Registry'))\nreturn {hash = R.hash, full = script:GetFullName()}",
        "Registry.luau": "return {hash = 'abc'}",
        "Sub/init.luau": "return {deep = require(script.Leaf).x}",
        "Sub/Leaf.luau": "return {x = 7}",
        "Boot.server.luau": "error('scripts are not mounted')",
    })
    host.mount("ReplicatedStorage/Networking", tmp_path / "Networking")
    net = host.to_python(host.require("ReplicatedStorage/Networking"))
    assert net == {"v": {"hash": "abc", "full": "ReplicatedStorage.Networking.Validators"}, "name": "Networking", "parent": "ReplicatedStorage"}
    assert host.to_python(host.require("ReplicatedStorage/Networking/Sub")) == {"deep": 7}
    assert host.find("ReplicatedStorage/Networking/Boot") is None
    assert host.eval("game:GetService('ReplicatedStorage').Networking.Sub.Leaf.ClassName") == "ModuleScript"
    assert host.eval("game.ReplicatedStorage.Networking:FindFirstChild('Nope')") is None


def test_require_caches_per_module(host):
    host.add_module("ReplicatedStorage/M", "_G.loads = (_G.loads or 0) + 1 return {}")
    a = host.eval("require(game.ReplicatedStorage.M)")
    b = host.eval("require(game.ReplicatedStorage.M)")
    assert host.eval("_G.loads") == 1
    assert host.eval("require(game.ReplicatedStorage.M) == require(game.ReplicatedStorage.M)") is True
    assert a == b == {}


def test_cyclic_require_is_a_clear_error(host):
    host.add_module("ReplicatedStorage/C/A", "return require(script.Parent.B)")
    host.add_module("ReplicatedStorage/C/B", "return require(script.Parent.A)")
    with pytest.raises(LuauError, match=r"cyclic require detected: ReplicatedStorage\.C\.A -> ReplicatedStorage\.C\.B -> ReplicatedStorage\.C\.A"):
        host.require("ReplicatedStorage/C/A")


def test_module_errors_and_bad_return(host):
    host.add_module("ReplicatedStorage/Bad", "local x = nil\nreturn x.y")
    with pytest.raises(LuauError, match="ReplicatedStorage.Bad:2"):
        host.require("ReplicatedStorage/Bad")
    host.add_module("ReplicatedStorage/Two", "return 1, 2")
    with pytest.raises(LuauError, match="exactly one value"):
        host.require("ReplicatedStorage/Two")
    host.add_module("ReplicatedStorage/Syntax", "return {")
    with pytest.raises(LuauError):
        host.require("ReplicatedStorage/Syntax")


def test_waitforchild_yields_until_child_appears(host):
    run = host.exec("local f = game.ReplicatedStorage:WaitForChild('Late') return f.Name")
    assert not run.done
    host.step()
    assert not run.done
    host.exec("local f = Instance.new('Folder') f.Name = 'Late' f.Parent = game.ReplicatedStorage")
    assert run.done and run.result == "Late"
    timed = host.exec("return game.ReplicatedStorage:WaitForChild('Never', 0.5)")
    host.run_for(0.4)
    assert not timed.done
    host.run_for(0.2)
    assert timed.done and timed.result is None


def test_waitforchild_outside_thread_errors(host):
    with pytest.raises(LuauError, match="WaitForChild"):
        host.call(host.eval("function() return game.ReplicatedStorage:WaitForChild('X') end"))


@pytest.mark.parametrize("expr,expected", [
    ("Vector3.new(1,2,3)", "Vector3"), ("Vector2.new(1,2)", "Vector2"), ("CFrame.new(1,2,3)", "CFrame"),
    ("Color3.new(1,0,0)", "Color3"), ("Instance.new('Part')", "Instance"), ("game", "Instance"),
    ("1", "number"), ("'s'", "string"), ("{}", "table"), ("nil", "nil"), ("true", "boolean"), ("print", "function"),
    ("vector.create(1,2,3)", "vector"), ("buffer.create(1)", "buffer"), ("coroutine.create(print)", "thread"),
    ("game.ChildAdded", "RBXScriptSignal"),
])
def test_typeof(host, expr, expected):
    assert host.eval(f"typeof({expr})") == expected


def test_type_of_datatypes_is_userdata(host):
    assert host.eval("type(Vector3.new()), type(CFrame.new()), type({}), getmetatable(Vector3.new())") == ("userdata", "userdata", "table", "The metatable is locked")


def test_vector_math(host):
    assert host.eval("Vector3.new(1,2,3) + Vector3.new(1,1,1)") == Vector3(2, 3, 4)
    assert host.eval("Vector3.new(1,2,3) - Vector3.one") == Vector3(0, 1, 2)
    assert host.eval("Vector3.new(1,2,3) * 2, 2 * Vector3.new(1,2,3), Vector3.new(1,2,3) * Vector3.new(2,2,2)") == (Vector3(2, 4, 6),) * 3
    assert host.eval("Vector3.new(2,4,6) / 2") == Vector3(1, 2, 3)
    assert host.eval("-Vector3.new(1,2,3)") == Vector3(-1, -2, -3)
    assert host.eval("Vector3.new(3,4,0).Magnitude") == 5
    assert host.eval("Vector3.new(0,0,5).Unit") == Vector3(0, 0, 1)
    assert host.eval("Vector3.new(1,2,3) == Vector3.new(1,2,3), Vector3.new(1,2,3) == Vector3.new(1,2,4)") == (True, False)
    assert host.eval("Vector3.xAxis:Cross(Vector3.yAxis)") == Vector3(0, 0, 1)
    assert host.eval("Vector3.new(1,2,3).X, Vector3.new(1,2,3).Y, Vector3.new(1,2,3).Z, Vector3.zero.Magnitude") == (1, 2, 3, 0)
    assert host.eval("Vector2.new(3,4).Magnitude, Vector2.new(1,2) + Vector2.new(1,1), Vector2.zero") == (5, Vector2(2, 3), Vector2(0, 0))
    assert host.eval("tostring(Vector3.new(1,2.5,3))") == "1, 2.5, 3"
    with pytest.raises(LuauError, match="not a valid member of Vector3"):
        host.eval("Vector3.new().W")
    with pytest.raises(LuauError):
        host.eval("Vector3.new() + 1")


def test_cframe_math(host):
    assert host.eval("CFrame.new(1,2,3).Position") == Vector3(1, 2, 3)
    assert host.eval("CFrame.new(1,2,3).X, CFrame.new(1,2,3).Y, CFrame.new(1,2,3).Z") == (1, 2, 3)
    assert host.eval("{CFrame.new(1,2,3):GetComponents()}") == [1, 2, 3, 1, 0, 0, 0, 1, 0, 0, 0, 1]
    assert host.eval("CFrame.new(1,2,3) * CFrame.new(1,1,1)") == CFrame(2, 3, 4)
    assert host.eval("CFrame.new(1,2,3) * Vector3.new(1,1,1)") == Vector3(2, 3, 4)
    # 90 degrees about Y: rows (0,0,1),(0,1,0),(-1,0,0)
    rot = "CFrame.new(0,0,0, 0,0,1, 0,1,0, -1,0,0)"
    assert host.eval(f"{rot} * Vector3.new(1,0,0)") == Vector3(0, 0, -1)
    assert host.eval(f"({rot} * {rot}):GetComponents()", nresults=12) == (0, 0, 0, -1, 0, 0, 0, 1, 0, 0, 0, -1)
    assert host.eval(f"(CFrame.new(5,0,0) * {rot}) * Vector3.new(0,0,1)") == Vector3(6, 0, 0)
    assert host.eval(f"(CFrame.new(1,2,3) * {rot}):Inverse() * (CFrame.new(1,2,3) * {rot}) == CFrame.new()") is True
    assert host.eval("CFrame.new(1,2,3) == CFrame.new(1,2,3), CFrame.new(1,2,3) == CFrame.new(1,2,4)") == (True, False)


def test_color3(host):
    assert host.eval("Color3.fromRGB(255, 0, 51)") == Color3(1, 0, 0.2)
    assert host.eval("Color3.new(0.5, 0.25, 1).G") == 0.25
    assert host.eval("Color3.new(1,0,0) == Color3.new(1,0,0)") is True


def test_isa_uses_the_shared_hierarchy(host):
    for cls, parent in CLASS_PARENTS.items():
        assert host.eval(f"Instance.new('{cls}'):IsA('Instance')") is True
        if parent:
            assert host.eval(f"Instance.new('{cls}'):IsA('{parent}')") is True
    assert host.eval("Instance.new('MeshPart'):IsA('BasePart'), Instance.new('Part'):IsA('Model'), Instance.new('Folder'):IsA('Folder')") == (True, False, True)


def test_instance_tree(host):
    host.exec("""
        local m = Instance.new('Model') m.Name = 'Boss' m.Parent = workspace
        local p = Instance.new('Part', m) p.Name = 'Head'
    """)
    assert host.eval("workspace.Boss.Head:GetFullName()") == "Workspace.Boss.Head"
    assert host.eval("#workspace.Boss:GetChildren(), workspace.Boss.Head.Parent == workspace.Boss") == (1, True)
    assert host.eval("workspace.Boss.Head") == Instance("Part", "Head")
    with pytest.raises(LuauError, match='Nope is not a valid member of Model "Workspace.Boss"'):
        host.eval("workspace.Boss.Nope")


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, min_size=1, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=25,
)
DATATYPES = st.one_of(
    st.builds(Vector3, st.floats(-1e6, 1e6), st.floats(-1e6, 1e6), st.floats(-1e6, 1e6)),
    st.builds(Vector2, st.floats(-1e6, 1e6), st.floats(-1e6, 1e6)),
    st.builds(Color3, st.floats(0, 1), st.floats(0, 1), st.floats(0, 1)),
    st.builds(CFrame, *[st.floats(-10, 10)] * 12),
    st.builds(Instance, st.sampled_from(sorted(CLASS_PARENTS)), st.text(min_size=1, max_size=8)),
)


def normalize(v):
    """The documented lossy spots: nil in an array ends it (dropped here), list None entries not allowed."""
    if isinstance(v, dict):
        return {k: normalize(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [normalize(x) for x in v]
    return v


def no_none_in_lists(v):
    if isinstance(v, list):
        return all(x is not None and no_none_in_lists(x) for x in v)
    if isinstance(v, dict):
        return all(no_none_in_lists(x) for x in v.values())
    return True


@settings(max_examples=150, deadline=None)
@given(JSONISH.filter(no_none_in_lists))
def test_roundtrip_jsonish(value):
    h = _shared_host()
    assert h.to_python(h.to_luau(value)) == normalize(value)


@settings(max_examples=60, deadline=None)
@given(st.lists(DATATYPES, min_size=1, max_size=6))
def test_roundtrip_datatypes(values):
    h = _shared_host()
    assert h.to_python(h.to_luau(values)) == values


_HOST = []


def _shared_host():
    if not _HOST:
        _HOST.append(LuauHost())
    return _HOST[0]


def test_special_floats_and_bytes(host):
    out = host.to_python(host.to_luau([float("nan"), float("inf"), float("-inf"), -0.0, 0.0, b"\xff\x00a", "é"]))
    assert math.isnan(out[0]) and out[1] == math.inf and out[2] == -math.inf
    assert math.copysign(1, out[3]) == -1 and math.copysign(1, out[4]) == 1
    assert out[5:] == [b"\xff\x00a", "é"]
    assert host.call(host.eval("function(s) return #s end"), b"\xff\x00a") == 3


def test_table_shapes(host):
    assert host.to_python(host.to_luau({})) == {}
    assert host.to_python(host.to_luau([])) == {}
    assert host.eval("{[1]='a', [2]='b'}") == ["a", "b"]
    assert host.eval("{[1]='a', [3]='c'}") == {1: "a", 3: "c"}
    assert host.eval("{1, 2, x = 3}") == {1: 1, 2: 2, "x": 3}
    assert host.eval("{[true] = 1, [2.5] = 2}") == {True: 1, 2.5: 2}
    assert host.to_python(host.to_luau({1: "a", 2: "b"})) == ["a", "b"]


def test_mirror_classes_are_duck_typed(host):
    class Vector3:  # stands for sdc_net.roblox.Vector3
        def __init__(self, x, y, z):
            self.x, self.y, self.z = x, y, z

    assert host.call(host.eval("function(v) return typeof(v), v.X + v.Y + v.Z end"), Vector3(1, 2, 3)) == ("Vector3", 6)


def test_cyclic_table_to_python_raises(host):
    t = host.exec("local t = {a = {}} t.a.back = t _G.cyc = t").results
    assert t == ()
    with pytest.raises(LuauError, match="cyclic"):
        host.to_python(host.lua.globals().get("_G").get("cyc"))
    # shared (non-cyclic) references are fine
    assert host.eval("local s = {1} return {s, s}") == [[1], [1]]


def test_call_results_and_errors(host):
    fn = host.eval("function(p) if p.ok then return true end return false, 'bad ' .. p.why end")
    assert host.call(fn, {"ok": True}) is True
    assert host.call(fn, {"ok": True}, nresults=2) == (True, None)
    assert host.call(fn, {"ok": False, "why": "x"}) == (False, "bad x")
    with pytest.raises(LuauError, match="attempt to concatenate"):
        host.call(fn, {"ok": False})


def test_output_capture(host):
    host.exec("print('a', 1, nil, true) warn('careful')")
    assert host.output == ["a 1 nil true", "[warn] careful"]


def test_scheduler_errors_are_captured(host):
    run = host.exec("task.wait(0.1) error('late boom')")
    host.run_for(0.2)
    assert run.done and not run.ok and "late boom" in run.error.message
    assert any("late boom" in e for e in host.errors)
    host.exec("task.spawn(function() error('spawned boom') end)")
    assert any("spawned boom" in e for e in host.errors)


def test_exec_sync_error_raises(host):
    with pytest.raises(LuauError, match="sync boom"):
        host.exec("error('sync boom')")
    assert host.errors == []


def test_close_is_quiet(capfd):
    h = LuauHost()
    h.eval("1")
    h.close()
    h2 = LuauHost()
    del h2
    assert "being closed" not in capfd.readouterr().out


def test_conversion_tags_are_the_codes_the_luau_side_documents():
    header = (RUNTIME_DIR / "convert.luau").read_text(encoding="utf-8")
    named = {Tag.ARRAY: "array", Tag.DICT: "dict", Tag.VECTOR2: "Vector2", Tag.VECTOR3: "Vector3", Tag.CFRAME: "CFrame",
             Tag.COLOR3: "Color3", Tag.INSTANCE: "Instance (class, name)", Tag.NATIVE_VECTOR: "escaped native vector",
             Tag.INSTANCE_PATH: "Instance reference by path", Tag.BUFFER: "buffer"}
    for tag, words in named.items():
        assert f"{int(tag)} {words}" in header, tag
    assert len(Tag) == len(named) + 2  # FAILED and PACKED are statuses of the runner, not value markers
