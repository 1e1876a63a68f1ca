"""The registries as the tables show them: each with its tier, in table order."""

from __future__ import annotations

from dataclasses import dataclass

from bot import escape
from bot.data import levels, tiers
from bot.data.levels import TrackLevel
from bot.data.model import Dataset, Registry
from bot.data.tiers import TierResult


@dataclass(frozen=True)
class Row:
    """One registry as the tables show it."""

    registry: Registry
    """The registry."""
    tier: TierResult
    """Its derived tier."""
    met: int
    """Controls that meet the strictest rule."""
    languages: str
    """Languages, escaped and joined for a table cell."""
    levels: tuple[TrackLevel, ...] = ()
    """Its OpenSSF level per track (empty without a capability catalog)."""

    @property
    def levels_shown(self) -> str:
        """The levels for a table cell, in track order: ``0 / 3 / 1 / 2``."""
        return " / ".join(level.shown for level in self.levels)


def rows(dataset: Dataset) -> list[Row]:
    """Every registry with its tier and levels: best tier first, then by name."""
    result = [
        Row(
            r,
            tiers.compute(r, dataset.policy, dataset.catalog),
            tiers.met_count(r, dataset.policy),
            ", ".join(escape.inline(lang) for lang in r.languages),
            levels.compute(r, dataset.principles),
        )
        for r in dataset.registries
    ]
    return sorted(result, key=lambda row: (-row.tier.tier, row.registry.name.lower()))
