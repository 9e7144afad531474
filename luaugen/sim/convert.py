"""Values across the Python/Luau boundary as flat token streams, one VM call per conversion.

A stream is `count, value...`. Scalars (nil, boolean, number, string, opaque handles) stand for themselves; a
structured value starts with a marker, the native vector `(tag, 0, 0)`, and the tags are the `Tag` codes below,
shared with `luau/convert.luau` (which names them in its header comment). The runner answers a script run with
the same markers: `FAILED` then the message, `YIELDED` then the run id, or an encoded stream of results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import IntEnum
from typing import Any

import pluau

from . import values as V
from .errors import LuauError


class Tag(IntEnum):
    FAILED = 0  # status: the next token is the error text
    ARRAY = 1  # n, then n values
    DICT = 2  # n, then n (key, value) pairs
    VECTOR2 = 3  # x y
    VECTOR3 = 4  # x y z
    CFRAME = 5  # x y z r00..r22
    COLOR3 = 6  # r g b
    INSTANCE = 7  # class, name: a new detached instance (to Luau) / its description (to Python)
    NATIVE_VECTOR = 8  # the next token is a native vector value itself
    INSTANCE_PATH = 10  # remote transfer only: an Instance by path
    BUFFER = 11  # remote transfer only: the buffer's contents as a string
    PACKED = 12  # a stream too long for one unpack: (table, n) holding the tokens


YIELDED = Tag.ARRAY  # the runner's status of a script still running (the next token is its run id)
MARKERS = {tag: pluau.Vector(int(tag), 0, 0) for tag in Tag}

_Vector = pluau.Vector
_String = pluau.String
_OPAQUE = (pluau.Table, pluau.Function, pluau.String, pluau.Thread, pluau.UserData, pluau.Buffer, pluau.LightUserData)
_MAX_SAFE = 2**63 - 1
_MAX_DEPTH = 200
_DATATYPES = ("Vector3", "Vector2", "Color3", "CFrame", "Instance")
_KINDS: dict[type, str] = {}


def is_marker(token: Any, tag: Tag) -> bool:
    return type(token) is _Vector and token.x == tag


def lua_str(x: Any) -> str | bytes:
    """A Luau string as str, or as bytes when it is not UTF-8."""
    raw = x.as_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw


def unpacked(tokens: list) -> list:
    """The tokens of a stream, reading a `PACKED` one out of its table."""
    if tokens and is_marker(tokens[0], Tag.PACKED):
        table, n = tokens[1], tokens[2]
        return [table.raw_get(i) for i in range(1, n + 1)]
    return tokens


def _classify(t: type) -> str:
    """How to convert values of Python type t (datatypes are duck-typed by class name)."""
    if t.__name__ in _DATATYPES:
        kind = t.__name__
    elif issubclass(t, (bytes, bytearray)):
        kind = "bytes"
    elif t is _Vector:
        kind = "vector"
    elif issubclass(t, _OPAQUE):
        kind = "opaque"
    elif issubclass(t, bool):
        kind = "bool"
    elif issubclass(t, int):
        kind = "int"
    elif issubclass(t, float):
        kind = "float"
    elif issubclass(t, str):
        kind = "str"
    elif issubclass(t, Mapping):
        kind = "dict"
    elif issubclass(t, Sequence):
        kind = "list"
    else:
        kind = "unsupported"
    _KINDS[t] = kind
    return kind


def flatten(lua: Any, v: Any, out: list, depth: int = 0) -> None:
    """Append the tokens of Python value v to out (`lua` creates byte strings)."""
    t = type(v)
    if t is str or t is float or t is bool or v is None:
        out.append(v)
    elif t is int:
        out.append(v if -_MAX_SAFE <= v <= _MAX_SAFE else float(v))
    elif t is dict:
        if depth > _MAX_DEPTH:
            raise ValueError("value is nested too deeply (or cyclic) to convert to Luau")
        out.append(MARKERS[Tag.DICT])
        out.append(len(v))
        for k, x in v.items():
            flatten(lua, k, out, depth + 1)
            flatten(lua, x, out, depth + 1)
    elif t is list or t is tuple:
        if depth > _MAX_DEPTH:
            raise ValueError("value is nested too deeply (or cyclic) to convert to Luau")
        out.append(MARKERS[Tag.ARRAY])
        out.append(len(v))
        for x in v:
            flatten(lua, x, out, depth + 1)
    else:
        _flatten_other(lua, v, t, out, depth)


def _flatten_other(lua: Any, v: Any, t: type, out: list, depth: int) -> None:
    kind = _KINDS.get(t) or _classify(t)
    if kind == "Vector3":
        out.extend((MARKERS[Tag.VECTOR3], float(v.x), float(v.y), float(v.z)))
    elif kind == "Vector2":
        out.extend((MARKERS[Tag.VECTOR2], float(v.x), float(v.y)))
    elif kind == "Color3":
        out.extend((MARKERS[Tag.COLOR3], float(v.r), float(v.g), float(v.b)))
    elif kind == "CFrame":
        out.append(MARKERS[Tag.CFRAME])
        out.extend(float(getattr(v, f)) for f in V.CFRAME_FIELDS)
    elif kind == "Instance":
        out.extend((MARKERS[Tag.INSTANCE], str(v.class_name), str(getattr(v, "name", "") or v.class_name)))
    elif kind == "bytes":
        out.append(lua.create_string(bytes(v)))
    elif kind == "vector":
        out.append(MARKERS[Tag.NATIVE_VECTOR])
        out.append(v)
    elif kind == "opaque":
        out.append(v)
    elif kind == "bool":
        out.append(bool(v))
    elif kind == "int":
        flatten(lua, int(v), out, depth)
    elif kind == "float":
        out.append(float(v))
    elif kind == "str":
        out.append(str(v))
    elif kind == "dict":
        flatten(lua, dict(v), out, depth)
    elif kind == "list":
        flatten(lua, list(v), out, depth)
    else:
        raise TypeError(f"cannot convert {t.__name__} to a Luau value")


# Datatypes read as a fixed number of numbers (or strings) after their marker.
_FIXED: dict[int, tuple[int, Any]] = {
    Tag.VECTOR2: (2, V.Vector2),
    Tag.VECTOR3: (3, V.Vector3),
    Tag.CFRAME: (12, V.CFrame),
    Tag.COLOR3: (3, V.Color3),
    Tag.INSTANCE: (2, lambda class_name, name: V.Instance(lua_str(class_name), lua_str(name))),
    Tag.NATIVE_VECTOR: (1, lambda vector: vector),
}


def parse(tokens: list) -> list:
    """A token stream from Luau (count, values...) -> the list of Python values."""
    toks = unpacked(tokens)
    pos = 0

    def read():
        nonlocal pos
        x = toks[pos]
        pos += 1
        tx = type(x)
        if tx is _String:
            return lua_str(x)
        if tx is not _Vector:
            return x
        tag = int(x.x)
        if tag == Tag.ARRAY:
            n = toks[pos]
            pos += 1
            return [read() for _ in range(n)]
        if tag == Tag.DICT:
            n = toks[pos]
            pos += 1
            d = {}
            for _ in range(n):
                k = read()
                try:
                    d[k] = read()
                except TypeError:
                    raise LuauError(f"cannot convert a table key of type {type(k).__name__} to a Python dict key") from None
            return d
        fixed = _FIXED.get(tag)
        if fixed is None:
            raise LuauError(f"unexpected conversion token {tag}")
        width, build = fixed
        pos += width
        return build(*toks[pos - width : pos])

    count = toks[0]
    pos = 1
    try:
        return [read() for _ in range(count)]
    except RuntimeError as exc:
        raise LuauError(str(exc)) from None
