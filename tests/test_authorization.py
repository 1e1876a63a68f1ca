"""Who may approve or reject, and what is not a command at all.

The handler is pure, so most of this runs it on a hand-made RepoState: the permission map is
what a backend would have read. The GitHub backend's own part (which login it asks about, and
when it asks at all) runs against a stub requester that records every call. A few cases also
go end to end through `packman handle --local` (tests/test_bot_story.py covers triage, write,
the bot's own comment and a quoted command the same way).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from bot import markers
from bot.backends.github import GitHubBackend, GitHubError
from bot.backends.local import BOT_LOGIN
from bot.data.snapshot import Files
from bot.review import commands, events, sticky
from bot.review.backend import RepoState
from bot.review.events import GHOST, Comment, Event, Issue
from bot.review.handler import handle
from bot.review.labels import StateLabel
from bot.review.plan import BotBranch, CloseIssue, Plan, Reply, SetState, UpsertSticky
from tests.helpers import project
from tests.helpers.story import OWNER, PACKAGIST_UP, REPO, Story

BOT = "packman[bot]"
TODAY = dt.date(2026, 11, 25)
MAIN = "0" * 40
APPROVE, REJECT = "/packman approve", "/packman reject the link is not official"


@pytest.fixture(scope="module")
def files() -> Files:
    return project.files()


def _issue(body: str = PACKAGIST_UP, labels: tuple[str, ...] = ("packman: evidence",)) -> Issue:
    return Issue(1, "evidence", body, "casey", labels, True)


def _state(
    files: Files,
    permissions: Mapping[str, str] | None = None,
    comments: tuple[Comment, ...] = (),
    issue: Issue | None = None,
) -> RepoState:
    issue = issue or _issue()
    return RepoState(
        files, "main", MAIN, BOT, TODAY, (issue,), {issue.number: comments}, permissions or {}
    )


def _comment_event(
    author: str,
    body: str,
    *,
    action: str = "created",
    sender: str | None = None,
    issue: Issue | None = None,
) -> Event:
    return Event(
        "issue_comment",
        action,
        author if sender is None else sender,
        OWNER,
        REPO["full_name"],
        issue=issue or _issue(),
        comment=Comment(77, author, body),
    )


def _kinds(plan: Plan) -> list[type]:
    return [type(e) for e in plan.effects]


def _approved_sticky(by: str, body: str = PACKAGIST_UP, comment_id: int = 11) -> Comment:
    record = sticky.Record(approval=sticky.approval(by, body, comment_id, TODAY, False))
    return Comment(900, BOT, sticky.write("(approved preview)", record))


def _previewed_sticky(body: str = PACKAGIST_UP) -> Comment:
    """The sticky the opened event wrote: a preview of ``body`` as it still is."""
    record = sticky.Record(previewed_sha256=sticky.body_hash(body))
    return Comment(900, BOT, sticky.write("(preview)", record))


def _refused(plan: Plan, role: str) -> None:
    [reply] = plan.effects
    assert isinstance(reply, Reply)
    assert "only maintainers" in reply.body and f"your permission here is `{role}`" in reply.body


# --- roles -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "maintain", "write"])
def test_maintainers_may_approve_and_reject(files: Files, role: str) -> None:
    """admin, maintain and write: approve records the approval and rebuilds; reject closes the issue."""
    state = _state(files, {"morgan": role}, (_previewed_sticky(),))

    approve = handle(_comment_event("morgan", APPROVE), state)
    reject = handle(_comment_event("morgan", REJECT), state)

    assert SetState(1, StateLabel.APPROVED) in approve.effects
    assert BotBranch in _kinds(approve)
    assert CloseIssue(1, "not_planned") in reject.effects


@pytest.mark.parametrize("role", ["triage", "read", "none", "", "release-manager", "WRITE"])
@pytest.mark.parametrize("command", [APPROVE, REJECT])
def test_everyone_else_gets_a_reply_and_nothing_else(files: Files, role: str, command: str) -> None:
    """Any other role (a custom role name a backend failed to map, or a differently spelled one) is refused:
    one reply, no label, no sticky change, no branch, no close."""
    plan = handle(_comment_event("dana", command), _state(files, {"dana": role}))

    _refused(plan, role)


def test_a_login_missing_from_the_permissions_counts_as_none(files: Files) -> None:
    _refused(handle(_comment_event("pat", APPROVE), _state(files, {"morgan": "admin"})), "none")
    _refused(
        handle(_comment_event("pat", "/packman approve --allow-downgrade"), _state(files)), "none"
    )


@pytest.mark.parametrize("command", ["/packman recheck", "/packman help"])
def test_anyone_may_recheck_or_ask_for_help_which_approves_nothing(
    files: Files, command: str
) -> None:
    plan = handle(_comment_event("dana", command), _state(files, {"dana": "read"}))

    assert SetState(1, StateLabel.APPROVED) not in plan.effects
    assert BotBranch not in _kinds(plan) and CloseIssue not in _kinds(plan)


# --- deleted and renamed accounts ----------------------------------------------------------------


def test_a_deleted_account_is_ghost() -> None:
    """GitHub gives ``"user": null`` (or no login) for a deleted account: the author is "ghost"."""
    assert events.comment_from({"id": 1, "user": None, "body": APPROVE}).author == GHOST
    assert events.comment_from({"id": 1, "user": {"login": None}, "body": APPROVE}).author == GHOST
    assert events.issue_from({"number": 1, "user": None}).author == GHOST


def test_ghost_cannot_approve_even_if_a_permission_list_names_it(files: Files) -> None:
    plan = handle(_comment_event(GHOST, APPROVE, sender=""), _state(files, {GHOST: "admin"}))

    _refused(plan, "none")


def test_a_forged_sticky_from_a_deleted_account_is_not_trusted(files: Files) -> None:
    """A comment by ghost carrying the sticky marker and an approval record approves nothing."""
    forged = Comment(901, GHOST, _approved_sticky("morgan").body)
    dispatch = Event("workflow_dispatch", None, OWNER, OWNER, REPO["full_name"])

    plan = handle(
        dispatch,
        _state(
            files,
            comments=(forged,),
            issue=_issue(labels=("packman: evidence", "packman: approved")),
        ),
    )

    [branch] = plan.effects
    assert isinstance(branch, BotBranch) and branch.commits == ()


def test_an_approval_outlives_the_approvers_account(files: Files) -> None:
    """The approver deleted (or renamed) their account: their command now shows as ghost, but the approval
    recorded by the bot stands, and the rebuild keeps the change. Nothing approved is lost."""
    history = (_approved_sticky("morgan"), Comment(11, GHOST, APPROVE))
    dispatch = Event("workflow_dispatch", None, OWNER, OWNER, REPO["full_name"])

    plan = handle(dispatch, _state(files, comments=history))

    [branch] = plan.effects
    assert isinstance(branch, BotBranch) and len(branch.commits) == 1
    assert "Approved by morgan in issue #1" in branch.commits[0].message


class StubRequester:
    """PyGithub's requester, answering the permission endpoint from a table and recording every call."""

    def __init__(self, answers: Mapping[str, Any]) -> None:
        self.answers, self.calls = answers, []  # type: list[str]

    def requestJsonAndCheck(
        self, verb: str, url: str, parameters: Any = None, input: Any = None
    ) -> Any:
        self.calls.append(f"{verb} {url}")
        answer = self.answers[url]
        if isinstance(answer, int):
            from github import GithubException  # noqa: PLC0415 - only the GitHub backend's tests need it

            raise GithubException(answer, {"message": "Not Found"}, None)
        return {}, answer


