"""OpenSSF levels per track, derived from the capability ratings: never stored, always computed.

A registry is at level N of a track when every capability of levels 1 to N is met (``yes``, or
``n/a`` where it has no such surface); level 0 when a level-1 capability is not met. A track the
WG's taxonomy does not apply to (no user accounts: no Authentication; no uploads: no
Authorization) has no level at all: it is ``n/a``. Like tiers, the result explains itself: what
is missing for the next level.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.data.model import Registry, Status
from bot.data.principles import Principles, Track

MEETS = frozenset({Status.YES, Status.NA})
"""Statuses that meet a capability's level (``partial`` does not: optional is not enough)."""


@dataclass(frozen=True)
class Missing:
    """One capability a registry lacks for the next level of a track."""

    capability: str
    """The capability id."""
    level: int
    """The level it belongs to."""
    status: Status
    """The registry's status for it."""


@dataclass(frozen=True)
class TrackLevel:
    """A registry's level on one track, and what the next level needs."""

    track: Track
    """The track."""
    level: int | None
    """The level reached (0 to 3), or None when the track does not apply."""
    next_level: int | None
    """The level the gap leads to, or None at the top (or when the track does not apply)."""
    gap: tuple[Missing, ...]
    """What is missing for ``next_level``; empty at the top."""

    @property
    def shown(self) -> str:
        """The level as tables print it: ``2``, or ``n/a``."""
        return "n/a" if self.level is None else str(self.level)


def track_level(registry: Registry, principles: Principles, track: Track) -> TrackLevel:
    """The level of ``registry`` on ``track``."""
    if not track.applies_to(registry.profile):
        return TrackLevel(track, None, None, ())
    reached = 0
    for level in principles.levels():
        missing = tuple(
            Missing(c.id, level, registry.capability_status(c.id))
            for c in principles.of_track(track.id)
            if c.level == level and registry.capability_status(c.id) not in MEETS
        )
        if missing:
            return TrackLevel(track, reached, level, missing)
        reached = level
    return TrackLevel(track, reached, None, ())


def compute(registry: Registry, principles: Principles) -> tuple[TrackLevel, ...]:
    """The level of ``registry`` on every track, in track order."""
    return tuple(track_level(registry, principles, t) for t in principles.tracks)


def applicable(registry: Registry, principles: Principles) -> tuple[str, ...]:
    """The capability ids of the tracks that apply to ``registry``."""
    tracks = {t.id for t in principles.tracks if t.applies_to(registry.profile)}
    return tuple(c.id for c in principles.capabilities if c.track in tracks)


def capabilities_met(registry: Registry, principles: Principles) -> tuple[int, int]:
    """(met, applicable): capabilities of the tracks that apply which are yes or n/a, and how many
    such capabilities there are."""
    ids = applicable(registry, principles)
    return sum(1 for c in ids if registry.capability_status(c) in MEETS), len(ids)
