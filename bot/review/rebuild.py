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

from bot import escape, limits, markers
from bot.data import changes, store, tiers
from bot.data.changes import Change, NewRegistry
from bot.data.model import Dataset
from bot.data.snapshot import Files
from bot.forms import names
from bot.render import outputs, pages
from bot.render.environment import render_template
from bot.review import preview
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
        head = f"{name}: {preview.rating_title(dataset, rating)} is {rating.status.value}"
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
    moved: list[str] = []
    notes: list[dict[str, str]] = []
    if isinstance(change, NewRegistry):
        described, tier_before = ["new registry"], "—"
    else:
        old = before.registry(registry_id)
        described = [
            f"{preview.rating_title(after, r)}: {changes.before(old, r).value} → {r.status.value}"
            for r in change.ratings
        ]
        tier_before = str(_tier(before, registry_id))
        moved = [c.describe() for c in preview.level_changes(before, after, registry_id)]
        notes = [
            {"title": preview.rating_title(after, r), "notes": pages.published_notes(r.notes)}
            for r in change.ratings
        ]
    return {
        "issue": item.issue.number,
        "registry": after.registry(registry_id).name,
        "changes": described,
        "tier_before": tier_before,
        "tier_after": _tier(after, registry_id),
        "levels": moved,
        "notes": notes,
        "approved_by": item.approval.by,
    }


def refusals(dataset: Dataset, approved: Sequence[Approved]) -> dict[int, str]:
    """The approved issues that cannot go on top of ``dataset``, with the reason (Markdown, names
    escaped): a new registry whose name gives the id of one packman rates, or of one an earlier
    approval adds (by approving comment; the first approved wins), or folds to its name."""
    taken: dict[str, tuple[int | None, str]] = {r.id: (None, r.name) for r in dataset.registries}
    refused: dict[int, str] = {}
    for item in sorted(approved, key=lambda a: (a.approval.comment_id, a.issue.number)):
        if not isinstance(item.change, NewRegistry):
            continue
        mine = item.change.registry
        clash = next(
            (
                key
                for key, (_, name) in taken.items()
                if key == mine.id or names.same(name, mine.name)
            ),
            None,
        )
        if clash is None:
            taken[mine.id] = (item.issue.number, mine.name)
            continue
        number, name = taken[clash]
        where = f"issue #{number} already adds" if number else "packman already rates"
        refused[item.issue.number] = (
            f"the name “{escape.inline(mine.name)}” gives the same id “{mine.id}” as "
            f"“{escape.inline(name)}”, which {where}; only one of them can be added"
        )
    return refused


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
    left_out = refusals(dataset, approved)
    refused = sorted(left_out.items())
    ordered = sorted((a for a in approved if a.issue.number not in left_out), key=_number)
    rows = []
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
    fingerprint = _fingerprint(base_sha, commits, refused)
    visible = render_template(
        "pull_request.md.j2",
        items=rows,
        refused=refused,
        refresh=bool(refresh),
        stale=_stale(dataset, today),
        stale_days=dataset.policy.stale_after_days,
    )
    numbers = [item.issue.number for item in ordered]
    hidden = "".join(f"\nCloses #{n}" for n in numbers) + (
        f"\n\n{markers.issues(numbers)}\n{markers.fingerprint(fingerprint)}\n"
    )
    # Room is kept for the head marker a backend appends (``pull_body``).
    body = limits.fit(visible.rstrip() + "\n", hidden, limits.MAX_TEXT - limits.RESERVED)
    title = (
        f"packman: {len(rows)} approved change(s)" if rows else "packman: refresh generated files"
    )
    return BotBranch(base, tuple(commits), title, body, fingerprint, tuple(refused))


def _number(item: Approved) -> int:
    return item.issue.number


def _stale(dataset: Dataset, today: dt.date) -> list[str]:
    return sorted(r.name for r in dataset.registries if tiers.stale(r, dataset.policy, today))


def _fingerprint(
    base_sha: str, commits: Sequence[Commit], refused: Sequence[tuple[int, str]] = ()
) -> str:
    digest = hashlib.sha256(base_sha.encode())
    for number, reason in refused:
        digest.update(f"\0refused {number}\0{reason}".encode())
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
