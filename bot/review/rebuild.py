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
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import PurePosixPath

from bot import escape, limits, markers
from bot.data import changes, store, tiers
from bot.data.changes import Change, NewRegistry
from bot.data.model import Dataset
from bot.data.snapshot import Files
from bot.forms import names
from bot.render import output_memo, outputs, pages
from bot.render.environment import render_template
from bot.review import preview, sticky
from bot.review.backend import FoundBranch, RepoState
from bot.review.events import Issue
from bot.review.plan import BotBranch, Commit


@dataclass(frozen=True)
class Approved:
    """An open issue whose current body a maintainer approved."""

    issue: Issue
    """The issue."""
    change: Change
    """Its validated change."""
    approval: sticky.ApprovalRecord
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
    state: RepoState, approved: Sequence[Approved], *, dataset: Dataset | None = None
) -> BotBranch:
    """The desired bot branch and pull request for the approved issues, on main as ``state``
    holds it (``dataset``: main's, when the caller has read it already).

    When the bot branch as it is (``state.pending``) was built on this very main from exactly
    the first approvals of ``approved`` (``_reusable``), its commits are kept: the earlier changes
    are only applied in memory, and only the new approvals are rendered and committed on top. The
    result equals, commit for commit, what building everything again gives."""
    files, base_sha, found = state.files, state.base_sha, state.pending
    dataset = dataset if dataset is not None else store.dataset_from(dict(files))
    left_out = refusals(dataset, approved)
    refused = sorted(left_out.items())
    ordered = sorted((a for a in approved if a.issue.number not in left_out), key=_number)
    links = _links(base_sha, ordered)
    reusable = _reusable(found, base_sha, links)
    held = _held(ordered)
    if reusable is not None and found is not None:
        branch = _steps(files, dataset, ordered, reusable, found.head)
        if branch.commits:  # else the new approvals write nothing: build it all again below
            return _finish(state, branch, refused=refused, links=links, held=held)
    return _finish(state, _steps(files, dataset, ordered), refused=refused, links=links, held=held)


MAX_HELD = 30_000
"""Characters the approvals marker may take in the pull request body (about 250 approvals); the
approvals past it are left out of it, and their issues' comments are read instead."""


def _held(ordered: Sequence[Approved]) -> str:
    """The approvals marker: each approval's record by issue number, as many as fit MAX_HELD."""
    records: dict[str, object] = {}
    size = len(markers.approvals({}))
    for item in ordered:
        record = asdict(item.approval)
        size += (
            len(markers.approvals({str(item.issue.number): record}))
            - len(markers.approvals({}))
            + 1
        )
        if size > MAX_HELD:
            break
        records[str(item.issue.number)] = record
    return markers.approvals(records)


@dataclass(frozen=True)
class _Kept:
    """What the kept commits of the bot branch hold, from its pull request's built marker."""

    approvals: int
    """How many approvals (the first ones, in order) they hold."""
    commits: int
    """How many commits they are."""
    refresh: bool
    """True when the first of them refreshes generated files that were stale on main."""


@dataclass(frozen=True)
class _Built:
    """The commits and table rows of one build, before the pull request body is written."""

    commits: list[Commit]
    rows: list[dict[str, object]]
    refresh: bool
    dataset: Dataset
    """The data after every approval."""
    kept: _Kept | None = None
    on: str = ""


def _apply(dataset: Dataset, item: Approved) -> Dataset:
    day = dt.date.fromisoformat(item.approval.date)
    return changes.apply(
        dataset,
        item.change,
        changes.Approval(item.issue.number, item.issue.author, item.approval.by, day),
    )


def _steps(
    files: Files,
    dataset: Dataset,
    ordered: Sequence[Approved],
    kept: _Kept | None = None,
    on: str = "",
) -> _Built:
    """Apply every approval in order; render and commit those after the ``kept`` ones."""
    snapshot = dict(files)
    rows: list[dict[str, object]] = []
    commits: list[Commit] = []
    start = kept.approvals if kept else 0
    for item in ordered[:start]:  # already committed: applied in memory only, nothing rendered
        after = _apply(dataset, item)
        rows.append(_row(item, dataset, after))
        dataset = after
    rendered = outputs.render_all(snapshot, dataset)
    refreshed = kept.refresh if kept else False
    if kept is None:
        refresh = _diff(snapshot, rendered)
        refreshed = bool(refresh)
        if refresh:
            message = (
                "Refresh generated files\n\nThey were stale on main; `packman render` rewrote them."
            )
            commits.append(Commit(message, refresh))
        snapshot.update(refresh)
    else:
        # Every owned file on the kept branch head is what rendering its data gives.
        snapshot.update(rendered)
    for item in ordered[start:]:
        after = _apply(dataset, item)
        # Only what this change can touch is rendered again (equal to a full render).
        rendered = outputs.render_after(snapshot, dataset, after, rendered)
        written = _diff(snapshot, rendered)
        if written:
            commits.append(Commit(_message(item, dataset), written))
        rows.append(_row(item, dataset, after))
        snapshot.update(written)
        dataset = after
    return _Built(commits, rows, refreshed, dataset, kept, on)


