"""The bot's one comment per issue, found by a hidden marker, and the record it carries.

The sticky comment is the bot's memory of an issue: besides the text people read,
it holds a hidden JSON record of the approval (who, when, pinned to a hash of the
body). Only a comment written by the bot's own login is trusted; anybody can
paste the marker into a comment of theirs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from bot import markers
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
        approval = ApprovalRecord(**data["approval"]) if data.get("approval") else None
        claims = tuple(_claim(item) for item in data.get("claims") or ())
        claims_of = data.get("claims_of")
        return Record(
            approval,
            bool(data.get("voided_by_edit")),
            data.get("rejected"),
            claims,
            claims_of if isinstance(claims_of, str) else None,
        )
    except (ValueError, TypeError, KeyError):
        return Record()


def _claim(item: object) -> tuple[str, str, str]:
    if not (isinstance(item, list) and len(item) == 3 and all(isinstance(s, str) for s in item)):
        raise ValueError("a claim is [registry, control, status]")
    return (item[0], item[1], item[2])


def write(text: str, record: Record) -> str:
    """The full comment body: marker, visible text, hidden record."""
    return f"{markers.STICKY}\n{text.rstrip()}\n\n{markers.record(asdict(record))}\n"


def approval(
    by: str, body: str | None, comment_id: int, today: dt.date, allow_downgrade: bool
) -> ApprovalRecord:
    """A new approval record pinned to ``body``."""
    return ApprovalRecord(by, body_hash(body), comment_id, today.isoformat(), allow_downgrade)
