"""'Did you mean' hints for values that are close to an allowed one."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """A ``; did you mean 'x'?`` suffix when one choice is close to ``value``, else ``""``."""
    options = list(choices)
    lowered = {c.lower(): c for c in options}
    if value.lower() in lowered:
        return f"; did you mean {lowered[value.lower()]!r}?"
    close = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
    return f"; did you mean {lowered[close[0]]!r}?" if close else ""


def allowed(choices: Iterable[str]) -> str:
    """``allowed: a, b, c`` for a message."""
    return "allowed: " + ", ".join(choices)


def not_one_of(value: str, choices: Iterable[str], noun: str = "allowed") -> str:
    """``'x' is not a status; did you mean 'y'?; allowed: ...`` for a message."""
    options = list(choices)
    what = "is not allowed" if noun == "allowed" else f"is not {noun}"
    return f"{value!r} {what}{did_you_mean(value, options)}; {allowed(options)}"
