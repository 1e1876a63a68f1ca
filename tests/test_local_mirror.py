"""The local backend mirrors what GitHub holds after an event (issue #10 item 6).

Each test failed before: ``ingest`` wrote a transferred issue back into the state, kept a deleted
issue, and kept a deleted comment.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.backends.local import ingest

REPO = {"full_name": "acme/packman", "owner": {"login": "acme"}}


def _issue(number: int, body: str = "body") -> dict[str, Any]:
    return {"number": number, "title": "t", "body": body, "user": {"login": "casey"},
            "labels": [{"name": "packman: evidence"}], "state": "open"}  # fmt: skip


def _comment(comment_id: int, body: str) -> dict[str, Any]:
    return {"id": comment_id, "user": {"login": "casey"}, "body": body,
            "created_at": "2026-11-25T10:00:00Z", "updated_at": "2026-11-25T10:00:00Z"}  # fmt: skip


def _stored(state: Path, number: int) -> dict[str, Any] | None:
    path = state / "issues" / f"{number}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _opened_with_comments(state: Path) -> None:
    ingest(state, "issues", {"action": "opened", "issue": _issue(1), "repository": REPO})
    for n in (11, 12):
        payload = {"action": "created", "issue": _issue(1), "comment": _comment(n, f"c{n}")}
        ingest(state, "issue_comment", {**payload, "repository": REPO})


def test_transferred_issue_leaves_the_state(tmp_path: Path) -> None:
    """The issue now lives in another repository: GitHub no longer lists it here."""
    _opened_with_comments(tmp_path)
    elsewhere = {**_issue(40, "the other repository's issue"), "repository_url": "other/repo"}
    payload = {
        "action": "transferred",
        "issue": _issue(1),
        "changes": {"new_issue": elsewhere, "new_repository": {"full_name": "other/repo"}},
        "repository": REPO,
    }

    ingest(tmp_path, "issues", payload)

    assert _stored(tmp_path, 1) is None
    assert _stored(tmp_path, 40) is None


def test_deleted_issue_leaves_the_state(tmp_path: Path) -> None:
    _opened_with_comments(tmp_path)

    ingest(tmp_path, "issues", {"action": "deleted", "issue": _issue(1), "repository": REPO})

    assert _stored(tmp_path, 1) is None


def test_deleted_comment_leaves_the_issue(tmp_path: Path) -> None:
    _opened_with_comments(tmp_path)
    payload = {"action": "deleted", "issue": _issue(1), "comment": _comment(11, "c11")}

    ingest(tmp_path, "issue_comment", {**payload, "repository": REPO})

    stored = _stored(tmp_path, 1)
    assert stored is not None
    assert [c["id"] for c in stored["comments"]] == [12]
    assert stored["comments"][0]["created_at"] == "2026-11-25T10:00:00Z"