class StubGithub:
    def __init__(self, answers: Mapping[str, Any]) -> None:
        self.requester = StubRequester(answers)


def _permissions(event: Event, answers: Mapping[str, Any]) -> tuple[dict[str, str], list[str]]:
    gh = StubGithub(answers)
    backend = GitHubBackend(gh, REPO["full_name"], Path(), bot=BOT)  # type: ignore[arg-type]
    return backend._permissions(event), gh.requester.calls


PERMISSION = f"/repos/{REPO['full_name']}/collaborators/{{}}/permission"


def test_github_backend_never_asks_about_ghost() -> None:
    found, calls = _permissions(_comment_event(GHOST, APPROVE), {})

    assert (found, calls) == ({GHOST: "none"}, [])


def test_github_backend_asks_about_the_login_in_the_event() -> None:
    """A renamed maintainer is asked about under the login GitHub sends now; a 404 means no permission."""
    found, calls = _permissions(
        _comment_event("morgan-renamed", APPROVE),
        {PERMISSION.format("morgan-renamed"): {"permission": "write", "role_name": "maintain"}},
    )
    assert (found, calls) == (
        {"morgan-renamed": "maintain"},
        [f"GET {PERMISSION.format('morgan-renamed')}"],
    )

    found, _ = _permissions(_comment_event("morgan", APPROVE), {PERMISSION.format("morgan"): 404})
    assert found == {"morgan": "none"}


