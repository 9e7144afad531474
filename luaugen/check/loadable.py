"""Rules that keep "exit 0" meaning "the output loads": what Luau, Roblox or Python would refuse is refused here first.

Limits were measured with the real compilers (tests/hardening/test_loadable.py builds each one at its limit):
- Luau refuses a type annotation with more than 1,000 union members ("Exceeded allowed type length"); an optional
  enum adds `nil`, so enums and unions stop at 999.
- Python refuses more than 20 statically nested blocks and Luau more than ~200 syntax levels: the validators nest
  a loop or branch per container, so types nest at most 16 levels (containers and named-type references).
- Types.luau names Roblox datatypes and classes unqualified, and types.py imports names from `typing`: a
  generated type with one of those names would shadow it.
"""

from __future__ import annotations

import math
from collections import defaultdict

from ..diagnostics import Diagnostic, error
from ..model import ir
from ..model.roblox_classes import CLASS_PARENTS
from ..model.walk import children, descendants

MAX_UNION_MEMBERS = 999
MAX_NESTING = 16

# Unqualified names in Types.luau: Luau's built-in types, the Roblox datatypes and classes a schema can name, and
# the Roblox datatypes a game commonly uses beside them (so a later schema type cannot change their meaning).
LUAU_RESERVED = frozenset({
    "any", "boolean", "buffer", "never", "nil", "number", "string", "thread", "unknown", "userdata", "vector",
    *ir.DATATYPES.values(), *CLASS_PARENTS,
    "Axes", "BrickColor", "CatalogSearchParams", "ColorSequence", "ColorSequenceKeypoint", "Content", "DateTime",
    "Enum", "EnumItem", "Enums", "Faces", "Font", "NumberRange", "NumberSequence", "NumberSequenceKeypoint",
    "OverlapParams", "PathWaypoint", "PhysicalProperties", "Random", "RaycastParams", "RaycastResult", "Ray",
    "RBXScriptConnection", "RBXScriptSignal", "Rect", "Region3", "Region3int16", "SharedTable", "TweenInfo", "UDim",
    "UDim2", "Vector2int16", "Vector3int16",
})
# Names types.py imports or Python reserves (PascalCase ones: the only ones a type name can take).
PYTHON_RESERVED = frozenset({"Any", "False", "Literal", "None", "NotRequired", "Optional", "True", "TypedDict", "Union"})


def _generated_names(project: ir.Project):
    for named in project.types:
        yield named.generated_name, named.span
    for m in project.messages():
        yield m.type_name, m.span
        if m.reply is not None:
            yield m.type_name + "Reply", m.span


def _reserved(project: ir.Project) -> list[Diagnostic]:
    found = []
    for name, span in _generated_names(project):
        if name in LUAU_RESERVED or name in PYTHON_RESERVED:
            where = "a Roblox or Luau type" if name in LUAU_RESERVED else "a name the Python mirror imports"
            found.append(error("reserved-name", f"generated type name '{name}' is {where}: the generated modules "
                               "would shadow it", span, "rename the type or the message"))
    return found


def _finite(project: ir.Project, types: list[ir.Type]) -> list[Diagnostic]:
    found = []
    for t in types:
        if isinstance(t, ir.NumberType):
            for label, bound in (("min", t.min), ("max", t.max)):
                if bound is not None and not math.isfinite(bound):
                    found.append(error("non-finite", f"{label} {bound} is not a finite number", t.span,
                                       "leave the bound out for an open range"))
    for m in project.messages():
        values = [("timeout", m.timeout)]
        if m.retry is not None:
            values += [("retry base", m.retry.base), ("retry max", m.retry.max)]
        for label, value in values:
            if value is not None and not math.isfinite(value):
                found.append(error("non-finite", f"{label} of '{m.name}' is {value}, not a finite number",
                                   m.span_of(label.split()[0])))
    return found


def _width(types: list[ir.Type]) -> list[Diagnostic]:
    found = []
    for t in types:
        members = len(t.values) if isinstance(t, ir.EnumType) else len(t.variants) if isinstance(
            t, ir.UnionType) else 0
        if members > MAX_UNION_MEMBERS:
            found.append(error("too-wide", f"{members} members; Luau types hold at most {MAX_UNION_MEMBERS}",
                               t.span, "split it, or send a number and keep the names in code"))
    return found


def _nesting(project: ir.Project) -> list[Diagnostic]:
    """Container depth of every root, through named types, without recursing along chains of named types."""
    edges: dict[str, set[str]] = defaultdict(set)
    for named in project.types:
        for t in descendants(named.type):
            if isinstance(t, ir.RefType) and t.target in project.types_by_key:
                edges[named.key].add(t.target)
    depth: dict[str, int] = {}
    waiting = {named.key: len(edges[named.key]) for named in project.types}
    users: dict[str, list[str]] = defaultdict(list)
    for key, targets in edges.items():
        for target in targets:
            users[target].append(key)
    ready = [key for key, count in waiting.items() if count == 0]
    while ready:  # dependencies first; types in a cycle never become ready (the cycle rule reports them)
        key = ready.pop()
        depth[key] = _depth(project.named(key).type, depth)
        for user in users[key]:
            waiting[user] -= 1
            if waiting[user] == 0:
                ready.append(user)
    found = []
    measured = [(named.type, named.span, depth.get(named.key, 0)) for named in project.types]
    for m in project.messages():
        measured += [(t, m.span, _depth(t, depth)) for t in (m.payload, m.reply) if t is not None]
    for t, span, levels in measured:
        # Report where a chain first goes over the limit, not at every type above it (the walk below, only for
        # the rare type over the limit).
        if levels > MAX_NESTING and not _over_below(t, depth):
            found.append(error("too-deep", f"types nest {levels} levels deep (containers and named-type "
                               f"references); at most {MAX_NESTING} are supported", span,
                               "flatten the type: send ids instead of nesting"))
    return found


def _over_below(t: ir.Type, named_depth: dict[str, int]) -> bool:
    """Whether a named type `t` refers to is itself over the limit."""
    return any(isinstance(d, ir.RefType) and named_depth.get(d.target, 0) > MAX_NESTING for d in descendants(t))


def _depth(t: ir.Type, named_depth: dict[str, int]) -> int:
    if isinstance(t, ir.RefType):  # a reference is a level too: chains of aliases are walked recursively
        return named_depth.get(t.target, 0) + 1
    inner = 0
    for child in children(t):  # a loop, not max() over a generator: this runs for every type of every message
        inner = max(inner, _depth(child, named_depth))
    return inner + isinstance(t, (ir.StructType, ir.ArrayType, ir.MapType, ir.UnionType))


def loadable(project: ir.Project, types: list[ir.Type]) -> tuple[list[Diagnostic], bool]:
    """Diagnostics, and whether types nest too deep for the other (recursive) rules to walk them safely.
    `types`: every type of the project (model.walk.all_types)."""
    nesting = _nesting(project)
    return [*nesting, *_reserved(project), *_finite(project, types), *_width(types)], bool(nesting)
