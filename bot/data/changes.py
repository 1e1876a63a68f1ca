"""Changes to the data (new ratings, or a new registry) and how they are applied.

Pure: a dataset and a change in, a new dataset out. The history of the registry
gets one appended entry per applied change, naming the issue and the approver.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from bot.data.model import (
    Assessment,
    Dataset,
    HistoryEntry,
    Profile,
    Provenance,
    Registry,
    Status,
    StatusChange,
)


@dataclass(frozen=True)
class Rating:
    """A new rating for one control (or one OpenSSF capability)."""

    control: str
    """The control id, or the capability id when ``capability`` is true."""
    status: Status
    """The proposed status."""
    evidence: tuple[str, ...]
    """https links."""
    notes: str
    """What the evidence shows."""
    capability: bool = False
    """True when ``control`` names an OpenSSF capability."""


@dataclass(frozen=True)
class RatingChange:
    """New ratings for controls of one registry."""

    registry: str
    """The registry id."""
    ratings: tuple[Rating, ...]
    """One per changed control or capability, in catalog order."""
    profile: Profile | None = None
    """A new OpenSSF taxonomy profile, when the submission sets one."""


@dataclass(frozen=True)
class NewRegistry:
    """A registry to add, with every control unknown."""

    registry: Registry
    """The registry as it would be added."""
    why: str
    """Why it matters, from the proposal."""


Change = RatingChange | NewRegistry


@dataclass(frozen=True)
class Approval:
    """Who approved a change, for which issue, and when."""

    issue: int
    """The issue number."""
    submitted_by: str
    """The issue's author."""
    approved_by: str
    """The maintainer who approved."""
    date: dt.date
    """The day of the approval (used as the verified date)."""


def apply(dataset: Dataset, change: Change, approval: Approval) -> Dataset:
    """The dataset with ``change`` applied."""
    if isinstance(change, NewRegistry):
        return _add(dataset, change, approval)
    registry = dataset.registry(change.registry)
    updated = _rate(registry, change, approval)
    registries = tuple(updated if r.id == registry.id else r for r in dataset.registries)
    return replace(dataset, registries=registries)


def _rate(registry: Registry, change: RatingChange, approval: Approval) -> Registry:
    provenance = Provenance(approval.issue, approval.submitted_by, approval.approved_by)
    controls, capabilities = dict(registry.controls), dict(registry.capabilities)
    for rating in change.ratings:
        target = capabilities if rating.capability else controls
        target[rating.control] = Assessment(
            rating.status, rating.evidence, rating.notes, approval.date, provenance
        )
    moved = tuple(
        StatusChange(r.control, before(registry, r), r.status, r.capability)
        for r in change.ratings
        if before(registry, r) is not r.status
    )
    summary = (
        f"{len(change.ratings)} rating(s) updated"
        if moved
        else f"{len(change.ratings)} rating(s) re-verified, status unchanged"
    )
    entry = HistoryEntry(
        approval.date,
        f"{summary} from issue {approval.issue}.",
        approval.issue,
        approval.approved_by,
        None,
        moved,
    )
    profile = change.profile or registry.profile
    history = (*registry.history, entry)
    return replace(
        registry, controls=controls, capabilities=capabilities, profile=profile, history=history
    )


def before(registry: Registry, rating: Rating) -> Status:
    """The status a rating replaces."""
    if rating.capability:
        return registry.capability_status(rating.control)
    return registry.status(rating.control)


def _add(dataset: Dataset, change: NewRegistry, approval: Approval) -> Dataset:
    entry = HistoryEntry(
        approval.date,
        f"Added to packman from issue {approval.issue}.",
        approval.issue,
        approval.approved_by,
    )
    registry = replace(change.registry, history=(entry,))
    registries = tuple(sorted((*dataset.registries, registry), key=lambda r: r.id))
    return replace(dataset, registries=registries)
