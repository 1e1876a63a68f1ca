"""Strict YAML in, canonical YAML out.

Reading composes the document with PyYAML's safe composer (libyaml when present)
and converts nodes to plain Python by hand, so that it can refuse what a data
file never needs: duplicate keys, anchors and aliases (no alias bombs), custom
tags, non-string keys and oversized files. Every refusal names the file and line.

Writing is one function, :func:`dump`, with one canonical form: block style,
two-space indent, keys in the order given, strings plain when that is
unambiguous and double-quoted otherwise, no line folding. ``dump(load(text))``
is byte-identical for any text that ``dump`` produced.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import re
from collections.abc import Callable
from functools import cache, lru_cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

from bot.errors import DataError, Problem


class Lazy:
    """A module imported on first use: a command whose files all come from the parse cache
    (bot.data.parse_cache) never pays for importing PyYAML."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(_module(self._name), attribute)


@cache
def _module(name: str) -> ModuleType:
    return importlib.import_module(name)


if TYPE_CHECKING:
    import yaml
else:
    yaml = Lazy("yaml")

MAX_BYTES = 1_000_000
"""Data files larger than this are refused before parsing."""
MAX_DEPTH = 32
"""Deepest nesting of mappings and lists accepted (packman's files need six levels)."""
MAX_INT = 2**53
"""Largest integer accepted, either sign (what every JSON reader of the export can hold exactly)."""

_CORE_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {"str", "int", "bool", "null", "timestamp", "float"}


@cache
def loader() -> Any:
    """PyYAML's safe loader, in C when libyaml is there."""
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def _constructor() -> Any:
    return yaml.constructor.SafeConstructor()


@cache
def _resolver() -> Any:
    return yaml.resolver.Resolver()


def load(text: str, source: str) -> Any:
    """Parse one YAML document strictly; raise DataError naming ``source``."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise DataError([Problem(source, f"file is larger than {MAX_BYTES} bytes; refusing it")])
    try:
        node = yaml.compose(text, Loader=loader())
    except yaml.MarkedYAMLError as exc:
        raise DataError(
            [Problem(_at(source, exc.problem_mark), f"malformed YAML: {exc.problem}")]
        ) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, other controls)
        where = f"{source}:{text.count(chr(10), 0, exc.position) + 1}"
        code = ord(exc.character) if isinstance(exc.character, str) else int(exc.character)
        raise DataError(
            [
                Problem(
                    where,
                    f"malformed YAML: character U+{code:04X} is not allowed (write control "
                    "characters as escapes inside double quotes)",
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise DataError(
            [Problem(source, "malformed YAML: " + " ".join(str(exc).split()))]
        ) from None
    except (
        RecursionError
    ):  # only the pure-Python composer recurses; libyaml stops at its own depth limit
        raise DataError([Problem(source, f"nested more than {MAX_DEPTH} levels deep")]) from None
    if node is None:
        return None
    return _Converter(source).convert(node)


def _at(source: str, mark: Any) -> str:
    return f"{source}:{mark.line + 1}" if mark is not None else source


def key_lines(text: str) -> dict[str, int]:
    """The line of every mapping key and list item, by the dotted path a ``FieldReader`` names it.

    For messages only (``controls.mfa.status`` -> 12); call it on text that :func:`load`
    accepted, so that aliases and excessive depth are already refused.
    """
    try:
        node = yaml.compose(text, Loader=loader())
    except yaml.YAMLError:
        return {}
    found: dict[str, int] = {}
    _walk(node, "", found, 0)
    return found


def _walk(node: yaml.Node | None, path: str, found: dict[str, int], depth: int) -> None:
    if depth > MAX_DEPTH:
        return
    if isinstance(node, yaml.MappingNode):
        children = [(f"{path}.{k.value}" if path else str(k.value), k, v) for k, v in node.value]
    elif isinstance(node, yaml.SequenceNode):
        children = [(f"{path}[{n}]", item, item) for n, item in enumerate(node.value)]
    else:
        return
    for child, mark_node, value in children:
        found.setdefault(child, mark_node.start_mark.line + 1)
        _walk(value, child, found, depth + 1)


class _Converter:
    """Turns a composed node tree into dicts, lists and scalars, refusing surprises."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.seen: set[int] = set()

    def fail(self, node: yaml.Node, message: str) -> DataError:
        return DataError([Problem(_at(self.source, node.start_mark), message)])

    def convert(self, node: yaml.Node, depth: int = 0) -> Any:
        if id(node) in self.seen:
            raise self.fail(node, "anchors and aliases are not allowed in data files")
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            self.check_tag(node, "seq")
            return [self.convert(item, depth + 1) for item in node.value]
        return self.scalar(node)

    def check_tag(self, node: yaml.Node, kind: str) -> None:
        if node.tag != _CORE_TAG + kind:
            raise self.fail(node, f"tag {node.tag!r} is not allowed; use plain YAML values")

    def mapping(self, node: yaml.MappingNode, depth: int) -> dict[str, Any]:
        self.check_tag(node, "map")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.scalar(key_node)
            if not isinstance(key, str):
                raise self.fail(key_node, f"key {key!r} must be a string")
            if key in result:
                raise self.fail(key_node, f"duplicate key {key!r}")
            result[key] = self.convert(value_node, depth + 1)
        return result

    def scalar(self, node: yaml.Node) -> Any:
        kind = node.tag.removeprefix(_CORE_TAG)
        if not isinstance(node, yaml.ScalarNode) or kind not in _SCALAR_TAGS:
            raise self.fail(node, f"tag {node.tag!r} is not allowed; use plain YAML values")
        if kind == "str":
            return node.value
        try:
            value = _constructor().construct_object(node, deep=False)
        except (
            ValueError,
            KeyError,
            AttributeError,
            TypeError,
            OverflowError,
        ):  # 2024-02-30, !!int x, 10**5000
            raise self.fail(node, f"{node.value[:40]!r} is not a valid {_KINDS[kind]}") from None
        if isinstance(value, dt.datetime):
            raise self.fail(node, "use a date (YYYY-MM-DD), not a date and time")
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
            raise self.fail(node, f"number {node.value[:40]!r} is too large (at most {MAX_INT})")
        return value


