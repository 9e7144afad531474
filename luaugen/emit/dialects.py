"""The two languages validators are written in: what differs between Luau and Python, and what does not."""

from __future__ import annotations

from functools import lru_cache

from .escape import luau_string, python_string
from .layout import TAB, WIDTH, fit, frozen_set
from .checks import ArrayCheck
from .validators import NOT_ARRAY, Path, ValidatorWriter

SCOPE_INDENT = 1  # generated check functions sit in a `do ... end` block (templates/luau/_scope.luau.j2)
_ROOM = WIDTH - TAB * SCOPE_INDENT  # columns a statement at depth 0 of a check function may take


class _Dialect(ValidatorWriter):
    """What both languages write alike; subclasses hold the differences."""

    quote = staticmethod(lru_cache(maxsize=8192)(luau_string))  # every string literal goes through emit.escape

    def ret(self, expr: str) -> str:
        return f"return {expr}"


class LuauDialect(_Dialect):
    joiner = " .. "
    do = "do"
    nil = "nil"
    else_ = "else"

    def path_code(self, parts: tuple[tuple[bool, str], ...]) -> str:
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

    def ret_fail(self, message: str) -> str:
        return f"return false, {message}"

    def ret_ok(self) -> str:
        return "return true, nil"

    def not_plain_table(self, x: str) -> str:
        return f'type({x}) ~= "table" or getmetatable({x}) ~= nil'

    def string_size(self, x: str) -> None:
        """Luau reads `#s` directly: no local needed."""
        return None

    def not_typeof(self, x: str, kind: str) -> str:
        return f"typeof({x}) ~= {self.quote(kind)}"

    def inline_components(self, kind: str) -> tuple[str, ...] | None:
        """Component names checked inline for this datatype; None to call the generic check (CFrame)."""
        return {"Vector2": ("X", "Y"), "Vector3": ("X", "Y", "Z"), "Color3": ("R", "G", "B")}.get(kind)

    def non_finite(self, x: str, components: tuple[str, ...]) -> str:
        """`c * 0` is 0 (or -0) for a finite component and nan for nan or ±inf, so the sum of those products is 0
        exactly when every component is finite (datatype components are always numbers). Each component is read
        once: reading one goes through the datatype's `__index`."""
        return " + ".join(f"{x}.{c} * 0" for c in components) + " ~= 0"

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

    def not_bool(self, x): return f'type({x}) ~= "boolean"'
    def not_string(self, x): return f'type({x}) ~= "string"'
    def bad_utf8(self, x): return f"utf8.len({x}) == nil"
    def byte_len(self, x): return f"#{x}"
    def not_number(self, x): return f'type({x}) ~= "number"'
    def is_nan(self, x): return f"{x} ~= {x}"
    def is_inf(self, x): return f"{x} == math.huge or {x} == -math.huge"
    def not_integer(self, x): return f'type({x}) ~= "number" or {x} % 1 ~= 0'
    def not_instance(self, x, cls): return f'typeof({x}) ~= "Instance" or not {x}:IsA({self.quote(cls)})'
    def not_member(self, x, set_name): return f'type({x}) ~= "string" or {set_name}[{x}] == nil'
    def not_known_key(self, x, set_name): return f"{set_name}[{x}] == nil"
    def string_member(self, x, set_name): return f'type({x}) == "string" and {set_name}[{x}] ~= nil'

    def string_key_ok(self, k, max_len):
        return f'type({k}) == "string" and utf8.len({k}) ~= nil and #{k} <= {max_len}'

    def integer_key_ok(self, k, low, high):
        return f'type({k}) == "number" and {k} % 1 == 0 and {k} >= {low} and {k} <= {high}'

    def string_set(self, name, values, grouped):
        target = name if grouped else f"local {name}"  # a grouped scope's sets are fields of its table K
        return frozen_set(SCOPE_INDENT, target, [self.quote(v) for v in values], "{ [any]: boolean }")

    def line(self, out: list[str], depth: int, text: str) -> None:
        """Appends the statement at `depth` tabs within its function, laid out for the scope's indentation."""
        if len(text) <= _ROOM - TAB * depth:  # most statements: no layout to work out
            out.append("\t" * depth + text)
        else:
            out.extend(line[SCOPE_INDENT:] for line in fit(depth + SCOPE_INDENT, text))

    def fail(self, out: list[str], depth: int, cond: str, path: Path, tail: str) -> None:
        """`if cond then return [false, ]<path><tail> end`: the commonest statement (a build writes a hundred
        thousand), written in one call; `line` lays out the rare one too long."""
        tabs, room = "\t" * depth, _ROOM - TAB * depth
        test = f"if {cond} then"
        if len(test) <= room:
            out.append(tabs + test)
        else:
            self.line(out, depth, test)
        result = ("return false, " if self._entry else "return ") + self._message(path, tail)
        if len(result) <= room - TAB:
            out.append(tabs + "\t" + result)
        else:
            self.line(out, depth + 1, result)
        out.append(tabs + "end")

    def close(self, out: list[str], depth: int) -> None:
        out.append("\t" * depth + "end")

    def constant_name(self, name: str) -> str:
        return name

    def fn_name(self, base: str) -> str:
        return base

    # -- what only Luau writes this way -------------------------------------------------------------------------
    def table_prologue(self, out, depth, x, path, expected, every_key: bool = False) -> str:
        """Fails unless x is a plain table; returns what to read it through (itself)."""
        self.fail(out, depth, self.not_plain_table(x), path,
                  f"{self._helper('notTable')}({x}, {self.quote(expected)})")
        return x

    def unknown_keys(self, out, depth, tbl, known, path) -> None:
        key = self._var("key")
        self.line(out, depth, self.for_keys(key, tbl))
        self.fail(out, depth + 1, self.not_known_key(key, known), path,
                  f"{self._helper('unexpectedKey')}({tbl}, {known})")
        self.close(out, depth)

    def _array(self, out, depth, check: ArrayCheck, x, path) -> None:
        tbl = self.table_prologue(out, depth, x, path, "array")
        n = self._var("n")
        self.line(out, depth, self.local(n, f"{self._helper('arrayLength')}({tbl})"))
        self.fail(out, depth, self.is_nil(n), path + NOT_ARRAY, "")
        self._count_bounds(out, depth, n, check.min_items, check.max_items, path, check.expected, "items")
        i = self._var("i")
        item = self._var("item")
        self.line(out, depth, self.for_range(i, n))
        self.line(out, depth + 1, self.local(item, f"{tbl}[{i}]"))
        self.render(out, depth + 1, check.items, item, path + ((True, "["), (False, i), (True, "]")))
        self.close(out, depth)


