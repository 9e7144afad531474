"""Generated Luau and the static runtime pass `stylua --check` with the repository's stylua.toml.

StyLua comes from npm (`make stylua`, run by `make test`, installs the pinned version into .tools/); without it
the StyLua runs skip. The layout rules themselves are tested without StyLua.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from luaugen.compiler import compile_project
from luaugen.config import Config, load_config
from luaugen.emit.escape import luau_string
from luaugen.emit.layout import fit, frozen_set, typed_handle
from luaugen.project import read_sources

from .golden.build import compile_fixture
from .scale.build import compile_synthetic

ROOT = Path(__file__).resolve().parents[1]

# Long but plausible names (channel, intent, fields, enum values): conditions, sets, unions, handles and
# messages that no longer fit on one line.
LONG_NAMES = """\
channel: InventoryManagement
qos: NORMAL
types:
  EquipmentSlotName:
    type: enum
    values: [HeadArmorSlotPrimary, ChestArmorSlotPrimary, LegArmorSlotPrimary, FootArmorSlotPrimary,
             MainHandWeaponSlot, OffHandWeaponSlot, NeckAccessorySlot, RingAccessorySlotLeft, RingAccessorySlotRight]
  ItemDescriptor:
    type: struct
    fields:
      itemIdentifier: { type: u32, min: 1, max: 4000000 }
      stackQuantity: { type: i32, min: -2000000, max: 2000000 }
      description: { type: string, max_length: 200, optional: true }
      slotsByEquipmentSlot:
        type: map
        key: EquipmentSlotName
        value:
          { type: array, items: { type: struct, fields: { wearRatio: { type: f64, min: 0, max: 1 } } }, max_items: 5 }
intents:
  MoveItemBetweenContainers:
    payload:
      sourceContainerId: { type: u32, min: 1, max: 4000000 }
      destinationContainerId: { type: u32, min: 1, max: 4000000 }
      movedItemDescriptor: ItemDescriptor
      otherAffectedItems: { type: array, items: ItemDescriptor, max_items: 10 }
      targetEquipmentSlot: EquipmentSlotName
      outcome:
        type: enum
        values: [FirstPossibleOutcomeValueName, SecondPossibleOutcomeValueName, ThirdPossibleOutcomeValueName,
                 FourthPossibleOutcomeValueName]
      weightsByName:
        type: map
        key: { type: string, max_length: 64 }
        value: { type: f32, min: -1000000, max: 1000000 }
        max_entries: 16
      dropPosition: vector3
      iconTint: color3?
    reply:
      accepted: bool
      rejectionReason:
        type: enum
        values: [ContainerFullOrOverCapacityLimit, ItemNotFoundInTheSourceContainer, PermissionDeniedForThisContainer]
        optional: true
  PickUpItem:
    payload: { itemIdentifier: u32 }
events:
  InventorySlotContentsChangedForPlayer:
    payload: { previousEquipmentSlotForThisItem: EquipmentSlotName, currentEquipmentSlotForThisItem: EquipmentSlotName }
