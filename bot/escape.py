"""Escaping text for where it lands: a Markdown line or table cell, a link, or XML/SVG.


Text from contributors is never trusted: it may contain HTML, Markdown that
breaks a table, ``@mentions`` and ``#123`` references that would notify people
from a generated file, or invisible control characters. Each function here makes
text inert for one context; templates must use one of them for every value that
did not come from the catalog's own ids.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MENTION = re.compile(r"@(?=[A-Za-z0-9])")
_REFERENCE = re.compile(r"#(?=\d)")
_BREAK = "&#8203;"
"""A zero-width space, written as an entity so the source stays visible ASCII."""


def strip_invisible(text: str) -> str:
    """Remove control, format (bidi overrides, zero-width) and other invisible characters."""
    if text.isascii() and text.isprintable():  # the common case, checked in C
        return text
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c)[0] not in "C")


@lru_cache(maxsize=65536)
def inline(text: str) -> str:
    """Text safe inside one Markdown line or table cell: no HTML, no table breaks, no pings."""
    flat = " ".join(strip_invisible(text).split())
    escaped = html.escape(flat, quote=False)
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", escaped)
    escaped = _REFERENCE.sub("#" + _BREAK, escaped)
    return _MENTION.sub("@" + _BREAK, escaped)


@lru_cache(maxsize=65536)
def url(link: str) -> str:
    """A URL safe inside a Markdown link target ``(...)``: only https, special characters encoded."""
    if not link.startswith("https://"):
        return "#"
    return quote(strip_invisible(link), safe=":/?&=%#@!$'*+,;~.-_")


@lru_cache(maxsize=65536)
def link_text(link: str) -> str:
    """A short readable label for an evidence link: host and path, escaped."""
    shown = link.removeprefix("https://").removeprefix("www.")
    return inline(shown if len(shown) <= 80 else shown[:77] + "...")



@lru_cache(maxsize=65536)
def xml(text: str) -> str:
    """Text safe inside XML/SVG character data and attribute values."""
    return html.escape(strip_invisible(text), quote=True)
