"""Commands whose run never came are answered by a later run (issue #10 item 1).

Before, a command was read only from its own event's payload: a run GitHub cancelled (about 110
comments in a row fill its queue) lost a maintainer's approval for good. Each test here failed
before the fix.
"""

from __future__ import annotations

import datetime as dt

import yaml

from bot import markers
from bot.backends.local import ingest
from bot.review import events, repair, sticky
from bot.review.backend import RepoState
from bot.review.events import Comment
from bot.review.handler import handle
from bot.review.labels import StateLabel
from bot.review.plan import Reply
from tests.helpers import bodies, project
from tests.helpers.paths import PROJECT
from tests.helpers.story import OWNER, PACKAGIST_UP, REPO, Story

TODAY = dt.date(2026, 11, 25)
VALID = bodies.evidence(
    registry="Packagist (Composer)",
    control="Prevents Credential from Being Published",
    status="partial",
    links="https://packagist.org/about",
    notes="Note.",
)


def _issue(number: int, state: str = "open") -> events.Issue:
    data = {"number": number, "title": "t", "body": VALID, "user": {"login": "casey"},
            "labels": [{"name": "packman: evidence"}], "state": state}  # fmt: skip
    return events.issue_from(data)


def _state(issues: tuple[events.Issue, ...], comments: dict[int, tuple[Comment, ...]]) -> RepoState:
    return RepoState(project.files(), "main", "0" * 40, "packman[bot]", TODAY, issues, comments,
                     {"acme": "admin"})  # fmt: skip


def test_unanswered_commands_are_found_oldest_first_and_bounded() -> None:
    """Answered commands, rechecks, edited comments, the bot's own words, closed issues and the
    event's own comment are left out; at most MAX_REPAIRS a run."""
    reply = Comment(90, "packman[bot]", f"{markers.reply(11)}\nApproved.")
    recent = [
        (1, reply),
        (1, Comment(11, "acme", "/packman approve")),  # answered
        (1, Comment(12, "casey", "/packman recheck")),  # no reply by design
        (1, Comment(13, "packman[bot]", "/packman help")),  # the bot's own
        (2, Comment(20, "acme", "/packman reject closed already")),  # issue #2 is closed
        (3, Comment(30, "casey", "thanks!")),  # no command
        *[(3, Comment(n, "acme", "/packman help")) for n in (35, 31, 34, 33, 32)],
        (
            3,
            Comment(25, "acme", "/packman approve", "2026-11-25T10:00:00Z", "2026-11-25T10:07:00Z"),
        ),
    ]  # comment 25 was edited into a command after it was posted: never a command
    state = _state((_issue(1), _issue(2, "closed"), _issue(3)), {})

    found = repair.unanswered(state, recent, handled=31)

    assert [c.id for _, c in found] == [32, 33, 34]
    assert repair.MAX_REPAIRS == 3
    late = repair.event_for(events.Event("schedule", None, "", "acme", "acme/packman"), *found[0])
    assert (late.name, late.action, late.sender, late.repair) == (
        "issue_comment",
        "created",
        "acme",
        True,
    )


def test_late_approval_after_the_preview_changed_is_refused() -> None:
    """A repaired approve counts only when the bot's comment is as it was when the command was
    written; else the maintainer is asked to look again."""
    previewed = sticky.Record(previewed_sha256=sticky.body_hash(_issue(1).body))
    text = sticky.write("### packman: preview", previewed)
    old_sticky = Comment(100, "packman[bot]", text, "2026-11-25T10:00:00Z", "2026-11-25T10:00:00Z")
    new_sticky = Comment(100, "packman[bot]", text, "2026-11-25T10:00:00Z", "2026-11-25T10:09:00Z")
    command = Comment(
        11, "acme", "/packman approve", "2026-11-25T10:05:00Z", "2026-11-25T10:05:00Z"
    )
    base = events.Event(
        "issue_comment", "created", "acme", "acme", "acme/packman", _issue(1), command
    )
    late = repair.event_for(base, _issue(1), command)

    unchanged = handle(late, _state((_issue(1),), {1: (old_sticky, command)}))
    changed = handle(late, _state((_issue(1),), {1: (new_sticky, command)}))

    assert any("approved by acme" in n for n in unchanged.notes)
    [reply] = changed.effects
    assert isinstance(reply, Reply) and "not answered in time" in reply.body
    assert handle(base, _state((_issue(1),), {1: (new_sticky, command)})).notes != changed.notes


def test_lost_approval_is_answered_by_the_next_event_locally(story: Story) -> None:
    """End to end on the local backend: the approval's run never happened (the comment is only
    stored, as GitHub stores it before it cancels the run); the next event answers it."""
    assert story.open_issue(1, PACKAGIST_UP) == 0
    comment = {"id": 11, "user": {"login": OWNER}, "body": "/packman approve"}
    issue = {k: story.issue(1)[k] for k in ("number", "title", "body", "user", "labels", "state")}
    ingest(story.state, "issue_comment", {"action": "created", "issue": issue, "comment": comment,
                                          "repository": REPO})  # fmt: skip
    assert story.labels(1)[-1] == StateLabel.READY.value

    assert story.send("workflow_dispatch", {"sender": {"login": OWNER}}) == 0

    assert story.labels(1)[-1] == StateLabel.APPROVED.value
    assert story.branch_log() == ["Packagist (Composer): 1 rating(s) (#1)"]
    replies = [b for b in story.bot_comments(1) if markers.reply(11) in b]
    assert len(replies) == 1
    assert story.send("workflow_dispatch", {"sender": {"login": OWNER}}) == 0
    assert len([b for b in story.bot_comments(1) if markers.reply(11) in b]) == 1


def test_workflow_starts_only_for_events_that_can_matter() -> None:
    """The job's `if:` skips comments without /packman and pull requests that are not this
    repository's bot branch; the queue is the job's, so a skipped run takes no place in it; issues
    transferred or deleted start it."""
    workflow = yaml.safe_load((PROJECT / ".github/workflows/packman.yml").read_text("utf-8"))
    job = workflow["jobs"]["bot"]
    condition = " ".join(job["if"].split())

    assert "contains(github.event.comment.body, '/packman')" in condition
    assert "github.event.pull_request.head.repo.full_name == github.repository" in condition
    assert "github.event.pull_request.head.ref == 'packman/pending'" in condition
    assert "concurrency" not in workflow and job["concurrency"]["group"] == "packman-bot"
    assert {"transferred", "deleted"} <= set(workflow[True]["issues"]["types"])
