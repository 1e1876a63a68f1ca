"""The text of the sticky comment: the errors of a submission, or a preview of its effect.

Pure: a validation, the dataset of main and the other open submissions in; Markdown
out. Every value a contributor typed is escaped for where it lands.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from bot import escape
from bot.data import changes, levels, tiers
from bot.data.changes import Change, NewRegistry, Rating, RatingChange
from bot.data.model import Dataset, Status
from bot.forms import names
from bot.forms.kinds import capability_label
from bot.forms.validate import Validation
from bot.render import pages, tables
from bot.render.environment import render_template

MAX_WARNINGS = 20
"""Warnings listed in a comment; one more line counts the rest."""
STALE_PREVIEW = (
    "I did not record this approval: the issue was edited after the preview you saw was "
    "written, so it would have approved text you had not seen. I refreshed my comment above "
    "for the issue as it is now; read it, then approve again."
)
"""The reply to an approval of a body that the sticky comment's preview was not made from."""
PROPOSES = ""
"""The ``control`` of a claim that proposes a new registry (its ``status`` is the name)."""


@dataclass(frozen=True)
class Claim:
    """What another open submission proposes for one control, or the registry it adds."""

    issue: int
    """The other issue."""
    registry: str
    """Registry id (for a proposal: the id its name gives)."""
    control: str
    """Control or capability id; :data:`PROPOSES` for a proposal."""
    status: str
    """The status it proposes; for a proposal, the registry's name."""


def claims(issue: int, change: Change | None) -> list[Claim]:
    """The claims one submission makes: a status per rating, or the registry it adds."""
    if isinstance(change, NewRegistry):
        return [Claim(issue, change.registry.id, PROPOSES, change.registry.name)]
    if not isinstance(change, RatingChange):
        return []
    return [Claim(issue, change.registry, r.control, r.status.value) for r in change.ratings]


@dataclass(frozen=True)
class LevelChange:
    """A registry's OpenSSF level on one track, before and after a change."""

    track: str
    """The track's title."""
    before: int | None
    """The level before (None: the track does not apply)."""
    after: int | None
    """The level after."""

    @property
    def lowered(self) -> bool:
        """True when the level drops (a track that stops applying is not a drop)."""
        return self.before is not None and self.after is not None and self.after < self.before

    @property
    def direction(self) -> str:
        """`` (lower)``, `` (higher)``, or nothing when the track starts or stops applying."""
        if self.lowered:
            return " (lower)"
        return "" if self.before is None or self.after is None else " (higher)"

    def describe(self) -> str:
        """``Authorization: level 1 → 2`` (Markdown, the title escaped)."""
        return f"{escape.inline(self.track)}: level {_shown(self.before)} → {_shown(self.after)}"


def _shown(level: int | None) -> str:
    return "n/a" if level is None else str(level)


def level_changes(before: Dataset, after: Dataset, registry_id: str) -> list[LevelChange]:
    """The tracks whose level differs between the two datasets, in track order."""
    old = levels.compute(before.registry(registry_id), before.principles)
    new = levels.compute(after.registry(registry_id), after.principles)
    return [
        LevelChange(a.track.title, a.level, b.level)
        for a, b in zip(old, new, strict=True)
        if a.level != b.level
    ]


def drops(dataset: Dataset, change: Change) -> list[str]:
    """What ``change`` lowers, as phrases: the tier, each OpenSSF level (Markdown)."""
    if not isinstance(change, RatingChange):
        return []
    before, after = tier_change(dataset, change)
    found = [f"the tier from {before} to {after}"] if after < before else []
    updated = changes.apply(dataset, change, _PREVIEW_APPROVAL)
    found += [
        f"the OpenSSF {escape.inline(c.track)} level from {c.before} to {c.after}"
        for c in level_changes(dataset, updated, change.registry)
        if c.lowered
    ]
    return found


def rating_title(dataset: Dataset, rating: Rating) -> str:
    """The title of what a rating rates, as the forms name it (capabilities are prefixed)."""
    if rating.capability:
        capability = dataset.principles.get(rating.control)
        return capability_label(capability.title, capability.level)
    return dataset.catalog.get(rating.control).title


def tier_change(dataset: Dataset, change: Change) -> tuple[int, int]:
    """The tier of the affected registry before and after ``change`` (before is 0 for a new one)."""
    after = changes.apply(dataset, change, _PREVIEW_APPROVAL)
    registry_id = change.registry.id if isinstance(change, NewRegistry) else change.registry
    before = 0 if isinstance(change, NewRegistry) else _tier(dataset, registry_id)
    return before, _tier(after, registry_id)