def _finish(
    state: RepoState,
    built: _Built,
    *,
    refused: list[tuple[int, str]],
    links: list[str],
    held: str,
) -> BotBranch:
    """The branch and pull request body of a build."""
    base_sha, today = state.base_sha, state.today
    kept = built.kept.commits if built.kept else 0
    record = {
        "base": base_sha,
        "refresh": built.refresh,
        "items": links,
        "commits": kept + len(built.commits),
    }
    fingerprint = _fingerprint(record, refused)
    dataset = built.dataset
    visible = render_template(
        "pull_request.md.j2",
        items=built.rows,
        refused=refused,
        refresh=built.refresh,
        stale=_stale(dataset, today),
        stale_days=dataset.policy.stale_after_days,
    )
    numbers = [int(str(row["issue"])) for row in built.rows]
    hidden = "".join(f"\nCloses #{n}" for n in numbers) + (
        f"\n\n{markers.issues(numbers)}\n{markers.fingerprint(fingerprint)}\n"
        f"{markers.built(record)}\n{held}\n"
    )
    # Room is kept for the head marker a backend appends (``pull_body``).
    body = limits.fit(visible.rstrip() + "\n", hidden, limits.MAX_TEXT - limits.RESERVED)
    rows = built.rows
    title = (
        f"packman: {len(rows)} approved change(s)" if rows else "packman: refresh generated files"
    )
    return BotBranch(
        state.base,
        tuple(built.commits),
        title,
        body,
        fingerprint,
        tuple(refused),
        on=built.on,
        kept=kept,
    )


def _links(base_sha: str, ordered: Sequence[Approved]) -> list[str]:
    """One hash per approval, of main, the code and every approval up to it (issue, author, body,
    approving comment): equal hashes mean equal commits up to that approval."""
    digest = hashlib.sha256(f"{base_sha}\0{output_memo.code_fingerprint()}".encode())
    found = []
    for item in ordered:
        approval = item.approval
        fields = [
            item.issue.number,
            item.issue.author,
            sticky.body_hash(item.issue.body),
            approval.by,
            approval.body_sha256,
            approval.comment_id,
            approval.date,
            approval.allow_downgrade,
        ]
        digest.update(json.dumps(fields).encode())
        found.append(digest.copy().hexdigest()[:16])
    return found


def _reusable(found: FoundBranch | None, base_sha: str, links: list[str]) -> _Kept | None:
    """What of ``found`` can be kept: its commits, when the bot wrote them (its pull request's head
    marker names the branch's head), on this main, for exactly the first approvals of ``links``
    and fewer than all of them (anything else is built again from main)."""
    if found is None or not found.head or markers.head(found.head) not in found.body:
        return None
    text = markers.read_built(found.body)
    try:
        data = json.loads(text) if text else None
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("base") != base_sha:
        return None
    items, commits, refresh = data.get("items"), data.get("commits"), data.get("refresh")
    if not isinstance(items, list) or not isinstance(commits, int) or not isinstance(refresh, bool):
        return None
    if not items or len(items) >= len(links) or items != links[: len(items)]:
        return None
    return _Kept(len(items), commits, refresh)


def _number(item: Approved) -> int:
    return item.issue.number


def _stale(dataset: Dataset, today: dt.date) -> list[str]:
    return sorted(r.name for r in dataset.registries if tiers.stale(r, dataset.policy, today))


def _fingerprint(record: dict[str, object], refused: Sequence[tuple[int, str]] = ()) -> str:
    digest = hashlib.sha256(json.dumps(record, sort_keys=True).encode())
    for number, reason in refused:
        digest.update(f"\0refused {number}\0{reason}".encode())
    return digest.hexdigest()[:16]


def pull_body(branch: BotBranch, head: str) -> str:
    """The pull request body a backend writes: the rendered body, then the head commit it
    describes."""
    return f"{branch.body.rstrip()}\n{markers.head(head)}\n"


def rebuilt(branch: BotBranch) -> str:
    """How a backend reports writing ``branch``: commits rebuilt, or kept and added."""
    if branch.kept:
        return f"bot branch: {branch.kept} commit(s) kept, {len(branch.commits)} added"
    return f"bot branch rebuilt ({len(branch.commits)} commit(s))"


def pull_is_current(body: str | None, branch: BotBranch, head: str) -> bool:
    """True when the pull request describes ``branch`` and the bot branch's ``head`` is the commit
    the bot wrote."""
    text = body or ""
    described = markers.fingerprint(branch.fingerprint) in text
    return bool(head) and described and markers.head(head) in text
