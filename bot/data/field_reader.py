"""Reading untyped YAML data into typed values, collecting one problem per mistake.

A :class:`FieldReader` reader walks a mapping; each accessor returns the value when it
has the right type and records a :class:`~bot.errors.Problem` (file, dotted field
path, what was found, what is allowed) when it does not. Callers read every field,
then raise once with all the problems, so a user sees every mistake in one run.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any, TypeVar
from urllib.parse import urlsplit

from bot.errors import Problem
from bot.suggest import allowed, did_you_mean, not_one_of

T = TypeVar("T")

MAX_URL = 500
"""Longest evidence URL accepted."""
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_TYPE_NAMES = {str: "text", int: "a whole number", list: "a list", dict: "a mapping"}


@lru_cache(maxsize=8192)  # pure; the same links recur in every file and on every load
def is_https_url(text: str) -> bool:
    """True for a well-formed ``https://host/...`` URL: no spaces, credentials or hidden characters.

    The scheme must be written ``https://`` in lower case (the renderer links nothing else),
    and the host must be ASCII: an internationalised domain is accepted in its punycode
    form only (``xn--...``), so a look-alike host (``docs.npmjs.com`` spelt with a Cyrillic
    ``о``) cannot pass for the real one. Invisible characters (bidi overrides, zero-width)
    are refused.
    """
    if (
        len(text) > MAX_URL
        or not text.startswith("https://")
        or not text.isprintable()
        or " " in text
    ):
        return False
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
    except ValueError:  # e.g. an unclosed IPv6 bracket: "https://[x"
        return False
    return bool(host) and host.isascii() and "@" not in parts.netloc and "\\" not in parts.netloc


def with_lines(problems: Iterable[Problem], source: str, lines: Mapping[str, int]) -> list[Problem]:
    """Problems of ``source`` located as ``file:line: field`` (the line of the field, or of the
    nearest enclosing one for a missing field); ``lines`` from
    ``bot.data.strict_yaml.key_lines``."""
    located = []
    for problem in problems:
        dotted = (
            problem.where.removeprefix(f"{source}: ")
            if problem.where.startswith(f"{source}: ")
            else None
        )
        line = _line_of(dotted, lines) if dotted else None
        located.append(Problem(f"{source}:{line}: {dotted}", problem.message) if line else problem)
    return located


def _line_of(dotted: str, lines: Mapping[str, int]) -> int | None:
    """The line of ``dotted``, else of the nearest enclosing field, else None."""
    while dotted not in lines:
        parent = _PARENT.sub("", dotted)
        if parent == dotted:
            return None
        dotted = parent
    return lines[dotted]


_PARENT = re.compile(r"\.?[^.\[]*$|\[\d+\]$")


class FieldReader:
    """Typed access to one mapping of a data file, recording problems.

    When the value is not a mapping at all, that is the one problem recorded for it: the
    reader and the readers below it stay quiet about the fields they then cannot find.
    """

    def __init__(
        self, data: Any, source: str, path: str, problems: list[Problem], *, quiet: bool = False
    ) -> None:
        self.source = source
        self.path = path
        self.problems = problems
        self.quiet = quiet
        self.data: Mapping[str, Any] = data if isinstance(data, Mapping) else {}
        if not isinstance(data, Mapping):
            self.problem("", f"expected a mapping, found {_describe(data)}")
            self.quiet = True

    def where(self, key: str) -> str:
        dotted = ".".join(p for p in (self.path, key) if p)
        return f"{self.source}: {dotted}" if dotted else self.source

    def problem(self, key: str, message: str) -> None:
        if not self.quiet:
            self.problems.append(Problem(self.where(key), message))

    def only(self, keys: Iterable[str]) -> None:
        """Record a problem for every key not in ``keys``."""
        known = list(keys)
        for key in self.data:
            if key not in known:
                self.problem(key, f"unknown field{did_you_mean(key, known)}; {allowed(known)}")

    def sub(self, key: str) -> FieldReader:
        """A reader for the mapping under ``key``."""
        path = ".".join(p for p in (self.path, key) if p)
        return FieldReader(
            self.data.get(key, {}), self.source, path, self.problems, quiet=self.quiet
        )

    def items(self, key: str, *, required: bool = False) -> list[FieldReader]:
        """A reader for each mapping in the list under ``key``."""
        values = self.typed(key, list, [], required=required)
        base = ".".join(p for p in (self.path, key) if p)
        return [
            FieldReader(v, self.source, f"{base}[{n}]", self.problems, quiet=self.quiet)
            for n, v in enumerate(values)
        ]

    def typed(self, key: str, kind: type[T], default: T, *, required: bool = True) -> T:
        """The value under ``key`` if it is a ``kind``; otherwise ``default`` and a problem."""
        if key not in self.data or (self.data[key] is None and not required):
            if required:
                self.problem(key, f"missing; expected {_TYPE_NAMES.get(kind, kind.__name__)}")
            return default
        value = self.data[key]
        if not isinstance(value, kind) or isinstance(value, bool) is not (kind is bool):
            self.problem(
                key, f"expected {_TYPE_NAMES.get(kind, kind.__name__)}, found {_describe(value)}"
            )
            return default
        return value

    def text(self, key: str, *, limit: int = 200, required: bool = True) -> str:
        value = self.typed(key, str, "", required=required)
        if len(value) > limit:
            self.problem(key, f"is {len(value)} characters long; at most {limit} allowed")
        return value

    def optional_text(self, key: str, *, limit: int = 100) -> str | None:
        return (
            self.text(key, limit=limit, required=False) if self.data.get(key) is not None else None
        )

    def optional_int(self, key: str) -> int | None:
        return self.typed(key, int, 0, required=False) if self.data.get(key) is not None else None

    def ident(self, key: str) -> str:
        value = self.text(key, limit=64)
        if value and not _ID.fullmatch(value):
            self.problem(key, f"{value!r} is not a kebab-case id (lowercase letters, digits, '-')")
        return value

    def texts(self, key: str, *, limit: int = 100, required: bool = True) -> tuple[str, ...]:
        items = self.typed(key, list, [], required=required)
        for index, item in enumerate(items):
            if not isinstance(item, str) or len(item) > limit:
                self.problem(f"{key}[{index}]", f"expected text of at most {limit} characters")
        return tuple(i for i in items if isinstance(i, str))

    def url(self, key: str) -> str:
        value = self.text(key, limit=MAX_URL)
        if value and not is_https_url(value):
            self.problem(key, f"{value!r} is not an https:// URL")
        return value

    def urls(self, key: str, *, limit: int = 10) -> tuple[str, ...]:
        values = self.texts(key, limit=MAX_URL, required=False)
        for index, value in enumerate(values):
            if not is_https_url(value):
                self.problem(f"{key}[{index}]", f"{value!r} is not an https:// URL")
        if len(values) > limit:
            self.problem(key, f"has {len(values)} links; at most {limit} allowed")
        return values

    def date(self, key: str, *, required: bool = True) -> dt.date | None:
        if self.data.get(key) is None:
            if required:
                self.problem(key, "missing; expected a date (YYYY-MM-DD)")
            return None
        value = self.typed(key, dt.date, dt.date.min)
        return None if value == dt.date.min else value

    def choice(self, key: str, choices: Iterable[str], *, required: bool = True) -> str | None:
        options = list(choices)
        value = self.typed(key, str, "", required=required)
        if not value:
            return None
        if value not in options:
            self.problem(key, not_one_of(value, options))
            return None
        return value


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean; quote it if you meant text)"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{value!r} ({type(value).__name__})"
