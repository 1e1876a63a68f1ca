"""A content-hash cache of parsed data files, so an unchanged file is never parsed twice.

``strict_yaml.load`` is a pure function of the file's text (the source name only appears
in errors), so its result can be kept under the sha256 of the text: a cache entry is the
parsed value as JSON, with the places of its dates beside it (JSON has no dates). Reading
JSON is tens of times faster than composing YAML. Only files that parse are kept: a file
with an error is parsed again every time, so the error and its line come from the parser.

The cache is one JSON file, ``.packman-cache/parsed.json`` under the repository root (the
folder is git-ignored), written atomically at the end of a command that parsed a file, and holding
the newest entries. Its key includes a fingerprint of the parser (this package's
``strict_yaml`` source and the PyYAML version), so a changed parser starts a new cache.
A cache that cannot be read is ignored; one that cannot be written is skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
from collections.abc import Callable
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import Any

from bot.data import strict_yaml

DIRECTORY = ".packman-cache"
"""The cache folder under the repository root (git-ignored)."""

EARLIER = 64
"""Entries kept besides those a command used: other forms, earlier versions of files."""

Place = list[str | int]
"""Where a value sits in a parsed document: keys and list indexes from the top."""


@cache
def yaml_fingerprint() -> str:
    """PyYAML's version and whether libyaml is there, found without importing it."""
    spec = importlib.util.find_spec("yaml")
    if spec is None or spec.origin is None:
        return "no-yaml"
    package = Path(spec.origin).parent
    digest = hashlib.sha256(Path(spec.origin).read_bytes())
    for name in sorted(p.name for p in package.iterdir()):
        digest.update(f"\0{name}".encode())
    return digest.hexdigest()[:16]


@cache
def parser_fingerprint() -> str:
    """What the parsed values depend on besides the text: the parser's code and PyYAML."""
    digest = hashlib.sha256(Path(strict_yaml.__file__).read_bytes())
    digest.update(yaml_fingerprint().encode())
    return digest.hexdigest()[:16]


def text_key(text: str) -> str:
    """The cache key of a file's text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def encode(value: Any) -> str:
    """A parsed value as JSON text: ``[value with dates as ISO text, places of the dates]``."""
    places: list[Place] = []
    _find_dates(value, [], places)
    # ASCII: a value may hold a lone surrogate (a \\ud800 escape), which UTF-8 cannot write.
    return json.dumps([value, places], default=dt.date.isoformat)


def decode(entry: str) -> Any:
    """The parsed value back from :func:`encode`'s text (a fresh object each time)."""
    value, places = json.loads(entry)
    for place in places:
        if not place:
            return dt.date.fromisoformat(value)
        parent = value
        for step in place[:-1]:
            parent = parent[step]
        parent[place[-1]] = dt.date.fromisoformat(parent[place[-1]])
    return value


def _find_dates(value: Any, place: Place, places: list[Place]) -> None:
    if isinstance(value, dt.datetime) or not isinstance(value, _EXACT):
        raise TypeError(f"JSON cannot hold {type(value).__name__} exactly")
    if isinstance(value, dt.date):
        places.append(list(place))
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError("JSON keys are text")
            _find_dates(item, [*place, key], places)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _find_dates(item, [*place, index], places)


_EXACT = (str, int, float, bool, type(None), dt.date, dict, list)
"""What :func:`encode` keeps exactly (a value with anything else is not cached)."""


class ParseCache:
    """Parsed data files by the hash of their text, kept in one file between commands."""

    def __init__(
        self,
        path: Path | None,
        parse: Callable[[str, str], Any] = strict_yaml.load,
        fingerprint: str | None = None,
    ) -> None:
        self.path = path
        """The cache file, or ``None`` to keep it in memory only."""
        self.parse = parse
        """The parser cached (a pure function of the text; the source only names errors)."""
        self.fingerprint = fingerprint or parser_fingerprint()
        """What the parser's answers depend on besides the text: another one starts afresh."""
        self._known: dict[str, str] = self._read()
        self._used: dict[str, str] = {}
        self.hits = 0
        """Files answered from the cache (for benchmarks and tests)."""

    @classmethod
    def at(cls, root: Path) -> ParseCache:
        """The cache of the data files of the repository at ``root``."""
        return cls(root / DIRECTORY / "parsed.json")

    def _read(self) -> dict[str, str]:
        data = read_entries_file(self.path)
        if data.get("parser") != self.fingerprint:
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}

    def load(self, text: str, source: str) -> Any:
        """What ``strict_yaml.load(text, source)`` returns, from the cache when the text is
        known."""
        key = text_key(text)
        entry = self._used.get(key) or self._known.get(key)
        if entry is not None:
            try:
                value = decode(entry)
            except (ValueError, TypeError, KeyError, IndexError):
                value = None
            else:
                self.hits += 1
                self._used[key] = entry
                return value
        value = self.parse(text, source)
        with suppress(TypeError, ValueError):  # something JSON cannot hold exactly: not kept
            self._used[key] = encode(value)
        return value

    def save(self) -> None:
        """When this cache learnt a file, write what it used and learnt, and the newest
        :data:`EARLIER` entries it knew besides (atomically); skip on failure."""
        if self.path is None or self._used.keys() <= self._known.keys():
            return
        merged = {k: v for k, v in self._known.items() if k not in self._used}
        merged.update(self._used)
        self._used = dict(list(merged.items())[-(len(self._used) + EARLIER) :])
        write_entries_file(self.path, {"parser": self.fingerprint, "entries": self._used})
        self._known = dict(self._used)


def read_entries_file(path: Path | None) -> dict[str, Any]:
    """The JSON object a cache file under :data:`DIRECTORY` holds; empty when there is none or it
    is unreadable (a cache is only ever a shortcut, so a broken one is a miss)."""
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_entries_file(path: Path, data: dict[str, Any]) -> None:
    """Write a cache file under :data:`DIRECTORY` whole or not at all (through a temporary file),
    with a ``.gitignore`` beside it; a failure to write is only a missed shortcut."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        ignore = path.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
        temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        temporary.replace(path)
    except OSError:
        return
