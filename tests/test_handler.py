"""The pure core: handle(event, state) → Plan, from plain payloads and an in-memory snapshot of main."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePosixPath
from typing import Any

import pytest

from bot.errors import PackmanError
from bot.review import events, sticky
from bot.review.backend import RepoState
from bot.review.handler import handle
from bot.review.labels import StateLabel
from bot.review.plan import BotBranch, Plan, Reply, SetState, UpsertSticky
from tests.helpers import bodies, project

FILES = project.files()
REPO = {"full_name": "acme/packman", "owner": {"login": "acme"}}
TODAY = dt.date(2026, 11, 25)


def issue(
    number: int, body: str, labels: tuple[str, ...] = ("packman: evidence",)
) -> dict[str, Any]:
    return {
        "number": number,
        "title": "t",
        "body": body,
        "user": {"login": "casey"},
        "labels": [{"name": n} for n in labels],
        "state": "open",
    }


def state(
    *issues: dict[str, Any],
    files: Any = FILES,
    comments: dict[int, tuple[events.Comment, ...]] | None = None,
    permissions: dict[str, str] | None = None,
) -> RepoState:
    return RepoState(
        files=files,
        base="main",
        base_sha="0" * 40,
        bot="packman[bot]",
        today=TODAY,
        issues=tuple(events.issue_from(i) for i in issues),
        comments=comments or {},
        permissions=permissions or {"acme": "admin"},
    )


def run(name: str, payload: dict[str, Any], repo_state: RepoState) -> Plan:
    return handle(
        events.from_payload(name, {"repository": REPO, "sender": {"login": "casey"}, **payload}),
        repo_state,
    )


def kinds(plan: Plan) -> list[str]:
    return [type(e).__name__ for e in plan.effects]


def sticky_text(plan: Plan) -> str:
    return next(e.body for e in plan.effects if isinstance(e, UpsertSticky))


VALID = bodies.evidence(
    registry="Packagist (Composer)",
    control="Prevents Credential from Being Published",
    status="partial",
    links="https://packagist.org/about",
    notes="Note.",
)


def test_opened_valid_issue_gets_preview_and_ready_label_only() -> None:
    """A new valid issue: one sticky comment and the ready label; nothing approved, so no rebuild."""
    item = issue(1, VALID)

    plan = run("issues", {"action": "opened", "issue": item}, state(item))

    assert kinds(plan) == ["UpsertSticky", "SetState"]
    assert SetState(1, StateLabel.READY) in plan.effects
    assert "### packman: preview" in sticky_text(plan)


def test_contradicting_open_issue_is_warned_about() -> None:
    """Another open issue proposing a different status for the same registry and control is named."""
    mine, other = issue(1, VALID), issue(2, VALID.replace("\n\npartial\n\n", "\n\nyes\n\n"))

    plan = run("issues", {"action": "opened", "issue": mine}, state(mine, other))

    assert "Issue #2 proposes `yes` for Prevents Credential from Being Published." in sticky_text(
        plan
    )


def test_agreeing_open_issue_is_not_a_conflict() -> None:
    """An open issue proposing the same status is not reported."""
    mine, other = issue(1, VALID), issue(2, VALID)

    plan = run("issues", {"action": "opened", "issue": mine}, state(mine, other))

    assert "proposes" not in sticky_text(plan)


def test_stale_evidence_is_warned_about() -> None:
    """A current rating verified longer ago than the policy allows is flagged in the preview."""
    path = PurePosixPath("assessments/registries/packagist.yml")
    files = {**FILES, path: FILES[path].replace("verified: 2026-11-25", "verified: 2024-01-02", 1)}
    item = issue(1, VALID)

    plan = run("issues", {"action": "opened", "issue": item}, state(item, files=files))

    assert "was verified on 2024-01-02, more than 365 days ago." in sticky_text(plan)


def test_events_caused_by_the_bot_are_ignored() -> None:
    """The bot's own comment or edit never triggers work."""
    event = events.from_payload(
        "issues",
        {
            "repository": REPO,
            "sender": {"login": "packman[bot]"},
            "action": "edited",
            "issue": issue(1, VALID),
        },
    )

    assert handle(event, state()).effects == ()


def test_push_elsewhere_is_ignored_and_data_push_rebuilds() -> None:
    """A push to main that touches no data does nothing; one touching assessments/ rebuilds."""
    docs_only = {"ref": "refs/heads/main", "commits": [{"modified": [".github/workflows/ci.yml"]}]}
    data = {"ref": "refs/heads/main", "commits": [{"modified": ["assessments/registries/npm.yml"]}]}
    other_branch = {
        "ref": "refs/heads/feature",
        "commits": [{"modified": ["assessments/registries/npm.yml"]}],
    }

    assert run("push", docs_only, state()).effects == ()
    assert run("push", other_branch, state()).effects == ()
    assert kinds(run("push", data, state())) == ["BotBranch"]


def test_dispatch_refreshes_stale_generated_files() -> None:
    """When main holds a stale generated file, the bot branch starts with a commit that refreshes it."""
    readme = PurePosixPath("README.md")
    files = {**FILES, readme: FILES[readme].replace("| 2 |", "| 9 |", 1)}

    plan = run("workflow_dispatch", {}, state(files=files))

    [branch] = [e for e in plan.effects if isinstance(e, BotBranch)]
    assert branch.commits[0].message.startswith("Refresh generated files")
    assert set(branch.commits[0].files) == {readme}
    assert branch.commits[0].files[readme] == FILES[readme]


