"""Text that GitHub hides when it shows an issue, refused in every answer.

A maintainer approves what the issue shows, yet packman publishes the answers as written
(escaped, so visibly). Two Markdown constructs render as nothing on GitHub: an HTML comment
(``<!-- … -->``, or ``<!--`` left open, which hides the rest) and a link reference definition
(``[label]: https://…`` on a line of its own, up to three spaces in). Text holding either is
refused, so nothing reaches the data that a reviewer could not see.
"""

from __future__ import annotations

import re

_COMMENT = re.compile(r"<!--")
_REFERENCE = re.compile(r"(?m)^ {0,3}\[(?:[^\]\\\n]|\\.){1,999}\]:[ \t]*(?:\n[ \t]*)?\S")
"""CommonMark's link reference definition: a label, a colon, then a destination."""


def problem(text: str) -> str | None:
    """Why GitHub would hide part of ``text`` when it shows the issue, or None."""
    if _COMMENT.search(text):
        return (
            "holds an HTML comment (`<!--`), which GitHub hides when it shows the issue, so "
            "reviewers would not see what packman publishes; remove it"
        )
    if _REFERENCE.search(text):
        return (
            "holds a link reference definition (a line like `[label]: https://…`), which GitHub "
            "hides when it shows the issue, so reviewers would not see what packman publishes; "
            "write the link as plain text instead"
        )
    return None
