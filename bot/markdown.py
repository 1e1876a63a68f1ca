"""Line endings and code fences, the one place packman reads Markdown structure.

GitHub stores what a browser sends: typed text arrives with CRLF, a body saved again through
the web editor has CRLF everywhere, and a lone CR is possible. Every reader of issue bodies
and comments (the form parser, the command parser, the approval hash) splits lines here, so
they agree on where a line ends.

Fences follow CommonMark: a line opens a fence with three or more backticks or tildes after at
most three spaces of indentation (a backtick fence may not have a backtick in its info
string); it closes with the same character, at least as many of them, and nothing else on
the line but spaces.
"""

from __future__ import annotations

import re

FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")
"""A line that may open or close a code fence: the marker, then the rest of the line."""


def normalize_newlines(text: str) -> str:
    """``text`` with CRLF and lone CR read as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_lines(text: str | None) -> list[str]:
    """The lines of ``text`` (CRLF and lone CR read as LF); [] for a null or empty text."""
    if not text:
        return []
    return normalize_newlines(text).split("\n")


def fence_after(fence: str | None, line: str) -> str | None:
    """The fence open after ``line``, given the fence open before it (``None``: none open)."""
    match = FENCE.match(line)
    if match is None:
        return fence
    marker, rest = match[1], match[2]
    if fence is None:
        return None if marker[0] == "`" and "`" in rest else marker
    closes = marker[0] == fence[0] and len(marker) >= len(fence) and not rest.strip()
    return None if closes else fence
