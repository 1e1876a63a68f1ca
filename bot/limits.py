"""GitHub's size limit on the text the bot writes, kept by construction.

GitHub refuses (422) an issue comment or a pull request body longer than 65,536 characters, so
a sticky comment that grew past it could never record an approval again. Every comment and
pull request body the bot writes goes through :func:`fit`: the hidden part (markers, the
record, ``Closes #N`` lines) is kept whole and the visible part is cut at a line, with a
visible mark saying so.
"""

from __future__ import annotations

MAX_TEXT = 65_536
"""GitHub's limit on an issue body, a comment and a pull request body, in characters."""
RESERVED = 200
"""Room left for what a backend appends to a pull request body (the head commit marker)."""
CUT = (
    "\n\n**… cut here:** the rest would pass GitHub's limit of 65,536 characters per comment "
    "or pull request body."
)
"""The visible mark where text was shortened."""


def fit(visible: str, hidden: str = "", limit: int = MAX_TEXT) -> str:
    """``visible + hidden`` when that fits ``limit``; otherwise ``visible`` cut at a line end,
    with :data:`CUT` after it, then ``hidden`` whole."""
    if len(visible) + len(hidden) <= limit:
        return visible + hidden
    room = limit - len(hidden) - len(CUT)
    if room < 0:
        raise ValueError(f"the hidden part alone ({len(hidden)} characters) exceeds {limit}")
    kept = visible[:room]
    line_end = kept.rfind("\n")
    return (kept[:line_end] if line_end > 0 else kept).rstrip() + CUT + hidden
