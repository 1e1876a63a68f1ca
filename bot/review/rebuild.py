"""The content of the bot branch: main, plus one commit per approved issue.

Pure. Starting from a snapshot of main, the first commit (if needed) refreshes
generated files that are stale on main; then each approved issue, in issue
order, applies its change and regenerates every output. The result carries a
fingerprint of everything that went in, so an unchanged rebuild writes nothing.

A backend writes the pull request body with one more hidden line, the commit it
moved the bot branch to: the pull request is current only while its fingerprint
matches and the branch still points there, so a commit pushed to the bot branch
by hand is replaced by the next rebuild.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from bot import markers
from bot.data import changes, store, tiers
from bot.data.changes import Change, NewRegistry
from bot.data.model import Dataset
from bot.data.snapshot import Files
from bot.render import outputs
from bot.render.environment import render_template
from bot.review.events import Issue
from bot.review.plan import BotBranch, Commit
from bot.review.sticky import ApprovalRecord


@dataclass(frozen=True)
class Approved:
    """An open issue whose current body a maintainer approved."""

    issue: Issue
    """The issue."""
    change: Change
    """Its validated change."""
    approval: ApprovalRecord
    """Who approved, and when."""


def _diff(files: Files, new: dict[PurePosixPath, str]) -> dict[PurePosixPath, str]:
    return {path: text for path, text in new.items() if files.get(path) != text}


def _message(item: Approved, dataset: Dataset) -> str:
    change = item.change
    if isinstance(change, NewRegistry):
        head = f"Add {change.registry.name} to packman"
    else:
        name = dataset.registry(change.registry).name
        rating = change.ratings[0]
        head = f"{name}: {dataset.catalog.get(rating.control).title} is {rating.status.value}"
        if len(change.ratings) > 1 or len(head) > 64:
            head = f"{name}: {len(change.ratings)} rating(s)"
    return (
        f"{head} (#{item.issue.number})\n\nApproved by {item.approval.by} in issue "
        f"#{item.issue.number}, submitted by {item.issue.author}."
    )


def _registry_id(change: Change) -> str:
    return change.registry.id if isinstance(change, NewRegistry) else change.registry


def _tier(dataset: Dataset, registry_id: str) -> int:
    return tiers.compute(dataset.registry(registry_id), dataset.policy, dataset.catalog).tier


def _row(item: Approved, before: Dataset, after: Dataset) -> dict[str, object]:
    """One line of the pull request's table."""
    change, registry_id = item.change, _registry_id(item.change)
    if isinstance(change, NewRegistry):
        described, tier_before = ["new registry"], "—"
    else:
        old = before.registry(registry_id)
        described = [
            f"{after.catalog.get(r.control).title}: "
            f"{old.status(r.control).value} → {r.status.value}"
            for r in change.ratings
        ]
        tier_before = str(_tier(before, registry_id))
    return {
        "issue": item.issue.number,
        "registry": after.registry(registry_id).name,
        "changes": described,
        "tier_before": tier_before,
        "tier_after": _tier(after, registry_id),
        "approved_by": item.approval.by,
    }


def build(
    files: Files,
    base: str,
    base_sha: str,
    approved: Sequence[Approved],
    today: dt.date,
    *,
    dataset: Dataset | None = None,
) -> BotBranch:
    """The desired bot branch and pull request for the approved issues (``dataset``: main's,
    when the caller has read it already)."""
    snapshot = dict(files)
    dataset = dataset if dataset is not None else store.dataset_from(snapshot)
    rendered = outputs.render_all(snapshot, dataset)
    refresh = _diff(snapshot, rendered)
    commits = (
        [
            Commit(
                "Refresh generated files\n\n"
                "They were stale on main; `packman render` rewrote them.",
                refresh,
            )
        ]
        if refresh
        else []
    )
    snapshot.update(refresh)
    rows = []
    ordered = sorted(approved, key=lambda a: a.issue.number)
    for item in ordered:
        day = dt.date.fromisoformat(item.approval.date)
        after = changes.apply(
            dataset,
            item.change,
            changes.Approval(item.issue.number, item.issue.author, item.approval.by, day),
        )
        # Only what this change can touch is rendered again (equal to a full render).
        rendered = outputs.render_after(snapshot, dataset, after, rendered)
        written = _diff(snapshot, rendered)
        if written:
            commits.append(Commit(_message(item, dataset), written))
        rows.append(_row(item, dataset, after))
        snapshot.update(written)
        dataset = after
    fingerprint = _fingerprint(base_sha, commits)
    body = render_template(
        "pull_request.md.j2",
        items=rows,
        refresh=bool(refresh),
        stale=_stale(dataset, today),
        stale_days=dataset.policy.stale_after_days,
        issues_marker=markers.issues([item.issue.number for item in ordered]),
        fingerprint_marker=markers.fingerprint(fingerprint),
    )
    title = (
        f"packman: {len(rows)} approved change(s)" if rows else "packman: refresh generated files"
    )
    return BotBranch(base, tuple(commits), title, body, fingerprint)


def _stale(dataset: Dataset, today: dt.date) -> list[str]:
    return sorted(r.name for r in dataset.registries if tiers.stale(r, dataset.policy, today))


def _fingerprint(base_sha: str, commits: Sequence[Commit]) -> str:
    digest = hashlib.sha256(base_sha.encode())
    for commit in commits:
        digest.update(commit.message.encode())
        for path in sorted(commit.files):
            digest.update(f"\0{path}\0{commit.files[path]}".encode())
    return digest.hexdigest()[:16]


def pull_body(branch: BotBranch, head: str) -> str:
    """The pull request body a backend writes: the rendered body, then the head commit it
    describes."""
    return f"{branch.body.rstrip()}\n{markers.head(head)}\n"


def pull_is_current(body: str | None, branch: BotBranch, head: str) -> bool:
    """True when the pull request describes ``branch`` and the bot branch's ``head`` is the commit
    the bot wrote."""
    text = body or ""
    described = markers.fingerprint(branch.fingerprint) in text
    return bool(head) and described and markers.head(head) in text
