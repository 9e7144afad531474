"""Lines of generated Luau laid out as StyLua lays them out (stylua.toml: tabs of 4 columns, 120 columns).

Generated modules must pass `stylua --check` without luaugen running StyLua. Only the statement shapes the
emitters write are handled, each the way StyLua 2.5.2 writes it when the line is too long:

    if a or b then           ->  if / one `or` operand a line / then
    return false, x .. f(y)  ->  `return false,` then the message on the next line, its call opened if needed
    return x .. y .. f(z)    ->  one `..` operand a line
    local S = table.freeze({ ... } :: T)  ->  one entry a line (StyLua keeps a table written over lines)

A line that fits is returned as it is.
"""

from __future__ import annotations

WIDTH = 120
TAB = 4  # columns StyLua counts for one indentation tab

_OPEN, _CLOSE = "([{", ")]}"


def fits(indent: int, text: str) -> bool:
    return indent * TAB + len(text) <= WIDTH


def _code(text: str):
    """(index, character, bracket depth before it) for each character outside string literals."""
    depth, quote, i = 0, "", 0
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        else:
            yield i, char, depth
            depth += (char in _OPEN) - (char in _CLOSE)
        i += 1


def split_top(text: str, sep: str) -> list[str]:
    """`text` split at each `sep` outside string literals and brackets."""
    parts, start = [], 0
    for i, _, depth in _code(text):
        if depth == 0 and i >= start and text.startswith(sep, i):
            parts.append(text[start:i])
            start = i + len(sep)
    return parts + [text[start:]]


def _call_parts(expr: str) -> tuple[str, list[str]] | None:
    """`x .. f(a, b)` -> ("x .. f(", ["a", "b"]) when `expr` ends with a call; None otherwise."""
    opened = -1
    for i, char, depth in _code(expr):
        if depth == 0 and char in _OPEN:
            opened = i
    if opened > 0 and expr.endswith(")") and _is_call(expr, opened):
        return expr[:opened + 1], [a.strip() for a in split_top(expr[opened + 1:-1], ",")]
    return None


def _is_call(expr: str, at: int) -> bool:
    """Whether the `(` at `at` opens a call's arguments (not a parenthesised expression)."""
    return expr[at] == "(" and at > 0 and (expr[at - 1].isalnum() or expr[at - 1] in "_)]")


def _opened_call(indent: int, expr: str) -> list[str] | None:
    """`f(a, b)` ending `expr`, its arguments one a line one level in: what StyLua does with a call too long."""
    call = _call_parts(expr)
    if call is None:
        return None
    head, args = call
    tabs = "\t" * indent
    return [tabs + head, *(f"{tabs}\t{a}," for a in args[:-1]), f"{tabs}\t{args[-1]}", tabs + ")"]


def call_lines(indent: int, text: str) -> list[str] | None:
    """A call statement or `key = call(...),` table entry too long for one line, as StyLua writes it: one argument a
    line one level in, an argument still too long broken before each top-level `+`. None if `text` is no call."""
    trailing = "," if text.endswith(",") else ""
    call = _call_parts(text.removesuffix(trailing))
    if call is None:
        return None
    head, args = call
    tabs = "\t" * indent
    target, equals, value = head.partition(" = ")
    if equals and not trailing and "(" not in target and fits(indent + 1, text[len(target) + 3:]):
        return [f"{tabs}{target} =", f"{tabs}\t{text[len(target) + 3:]}"]  # an assignment hangs its value first
    lines = [tabs + head]
    for i, arg in enumerate(args):
        comma = "," if i < len(args) - 1 else ""
        terms = split_top(arg, " + ")
        if fits(indent + 1, arg + comma) or len(terms) == 1:
            lines.append(f"{tabs}\t{arg}{comma}")
        else:
            lines += [f"{tabs}\t{terms[0]}", *(f"{tabs}\t\t+ {term}" for term in terms[1:])]
            lines[-1] += comma
    return lines + [tabs + ")" + trailing]


def signature(head: str, params: list[str], returns: str) -> list[str]:
    """A top-level `function head(params): returns` line, its parameters one a line when it is too long."""
    line = f"function {head}({', '.join(params)}): {returns}"
    if fits(0, line):
        return [line]
    return [f"function {head}(", *(f"\t{p}," for p in params[:-1]), f"\t{params[-1]}", f"): {returns}"]


def _operands(indent: int, first: str, operands: list[str]) -> list[str]:
    """`first` followed by one `.. operand` a line at `indent`, a call still too long opened."""
    lines = [first]
    for operand in operands:
        text = ".. " + operand
        opened = None if fits(indent, text) else _opened_call(indent, text)
        lines.extend(opened or ["\t" * indent + text])
    return lines


def _term(indent: int, text: str, nested: bool) -> list[str]:
    """One operand of a condition at `indent`; too long, it breaks before its comparison operator, which
    stays at `indent` when the comparison is the whole condition and goes one level in inside an `or` chain."""
    tabs = "\t" * indent
    if not fits(indent, text):
        for op in (" == ", " ~= "):
            left = split_top(text, op)
            if len(left) == 2:
                return [tabs + left[0], tabs + "\t" * nested + f"{op.strip()} {left[1]}"]
    return [tabs + text]


