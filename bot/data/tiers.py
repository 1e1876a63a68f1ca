"""Tiers, derived from the policy: never stored, always computed.

A registry is at tier N when it meets every rule from tier 2 up to tier N (tier 1
has no requirements). A rule is met when each control it requires has a status in
the rule's ``satisfied_by``. The result explains itself: which requirements of the
next tier are unmet (the gap), and which requirement of its own tier each control
meets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.data.model import Catalog, Registry, Status, TierPolicy, TierRule, in_order


@dataclass(frozen=True)
class Unmet:
    """One requirement of a tier that a registry does not meet."""

    tier: int
    """The tier that requires it."""
    control: str
    """The control id."""
    status: Status
    """The registry's status for it."""
    needed: frozenset[Status]
    """Statuses that would meet it."""

    def reason(self, catalog: Catalog) -> str:
        """A sentence a reader understands."""
        needed = " or ".join(in_order(self.needed))
        title = catalog.get(self.control).title
        return f"{title} is {self.status.value}; Tier {self.tier} needs {needed}"


@dataclass(frozen=True)
class TierResult:
    """A registry's tier and why."""

    tier: int
    """The derived tier."""
    title: str
    """The title of that tier."""
    gap: tuple[Unmet, ...]
    """What the registry lacks for the next tier; empty at the top tier."""
    next_tier: int | None
    """The tier the gap leads to, or None at the top."""


def unmet(rule: TierRule, registry: Registry, catalog: Catalog) -> tuple[Unmet, ...]:
    """The requirements of ``rule`` that ``registry`` does not meet."""
    return tuple(
        Unmet(rule.tier, control_id, registry.status(control_id), rule.satisfied_by)
        for control_id in rule.required(catalog)
        if registry.status(control_id) not in rule.satisfied_by
    )


def compute(registry: Registry, policy: TierPolicy, catalog: Catalog) -> TierResult:
    """The tier of ``registry`` under ``policy``, with the gap to the next tier."""
    reached = policy.tiers[0]
    for rule in policy.tiers[1:]:
        gap = unmet(rule, registry, catalog)
        if gap:
            return TierResult(reached.tier, reached.title, gap, rule.tier)
        reached = rule
    return TierResult(reached.tier, reached.title, (), None)


def met_count(registry: Registry, policy: TierPolicy) -> int:
    """How many controls fully meet the strictest rule (the 'Controls' column)."""
    strictest = policy.tiers[-1].satisfied_by
    return sum(1 for a in registry.controls.values() if a.status in strictest)


def stale(registry: Registry, policy: TierPolicy, today: dt.date) -> list[tuple[str, dt.date]]:
    """Controls whose rating was verified longer ago than the policy allows, with the date."""
    limit = today - dt.timedelta(days=policy.stale_after_days)
    return [
        (i, a.verified)
        for i, a in registry.controls.items()
        if a.verified is not None and a.verified < limit
    ]
