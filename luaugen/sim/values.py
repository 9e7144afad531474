"""Python equivalents of the Roblox datatypes the offline host converts (same names and fields as the mirror's roblox.py).

`LuauHost.to_python` returns these; `LuauHost.to_luau` accepts them or any object duck-typed by class name and attributes
(for instance the generated mirror's own classes).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.roblox_classes import is_a as _is_a


@dataclass(frozen=True)
class Vector2:
    x: float
    y: float


@dataclass(frozen=True)
class Vector3:
    x: float
    y: float
    z: float


@dataclass(frozen=True)
class CFrame:
    """Position plus row-major rotation matrix (identity by default)."""

    x: float
    y: float
    z: float
    r00: float = 1
    r01: float = 0
    r02: float = 0
    r10: float = 0
    r11: float = 1
    r12: float = 0
    r20: float = 0
    r21: float = 0
    r22: float = 1

    def components(self) -> tuple[float, ...]:
        return (self.x, self.y, self.z, self.r00, self.r01, self.r02, self.r10, self.r11, self.r12, self.r20, self.r21, self.r22)


@dataclass(frozen=True)
class Color3:
    r: float
    g: float
    b: float


@dataclass(frozen=True)
class Instance:
    class_name: str
    name: str = ""

    def is_a(self, class_name: str) -> bool:
        return _is_a(self.class_name, class_name)


CFRAME_FIELDS = ("x", "y", "z", "r00", "r01", "r02", "r10", "r11", "r12", "r20", "r21", "r22")