_PREVIEW_APPROVAL = changes.Approval(0, "", "", dt.date(2000, 1, 1))


def _tier(dataset: Dataset, registry_id: str) -> int:
    return tiers.compute(dataset.registry(registry_id), dataset.policy, dataset.catalog).tier


def _table(datasets: tuple[Dataset, ...], registry_id: str) -> str:
    """The README table with the registry's row in each dataset (now, then after the change)."""
    rows = [row for d in datasets for row in tables.rows(d) if row.registry.id == registry_id]
    dataset = datasets[0]
    return render_template(
        "readme_registries.md.j2",
        rows=rows,
        total=len(dataset.catalog.controls),
        pages_dir=pages.PAGES.as_posix(),
    ).rstrip()


def _ratings(dataset: Dataset, change: RatingChange) -> list[dict[str, object]]:
    registry = dataset.registry(change.registry)
    return [
        {
            "title": rating_title(dataset, r),
            "before": changes.before(registry, r).value,
            "after": r.status.value,
            "evidence": r.evidence,
            "notes": pages.published_notes(r.notes),
        }
        for r in change.ratings
    ]


def _preview(dataset: Dataset, change: Change) -> dict[str, object]:
    after = changes.apply(dataset, change, _PREVIEW_APPROVAL)
    before_tier, after_tier = tier_change(dataset, change)
    if isinstance(change, NewRegistry):
        return {
            "name": change.registry.name,
            "new": True,
            "tier_before": 0,
            "tier_after": after_tier,
            "ratings": [],
            "table": _table((after,), change.registry.id),
        }
    return {
        "name": dataset.registry(change.registry).name,
        "new": False,
        "tier_before": before_tier,
        "tier_after": after_tier,
        "levels": level_changes(dataset, after, change.registry),
        "ratings": _ratings(dataset, change),
        "table": _table((dataset, after), change.registry),
    }


def warnings(
    dataset: Dataset, change: Change, issue: int, others: Iterable[Claim], today: dt.date
) -> list[str]:
    """Tier drops, contradicting open submissions and stale evidence, as Markdown lines."""
    found = [
        f"This lowers {drop}; a maintainer has to approve with "
        "`/packman approve --allow-downgrade`."
        for drop in drops(dataset, change)
    ]
    others = [other for other in others if other.issue != issue]
    if isinstance(change, NewRegistry):
        found += _look_alikes(change, others)
    mine = {(c.registry, c.control): c.status for c in claims(issue, change)}
    for other in others:
        if (
            other.control != PROPOSES
            and mine.get((other.registry, other.control), other.status) != other.status
        ):
            title = _claim_title(dataset, other.control)
            found.append(
                f"Issue #{other.issue} proposes `{other.status}` for {escape.inline(title)}."
            )
    if isinstance(change, RatingChange):
        found += _stale(dataset, change, today)
    return found


def _claim_title(dataset: Dataset, control: str) -> str:
    if control in dataset.principles.ids():
        return rating_title(dataset, Rating(control, Status.UNKNOWN, (), "", capability=True))
    return dataset.catalog.get(control).title


def _look_alikes(change: NewRegistry, others: Iterable[Claim]) -> list[str]:
    """Other open proposals whose names give the same id (``Hex`` and ``HEX``): only one of
    them can be added."""
    mine = change.registry
    return [
        f"Issue #{other.issue} also proposes a registry, “{escape.inline(other.status)}”, whose "
        f"name gives the same id `{mine.id}` as “{escape.inline(mine.name)}”; only one of them "
        "can be added."
        for other in others
        if other.control == PROPOSES
        and (other.registry == mine.id or names.same(other.status, mine.name))
    ]


def _stale(dataset: Dataset, change: RatingChange, today: dt.date) -> list[str]:
    registry, days = dataset.registry(change.registry), dataset.policy.stale_after_days
    return [
        f"The current rating of {escape.inline(dataset.catalog.get(control).title)} "
        f"was verified on {day}, "
        f"more than {days} days ago."
        for control, day in tiers.stale(registry, dataset.policy, today)
    ]


def comment(dataset: Dataset, result: Validation, extra_warnings: list[str], status: str) -> str:
    """The visible text of the sticky comment."""
    errors = list(result.errors)
    previews = [_preview(dataset, result.change)] if result.change and not errors else []
    return render_template(
        "comment.md.j2",
        kind="errors" if errors else "preview",
        errors=errors,
        previews=previews,
        warnings=extra_warnings[:MAX_WARNINGS],
        more_warnings=max(0, len(extra_warnings) - MAX_WARNINGS),
        notices=result.notices,
        status=status,
    )