_KINDS = {
    "int": "whole number",
    "float": "number",
    "bool": "boolean (true or false)",
    "null": "null",
    "timestamp": "date (YYYY-MM-DD, a day that exists)",
}


# --- writing -----------------------------------------------------------------

_PLAIN = re.compile(r"[A-Za-z0-9_./(][A-Za-z0-9 _.,/()'+=?&%~:@-]*")
# Characters PyYAML will not read raw inside double quotes, or would read as a
# line break (U+0085, U+2028, U+2029) or a byte-order mark: written as escapes.
# Invisible format characters (soft hyphen, zero-width, bidi embeddings, overrides and
# isolates, word joiners, tag characters) are written as escapes too, so a reviewer of a
# data file or its diff sees them instead of text that reads in another order.
_NON_PRINTABLE = re.compile(
    "[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
    "|[\xad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufff9-\ufffb\U000e0000-\U000e007f]"
)


def dump(data: dict[str, Any], header: str = "") -> str:
    """Write ``data`` (dicts, lists, tuples and scalars) in packman's one canonical YAML form."""
    out: list[str] = [f"# {header}\n"] if header else []
    _write(data, 0, out)
    return "".join(out)


def _write(
    value: dict[str, Any] | list[Any] | tuple[Any, ...], indent: int, out: list[str]
) -> None:
    """Append the block lines of a non-empty container at ``indent`` to ``out``."""
    pad = " " * indent
    if type(value) is dict:
        for key, item in value.items():
            _child(f"{pad}{_scalar(key)}:", item, indent, out)
        return
    for item in value:
        if type(item) is dict and item:
            start = len(out)
            _write(item, indent + 2, out)
            out[start] = f"{pad}- {out[start].lstrip()}"
        else:
            _child(f"{pad}-", item, indent, out)


def _child(head: str, item: Any, indent: int, out: list[str]) -> None:
    """A key or a list dash followed by a scalar on the same line, or by a nested block."""
    if type(item) in _CONTAINERS and item:
        out.append(f"{head}\n")
        _write(item, indent + 2, out)
    else:
        out.append(f"{head} {_scalar(item)}\n")


_CONTAINERS = (dict, list, tuple)


_FORMATS: dict[type, Callable[[Any], str]] = {
    type(None): lambda _value: "null",
    bool: lambda value: "true" if value else "false",
    int: str,
    dt.date: dt.date.isoformat,
    dict: lambda _value: "{}",
    list: lambda _value: "[]",
    tuple: lambda _value: "[]",
}
"""How each non-text scalar is written (empty containers are written in flow style)."""


def _scalar(value: Any) -> str:
    if type(value) is str:
        return value if _plain_ok(value) else _quote(value)
    written = _FORMATS.get(type(value))
    if written is None:
        raise TypeError(f"cannot write {type(value).__name__} to YAML")
    return written(value)


@lru_cache(maxsize=65536)
def _plain_ok(text: str) -> bool:
    if not _PLAIN.fullmatch(text) or text.endswith((" ", ":")) or ": " in text or " #" in text:
        return False
    resolved = _resolver().resolve(yaml.ScalarNode, text, (True, False))
    return bool(resolved == _CORE_TAG + "str")


def _quote(text: str) -> str:
    quoted = json.dumps(text, ensure_ascii=False)
    return _NON_PRINTABLE.sub(
        lambda m: (
            f"\\u{ord(m.group()):04x}" if ord(m.group()) < 0x10000 else f"\\U{ord(m.group()):08x}"
        ),
        quoted,
    )