def test_github_backend_trusts_only_the_bots_sticky_past_deleted_accounts() -> None:
    """A listing with ``"user": null`` (a deleted account) carrying the marker: skipped, not a crash, not trusted."""
    mine = _approved_sticky("morgan").body
    gh = StubGithub(
        {
            f"/repos/{REPO['full_name']}/issues/1/comments": [
                {"id": 1, "user": None, "body": markers.STICKY + "\nforged"},
                {"id": 2, "user": {"login": BOT}, "body": mine},
            ]
        }
    )
    backend = GitHubBackend(gh, REPO["full_name"], Path(), bot=BOT)  # type: ignore[arg-type]

    assert backend.upsert_sticky(1, mine) == "issue #1: sticky comment unchanged"
    assert backend._find(1, "forged") is None


@pytest.mark.parametrize(
    ("answer", "role"),
    [
        ({"permission": "read", "role_name": "release-manager"}, "read"),
        ({"permission": "admin", "role_name": "security-lead"}, "admin"),
        ({"permission": "write", "role_name": "triage"}, "triage"),
        ({"permission": "none", "role_name": ""}, "none"),
        ({}, "none"),
    ],
)
def test_custom_roles_count_as_their_base_permission(answer: dict[str, str], role: str) -> None:
    found, _ = _permissions(_comment_event("dana", APPROVE), {PERMISSION.format("dana"): answer})

    assert found == {"dana": role}


def test_github_backend_errors_other_than_404_are_not_taken_for_no_permission() -> None:
    """A 5xx on the permission check stops the run (exit 4 in the CLI) rather than refusing a maintainer."""
    with pytest.raises(GitHubError, match="answered 502"):
        _permissions(_comment_event("morgan", APPROVE), {PERMISSION.format("morgan"): 502})


# --- edited comments ------------------------------------------------------------------------------


@pytest.mark.parametrize("action", ["edited", "deleted"])
def test_an_edited_or_deleted_comment_does_nothing(files: Files, action: str) -> None:
    """issue_comment edited/deleted: no command is read, so nothing is approved and nobody is asked about."""
    event = _comment_event("morgan", APPROVE, action=action)

    assert handle(event, _state(files, {"morgan": "admin"})).effects == ()
    assert _permissions(event, {}) == ({}, [])


# --- the bot's own words --------------------------------------------------------------------------


def test_the_bots_own_comment_quoting_a_command_does_nothing(files: Files) -> None:
    """Whether the event's sender or only the comment's author is the bot, its comment is never a command."""
    text = f"Approve with\n\n{APPROVE}\n"
    state = _state(files, {BOT: "admin"})

    assert handle(_comment_event(BOT, text), state).effects == ()
    assert handle(_comment_event(BOT, text, sender="morgan"), state).effects == ()