def test_unknown_command_is_answered_with_help() -> None:
    """A misspelt command gets a reply that lists the commands."""
    item = issue(1, VALID)
    payload = {
        "action": "created",
        "issue": item,
        "comment": {"id": 7, "user": {"login": "casey"}, "body": "/packman aprove"},
    }

    plan = run("issue_comment", payload, state(item))

    [reply] = [e for e in plan.effects if isinstance(e, Reply)]
    assert "I do not know `/packman aprove`" in reply.body and "/packman approve" in reply.body


def test_recheck_by_anyone_refreshes_the_sticky() -> None:
    """/packman recheck needs no permission and re-validates the issue."""
    item = issue(1, VALID)
    payload = {
        "action": "created",
        "issue": item,
        "comment": {"id": 7, "user": {"login": "casey"}, "body": "/packman recheck"},
    }

    plan = run("issue_comment", payload, state(item, permissions={}))

    assert kinds(plan) == ["UpsertSticky", "SetState"]


def test_edited_comment_is_not_a_command() -> None:
    """Only newly created comments count: editing an old comment into a command does nothing."""
    item = issue(1, VALID)
    payload = {
        "action": "edited",
        "issue": item,
        "comment": {"id": 7, "user": {"login": "acme"}, "body": "/packman approve"},
    }

    assert run("issue_comment", payload, state(item)).effects == ()


def test_plan_is_deterministic() -> None:
    """The same event and state give the same plan."""
    item = issue(1, VALID)
    first = run("issues", {"action": "opened", "issue": item}, state(item))

    assert run("issues", {"action": "opened", "issue": item}, state(item)) == first


# --- issue #10: closed issues, foreign pull requests, transferred issues, missing repository ----


def _approved_comments(*numbers: int) -> dict[int, tuple[events.Comment, ...]]:
    """The bot's sticky on each issue, recording an approval of VALID by acme."""
    record = sticky.Record(approval=sticky.approval("acme", VALID, 90, TODAY, False))
    text = sticky.write("### packman: preview", record)
    return {n: (events.Comment(100 + n, "packman[bot]", text),) for n in numbers}


def _closed(number: int, label: str) -> dict[str, Any]:
    return {**issue(number, VALID, ("packman: evidence", label)), "state": "closed"}


def test_edit_of_an_applied_issue_is_ignored() -> None:
    """Issue #10 item 4 (failed before: the edit rewrote the closed issue's sticky and label)."""
    item = _closed(1, "packman: applied")

    plan = run("issues", {"action": "edited", "issue": item}, state())

    assert plan.effects == ()
    assert plan.notes == ("ignored: issue #1 is closed",)


def test_recheck_on_a_rejected_issue_is_answered_closed() -> None:
    """Issue #10 item 4 (failed before: /packman recheck relabelled a rejected issue)."""
    item = _closed(1, "packman: rejected")
    payload = {
        "action": "created",
        "issue": item,
        "comment": {"id": 7, "user": {"login": "casey"}, "body": "/packman recheck"},
    }

    plan = run("issue_comment", payload, state(permissions={}))

    [reply] = plan.effects
    assert isinstance(reply, Reply) and "This issue is closed" in reply.body


def _merged(repo: Any) -> dict[str, Any]:
    head = {"ref": "packman/pending", "repo": repo}
    pull = {"number": 2, "merged": True, "body": "Closes #1\n\n<!-- packman:issues [1] -->"}
    return {"action": "closed", "pull_request": {**pull, "head": head}}


def test_merged_pull_request_of_a_deleted_fork_is_not_the_bot() -> None:
    """Issue #10 item 5 (failed before: head.repo null counted as the bot's own pull request)."""
    assert run("pull_request", _merged(None), state()).effects == ()
    assert run("pull_request", _merged({"full_name": "mallory/packman"}), state()).effects == ()
    ours = run("pull_request", _merged({"full_name": "acme/packman"}), state())
    assert SetState(1, StateLabel.APPLIED) in ours.effects


def test_transferred_approved_issue_leaves_the_bot_branch() -> None:
    """Issue #10 item 6 (failed before: issues/transferred was ignored, the change stayed)."""
    first, second = issue(1, VALID), issue(2, VALID)
    repo_state = state(first, second, comments=_approved_comments(1, 2))
    before = run("workflow_dispatch", {}, repo_state)

    plan = run("issues", {"action": "transferred", "issue": first}, repo_state)

    [branch] = [e for e in plan.effects if isinstance(e, BotBranch)]
    assert any("(#1)" in c.message for c in _branch_of(before).commits)
    assert not any("(#1)" in c.message for c in branch.commits)
    assert any("(#2)" in c.message for c in branch.commits)
    deleted = run("issues", {"action": "deleted", "issue": first}, repo_state)
    assert [e for e in deleted.effects if isinstance(e, BotBranch)] == [branch]


def _branch_of(plan: Plan) -> BotBranch:
    return next(e for e in plan.effects if isinstance(e, BotBranch))


def test_payload_without_repository_falls_back_to_github_repository() -> None:
    """Issue #10 item 16 (failed before: a payload without repository was an error)."""
    event = events.from_payload("schedule", {"schedule": "17 5 * * 1"}, "acme/packman")

    assert (event.repository, event.owner) == ("acme/packman", "acme")
    with pytest.raises(PackmanError, match="GITHUB_REPOSITORY"):
        events.from_payload("schedule", {"schedule": "17 5 * * 1"})
