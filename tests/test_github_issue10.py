"""The GitHub backend on a real public repository (issue #10): each test failed before its fix.

- item 1: a command whose run was cancelled is answered by a later run;
- item 3: an approval is read from its record, whatever labels the issue carries;
- item 6: a transferred issue leaves the bot pull request;
- item 12: a new approval keeps the bot branch's commits and adds one;
- item 14: the bot makes its labels (colour and description) before it first adds one;
- item 17: the bot finds the login its token writes as, or refuses to run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.backends.github import bot_login, client
from bot.errors import BackendError
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
    TREES,
    UPDATE_LABEL,
    command,
    opened,
    replay,
)
from tests.helpers.github.replay import example as payload_example

REPO = f"/repos/{story.REPOSITORY}"
R = "/repos/{owner}/{repo}"


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


# --- item 12: commits kept on the bot branch ------------------------------------------------------

COMMIT = f"GET {R}/git/commits/{{sha}}"


def _pull_of_1(checkout: Path) -> tuple[tuple[str, str], ...]:
    """PR #2 as the run that approved #1 wrote it (built marker and head included)."""
    approve = replay(
        "approve-maintainer",
        "issue_comment",
        command(story.APPROVE_1, story.MORGAN, "/packman approve"),
        checkout,
    )
    return ((story.PULL_AS_POSTED, as_json_text(pull_body(approve.branch(), story.COMMIT_1))),)


def _approve_3() -> dict[str, Any]:
    return command(story.APPROVE_3, story.MORGAN, "/packman approve", issue=story.ISSUE_3)


def test_second_approval_keeps_the_first_commit(checkout: Path) -> None:
    """#1's commit is on the bot branch and #3 is approved: the branch keeps #1's commit (one
    GET for its tree), writes one tree and one commit on it and fast-forwards the ref (before: the
    backend refused a kept branch, and every approval wrote every commit again). The new commit
    is the one building everything again makes."""
    restore = _pull_of_1(checkout)
    run = replay("approve-keeps-commits", "issue_comment", _approve_3(), checkout, restore=restore)
    full = replay("approve-pull-outdated", "issue_comment", _approve_3(), checkout)

    assert run.log[-1] == "bot branch: 1 commit(s) kept, 1 added; pull request #2 updated"
    assert run.calls[COMMIT] == 1 and run.calls[TREES] == 1 and run.calls[PULLS] == 1
    assert full.calls[TREES] == 2
    [tree] = run.bodies("POST", f"{REPO}/git/trees")
    assert tree["base_tree"] == story.TREE_1
    [commit] = run.bodies("POST", f"{REPO}/git/commits")
    assert commit["parents"] == [story.COMMIT_1]
    assert run.bodies("PATCH", f"{REPO}/git/refs/heads/packman/pending") == [
        {"sha": story.COMMIT_2, "force": False}
    ]
    [added] = run.branch().commits
    assert (added.message, added.files) == (
        full.branch().commits[-1].message,
        full.branch().commits[-1].files,
    )
    assert run.branch().fingerprint == full.branch().fingerprint


def test_kept_commits_are_not_forced_over_a_moved_branch(checkout: Path) -> None:
    """The branch moved after the run read it: GitHub refuses the fast-forward, and the run stops
    with a line saying the next run builds the branch again (nothing pushed meanwhile is lost)."""
    restore = _pull_of_1(checkout)
    with pytest.raises(BackendError, match=r"moved after this run read it.*next run builds"):
        replay("approve-kept-ref-moved", "issue_comment", _approve_3(), checkout, restore=restore)


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