"""
LOCAL_STYLUA = ROOT / ".tools" / "node_modules" / ".bin" / "stylua"


def _stylua() -> str:
    found = str(LOCAL_STYLUA) if os.access(LOCAL_STYLUA, os.X_OK) else shutil.which("stylua")
    if found is None:
        pytest.skip("StyLua not installed: `make stylua` installs it into .tools/ where npm is on PATH")
    return found


def _check(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([_stylua(), "--config-path", str(ROOT / "stylua.toml"), "--check", str(folder)],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def _write_luau(files: dict[str, str], root: Path) -> int:
    count = 0
    for relative, text in files.items():
        if relative.endswith(".luau"):
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            count += 1
    return count


def _schemas(profile: str) -> dict[str, str]:
    config = load_config(ROOT).with_profile(profile)
    sources, problems = read_sources(config)
    result = compile_project(config, sources, None)
    assert not problems and result.ok, result.diagnostics
    return result.files


def _long_names(root: Path) -> dict[str, str]:
    result = compile_project(Config(root=root), {"schemas/inventory.yaml": LONG_NAMES}, None)
    assert result.ok, result.diagnostics
    return result.files


@pytest.mark.parametrize("name", ["schemas-dev", "schemas-release", "golden", "synthetic", "long-names"])
def test_generated_luau_passes_stylua_check(name: str, tmp_path: Path) -> None:
    _stylua()
    files = {"schemas-dev": lambda: _schemas("dev"), "schemas-release": lambda: _schemas("release"),
             "golden": compile_fixture, "synthetic": lambda: compile_synthetic(60, tmp_path / "project"),
             "long-names": lambda: _long_names(tmp_path / "project")}[name]()
    assert _write_luau(files, tmp_path / "out") >= 16
    result = _check(tmp_path / "out")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_static_runtime_passes_stylua_check() -> None:
    result = _check(ROOT / "runtime")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_stylua_check_fails_on_a_line_too_long(tmp_path: Path) -> None:
    """The check bites: a generated-style line over 120 columns is a finding."""
    _stylua()
    long = "\t".join(["", "if type(x) ~= \"number\"" + " or x ~= x" * 12 + " then\n\t\treturn 1\n\tend\n"])
    (tmp_path / "Long.luau").write_text("local function f(x: any)\n" + long + "end\n", encoding="utf-8")
    assert _check(tmp_path).returncode == 1


def test_strings_prefer_double_quotes_unless_they_hold_more() -> None:
    assert luau_string('one of "a", "b"') == "'one of \"a\", \"b\"'"
    assert luau_string("'a' \"b\"") == '"\'a\' \\"b\\""'  # as many of each: double quotes
    assert luau_string("plain") == '"plain"'
    assert luau_string("a'b") == '"a\'b"'


def test_a_condition_too_long_gets_one_or_operand_a_line() -> None:
    cond = " or ".join(f"value{i} ~= nil" for i in range(10))
    assert fit(2, f"if {cond} then") == ["\t\tif", *(("\t\t\t" if i == 0 else "\t\t\tor ") + f"value{i} ~= nil"
                                                      for i in range(10)), "\t\tthen"]
    assert fit(2, "if a or b then") == ["\t\tif a or b then"]  # fits: left alone


def test_a_message_too_long_moves_to_the_next_line_then_opens_its_call() -> None:
    message = '"payload.' + "x" * 70 + '" .. fail("number", value)'
    assert fit(2, f"return false, {message}") == ["\t\treturn false,", "\t\t\t" + message]
    longer = '"payload.' + "x" * 80 + '" .. fail("' + "y" * 30 + '", value)'
    assert fit(2, f"return false, {longer}") == [
        "\t\treturn false,", '\t\t\t"payload.' + "x" * 80 + '" .. fail(', '\t\t\t\t"' + "y" * 30 + '",',
        "\t\t\t\tvalue", "\t\t\t)"]
    tail = '"payload.' + "x" * 60 + '" .. fail("' + "y" * 60 + '", value)'
    assert fit(1, f"return {tail}") == ['\treturn "payload.' + "x" * 60 + '"', '\t\t.. fail("' + "y" * 60 + '", value)']


def test_a_set_too_long_gets_one_key_a_line() -> None:
    keys = [f'"key{i:02}"' for i in range(12)]
    assert (frozen_set(1, "local S", keys[:2], "T")
            == 'local S = table.freeze({ ["key00"] = true, ["key01"] = true } :: T)')
    assert frozen_set(1, "local S", keys, "T").split("\n") == [
        "local S = table.freeze({", *(f"\t\t[{k}] = true," for k in keys), "\t} :: T)"]


def test_the_layout_rules_agree_with_stylua(tmp_path: Path) -> None:
    """Shapes longer than the emitted schemas reach: long paths, loop indices in paths, long expectations."""
    _stylua()
    cond = " or ".join(f"value{i} ~= nil" for i in range(10))
    blocks = [fit(2, f"if {cond} then") + ["\t\t\treturn 1", "\t\tend"]]
    blocks += [fit(2, "return " + text) for text in (
        'false, "payload.' + "x" * 70 + '" .. fail("number", value)',
        'false, "payload.' + "x" * 80 + '" .. fail("' + "y" * 30 + '", value)',
        '"payload.' + "x" * 60 + '" .. fail("' + "y" * 60 + '", value)',
        'false, "payload.m[" .. i .. "]' + "x" * 90 + '" .. fail("' + "y" * 30 + '", value)',
        '"payload.m[" .. i .. "]' + "x" * 90 + '" .. fail("' + "y" * 100 + '", value)',
        'fail("' + "y" * 120 + '", value)')]
    sets = [frozen_set(1, f"local {name}", [f'"key{i:02}"' for i in range(n)], "{ [any]: boolean }")
            for name in ("S", "S" * 74, "S" * 75, "S" * 100) for n in (2, 12)]
    handles = [typed_handle(2, "MoveItem", f"Api.request(Dispatcher.byName.Inventory{'A' * n}.MoveItem)", "Request",
                            [f"Types.Inventory{'B' * m}MoveItem", f"Types.Inventory{'B' * m}MoveItemReply"])
               for n in (10, 60, 61, 62, 90) for m in (10, 24, 25, 26, 60)]
    handles += [typed_handle(2, "Moved", f"Api.event(Dispatcher.byName.Inventory{'A' * n}.Moved)", "Event",
                             [f"Types.Inventory{'B' * n}Moved"]) for n in (10, 70, 71, 72, 90)]
    source = "\n".join(["local function f()", *("\tdo\n" + "\n".join(b) + "\n\tend" for b in blocks), "end", "do",
                        *("\t" + s for s in sets), "end", "local Net = {", "\tX = {",
                        *("\t\t" + h for h in handles), "\t},", "}", ""])
    assert len(max(source.split("\n"), key=len)) > 120  # the shapes were too long for one line
    (tmp_path / "Shapes.luau").write_text(source, encoding="utf-8")
    result = _check(tmp_path)
    assert result.returncode == 0, result.stdout


def test_a_typed_handle_too_long_opens_its_generic_list_then_its_call() -> None:
    args = ["Types.InventoryManagementMoveItemBetweenContainers",
            "Types.InventoryManagementMoveItemBetweenContainersReply"]
    call = "Api.request(Dispatcher.byName.InventoryManagement.MoveItemBetweenContainers)"
    assert typed_handle(2, "MoveItemBetweenContainers", call, "Request", args).split("\n") == [
        f"MoveItemBetweenContainers = {call} :: Request<", f"\t\t\t{args[0]},", f"\t\t\t{args[1]}", "\t\t>,"]
    call = "Api.request(Dispatcher.byName.InventoryManagementOfEveryContainer.MoveItemBetweenContainers)"
    assert typed_handle(2, "MoveItemBetweenContainers", call, "Request", args).split("\n") == [
        "MoveItemBetweenContainers = Api.request(",
        "\t\t\tDispatcher.byName.InventoryManagementOfEveryContainer.MoveItemBetweenContainers",
        "\t\t) :: Request<", f"\t\t\t{args[0]},", f"\t\t\t{args[1]}", "\t\t>,"]
    short = typed_handle(2, "Cast", "Api.request(Dispatcher.byName.Skills.Cast)", "Request", ["Types.A", "Types.B"])
    assert short == "Cast = Api.request(Dispatcher.byName.Skills.Cast) :: Request<Types.A, Types.B>,"
