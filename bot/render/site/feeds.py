"""Atom feeds of rating changes: one for every registry together, one per registry.

Each entry is one history entry of one registry. Its id names the repository, the registry and
the entry's position in the append-only history, so it stays the same across rebuilds; its date
is the entry's own date. A feed's ``updated`` is its newest entry's date (or the data's date when
it has none): the clock is never read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.escape import strip_invisible
from bot.render.site import urls
from bot.render.site.environment import render
from bot.render.site.views import Event

TITLE_LENGTH = 140
"""Longer entry titles are cut at a word and end with an ellipsis."""


@dataclass(frozen=True)
class Feed:
    """What one feed file says."""

    id: str
    """Its stable id."""
    title: str
    """Its title."""
    path: str
    """Where it lives in the site."""
    page: str
    """The page it belongs to (site path)."""
    events: list[Event]
    """Its entries, newest first."""
    updated: dt.date
    """Its newest entry's date."""


def tag(repository: str, specific: str) -> str:
    """A tag URI (RFC 4151) in the repository's Pages domain: stable, unique, never fetched."""
    owner, _, name = repository.partition("/")
    return f"tag:{owner.lower()}.github.io,2026:{name}/{specific}"


def timestamp(day: dt.date) -> str:
    """A day as an Atom date-time: midnight UTC."""
    return f"{day.isoformat()}T00:00:00Z"


def entry_title(event: Event) -> str:
    """``Registry: summary``, cut at a word when it is long."""
    text = " ".join(strip_invisible(f"{event.registry.name}: {event.entry.summary}").split())
    if len(text) <= TITLE_LENGTH:
        return text
    return text[: TITLE_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def feed(
    repository: str, where: tuple[str, str], title: str, events: list[Event], data_date: dt.date
) -> Feed:
    """A feed of ``events`` (already newest first); ``where``: its path and its page's path."""
    updated = events[0].entry.date if events else data_date
    path, page = where
    return Feed(tag(repository, path), title, path, page, events, updated)


def atom(repository: str, one: Feed) -> str:
    """The feed as Atom XML."""
    return render(
        "feed.atom.j2",
        feed=one,
        root=urls.root_of(one.path),
        repository=repository,
        tag=tag,
        timestamp=timestamp,
        entry_title=entry_title,
        urls=urls,
    )
