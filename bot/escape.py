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

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~$])")
"""Characters that start Markdown syntax inline (``$`` opens GitHub's math), escaped with a
backslash."""
_BRACES = {ord("{"): "&#123;", ord("}"): "&#125;"}
"""Braces as entities: ``{{ }}`` / ``{% %}`` stay inert even for a template engine downstream
(Jekyll/Liquid)."""
_BLOCK_START = re.compile(r"([#=+-])|(\d{1,9})([.)])(?= |$)")
"""What makes a line a heading, a list item, a rule or a setext underline when it opens the line."""
_PINGS = re.compile(
    r"(?i)(@)(?=[a-z0-9])|(#)(?=\d)|(\bGH-)(?=\d)|(?<=[a-z])(:/)(?=/)|(?:^|(?<=[\s*_~(]))(www)(?=\.)"
)
"""Mentions, issue references (``#1``, ``GH-1``) and autolinks (``scheme://``, ``www.``) that GitHub
would act on."""
_BREAK = "&#8203;"
"""A zero-width space, written as an entity so the source stays visible ASCII."""
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
"""Hangul fillers: letters by category, but they render as nothing (a classic invisible-name
trick)."""


def strip_invisible(text: str) -> str:
    """Remove control, format (bidi, zero-width), private-use, unassigned and filler characters.

    Keeps ``\\n`` and ``\\t``; a caller that needs one line splits on whitespace afterwards.
    """
    if text.isascii():  # the common case, in C: ASCII's only such characters are its controls
        return _ASCII_CONTROLS.sub("", text)
    return "".join(c for c in text if c in "\n\t" or _visible(c))


def _visible(c: str) -> bool:
    return unicodedata.category(c)[0] != "C" and c not in _INVISIBLE_LETTERS


_ASCII_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
"""The ASCII characters of category C, except the kept newline and tab."""


_SEPARATORS = {0x2028: "\n", 0x2029: "\n"}
"""Unicode's line and paragraph separators: line breaks to some readers, spaces to others."""


def plain(text: str) -> str:
    """Text by the rules packman keeps prose by (notes, and everything the export writes): the
    line and paragraph separators (U+2028, U+2029) become line breaks, then
    :func:`strip_invisible` removes control, format and other invisible characters."""
    if text.isascii() and text.isprintable():  # the common case, checked in C
        return text
    return strip_invisible(text.translate(_SEPARATORS))


def _break_ping(match: re.Match[str]) -> str:
    return "".join(part for part in match.groups() if part) + _BREAK


def _escape_block_start(text: str) -> str:
    match = _BLOCK_START.match(text)
    if match is None:
        return text
    if match.group(1):
        return "\\" + text
    return f"{match.group(2)}\\{text[match.end(2) :]}"


@lru_cache(maxsize=65536)
def inline(text: str) -> str:
    """Text safe inside one Markdown line or table cell: no HTML, no table breaks, no pings.

    One line (whitespace runs become one space); HTML as entities; Markdown syntax
    backslash-escaped, including what would open a block at the start of a line;
    braces as entities; a zero-width space after ``@``, ``#``, ``GH-``, ``scheme:/``
    and ``www`` so GitHub neither notifies, references nor autolinks.
    """
    flat = " ".join(strip_invisible(text).split())
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(flat, quote=False))
    escaped = _PINGS.sub(_break_ping, escaped).translate(
        _BRACES
    )  # braces last: their entities hold a '#'
    return _escape_block_start(escaped)


@lru_cache(maxsize=65536)
def url(link: str) -> str:
    """A URL safe inside a Markdown link target ``(...)``: only https, special characters
    encoded."""
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
    """Text safe inside XML/SVG character data and attribute values; it reads back as written.

    Tabs and newlines are character references, so an attribute value keeps them too
    (an XML parser turns raw ones into spaces there); invisible characters are removed.
    """
    return html.escape(strip_invisible(text), quote=True).translate(_XML_WHITESPACE)


_XML_WHITESPACE = {ord("\n"): "&#10;", ord("\t"): "&#9;"}
