"""The two languages validators are written in: how each writes the checks of a plan (checks.py).

A scalar check (boolean, string, number, datatype, instance, enum) is written whole by one method that reads like
the code it writes: a build writes tens of thousands of them, and each small call it saves is paid per field.
"""

from __future__ import annotations

from functools import lru_cache

from .checks import (ArrayCheck, BoolCheck, DatatypeCheck, EnumCheck, InstanceCheck, IntegerCheck, NumberCheck,
                     StringCheck)
from .escape import luau_string, python_string
from .layout import TAB, WIDTH, fit, frozen_set
from .validators import BAD_UTF8, NOT_ARRAY, Path, ValidatorWriter, number_bounds

SCOPE_INDENT = 1  # generated check functions sit in a `do ... end` block (templates/luau/_scope.luau.j2)
_ROOM = WIDTH - TAB * SCOPE_INDENT  # columns a statement at depth 0 of a check function may take

# Datatypes whose components Luau checks inline (the others, CFrame, go through the generic Checks.checkDatatype).
_INLINE_COMPONENTS = {"Vector2": ("X", "Y"), "Vector3": ("X", "Y", "Z"), "Color3": ("R", "G", "B")}


class LuauDialect(ValidatorWriter):
    """Luau: every statement laid out as StyLua would (layout.py), each scope a `do ... end` block."""

    quote = staticmethod(lru_cache(maxsize=8192)(luau_string))  # every string literal goes through emit.escape
    joiner = " .. "
    indent = "\t"
    do = "do"
    nil = "nil"
    else_ = "else"

    def path_code(self, parts: Path) -> str:
        pieces, literal = [], ""
        for is_literal, text in parts:
            if is_literal:
                literal += text
                continue
            if literal:
                pieces.append(self.quote(literal))
                literal = ""
            pieces.append(text)
        if literal:
            pieces.append(self.quote(literal))
        return " .. ".join(pieces)

    def helper(self, name: str) -> str:
        return name

    def constant_name(self, name: str) -> str:
        return name

    def fn_name(self, base: str) -> str:
        return base

    # -- statements ---------------------------------------------------------------------------------------------
    def line(self, out: list[str], depth: int, text: str) -> None:
        """Appends the statement at `depth` tabs within its function, laid out for the scope's indentation."""
        if len(text) <= _ROOM - TAB * depth:  # most statements: no layout to work out
            out.append("\t" * depth + text)
        else:
            out.extend(line[SCOPE_INDENT:] for line in fit(depth + SCOPE_INDENT, text))

    def fail(self, out: list[str], depth: int, cond: str, path: Path, tail: str) -> None:
        """`if cond then return [false, ]<path><tail> end`: the commonest statement (a build writes a hundred
        thousand), written in one call; `line` lays out the rare one too long."""
        code = self._paths.get(path)
        if code is None:
            code = self._path_code(path)
        message = f"{code} .. {tail}" if code and tail else code or tail
        tabs = "\t" * depth
        test = f"{tabs}if {cond} then"
        result = f"{tabs}\treturn false, {message}" if self._entry else f"{tabs}\treturn {message}"
        room = _ROOM - (TAB - 1) * depth  # for a line with its tabs
        if len(test) <= room and len(result) <= room - TAB + 1:
            out.extend((test, result, tabs + "end"))
        else:
            self.line(out, depth, test[depth:])
            self.line(out, depth + 1, result[depth + 1:])
            out.append(tabs + "end")

    def close(self, out: list[str], depth: int) -> None:
        out.append("\t" * depth + "end")

    def ret(self, expr: str) -> str:
        return f"return {expr}"

    def ret_fail(self, message: str) -> str:
        return f"return false, {message}"

    def ret_ok(self) -> str:
        return "return true, nil"

    def if_(self, cond: str) -> str:
        return f"if {cond} then"

    def elseif(self, cond: str) -> str:
        return f"elseif {cond} then"

    def not_nil(self, x: str) -> str:
        return f"{x} ~= nil"

    def local(self, name: str, expr: str) -> str:
        return f"local {name} = {expr}"

    def read_field(self, out: list[str], depth: int, var: str, table: str, name: str) -> None:
        self.line(out, depth, f"local {var} = {table}.{name}")

    def field(self, table: str, name: str) -> str:
        return f"{table}.{name}"

    def for_keys(self, var: str, table: str) -> str:
        return f"for {var} in next, {table} do"

    def byte_len(self, x): return f"#{x}"
    def string_member(self, x, set_name): return f'type({x}) == "string" and {set_name}[{x}] ~= nil'

    def string_key_ok(self, k, max_len):
        return f'type({k}) == "string" and utf8.len({k}) ~= nil and #{k} <= {max_len}'

    def integer_key_ok(self, k, low, high):
        return f'type({k}) == "number" and {k} % 1 == 0 and {k} >= {low} and {k} <= {high}'

    def string_set(self, name, values, grouped):
        target = name if grouped else f"local {name}"  # a grouped scope's sets are fields of its table K
        return frozen_set(SCOPE_INDENT, target, [self.quote(v) for v in values], "{ [any]: boolean }")

    # -- scalar checks ------------------------------------------------------------------------------------------
    def _bool(self, out, depth, check: BoolCheck, x, path) -> None:
        self._helpers.add("fail")
        self.fail(out, depth, f'type({x}) ~= "boolean"', path, f'fail("boolean", {x})')

    def _string(self, out, depth, check: StringCheck, x, path) -> None:
        self._helpers.add("fail")
        self.fail(out, depth, f'type({x}) ~= "string"', path, f"fail({self.quote(check.expected)}, {x})")
        self.fail(out, depth, f"utf8.len({x}) == nil", path + BAD_UTF8, "")
        self._count_bounds(out, depth, f"#{x}", check.min_length, check.max_length, path, check.expected, "bytes")

    def _integer(self, out, depth, check: IntegerCheck, x, path) -> None:
        self._helpers.add("fail")
        self.fail(out, depth, f'type({x}) ~= "number" or {x} % 1 ~= 0 or {x} < {check.low} or {x} > {check.high}',
                  path, f"fail({self.quote(check.expected)}, {x})")

    def _number(self, out, depth, check: NumberCheck, x, path) -> None:
        cond = f'type({x}) ~= "number"'
        if check.finite:
            cond += f" or {x} ~= {x} or {x} == math.huge or {x} == -math.huge"
        cond += number_bounds(x, check)
        self._helpers.add("fail")
        self.fail(out, depth, cond, path, f"fail({self.quote(check.expected)}, {x})")

    def _datatype(self, out, depth, check: DatatypeCheck, x, path) -> None:
        name = self.quote(check.name)
        components = _INLINE_COMPONENTS.get(check.name)
        if components is None:
            err = self._var("err")
            self._helpers.add("checkDatatype")
            self.line(out, depth, f"local {err} = checkDatatype({x}, {name})")
            self.fail(out, depth, f"{err} ~= nil", path, err)
            return
        # Specialised at compile time: the type test, then one arithmetic test for all components. `c * 0` is 0
        # (or -0) for a finite component and nan for nan or ±inf, so the sum of those products is 0 exactly when
        # every component is finite. Each component is read once: reading one goes through the datatype's __index.
        self._helpers.update(("fail", "badComponents"))
        self.fail(out, depth, f"typeof({x}) ~= {name}", path, f"fail({name}, {x})")
        self.fail(out, depth, " + ".join(f"{x}.{c} * 0" for c in components) + " ~= 0", path,
                  f"badComponents({x}, {name})")

    def _instance(self, out, depth, check: InstanceCheck, x, path) -> None:
        name = self.quote(check.class_name)
        self._helpers.add("fail")
        self.fail(out, depth, f'typeof({x}) ~= "Instance" or not {x}:IsA({name})', path, f"fail({name}, {x})")

    def _enum(self, out, depth, check: EnumCheck, x, path) -> None:
        self._helpers.add("fail")
        self.fail(out, depth, f'type({x}) ~= "string" or {self._sets[check.members]}[{x}] == nil', path,
                  f"fail({self.quote(check.expected)}, {x})")

    # -- tables -------------------------------------------------------------------------------------------------
    def table_prologue(self, out, depth, x, path, expected, every_key: bool = False) -> str:
        """Fails unless x is a plain table; returns what to read it through (itself)."""
        self._helpers.add("notTable")
        self.fail(out, depth, f'type({x}) ~= "table" or getmetatable({x}) ~= nil', path,
                  f"notTable({x}, {self.quote(expected)})")
        return x

    def unknown_keys(self, out, depth, tbl, known, path) -> None:
        key = self._var("key")
        self.line(out, depth, self.for_keys(key, tbl))
        self.fail(out, depth + 1, f"{known}[{key}] == nil", path, f"{self._helper('unexpectedKey')}({tbl}, {known})")
        self.close(out, depth)

    def _array(self, out, depth, check: ArrayCheck, x, path) -> None:
        tbl = self.table_prologue(out, depth, x, path, "array")
        n = self._var("n")
        self.line(out, depth, f"local {n} = {self._helper('arrayLength')}({tbl})")
        self.fail(out, depth, f"{n} == nil", path + NOT_ARRAY, "")
        self._count_bounds(out, depth, n, check.min_items, check.max_items, path, check.expected, "items")
        i = self._var("i")
        item = self._var("item")
        self.line(out, depth, f"for {i} = 1, {n} do")
        self.line(out, depth + 1, f"local {item} = {tbl}[{i}]")
        self.render(out, depth + 1, check.items, item, path + ((True, "["), (False, i), (True, "]")))
        self.close(out, depth)


