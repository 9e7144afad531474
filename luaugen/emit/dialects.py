"""The two languages validators are written in: what differs between Luau and Python, and what does not."""

from __future__ import annotations

from dataclasses import dataclass

from .contract import format_number
from .escape import luau_string, python_string


@dataclass
class Path:
    """A path relative to the value being checked: literal segments and runtime expressions (loop indices)."""

    parts: tuple[tuple[bool, str], ...] = ()

    def lit(self, text: str) -> "Path":
        return Path(self.parts + ((True, text),))

    def expr(self, code: str) -> "Path":
        return Path(self.parts + ((False, code),))


class _Dialect:
    """What both languages write alike; subclasses hold the differences."""

    quote = staticmethod(luau_string)  # every string literal goes through luaugen.emit.escape

    def or_(self, *conds: str) -> str:
        return " or ".join(conds)

    def and_(self, *conds: str) -> str:
        return " and ".join(conds)

    def lt(self, a, b) -> str:
        return f"{a} < {b}"

    def gt(self, a, b) -> str:
        return f"{a} > {b}"

    def num(self, value: float) -> str:
        return format_number(value) if float(value).is_integer() else repr(float(value))

    def call(self, fn: str, *args: str) -> str:
        return f"{fn}({', '.join(args)})"

    def count_up(self, var: str) -> str:
        return f"{var} += 1"

    def ret(self, expr: str) -> str:
        return f"return {expr}"

    def index(self, table: str, key: str) -> str:
        return f"{table}[{key}]"


class LuauDialect(_Dialect):
    end = "end"
    nil = "nil"
    else_ = "else"

    def concat(self, path: Path, tail: str) -> str:
        pieces, literal = [], ""
        for is_literal, text in path.parts:
            if is_literal:
                literal += text
                continue
            if literal:
                pieces.append(self.quote(literal))
                literal = ""
            pieces.append(text)
        if literal:
            pieces.append(self.quote(literal))
        return " .. ".join([*pieces, tail] if tail else pieces)

    def helper(self, name: str) -> str:
        return name

    def if_(self, cond: str) -> str:
        return f"if {cond} then"

    def elseif(self, cond: str) -> str:
        return f"elseif {cond} then"

    def is_nil(self, x: str) -> str:
        return f"{x} == nil"

    def not_nil(self, x: str) -> str:
        return f"{x} ~= nil"

    def local(self, name: str, expr: str) -> str:
        return f"local {name} = {expr}"

    def for_range(self, var: str, n: str) -> str:
        return f"for {var} = 1, {n} do"

    def for_keys(self, var: str, table: str) -> str:
        return f"for {var} in next, {table} do"

    def field(self, table: str, name: str) -> str:
        return f"{table}.{name}"

    def table_view(self, x: str) -> str:
        return x

    def not_bool(self, x): return f'type({x}) ~= "boolean"'
    def not_string(self, x): return f'type({x}) ~= "string"'
    def bad_utf8(self, x): return f"utf8.len({x}) == nil"
    def byte_len(self, x): return f"#{x}"
    def not_number(self, x): return f'type({x}) ~= "number"'
    def is_nan(self, x): return f"{x} ~= {x}"
    def is_inf(self, x): return f"{x} == math.huge or {x} == -math.huge"
    def not_integral(self, x): return f"{x} % 1 ~= 0"
    def not_instance(self, x, cls): return f'typeof({x}) ~= "Instance" or not {x}:IsA({self.quote(cls)})'
    def not_member(self, x, set_name): return f'type({x}) ~= "string" or {set_name}[{x}] == nil'
    def not_known_key(self, x, set_name): return f"{set_name}[{x}] == nil"
    def string_member(self, x, set_name): return f'type({x}) == "string" and {set_name}[{x}] ~= nil'

    def string_key_ok(self, k, max_len):
        return f'type({k}) == "string" and utf8.len({k}) ~= nil and #{k} <= {max_len}'

    def integer_key_ok(self, k, low, high):
        return f'type({k}) == "number" and {k} % 1 == 0 and {k} >= {low} and {k} <= {high}'

    def string_set(self, name, values):
        body = ", ".join(f"[{self.quote(v)}] = true" for v in values)
        return f"local {name} = table.freeze({{ {body} }})" if body else f"local {name} = table.freeze({{}})"

    def constant_name(self, name: str) -> str:
        return name

    def fn_name(self, base: str) -> str:
        return base


class PythonDialect(_Dialect):
    quote = staticmethod(python_string)
    end = None
    nil = "None"
    else_ = "else:"

    def concat(self, path: Path, tail: str) -> str:
        pieces: list[tuple[bool, str]] = []
        for is_literal, text in path.parts:
            if is_literal and pieces and pieces[-1][0]:
                pieces[-1] = (True, pieces[-1][1] + text)
            else:
                pieces.append((is_literal, text))
        rendered = [self.quote(text) if literal else f"str({text})" for literal, text in pieces]
        return " + ".join([*rendered, tail] if tail else rendered)

    def helper(self, name: str) -> str:
        return "_" + snake(name)

    def if_(self, cond: str) -> str:
        return f"if {cond}:"

    def elseif(self, cond: str) -> str:
        return f"elif {cond}:"

    def is_nil(self, x: str) -> str:
        return f"{x} is None"

    def not_nil(self, x: str) -> str:
        return f"{x} is not None"

    def local(self, name: str, expr: str) -> str:
        return f"{name} = {expr}"

    def for_range(self, var: str, n: str) -> str:
        return f"for {var} in range(1, {n} + 1):"

    def for_keys(self, var: str, table: str) -> str:
        return f"for {var} in {table}:"

    def field(self, table: str, name: str) -> str:
        return f"{table}.get({self.quote(name)})"

    def table_view(self, x: str) -> str:
        """Python checks work on `_entries(x)`: the keys and values a Luau table made from x would hold."""
        return f"_entries({x})"

    def not_bool(self, x): return f"not isinstance({x}, bool)"
    def not_string(self, x): return f"not isinstance({x}, str)"
    def bad_utf8(self, x): return f"_bad_utf8({x})"
    def byte_len(self, x): return f"_byte_len({x})"
    def not_number(self, x): return f"not _is_number({x})"
    def is_nan(self, x): return f"{x} != {x}"
    def is_inf(self, x): return f"{x} in _INFINITIES"
    def not_integral(self, x): return f"{x} % 1 != 0"
    def not_instance(self, x, cls): return f"not _is_instance({x}, {self.quote(cls)})"
    def not_member(self, x, set_name): return f"not isinstance({x}, str) or {x} not in {set_name}"
    def not_known_key(self, x, set_name): return self.not_member(x, set_name)
    def string_member(self, x, set_name): return f"isinstance({x}, str) and {x} in {set_name}"

    def string_key_ok(self, k, max_len):
        return f"isinstance({k}, str) and not _bad_utf8({k}) and _byte_len({k}) <= {max_len}"

    def integer_key_ok(self, k, low, high):
        return f"_is_number({k}) and {k} % 1 == 0 and {k} >= {low} and {k} <= {high}"

    def string_set(self, name, values):
        return f"{name} = frozenset({{{', '.join(self.quote(v) for v in values)}}})"

    def constant_name(self, name: str) -> str:
        return "_" + name

    def fn_name(self, base: str) -> str:
        return self.helper(base)


def snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
