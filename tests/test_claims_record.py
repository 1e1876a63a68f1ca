"""Each issue's claims are kept in its sticky record, so an event need not parse every open issue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.review import events, handler, sticky
from bot.review.backend import RepoState
from bot.review.events import Comment
from bot.review.handler import handle
from bot.review.plan import Plan, UpsertSticky
from tests.helpers import bodies, project

BOT = "packman[bot]"
REPO = {"full_name": "acme/packman", "owner": {"login": "acme"}}
CONTROL = "Prevents Credential from Being Published"
MINE = bodies.evidence(
    registry="Packagist (Composer)", control=CONTROL, status="partial", notes="Note."
)
OTHER = MINE.replace("\n\npartial\n\n", "\n\nyes\n\n")


def _issue(number: int, body: str) -> dict[str, Any]:
    return {
        "number": number,
        "title": "t",
        "body": body,
        "user": {"login": "casey"},
        "labels": [{"name": "packman: evidence"}],
        "state": "open",
    }


def _state(*issues: dict[str, Any], comments: dict[int, tuple[Comment, ...]]) -> RepoState:
    return RepoState(
        files=project.files(),
        base="main",
        base_sha="0" * 40,
        bot=BOT,
        today=dt.date(2026, 11, 25),
        issues=tuple(events.issue_from(i) for i in issues),
        comments=comments,
        permissions={"acme": "admin"},
    )


def _opened(item: dict[str, Any], repo_state: RepoState) -> Plan:
    payload = {"action": "opened", "issue": item, "repository": REPO, "sender": {"login": "c"}}
    return handle(events.from_payload("issues", payload), repo_state)


def _sticky(plan: Plan) -> str:
    return next(e.body for e in plan.effects if isinstance(e, UpsertSticky))


def _answered(number: int, body: str) -> Comment:
    """The sticky the bot itself writes when ``body`` is opened alone."""
    plan = _opened(_issue(number, body), _state(_issue(number, body), comments={}))
    return Comment(50_000 + number, BOT, _sticky(plan))


def test_the_record_keeps_the_claims_of_the_body_it_checked() -> None:
    """What the body proposes, pinned to the body's hash."""
    record = sticky.read(_answered(2, OTHER))

    assert record.claims == (("packagist", "prevents-credential-publishing", "yes"),)
    assert record.claims_of == sticky.body_hash(OTHER)


def test_warnings_from_records_equal_warnings_from_bodies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading the other issues' records gives the warnings that parsing their bodies gives, and
    parses none of them."""
    mine, others = _issue(1, MINE), [_issue(n, OTHER) for n in range(2, 6)]
    from_bodies = _sticky(_opened(mine, _state(mine, *others, comments={})))
    recorded = {n: (_answered(n, OTHER),) for n in range(2, 6)}
    checked: list[int] = []
    original = handler.check
    monkeypatch.setattr(
        handler, "check", lambda i, k, c: checked.append(i.number) or original(i, k, c)
    )

    from_records = _sticky(_opened(mine, _state(mine, *others, comments=recorded)))

    assert "Issue #5 proposes `yes`" in from_bodies
    assert from_records == from_bodies
    assert checked == [1]


def test_a_record_of_an_older_body_is_not_trusted() -> None:
    """After an edit the record no longer matches: the body is read again."""
    mine, other = _issue(1, MINE), _issue(2, OTHER)
    stale = {2: (_answered(2, MINE),)}  # recorded while issue 2 agreed

    text = _sticky(_opened(mine, _state(mine, other, comments=stale)))

    assert "Issue #2 proposes `yes`" in text


def test_the_bodies_read_per_event_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past MAX_FRESH_CLAIMS unrecorded issues, the rest are counted, not parsed."""
    monkeypatch.setattr(handler, "MAX_FRESH_CLAIMS", 3)
    mine, others = _issue(1, MINE), [_issue(n, OTHER) for n in range(2, 8)]
    checked: list[int] = []
    original = handler.check
    monkeypatch.setattr(
        handler, "check", lambda i, k, c: checked.append(i.number) or original(i, k, c)
    )

    text = _sticky(_opened(mine, _state(mine, *others, comments={})))

    assert checked == [1, 2, 3, 4]
    assert "3 other open issue(s) were not compared with this one" in text
    assert "Issue #4 proposes `yes`" in text
    assert "Issue #5 proposes" not in text
