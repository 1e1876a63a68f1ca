"""The bot's one comment per issue, found by a hidden marker, and the record it carries.

The sticky comment is the bot's memory of an issue: besides the text people read,
it holds a hidden JSON record of the approval (who, when, pinned to a hash of the
body) and the hash of the body its visible preview was made from: a maintainer approves
what the preview showed, so an approval counts only while the body still has that hash.
Only a comment written by the bot's own login is trusted; anybody can paste the marker
into a comment of theirs.

Every comment the bot writes fits GitHub's limit (:data:`bot.limits.MAX_TEXT`) by
construction: :func:`write` shortens the visible text, never the record.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from bot import limits, markers
from bot.markdown import normalize_newlines
from bot.review.events import Comment


@dataclass(frozen=True)
class ApprovalRecord:
    """An approval, pinned to the body it approved."""

    by: str
    """Login of the maintainer."""
    body_sha256: str
    """Hash of the issue body at approval time."""
    comment_id: int
    """The comment that approved."""
    date: str
    """ISO date of the approval."""
    allow_downgrade: bool = False
    """True when the approval accepted a lower tier."""


@dataclass(frozen=True)
class Record:
    """What the sticky comment remembers."""

    approval: ApprovalRecord | None = None
    """The current approval, if any."""
    voided_by_edit: bool = False
    """True when an approval was voided because the body changed afterwards."""
    rejected: str | None = None
    """The reason, when rejected."""
    previewed_sha256: str | None = None
    """Hash of the body the visible text (preview or errors) was made from; None in records
    written before packman kept it."""
    claims: tuple[tuple[str, str, str], ...] = ()
    """What the body proposes: (registry, control, status) per rating, for other issues'
    conflict warnings, so that an event need not parse every open issue again."""
    claims_of: str | None = None
    """The :func:`body_hash` of the body ``claims`` were read from (None: not worked out)."""


def body_hash(body: str | None) -> str:
    """The hash an approval is pinned to (line endings normalised)."""
    return hashlib.sha256(normalize_newlines(body or "").encode()).hexdigest()


def find(comments: Iterable[Comment], bot: str) -> Comment | None:
    """The bot's sticky comment among ``comments``."""
    return next((c for c in comments if c.author == bot and markers.STICKY in c.body), None)


def read(comment: Comment | None) -> Record:
    """The record in a sticky comment (an empty record if none or unreadable)."""
    found = markers.read_record(comment.body) if comment else None
    if found is None:
        return Record()
    try:
        data = json.loads(found)
        approval = _approval(data["approval"]) if data.get("approval") else None
        previewed = data.get("previewed_sha256")
        claims = tuple(_claim(item) for item in data.get("claims") or ())
        claims_of = data.get("claims_of")
        return Record(
            approval,
            bool(data.get("voided_by_edit")),
            data.get("rejected"),
            previewed_sha256=previewed if isinstance(previewed, str) else None,
            claims=claims,
            claims_of=claims_of if isinstance(claims_of, str) else None,
        )
    except (ValueError, TypeError, KeyError):
        return Record()


def held(text: str) -> dict[int, ApprovalRecord]:
    """The approval records in a bot pull request's body (its approvals marker), by issue; the
    unreadable ones are left out (their issues' comments are then read)."""
    found = markers.read_approvals(text)
    try:
        data = json.loads(found) if found else {}
    except ValueError:
        return {}
    records = {}
    for number, item in data.items() if isinstance(data, dict) else ():
        try:
            records[int(number)] = _approval(item)
        except (TypeError, ValueError):
            continue
    return records


def _approval(item: object) -> ApprovalRecord:
    if not isinstance(item, dict):
        raise TypeError("an approval record is an object")
    record = ApprovalRecord(**item)
    kinds = [
        (record.by, str),
        (record.body_sha256, str),
        (record.comment_id, int),
        (record.date, str),
    ]
    if not all(isinstance(value, kind) for value, kind in kinds) or not isinstance(
        record.allow_downgrade, bool
    ):
        raise TypeError("an approval record has a field of the wrong type")
    return record


def _claim(item: object) -> tuple[str, str, str]:
    if not (isinstance(item, list) and len(item) == 3 and all(isinstance(s, str) for s in item)):
        raise ValueError("a claim is [registry, control, status]")
    return (item[0], item[1], item[2])


def write(text: str, record: Record) -> str:
    """The full comment body: marker, visible text, hidden record; within GitHub's limit (the
    visible text is shortened, with a visible mark, when it would not fit)."""
    return limits.fit(
        f"{markers.STICKY}\n{text.rstrip()}", f"\n\n{markers.record(asdict(record))}\n"
    )


def previewed(record: Record, body: str | None) -> bool:
    """True when the comment's visible text was made from ``body`` as it is now."""
    return record.previewed_sha256 == body_hash(body)


def approval(
    by: str, body: str | None, comment_id: int, today: dt.date, allow_downgrade: bool
) -> ApprovalRecord:
    """A new approval record pinned to ``body``."""
    return ApprovalRecord(by, body_hash(body), comment_id, today.isoformat(), allow_downgrade)
