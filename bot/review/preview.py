"""The text of the sticky comment: the errors of a submission, or a preview of its effect.

Pure: a validation, the dataset of main and the other open submissions in; Markdown
out. Every value a contributor typed is escaped for where it lands.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from bot import escape
from bot.data import changes, tiers
from bot.data.changes import Change, NewRegistry, RatingChange
from bot.data.model import Dataset
from bot.forms.validate import Validation
from bot.render import pages, tables
from bot.render.environment import render_template


@dataclass(frozen=True)
class Claim:
    """What another open submission proposes for one control."""

    issue: int
    """The other issue."""
    registry: str
    """Registry id."""
    control: str
    """Control id."""
    status: str
    """The status it proposes."""


def claims(issue: int, change: Change | None) -> list[Claim]:
    """The claims one submission makes (none for a new registry)."""
    if not isinstance(change, RatingChange):
        return []
    return [Claim(issue, change.registry, r.control, r.status.value) for r in change.ratings]


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
            "title": dataset.catalog.get(r.control).title,
            "before": registry.status(r.control).value,
            "after": r.status.value,
            "evidence": r.evidence,
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
        "ratings": _ratings(dataset, change),
        "table": _table((dataset, after), change.registry),
    }


def warnings(
    dataset: Dataset, change: Change, issue: int, others: Iterable[Claim], today: dt.date
) -> list[str]:
    """Tier drops, contradicting open submissions and stale evidence, as Markdown lines."""
    found = []
    before, after = tier_change(dataset, change)
    if isinstance(change, RatingChange) and after < before:
        found.append(
            f"This lowers the tier from {before} to {after}; a maintainer has to approve with "
            "`/packman approve --allow-downgrade`."
        )
    mine = {(c.registry, c.control): c.status for c in claims(issue, change)}
    for other in others:
        if (
            other.issue != issue
            and mine.get((other.registry, other.control), other.status) != other.status
        ):
            title = dataset.catalog.get(other.control).title
            found.append(
                f"Issue #{other.issue} proposes `{other.status}` for {escape.inline(title)}."
            )
    if isinstance(change, RatingChange):
        found += _stale(dataset, change, today)
    return found


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
        warnings=extra_warnings,
        notices=result.notices,
        status=status,
    )