def _condition(indent: int, keyword: str, cond: str) -> list[str]:
    """`if` / one `or` operand a line (the first without `or`) / `then`."""
    terms = split_top(cond, " or ")
    nested = len(terms) > 1
    lines = ["\t" * indent + keyword, *_term(indent + 1, terms[0], nested)]
    for term in terms[1:]:
        lines.extend(_term(indent + 1, "or " + term, nested))
    return lines + ["\t" * indent + "then"]


def _return_values(indent: int, first: str, expr: str) -> list[str]:
    """`return false, expr`: the message on its own line; if that is too long, the call ending it opened,
    or else one `..` operand a line."""
    tabs = "\t" * (indent + 1)
    head = "\t" * indent + f"return {first},"
    if fits(indent + 1, expr):
        return [head, tabs + expr]
    call = _call_parts(expr)
    if call is not None and fits(indent + 1, call[0]):
        return [head, *_opened_call(indent + 1, expr)]
    operands = split_top(expr, " .. ")
    return [head, *_operands(indent + 2, tabs + operands[0], operands[1:])]


def _return_value(indent: int, expr: str) -> list[str] | None:
    operands = split_top(expr, " .. ")
    if len(operands) == 1:
        return _opened_call(indent, "return " + expr)
    return _operands(indent + 1, "\t" * indent + "return " + operands[0], operands[1:])


def fit(indent: int, text: str) -> list[str]:
    """The statement `text` at `indent` tabs, as the lines StyLua would write for it."""
    if fits(indent, text):
        return ["\t" * indent + text]
    for keyword in ("if", "elseif"):
        if text.startswith(keyword + " ") and text.endswith(" then"):
            return _condition(indent, keyword, text[len(keyword) + 1:-len(" then")])
    if text.startswith("return "):
        values = split_top(text[len("return "):], ", ")
        if len(values) == 2:
            return _return_values(indent, values[0], values[1])
        if len(values) == 1:
            lines = _return_value(indent, values[0])
            if lines:
                return lines
    return ["\t" * indent + text]


# StyLua moves an expanded `table.freeze({` below its `=` once the opening and closing lines together
# (`target = table.freeze({` + `} :: T)`) pass this width: measured with StyLua 2.5.2 at several indents,
# names and annotations (tests/test_stylua.py checks both sides of it).
_HANG_WIDTH = 125


def frozen_set(indent: int, target: str, keys: list[str], annotation: str) -> str:
    """`target = table.freeze({ [k] = true, ... } :: annotation)`: on one line if it fits, else one key a line
    (StyLua keeps a table written over lines). Continuation lines carry their tabs, the first line none (the
    template indents it)."""
    body = ", ".join(f"[{k}] = true" for k in keys)
    value = f"table.freeze({{ {body} }} :: {annotation})" if keys else f"table.freeze({{}} :: {annotation})"
    tabs = "\t" * indent
    if fits(indent, f"{target} = {value}"):
        return f"{target} = {value}"
    close = f"}} :: {annotation})"
    if indent * TAB + len(f"{target} = table.freeze({{") + len(close) <= _HANG_WIDTH:
        return "\n".join([f"{target} = table.freeze({{", *(f"{tabs}\t[{k}] = true," for k in keys), tabs + close])
    return "\n".join([f"{target} =", f"{tabs}\ttable.freeze({{", *(f"{tabs}\t\t[{k}] = true," for k in keys),
                      f"{tabs}\t{close}"])


def typed_handle(indent: int, name: str, call: str, type_name: str, type_args: list[str]) -> str:
    """`name = call :: Type<args>,` in a table constructor. StyLua (measured) opens the call's parentheses when
    `name = call` alone nearly fills the line, and the generic list when `name = :: Type<...>,` would not fit;
    otherwise it leaves the line long. Continuation lines carry their tabs,
    the first line none."""
    type_ = f"{type_name}<{', '.join(type_args)}>"
    line = f"{name} = {call} :: {type_},"
    if fits(indent, line):
        return line
    tabs = "\t" * indent
    open_call = not fits(indent, f"{name} = {call} :")
    open_type = not fits(indent, f"{name} =  :: {type_},")
    if open_call:
        opened = _opened_call(indent, f"{name} = {call}")
        lines, tail = [opened[0].removeprefix(tabs), *opened[1:-1]], f"{tabs}) :: "
    else:
        lines, tail = [], f"{name} = {call} :: "
    if open_type:
        args = [f"{tabs}\t{a}," for a in type_args[:-1]] + [f"{tabs}\t{type_args[-1]}", f"{tabs}>,"]
        lines += [f"{tail}{type_name}<", *args]
    else:
        lines.append(f"{tail}{type_},")
    return "\n".join(lines)


def union_lines(indent: int, values: list[str]) -> list[str]:
    """A union of literals one a line below its owner, StyLua's layout of a union too long: the first bare,
    the others after `| `, at `indent` tabs."""
    tabs = "\t" * indent
    return [tabs + values[0], *(f"{tabs}| {v}" for v in values[1:])]
