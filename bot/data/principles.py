"""The OpenSSF view: *Principles for Package Repository Security* as a catalog of capabilities.

The WG document (v0.1, February 2024) has four tracks, levels 1 to 3 in each, and 32
capabilities, plus a taxonomy that says which tracks apply to which repositories: the
Authentication track only where there are user accounts, the Authorization track only where
there are accounts *and* publishers upload packages, the other two everywhere. packman keeps the
capabilities in ``assessments/openssf.yml`` with a title, a definition and a rubric of its own
words, and rates every registry on each of them beside the 17 controls (``Registry.capabilities``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from bot.data.model import PackageKind, Profile, Status


@dataclass(frozen=True)
class PrinciplesSource:
    """The document the capabilities come from."""

    title: str
    """Its title."""
    version: str
    """Its version, e.g. ``0.1``."""
    published: dt.date | None
    """When that version was published."""
    url: str
    """Where it is published (https)."""


@dataclass(frozen=True)
class Track:
    """One track of the Principles, and which repositories it applies to."""

    id: str
    """Stable kebab-case id (``authentication``)."""
    title: str
    """The track's name as the WG document gives it."""
    applies: str
    """Which repositories it applies to, in our words."""
    needs_accounts: bool
    """It applies only to repositories with user accounts."""
    needs_uploads: bool
    """It applies only to repositories that accept packages uploaded by publishers."""

    def applies_to(self, profile: Profile | None) -> bool:
        """True when the track applies to a registry with ``profile`` (unknown profile: it does)."""
        if profile is None:
            return True
        accounts = profile.accounts or not self.needs_accounts
        uploads = profile.packages is PackageKind.UPLOADS or not self.needs_uploads
        return accounts and uploads


@dataclass(frozen=True)
class Capability:
    """One capability of the Principles, rated like a control."""

    id: str
    """Stable kebab-case id, distinct from every control id."""
    track: str
    """The id of its track."""
    level: int
    """The level (1 to 3) at which the document lists it."""
    title: str
    """A short title, in our words."""
    definition: str
    """What it means, in our words."""
    rubric: Mapping[Status, str]
    """What earns each status; ``n/a`` only where defined (a whole track may be n/a as well)."""
    controls: tuple[str, ...] = ()
    """Controls of the 17 that already cover part of it (the crosswalk)."""


@dataclass(frozen=True)
class Principles:
    """The tracks and capabilities, in document order (empty when a project has no openssf.yml)."""

    source: PrinciplesSource | None = None
    """The WG document."""
    tracks: tuple[Track, ...] = ()
    """The four tracks."""
    capabilities: tuple[Capability, ...] = field(default=())
    """Every capability, by track then level."""

    @cached_property
    def _by_id(self) -> dict[str, Capability]:
        return {c.id: c for c in self.capabilities}

    @cached_property
    def _tracks(self) -> dict[str, Track]:
        return {t.id: t for t in self.tracks}

    def ids(self) -> tuple[str, ...]:
        """Capability ids in document order."""
        return tuple(self._by_id)

    def get(self, capability_id: str) -> Capability:
        """The capability with this id (KeyError if there is none)."""
        return self._by_id[capability_id]

    def track(self, track_id: str) -> Track:
        """The track with this id (KeyError if there is none)."""
        return self._tracks[track_id]

    def of_track(self, track_id: str) -> tuple[Capability, ...]:
        """The capabilities of one track, lowest level first."""
        return tuple(c for c in self.capabilities if c.track == track_id)

    def levels(self) -> tuple[int, ...]:
        """The levels the document defines (1, 2, 3)."""
        return tuple(sorted({c.level for c in self.capabilities}))