class PythonDialect(ValidatorWriter):
    """The Python mirror: functions in snake case, constants prefixed `_`, four spaces a level."""

    quote = staticmethod(lru_cache(maxsize=8192)(python_string))
    joiner = " + "
    indent = "    "
    do = None
    nil = "None"
    else_ = "else:"

    def path_code(self, parts: Path) -> str:
        pieces: list[tuple[bool, str]] = []
        for is_literal, text in parts:
            if is_literal and pieces and pieces[-1][0]:
                pieces[-1] = (True, pieces[-1][1] + text)
            else:
                pieces.append((is_literal, text))
        return " + ".join(self.quote(text) if literal else f"str({text})" for literal, text in pieces)

    def helper(self, name: str) -> str:
        return "_" + snake(name)

    def constant_name(self, name: str) -> str:
        return "_" + name

    def fn_name(self, base: str) -> str:
        return self.helper(base)

    # -- statements ---------------------------------------------------------------------------------------------
    def line(self, out: list[str], depth: int, text: str) -> None:
        out.append("    " * depth + text)

    def fail(self, out: list[str], depth: int, cond: str, path: Path, tail: str) -> None:
        code = self._paths.get(path)
        if code is None:
            code = self._path_code(path)
        message = f"{code} + {tail}" if code and tail else code or tail
        spaces = "    " * depth
        result = f"{spaces}    return False, {message}" if self._entry else f"{spaces}    return {message}"
        out.extend((f"{spaces}if {cond}:", result))

    def close(self, out: list[str], depth: int) -> None:
        """Python blocks end by indentation."""

    def ret(self, expr: str) -> str:
        return f"return {expr}"

    def ret_fail(self, message: str) -> str:
        return f"return False, {message}"

    def ret_ok(self) -> str:
        return "return True, None"

    def if_(self, cond: str) -> str:
        return f"if {cond}:"

    def elseif(self, cond: str) -> str:
        return f"elif {cond}:"

    def not_nil(self, x: str) -> str:
        return f"{x} is not None"

    def local(self, name: str, expr: str) -> str:
        return f"{name} = {expr}"

    def read_field(self, out: list[str], depth: int, var: str, table: str, name: str) -> None:
        self.line(out, depth, f"{var} = {table}.get({self.quote(name)})")

    def field(self, table: str, name: str) -> str:
        return f"{table}.get({self.quote(name)})"

    def for_keys(self, var: str, table: str) -> str:
        return f"for {var} in {table}:"

    def byte_len(self, x): return f"_byte_len({x})"
    def string_member(self, x, set_name): return f"isinstance({x}, str) and {x} in {set_name}"

    def string_key_ok(self, k, max_len):
        return f"isinstance({k}, str) and not _bad_utf8({k}) and _byte_len({k}) <= {max_len}"

    def integer_key_ok(self, k, low, high):
        return f"_is_number({k}) and {k} % 1 == 0 and {k} >= {low} and {k} <= {high}"

    def string_set(self, name, values, grouped):
        return f"{name} = frozenset({{{', '.join(self.quote(v) for v in values)}}})"

    # -- scalar checks ------------------------------------------------------------------------------------------
    def _bool(self, out, depth, check: BoolCheck, x, path) -> None:
        self._helpers.add("fail")
        self.fail(out, depth, f"not isinstance({x}, bool)", path, f'_fail("boolean", {x})')

    def _string(self, out, depth, check: StringCheck, x, path) -> None:
        """The UTF-8 byte length is measured once (-1 for a string that is not valid UTF-8; ASCII strings are not
        encoded): the UTF-8 test and the bounds share it."""
        self._helpers.add("fail")
        self.fail(out, depth, f"not isinstance({x}, str)", path, f"_fail({self.quote(check.expected)}, {x})")
        size = self._var(x + "Size")
        # Only a string that is not ASCII can be invalid UTF-8: an ASCII one takes no further test.
        self.line(out, depth, f"if {x}.isascii():")
        self.line(out, depth + 1, f"{size} = len({x})")
        self.line(out, depth, "else:")
        self.line(out, depth + 1, f"{size} = _utf8_size({x})")
        self.fail(out, depth + 1, f"{size} < 0", path + BAD_UTF8, "")
        self._count_bounds(out, depth, size, check.min_length, check.max_length, path, check.expected, "bytes")

    def _integer(self, out, depth, check: IntegerCheck, x, path) -> None:
        """Exact ints answer at the first test; floats and int subclasses take the general one."""
        self._helpers.add("fail")
        self.fail(out, depth, f"(type({x}) is not int and (not isinstance({x}, _NUMBERS) or {x} is True or {x} is False"
                              f" or {x} % 1 != 0)) or {x} < {check.low} or {x} > {check.high}",
                  path, f"_fail({self.quote(check.expected)}, {x})")

    def _number(self, out, depth, check: NumberCheck, x, path) -> None:
        cond = f"not isinstance({x}, _NUMBERS) or {x} is True or {x} is False"
        if check.finite:
            cond += f" or {x} != {x} or {x} in _INFINITIES"
        cond += number_bounds(x, check)
        self._helpers.add("fail")
        self.fail(out, depth, cond, path, f"_fail({self.quote(check.expected)}, {x})")

    def _datatype(self, out, depth, check: DatatypeCheck, x, path) -> None:
        """Mirror datatypes are plain Python objects whose fields may hold anything: always the generic check."""
        err = self._var("err")
        self._helpers.add("checkDatatype")
        self.line(out, depth, f"{err} = _check_datatype({x}, {self.quote(check.name)})")
        self.fail(out, depth, f"{err} is not None", path, err)

    def _instance(self, out, depth, check: InstanceCheck, x, path) -> None:
        name = self.quote(check.class_name)
        self._helpers.add("fail")
        self.fail(out, depth, f"not _is_instance({x}, {name})", path, f"_fail({name}, {x})")

    def _enum(self, out, depth, check: EnumCheck, x, path) -> None:
        self._helpers.add("fail")
        self.fail(out, depth, f"not isinstance({x}, str) or {x} not in {self._sets[check.members]}", path,
                  f"_fail({self.quote(check.expected)}, {x})")

    # -- tables -------------------------------------------------------------------------------------------------
    def table_prologue(self, out, depth, x, path, expected, every_key: bool = False) -> str:
        """Fails unless x is a table; returns what to read it through. A dict is read as it is when only named
        fields are looked up (absent and None look alike to .get); lists and tuples, and any table whose every key
        matters (`every_key`: maps), go through `_entries`, which holds what the Luau table would."""
        self._helpers.add("notTable")
        tail = f"_not_table({x}, {self.quote(expected)})"
        if not every_key:
            self.line(out, depth, f"if not isinstance({x}, dict):")
            depth += 1
        self.fail(out, depth, f"not isinstance({x}, _TABLES)", path, tail)
        self.line(out, depth, f"{x} = _entries({x})")
        return x

    def unknown_keys(self, out, depth, tbl, known, path) -> None:
        """One C-level subset test; only a table with a key outside the set is looked at closely (a key whose value
        is None is absent, as in Luau)."""
        self.line(out, depth, f"if not {known}.issuperset({tbl}):")
        err = self._var("err")
        self.line(out, depth + 1, f"{err} = {self._helper('unknownField')}({tbl}, {known})")
        self.fail(out, depth + 1, f"{err} is not None", path, err)

    def _array(self, out, depth, check: ArrayCheck, x, path) -> None:
        """A list without None is its own items; anything else goes through the table rules."""
        self._helpers.add("notTable")
        self.line(out, depth, f"if not isinstance({x}, list) or None in {x}:")
        self.fail(out, depth + 1, f"not isinstance({x}, _TABLES)", path, f"_not_table({x}, {self.quote('array')})")
        self.line(out, depth + 1, f"{x} = _array_items({x})")
        self.fail(out, depth + 1, f"{x} is None", path + NOT_ARRAY, "")
        self._count_bounds(out, depth, f"len({x})", check.min_items, check.max_items, path, check.expected, "items")
        i = self._var("i")
        item = self._var("item")
        # A counter, not enumerate(): no tuple per item on the success path (about a tenth of a validation).
        self.line(out, depth, f"{i} = 0")
        self.line(out, depth, f"for {item} in {x}:")
        self.line(out, depth + 1, f"{i} += 1")
        self.render(out, depth + 1, check.items, item, path + ((True, "["), (False, i), (True, "]")))


@lru_cache(maxsize=4096)
def snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