class PythonDialect(_Dialect):
    quote = staticmethod(lru_cache(maxsize=8192)(python_string))
    joiner = " + "
    do = None
    nil = "None"
    else_ = "else:"

    def path_code(self, parts: tuple[tuple[bool, str], ...]) -> str:
        pieces: list[tuple[bool, str]] = []
        for is_literal, text in parts:
            if is_literal and pieces and pieces[-1][0]:
                pieces[-1] = (True, pieces[-1][1] + text)
            else:
                pieces.append((is_literal, text))
        return " + ".join(self.quote(text) if literal else f"str({text})" for literal, text in pieces)

    def helper(self, name: str) -> str:
        return "_" + snake(name)

    def ret_fail(self, message: str) -> str:
        return f"return False, {message}"

    def ret_ok(self) -> str:
        return "return True, None"

    def not_plain_table(self, x: str) -> str:
        return f"not isinstance({x}, _TABLES)"

    def string_size(self, x: str) -> str:
        """The UTF-8 byte length, or -1 for a string that is not valid UTF-8; ASCII strings are not encoded."""
        return f"len({x}) if {x}.isascii() else _utf8_size({x})"

    def inline_components(self, kind: str) -> None:
        """Mirror datatypes are plain Python objects whose fields may hold anything: always the generic check."""
        return None

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

    def for_keys(self, var: str, table: str) -> str:
        return f"for {var} in {table}:"

    def field(self, table: str, name: str) -> str:
        return f"{table}.get({self.quote(name)})"

    def not_bool(self, x): return f"not isinstance({x}, bool)"
    def not_string(self, x): return f"not isinstance({x}, str)"
    def byte_len(self, x): return f"_byte_len({x})"
    def not_number(self, x): return f"not isinstance({x}, _NUMBERS) or {x} is True or {x} is False"
    def is_nan(self, x): return f"{x} != {x}"
    def is_inf(self, x): return f"{x} in _INFINITIES"
    def not_integer(self, x):
        """Exact ints answer at the first test; floats and int subclasses take the general one."""
        return f"(type({x}) is not int and (not isinstance({x}, _NUMBERS) or {x} is True or {x} is False or {x} % 1 != 0))"
    def not_instance(self, x, cls): return f"not _is_instance({x}, {self.quote(cls)})"
    def not_member(self, x, set_name): return f"not isinstance({x}, str) or {x} not in {set_name}"
    def string_member(self, x, set_name): return f"isinstance({x}, str) and {x} in {set_name}"

    def string_key_ok(self, k, max_len):
        return f"isinstance({k}, str) and not _bad_utf8({k}) and _byte_len({k}) <= {max_len}"

    def integer_key_ok(self, k, low, high):
        return f"_is_number({k}) and {k} % 1 == 0 and {k} >= {low} and {k} <= {high}"

    def line(self, out: list[str], depth: int, text: str) -> None:
        out.append("\t" * depth + text)

    def fail(self, out: list[str], depth: int, cond: str, path: Path, tail: str) -> None:
        tabs = "\t" * depth
        out.append(f"{tabs}if {cond}:")
        out.append(f"{tabs}\treturn {'False, ' if self._entry else ''}{self._message(path, tail)}")

    def close(self, out: list[str], depth: int) -> None:
        """Python blocks end by indentation."""

    def string_set(self, name, values, grouped):
        return f"{name} = frozenset({{{', '.join(self.quote(v) for v in values)}}})"

    def constant_name(self, name: str) -> str:
        return "_" + name

    def fn_name(self, base: str) -> str:
        return self.helper(base)

    # -- what only Python writes this way -----------------------------------------------------------------------
    def table_prologue(self, out, depth, x, path, expected, every_key: bool = False) -> str:
        """Fails unless x is a table; returns what to read it through. A dict is read as it is when only named
        fields are looked up (absent and None look alike to .get); lists and tuples, and any table whose every key
        matters (`every_key`: maps), go through `_entries`, which holds what the Luau table would."""
        tail = f"{self._helper('notTable')}({x}, {self.quote(expected)})"
        if every_key:
            self.fail(out, depth, self.not_plain_table(x), path, tail)
            self.line(out, depth, self.local(x, f"_entries({x})"))
            return x
        self.line(out, depth, self.if_(f"not isinstance({x}, dict)"))
        self.fail(out, depth + 1, self.not_plain_table(x), path, tail)
        self.line(out, depth + 1, self.local(x, f"_entries({x})"))
        return x

    def unknown_keys(self, out, depth, tbl, known, path) -> None:
        """One C-level subset test; only a table with a key outside the set is looked at closely (a key whose value
        is None is absent, as in Luau)."""
        self.line(out, depth, self.if_(f"not {known}.issuperset({tbl})"))
        err = self._var("err")
        self.line(out, depth + 1, self.local(err, f"{self._helper('unknownField')}({tbl}, {known})"))
        self.fail(out, depth + 1, self.not_nil(err), path, err)

    def _array(self, out, depth, check: ArrayCheck, x, path) -> None:
        """A list without None is its own items; anything else goes through the table rules."""
        self.line(out, depth, f"if not isinstance({x}, list) or None in {x}:")
        self.fail(out, depth + 1, self.not_plain_table(x), path,
                  f"{self._helper('notTable')}({x}, {self.quote('array')})")
        self.line(out, depth + 1, f"{x} = _array_items({x})")
        self.fail(out, depth + 1, self.is_nil(x), path + NOT_ARRAY, "")
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
