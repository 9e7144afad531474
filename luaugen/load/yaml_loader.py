"""Load YAML schema files into `Node` trees, keeping line and column for every key and value."""

from __future__ import annotations

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode

from ..diagnostics import Diagnostic, Span, error
from .nodes import Document, MapEntry, Node, span_of
from .yaml_errors import describe

_STR_TAG = "tag:yaml.org,2002:str"
# Hostile files cost bounded work: nesting deeper than any real schema is refused before a recursive Python composer
# runs (libyaml's composer is C, and stops at 1,000 levels), and aliases may not expand the tree beyond a node budget (a 357-byte "billion laughs" file would need 10^9).
MAX_DEPTH = 64
MAX_NODES = 100_000
# libyaml's parser when PyYAML was built with it: same nodes and marks, several times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# The tag of a plain scalar depends only on its text (the resolver's rules are fixed), and the value of a number,
# boolean or null only on its tag and text. Schema files repeat their keys, type names and bounds, so both are
# remembered across files and builds, up to a bound a hostile file cannot push past.
_MEMO_LIMIT = 20_000
_plain_tags: dict[str, str] = {}
_values: dict[tuple[str, str], object] = {}
_VALUE_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null"))


class _TagMemoLoader(_LOADER):
    """libyaml asks the Python resolver for the tag of every scalar (a few regular expressions each): each
    distinct text is resolved once."""

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode and implicit[0]:
            tag = _plain_tags.get(value)
            if tag is None:
                if len(_plain_tags) >= _MEMO_LIMIT:
                    _plain_tags.clear()
                tag = _plain_tags[value] = super().resolve(kind, value, implicit)
            return tag
        return super().resolve(kind, value, implicit)


class _DuplicateKey(Exception):
    def __init__(self, key: str, span: Span, first: Span):
        super().__init__(key)
        self.key, self.span, self.first = key, span, first


class _TooLarge(Exception):
    def __init__(self, span: Span):
        super().__init__(span)
        self.span = span


def _too_deep_at(path: str, mark) -> Diagnostic:
    return error("too-deep", f"nesting deeper than {MAX_DEPTH} levels", Span(path, mark.line + 1, mark.column + 1),
                 "schemas nest a few levels; name inner types in `types:`")


def _too_deep(path: str, text: str, loader=_LOADER) -> Diagnostic | None:
    """Scan the event stream (flat, no recursion) for nesting beyond MAX_DEPTH."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return _too_deep_at(path, event.start_mark)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return None


def _convert(path: str, node: yaml.Node, budget: list[int], scalars: SafeConstructor,
             depth_left: int) -> tuple[Node, object]:
    """The node and its plain value (what the meta-schema validates, made in the same walk). `scalars` is the
    document's own constructor (it remembers every node it built). `depth_left`: how many more levels of mappings
    and lists may nest here (aliases expanded); one more raises _TooDeep."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge(span_of(path, node.start_mark, node.end_mark))
    kind = type(node)  # tested with `is`, scalars first: every key and value of every file comes through here
    if kind is ScalarNode:
        value = _scalar(node, scalars)
        return Node(value, None, path, node.start_mark, node.end_mark), value
    if depth_left <= 0:
        raise _TooDeep()
    if kind is MappingNode:
        entries: dict = {}
        plain: dict = {}
        for key_node, value_node in node.value:
            key = _key(key_node, scalars)
            if key in entries:
                raise _DuplicateKey(key, span_of(path, key_node.start_mark, key_node.end_mark), entries[key].key_span)
            child, plain[key] = _convert(path, value_node, budget, scalars, depth_left - 1)
            entries[key] = MapEntry(None, child, path, key_node.start_mark, key_node.end_mark)
        return Node(entries, None, path, node.start_mark, node.end_mark), plain
    items, plain = [], []
    for item in node.value:
        child, value = _convert(path, item, budget, scalars, depth_left - 1)
        items.append(child)
        plain.append(value)
    return Node(items, None, path, node.start_mark, node.end_mark), plain


