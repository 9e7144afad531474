"""Offline Luau host (pluau) and Roblox simulator for testing generated networking code without Roblox."""

from .host import LuauError, LuauHost, ScriptRun
from .network import Link
from .simulator import SimulationTimeout, Simulator, VM
from .values import CFrame, Color3, Instance, Vector2, Vector3

__all__ = ["Link", "SimulationTimeout", "Simulator", "VM", "CFrame", "Color3", "Instance", "LuauError", "LuauHost", "ScriptRun", "Vector2", "Vector3"]
