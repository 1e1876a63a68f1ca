"""'Did you mean' hints for values that are close to an allowed one."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(value: str, choices: Iterable[str]) -> str | None:
    """The allowed choice closest to ``value`` (ignoring case), or None when none is close."""
    lowered = {choice.lower(): choice for choice in choices}
    if value.lower() in lowered:
        return lowered[value.lower()]
    close = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """A ``; did you mean 'x'?`` suffix when one choice is close to ``value``, else ``""``."""
    suggestion = closest(value, choices)
    return f"; did you mean {suggestion!r}?" if suggestion is not None else ""


def allowed(choices: Iterable[str]) -> str:
    """``allowed: a, b, c`` for a message."""
    return "allowed: " + ", ".join(choices)


def not_one_of(value: str, choices: Iterable[str], noun: str = "allowed") -> str:
    """``'x' is not a status; did you mean 'y'?; allowed: ...`` for a message."""
    options = list(choices)
    what = "is not allowed" if noun == "allowed" else f"is not {noun}"
    return f"{value!r} {what}{did_you_mean(value, options)}; {allowed(options)}"