def _key(node: yaml.Node, scalars: SafeConstructor) -> str:
    if type(node) is ScalarNode and node.tag == _STR_TAG:
        return node.value  # nearly every key
    key = _scalar(node, scalars) if isinstance(node, ScalarNode) else None
    if not isinstance(key, str):
        key = str(key) if isinstance(key, (int, float, bool)) or key is None else repr(key)
    return key


def _scalar(node: ScalarNode, scalars: SafeConstructor):
    # Most scalars are strings: what PyYAML's constructor would return for them, without its bookkeeping.
    tag = node.tag
    if tag == _STR_TAG:
        return node.value
    if tag not in _VALUE_TAGS:
        return scalars.construct_object(node)
    key = (tag, node.value)
    value = _values.get(key, _values)  # the dict itself stands for "not there": None is a value
    if value is _values:
        if len(_values) >= _MEMO_LIMIT:
            _values.clear()
        value = _values[key] = scalars.construct_object(node)
    return value


class _TooDeep(Exception):
    """Nesting beyond MAX_DEPTH reached through aliases or text: the detailed path decides what to report."""


def load_document(path: str, text: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse one YAML file. Returns the document, or None with the reasons it could not be read.

    With libyaml, a file is first read in one go: composed in C (no Python recursion; libyaml refuses nesting
    beyond 1,000 levels) and converted with nesting bounded. Anything unusual (an error of any kind, deep nesting)
    sends the file through the detailed path below, which reports it; a valid file reads the same either way."""
    if _LOADER is not yaml.SafeLoader:
        try:
            composed = yaml.compose(text, Loader=_TagMemoLoader)
            if composed is not None:
                root, plain = _convert(path, composed, [MAX_NODES], SafeConstructor(), MAX_DEPTH)
                return Document(path, text, root, plain), []
        except (yaml.YAMLError, _DuplicateKey, _TooLarge, _TooDeep):
            pass
    return _load_in_detail(path, text)


def _load_in_detail(path: str, text: str) -> tuple[Document | None, list[Diagnostic]]:
    """Every check in the order that decides which problem is reported: nesting first, from the event stream."""
    try:
        too_deep = _too_deep(path, text)
        if too_deep is not None:
            return None, [too_deep]
        composed = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as fast_error:
        mark = getattr(fast_error, "problem_mark", None)
        if mark is not None and "maximum nesting depth" in str(getattr(fast_error, "problem", "")):
            # libyaml stops at 1,000 levels while scanning ahead; the pure-Python parser would take seconds.
            return None, [_too_deep_at(path, mark)]
        # Errors are rare: re-parse with the pure-Python parser, whose messages say more (e.g. it names a tab).
        # Its event stream first: the composer recurses once per nesting level.
        try:
            too_deep = _too_deep(path, text, yaml.SafeLoader)
            if too_deep is not None:
                return None, [too_deep]
            composed = yaml.compose(text, Loader=yaml.SafeLoader)  # depth is known to be small now
        except yaml.YAMLError as exc:
            problem = describe(exc, text)
            return None, [error("yaml-syntax", problem.message, Span(path, problem.line, problem.col), problem.hint)]
    if composed is None:
        return None, [error("empty-file", "schema file is empty", Span(path, 1, 1), hint="add `channel:` or `types:`")]
    try:
        root, plain = _convert(path, composed, [MAX_NODES], SafeConstructor(), MAX_NODES)  # the budget bounds depth
    except _DuplicateKey as dup:
        return None, [
            error(
                "duplicate-key",
                f"duplicate key '{dup.key}' (first defined at line {dup.first.line})",
                dup.span,
                hint="each name may appear once per mapping",
            )
        ]
    except _TooLarge as big:
        return None, [error("too-large", f"the file expands to more than {MAX_NODES:,} values (through aliases)",
                            big.span, "write the values out, or use named types instead of YAML aliases")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        span = Span(path, mark.line + 1, mark.column + 1) if mark else span_of(path, composed.start_mark,
                                                                                 composed.end_mark)
        return None, [error("yaml-value", f"unsupported YAML value: {exc.problem or exc.context}", span,
                            "schema files hold plain mappings, lists, strings, numbers and booleans")]
    return Document(path, text, root, plain), []
