"""What the site's pages show, built from the shared view-models (``tables.Row``, tiers, levels).

Nothing here formats HTML: templates do, with autoescape. The values are the data as it is
(text is escaped where it lands); stale evidence is judged against the data's date, never the
clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.data import tiers
from bot.data.model import (
    UNASSESSED,
    Assessment,
    Dataset,
    HistoryEntry,
    LifecycleState,
    Registry,
    Status,
    StatusChange,
    TierRule,
)
from bot.render.site import urls
from bot.render.tables import Row


@dataclass(frozen=True)
class Line:
    """One row of a table of ratings: a registry's control or capability, or a registry's rating
    of one control or capability."""

    anchor: str
    """The row's id (``control-<id>``), or "" for none."""
    href: str
    """Where its label links (relative to the page)."""
    label: str
    """The row's title."""
    extra: str
    """One more cell before the status (a capability's track and level), or ""."""
    rating: Assessment
    """The rating."""
    stale: bool
    """Verified longer ago than the policy allows (as of the data's date)."""


@dataclass(frozen=True)
class Met:
    """A tier the registry reaches, and its requirements with the registry's status."""

    rule: TierRule
    """The tier's rule."""
    requirements: tuple[tuple[str, str, Status], ...]
    """(control id, title, status) per required control."""


@dataclass(frozen=True)
class Event:
    """One history entry of one registry, as the changes page and the feeds show it."""

    registry: Registry
    """The registry."""
    index: int
    """Its position in the append-only history (0 is the oldest): part of the stable feed id."""
    entry: HistoryEntry
    """The entry."""
    changes: tuple[tuple[StatusChange, str], ...]
    """Each status change with the title of what changed."""


def lifecycle(registry: Registry) -> str:
    """The lifecycle word the matrix shows: active, read-only or retired."""
    return (registry.lifecycle.state if registry.lifecycle else LifecycleState.ACTIVE).value


def stale_limit(dataset: Dataset, as_of: dt.date) -> dt.date:
    """Evidence verified before this day is stale."""
    return as_of - dt.timedelta(days=dataset.policy.stale_after_days)


def control_lines(dataset: Dataset, registry: Registry, as_of: dt.date) -> list[Line]:
    """Every control of the catalog for one registry page, stale ones flagged (``tiers.stale``)."""
    stale = {control for control, _ in tiers.stale(registry, dataset.policy, as_of)}
    return [
        Line(
            f"control-{c.id}",
            "../" + urls.control(c.id),
            c.title,
            "",
            registry.controls.get(c.id, UNASSESSED),
            c.id in stale,
        )
        for c in dataset.catalog.controls
    ]


def capability_lines(dataset: Dataset, registry: Registry, as_of: dt.date) -> list[Line]:
    """Every OpenSSF capability for one registry page, stale ones flagged by the same rule."""
    limit, principles = stale_limit(dataset, as_of), dataset.principles
    lines = []
    for c in principles.capabilities:
        rating = registry.capabilities.get(c.id, UNASSESSED)
        where = f"{principles.track(c.track).title} {c.level}"
        href = "../" + urls.capability(c.id)
        lines.append(
            Line(f"capability-{c.id}", href, c.title, where, rating, _older(rating, limit))
        )
    return lines


def _older(rating: Assessment, limit: dt.date) -> bool:
    return rating.verified is not None and rating.verified < limit


def reached(dataset: Dataset, row: Row) -> list[Met]:
    """The tiers above tier 1 that the registry reaches, each with what it requires."""
    catalog = dataset.catalog
    return [
        Met(
            rule,
            tuple(
                (c, catalog.get(c).title, row.registry.status(c)) for c in rule.required(catalog)
            ),
        )
        for rule in dataset.policy.tiers[1:]
        if rule.tier <= row.tier.tier
    ]


def title_of(dataset: Dataset, change: StatusChange) -> str:
    """The title of the control or capability a change names (its id when no longer known)."""
    try:
        if change.capability:
            return dataset.principles.get(change.control).title
        return dataset.catalog.get(change.control).title
    except KeyError:
        return change.control


def events(dataset: Dataset, registry: Registry | None = None) -> list[Event]:
    """Every history entry (of one registry, or of all), newest first; ties by registry id."""
    chosen = (registry,) if registry else dataset.registries
    found = [
        Event(r, i, entry, tuple((c, title_of(dataset, c)) for c in entry.changes))
        for r in chosen
        for i, entry in enumerate(r.history)
    ]
    return sorted(found, key=lambda e: (-e.entry.date.toordinal(), e.registry.id, -e.index))


def languages(rows: list[Row]) -> list[str]:
    """Every language any registry serves, sorted case-insensitively, each once."""
    return sorted({lang for row in rows for lang in row.registry.languages}, key=str.lower)


def side_by_side(rows: list[Row], item_id: str, capability: bool, limit: dt.date) -> list[Line]:
    """Every registry's rating of one control or capability, in table order, with staleness (for
    the item's page, one folder below the root)."""
    kind = "capability" if capability else "control"
    result = []
    for row in rows:
        registry = row.registry
        rating = (registry.capabilities if capability else registry.controls).get(
            item_id, UNASSESSED
        )
        href = f"../{urls.registry(registry.id)}#{kind}-{item_id}"
        result.append(Line("", href, registry.name, "", rating, _older(rating, limit)))
    return result
