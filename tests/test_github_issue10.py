"""The GitHub backend on a real public repository (issue #10): each test failed before its fix.

- item 1: a command whose run was cancelled is answered by a later run;
- item 3: an approval is read from its record, whatever labels the issue carries;
- item 6: a transferred issue leaves the bot pull request;
- item 14: the bot makes its labels (colour and description) before it first adds one;
- item 17: the bot finds the login its token writes as, or refuses to run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.backends.github import bot_login, client
from bot.review.labels import LABEL_DESCRIPTIONS, StateLabel
from bot.review.rebuild import pull_body
from tests.helpers.github import story
from tests.helpers.github.harness import Cli, as_json_text, bodies, cassette
from tests.helpers.github.replay import (
    ADD_LABEL,
    COMMENTS,
    GET_LABEL,
    ISSUES,
    POST_COMMENT,
    PULLS,
    RECENT,
    UPDATE_LABEL,
    command,
    opened,
    replay,
)
from tests.helpers.github.replay import example as payload_example

REPO = f"/repos/{story.REPOSITORY}"


def _dispatch() -> dict[str, Any]:
    return payload_example("workflow-dispatch.json")


# --- item 1: commands of cancelled runs ----------------------------------------------------------


def test_cancelled_approval_is_answered_by_the_next_run(cli: Cli) -> None:
    """Morgan's approval never got its run; the next run (a dispatch) finds it in the repository's
    newest comments without a reply and answers it: sticky, label, reply, branch, pull request."""
    run = cli("repair-cancelled-approval", "workflow_dispatch", _dispatch())

    assert run.code == 0, run.err
    assert f"repair: comment {story.APPROVE_1} on issue #1 has no answer yet" in run.out
    assert run.done() == [
        "bot branch: nothing approved, no pull request open",
        "issue #1: label 'packman: approved'",
        "issue #1: sticky comment updated",
        "issue #1: replied",
        "bot branch rebuilt (1 commit(s)); pull request #2 opened",
    ]
    [reply] = bodies(run.played, "POST", "/issues/1/comments")
    assert reply["body"].startswith(f"<!-- packman:reply {story.APPROVE_1} -->")
    [recent] = [e for e in run.played if e.path.startswith(f"{REPO}/issues/comments?")]
    assert "sort=created" in recent.path and "direction=desc" in recent.path


# --- item 3: labels are not authority ------------------------------------------------------------


def test_approval_without_its_label_stays_in_the_pull_request(checkout: Path) -> None:
    """A triager removed #1's approved label: the rebuild still reads #1's record and finds the
    bot pull request up to date (before: #1's comments were not read, and the rebuild closed it)."""
    approve = replay(
        "approve-maintainer",
        "issue_comment",
        command(story.APPROVE_1, story.MORGAN, "/packman approve"),
        checkout,
    )
    posted = pull_body(approve.branch(), story.COMMIT_1)
    restore = ((story.PULL_AS_POSTED, as_json_text(posted)),)

    run = replay(
        "dispatch-label-removed", "workflow_dispatch", _dispatch(), checkout, restore=restore
    )

    assert run.log == ["bot branch and pull request #2: already up to date"]
    assert {s.method for s in run.sent} == {"GET"}
    assert run.calls == {ISSUES: 1, COMMENTS: 1, PULLS: 1, RECENT: 1}


# --- item 6: transferred issues -----------------------------------------------------------------


def test_transferred_issue_leaves_the_pull_request(checkout: Path) -> None:
    """#1, approved and in PR #2, is transferred: its comments are not asked for (GitHub no longer
    holds them here) and the pull request, left with nothing approved, is closed (before: the
    event was ignored and the PR kept `Closes #1`)."""
    payload = opened()
    payload.update(
        action="transferred",
        changes={
            "new_issue": {**payload["issue"], "number": 40},
            "new_repository": {"full_name": "packman-demo/elsewhere"},
        },
    )

    run = replay("issue-transferred", "issues", payload, checkout)

    assert run.log == ["bot pull request #2: closed (nothing approved)"]
    assert COMMENTS not in run.calls
    assert run.bodies("PATCH", f"{REPO}/pulls/2") == [{"state": "closed"}]


# --- item 14: labels made explicitly --------------------------------------------------------------


def test_grey_bare_label_gets_its_colour_and_description(checkout: Path) -> None:
    """The ready label exists as GitHub makes one on the fly (grey, no description): the bot
    updates it once, then adds it (before: it added the label and never described it)."""
    run = replay("issue-opened-grey-label", "issues", opened(), checkout)

    assert run.log == [
        "issue #1: sticky comment created",
        "issue #1: label 'packman: ready for review'",
    ]
    path = f"{REPO}/labels/{'packman%3A%20ready%20for%20review'}"
    assert run.bodies("PATCH", path) == [
        {"color": "fbca04", "description": LABEL_DESCRIPTIONS[StateLabel.READY]}
    ]
    assert run.calls[GET_LABEL] == 1 and run.calls[UPDATE_LABEL] == 1 and run.calls[ADD_LABEL] == 1
    assert run.calls[POST_COMMENT] == 1


# --- item 17: the token's own identity -----------------------------------------------------------


def test_personal_token_writes_as_its_own_user(monkeypatch: pytest.MonkeyPatch) -> None:
    """PACKMAN_TOKEN without PACKMAN_BOT_LOGIN: the login comes from GET /user (before: the bot
    assumed github-actions[bot], never found its own sticky and posted a new one every run)."""
    monkeypatch.setenv("PACKMAN_TOKEN", "dummy")
    monkeypatch.delenv("PACKMAN_BOT_LOGIN", raising=False)
    gh = client("dummy", retry=False)
    try:
        with cassette("identity-user-token") as played:
            login = bot_login(gh)
    finally:
        gh.close()

    assert login == story.MACHINE[0]
    assert [(e.method, e.path) for e in played] == [("GET", "/user")]


def test_login_variable_wins_and_the_workflow_token_is_the_actions_bot(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """PACKMAN_BOT_LOGIN is used as given; with no PACKMAN_TOKEN the workflow's own token writes
    as github-actions[bot]. Neither asks GitHub (a request would fail: no cassette is playing)."""
    gh = client("dummy", retry=False)
    try:
        monkeypatch.setenv("PACKMAN_TOKEN", "dummy")
        monkeypatch.setenv("PACKMAN_BOT_LOGIN", "packman-demo-app[bot]")
        assert bot_login(gh) == "packman-demo-app[bot]"
        monkeypatch.delenv("PACKMAN_TOKEN")
        monkeypatch.delenv("PACKMAN_BOT_LOGIN")
        assert bot_login(gh) == "github-actions[bot]"
    finally:
        gh.close()


def test_installation_token_without_login_is_refused(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An App installation token has no user (GET /user: 403): the run is refused with one line
    naming both variables, before anything is read or written."""
    monkeypatch.setenv("PACKMAN_TOKEN", "dummy-installation-token")
    run = cli("identity-installation-token", "issues", opened())

    assert run.code == 4
    [line] = run.errors()
    assert "PACKMAN_TOKEN is set but PACKMAN_BOT_LOGIN is not" in line and "403" in line
    assert [(e.method, e.path) for e in run.played] == [("GET", "/user")]
