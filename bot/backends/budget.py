"""How long a run may still wait, so that no rate limit keeps it past the job's time.

A run that waits for a rate limit to reset and is then killed by the job's ``timeout-minutes``
ends with no line saying why. So the bot knows its own time budget and, when GitHub asks it to
wait longer than what is left, stops at once with exit code 4 and one line saying when to
retry; the next run repairs whatever is left (every run reconciles the whole state).

The budget comes from the environment: ``PACKMAN_DEADLINE`` (a Unix time), else
``PACKMAN_TIME_BUDGET`` seconds from the start of the run (default 420, the workflow's setting:
seven of the handle step's eight minutes).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.errors import BackendError

DEFAULT_BUDGET = 420.0
"""Seconds a run may take when the environment says nothing."""
MARGIN = 15.0
"""Seconds kept back for the work after a wait (the request itself, the summary)."""

now: Callable[[], float] = time.time
"""The clock (tests set it to the story's time)."""


@dataclass(frozen=True)
class Budget:
    """The time by which the run must be done."""

    deadline: float
    """Unix time."""

    def allows(self, wait: float) -> bool:
        """True when waiting ``wait`` seconds from now still leaves the margin before the
        deadline."""
        return now() + wait + MARGIN <= self.deadline


def from_environment(env: Mapping[str, str], started: float | None = None) -> Budget:
    """The budget the environment sets (see the module's documentation)."""
    start = now() if started is None else started
    deadline = env.get("PACKMAN_DEADLINE", "").strip()
    if deadline:
        return Budget(_seconds("PACKMAN_DEADLINE", deadline))
    seconds = env.get("PACKMAN_TIME_BUDGET", "").strip()
    return Budget(start + (_seconds("PACKMAN_TIME_BUDGET", seconds) if seconds else DEFAULT_BUDGET))


def _seconds(name: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise BackendError(f"{name}={text!r} is not a positive number of seconds; fix or unset it")
    return value


def clock_time(epoch: float) -> str:
    """``2026-11-25 10:51 UTC``: when to retry, as one reads it."""
    moment = dt.datetime.fromtimestamp(epoch, dt.UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")