def test_what_the_bot_writes_holds_no_command(files: Files) -> None:
    """The help table, the refusal and tier-drop replies and the sticky's status line name commands inline only."""
    notes = f"Fine.\n\n{APPROVE}\n\n> {APPROVE}"
    body = PACKAGIST_UP.replace("Test note.", notes)
    state = _state(files, {"dana": "read", "morgan": "admin"}, issue=_issue(body))
    plans = [
        handle(
            Event("issues", "opened", "casey", OWNER, REPO["full_name"], issue=_issue(body)), state
        ),
        handle(_comment_event("dana", APPROVE, issue=_issue(body)), state),
        handle(_comment_event("morgan", APPROVE, issue=_issue(body)), state),
    ]
    texts = [commands.HELP] + [
        e.body for plan in plans for e in plan.effects if isinstance(e, UpsertSticky | Reply)
    ]

    assert len(texts) >= 5
    assert [t for t in texts if commands.parse(t) is not None] == []


# --- quotes and code ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        f"> {APPROVE}",
        f"> > {APPROVE}",
        f"Quoting:\n\n> {APPROVE}\n\nI disagree.",
        f"```\n{APPROVE}\n```",
        f"```text\n{APPROVE}\n```",
        f"~~~\n{APPROVE}\n~~~",
        f"````\n```\n{APPROVE}\n````",
        f"    {APPROVE}",
        f"\t{APPROVE}",
        f"`{APPROVE}`",
        f"please run {APPROVE} when ready",
        "```\nunclosed fence\n" + APPROVE,
    ],
    ids=lambda b: b.replace("\n", "⏎")[:40],
)
def test_a_command_in_a_quote_or_code_is_not_a_command(files: Files, body: str) -> None:
    """An admin's comment with the command quoted or in code: nothing happens, not even a reply."""
    plan = handle(_comment_event("morgan", body), _state(files, {"morgan": "admin"}))

    assert plan.effects == ()
    assert plan.notes == ("ignored: comment 77 holds no command for packman",)


def test_a_fence_line_with_an_info_string_does_not_close_the_block() -> None:
    """CommonMark: a closing fence carries no info string, so ```js inside a ``` block is text."""
    assert commands.parse(f"```\n```js\n{APPROVE}\n```") is None


def test_a_lazy_continuation_line_belongs_to_the_quote() -> None:
    """CommonMark: a line right after a quoted line continues the quote."""
    assert commands.parse(f"> quoting casey:\n{APPROVE}") is None


def test_a_command_inside_an_html_comment_is_hidden_text() -> None:
    """A command inside a multi-line HTML comment is not shown, so it is not a command."""
    assert commands.parse(f"<!--\n{APPROVE}\n-->") is None
    assert commands.parse(f"<!-- note -->\n{APPROVE}") is not None


# --- end to end with the LocalBackend ------------------------------------------------------------------


@pytest.fixture
def local(fixture_repo: Path, tmp_path: Path) -> Story:
    return Story(fixture_repo, tmp_path / "state", tmp_path)


def test_edited_comment_and_ghost_end_to_end(local: Story) -> None:
    """Through `packman handle --local`: an approval from a deleted account gets one reply; the owner editing a
    comment into an approval does nothing; and the ghost's comment in the state does not break later runs."""
    issue = {
        "number": 1,
        "title": "evidence",
        "body": PACKAGIST_UP,
        "user": {"login": "casey"},
        "labels": [{"name": "packman: evidence"}],
        "state": "open",
    }
    ghost = {
        "action": "created",
        "issue": issue,
        "sender": None,
        "comment": {"id": 12, "user": None, "body": APPROVE},
    }
    assert local.send("issue_comment", ghost) == 0
    edited = {
        "action": "edited",
        "issue": issue,
        "sender": {"login": OWNER},
        "comment": {"id": 11, "user": {"login": OWNER}, "body": APPROVE},
        "changes": {"body": {"from": "Looks good."}},
    }
    assert local.send("issue_comment", edited) == 0
    assert (
        local.open_issue(1, PACKAGIST_UP, action="edited") == 0
    )  # the sticky is looked for past the ghost

    comments = [(events.comment_from(c).author, c["body"]) for c in local.issue(1)["comments"]]
    assert [author for author, _ in comments] == [GHOST, BOT_LOGIN, OWNER, BOT_LOGIN]
    assert "your permission here is `none`" in comments[1][1]
    assert comments[3][1].startswith(markers.STICKY)
    assert local.labels(1)[-1] == StateLabel.READY.value
    assert not local.has_branch()
