"""Pauses of the link check: the clock, per-host spacing, and how long to wait before a retry.

Every pause goes through a :class:`Timer`, so tests can run the checker on a virtual clock
(sleeps recorded, none slept) while the HTTP requests stay real.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol

from bot.links.settings import Settings


class Timer(Protocol):
    """A clock and a way to wait on it."""

    def now(self) -> float:
        """Seconds on a clock that never goes back."""

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds``."""


class MonotonicTimer:
    """The real clock: ``time.monotonic`` and ``asyncio.sleep``."""

    def now(self) -> float:
        """Seconds since some fixed point."""
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` without blocking other requests."""
        await asyncio.sleep(seconds)


class Pacer:
    """Bounds the requests in flight, and starts requests to one host ``delay`` seconds apart.

    A request takes its host's turn first, then a place among the ``concurrency`` in flight,
    and only then is its start recorded: waiting for a place never squeezes two requests to
    one host closer together, and a request waiting for its host holds no place.
    """

    def __init__(self, concurrency: int, delay: float, timer: Timer) -> None:
        self.delay = delay
        self.timer = timer
        self._gate = asyncio.Semaphore(concurrency)
        self._hosts: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._next: dict[str, float] = {}

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold a place for one request to ``host`` while the block runs."""
        async with self._hosts[host]:
            wait = self._next[host] - self.timer.now() if host in self._next else 0.0
            if wait > 0:
                await self.timer.sleep(wait)
            await self._gate.acquire()
            self._next[host] = self.timer.now() + self.delay
        try:
            yield
        finally:
            self._gate.release()


def retry_pause(retry_after: str | None, attempt: int, settings: Settings) -> float:
    """Seconds to wait before retry number ``attempt`` (0 for the first).

    A ``Retry-After`` header (seconds or an HTTP date) wins, cut to ``retry_after_cap``;
    otherwise the pause is ``backoff`` doubled for each retry so far.
    """
    asked = _seconds(retry_after) if retry_after else None
    if asked is None:
        return float(settings.backoff * 2**attempt)
    return min(max(asked, 0.0), settings.retry_after_cap)


def _seconds(header: str) -> float | None:
    """A ``Retry-After`` value in seconds from now; None when it is neither form."""
    text = header.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # an HTTP date is always GMT; a naive result means it was missing
        when = when.replace(tzinfo=dt.UTC)
    return (when - dt.datetime.now(dt.UTC)).total_seconds()
