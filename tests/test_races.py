"""Races: runs whose reads and writes interleave, and hands on the bot branch.

The workflow runs one writer at a time, but a run reads the state at its start and writes at its
end, and GitHub keeps no lock between the two. These tests read the state for two runs before
either executes, execute them in turn, then let a third, ordinary run reconcile. What must hold
at every step: nothing unapproved is on the bot branch; and after the third run, everything
approved is there. LocalBackend runs use real git; GitHub runs replay cassettes.
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.backends import local as local_backend
from bot.backends.github import GitHubBackend, client
from bot.backends.local import BOT_LOGIN, LocalBackend
from bot.review import events, sticky
from bot.review.backend import execute
from bot.review.events import Event
from bot.review.handler import handle
from bot.review.labels import StateLabel
from bot.review.plan import BOT_BRANCH, BotBranch, Plan, SetState, UpsertSticky
from bot.review.rebuild import pull_body
from tests.helpers import bodies
from tests.helpers.github import story
from tests.helpers.github.harness import Exchange, as_json_text, cassette
from tests.helpers.github.harness import bodies as sent_bodies
from tests.helpers.github.replay import command, replay
from tests.helpers.project import run_git as git
from tests.helpers.story import OWNER, PACKAGIST_UP, REPO, Story

MAVEN_NO = bodies.evidence(
    registry="Maven Central",
    control="Update notifications",
    status="no",
    links="https://central.sonatype.org/publish/",
    notes="No mail found.",
)
TODAY = dt.date.fromisoformat(story.TODAY)


# --- LocalBackend: real git ---------------------------------------------------------------------


@pytest.fixture
def local(fixture_repo: Path, tmp_path: Path) -> Local:
    state = tmp_path / "state"
    (state / "issues").mkdir(parents=True)
    return Local(fixture_repo, state, tmp_path)


@dataclass
class Prepared:
    """A run that has read the state and made its plan, but not executed it yet."""

    backend: LocalBackend
    plan: Plan

    def execute(self) -> list[str]:
        return execute(self.plan, self.backend)


class Local(Story):
    """Story, plus runs split into 'read the state' and 'execute the plan'."""

    def prepare(self, name: str, payload: dict[str, Any]) -> Prepared:
        """What `packman handle --local` does up to the plan: ingest the payload, read the state, plan."""
        payload = {"repository": REPO, **payload}
        local_backend.ingest(self.state, name, payload)
        backend = LocalBackend(self.repo, self.state)
        event = events.from_payload(name, payload)
        return Prepared(backend, handle(event, backend.state(event)))

    def approve_payload(self, number: int, comment_id: int) -> dict[str, Any]:
        issue = {
            k: self.issue(number)[k] for k in ("number", "title", "body", "user", "labels", "state")
        }
        return {
            "action": "created",
            "issue": issue,
            "sender": {"login": OWNER},
            "comment": {"id": comment_id, "user": {"login": OWNER}, "body": "/packman approve"},
        }

    def dispatch(self) -> int:
        return self.send(
            "workflow_dispatch", {"sender": {"login": OWNER}, "ref": "refs/heads/main"}
        )

    def on_branch(self) -> list[int]:
        """The issue numbers of the bot branch's commits, oldest first."""
        if not self.has_branch():
            return []
        return [int(s.rsplit("(#", 1)[1].rstrip(")")) for s in reversed(self.branch_log())]

    def approved(self) -> set[int]:
        """Issues whose sticky record holds an approval pinned to the issue's current body."""
        found = set()
        for path in (self.state / "issues").glob("*.json"):
            data = json.loads(path.read_text())
            mine = [events.comment_from(c) for c in data.get("comments", [])]
            record = sticky.read(sticky.find(mine, BOT_LOGIN))
            if record.approval and record.approval.body_sha256 == sticky.body_hash(data["body"]):
                found.add(int(data["number"]))
        return found

    def open_pulls(self) -> list[dict[str, Any]]:
        return [
            json.loads(p.read_text())
            for p in sorted((self.state / "pulls").glob("*.json"))
            if json.loads(p.read_text())["state"] == "open"
        ]

    def replies(self, number: int) -> list[str]:
        return [b for b in self.bot_comments(number) if "packman:reply" in b]

    def refs(self) -> dict[str, str]:
        listing = git(self.repo, "for-each-ref", "--format=%(refname) %(objectname)")
        return dict(line.split(" ", 1) for line in listing.splitlines())


def _nothing_unapproved(local: Local) -> None:
    assert set(local.on_branch()) <= local.approved(), (local.on_branch(), local.approved())


def test_interleaved_approvals_lose_nothing(local: Local) -> None:
    """Approvals of #1 (run A) and #2 (run B) both read the state before either writes. The later writer
    rebuilds without the other's approval (it never saw it), so for a moment the branch holds #2 only;
    the next ordinary run puts both back. Nothing unapproved is on the branch at any point.
    (The order B, A is the same with the numbers swapped.)"""
    local.open_issue(1, PACKAGIST_UP)
    local.open_issue(2, MAVEN_NO)
    runs = [
        local.prepare("issue_comment", local.approve_payload(1, 11)),
        local.prepare("issue_comment", local.approve_payload(2, 12)),
    ]
    kinds = [type(e) for e in runs[0].plan.effects]
    assert kinds.index(SetState) < kinds.index(
        UpsertSticky
    )  # the label indexing approvals goes on first

    for run in runs:
        run.execute()
        _nothing_unapproved(local)
    assert local.approved() == {1, 2}
    assert local.on_branch() == [2]  # the last writer's view

    assert local.dispatch() == 0
    assert local.on_branch() == [1, 2]
    [pull] = local.open_pulls()
    assert "Closes #1" in pull["body"] and "Closes #2" in pull["body"]
    assert "<!-- packman:issues [1, 2] -->" in pull["body"]
    assert [len(local.replies(n)) for n in (1, 2)] == [1, 1]
    assert [local.labels(n)[-1] for n in (1, 2)] == [StateLabel.APPROVED.value] * 2


def test_issue_edited_while_a_rebuild_runs(local: Local) -> None:
    """A rebuild reads the state (#1 approved as X); the contributor edits #1 to Y, which voids the approval
    and closes the PR; then the rebuild writes X back. Y is never on the branch; the next run closes the PR."""
    edited = PACKAGIST_UP.replace("Test note.", "Edited note.")
    local.open_issue(1, PACKAGIST_UP)
    local.comment(1, 11, OWNER, "/packman approve")
    rebuild = local.prepare(
        "workflow_dispatch", {"sender": {"login": OWNER}, "ref": "refs/heads/main"}
    )

    assert local.open_issue(1, edited, action="edited") == 0
    assert local.approved() == set() and local.open_pulls() == []
    rebuild.execute()

    def branch_data() -> str:
        return git(local.repo, "show", f"{BOT_BRANCH}:assessments/registries/packagist.yml")

    assert "Edited note." not in branch_data()  # the unapproved text never reaches the branch
    assert (
        "Test note." in branch_data()
    )  # what was written is what a maintainer approved (then voided)
    assert len(local.open_pulls()) == 1  # the stale write: closed by the next run

    assert local.dispatch() == 0
    assert local.open_pulls() == []
    assert "Edited note." not in branch_data()
    assert local.labels(1)[-1] == StateLabel.READY.value
    assert "voided because the issue was edited" in local.bot_comments(1)[0]


def test_hand_edit_on_the_bot_branch_is_replaced_and_only_that_ref_moves(
    local: Local, tmp_path: Path
) -> None:
    """A maintainer pushes a commit to packman/pending. The next rebuild rebuilds from main and force-moves
    refs/heads/packman/pending only: main, other branches, tags, HEAD and the working tree stay as they were."""
    local.open_issue(1, PACKAGIST_UP)
    local.comment(1, 11, OWNER, "/packman approve")
    git(local.repo, "branch", "feature", "main")
    git(local.repo, "tag", "v1", "main")
    bot_head = git(local.repo, "rev-parse", BOT_BRANCH)
    worktree = tmp_path / "by-hand"
    git(local.repo, "worktree", "add", "-q", str(worktree), BOT_BRANCH)
    (worktree / "README.md").write_text(
        (worktree / "README.md").read_text() + "\nEdited by hand.\n"
    )
    git(
        worktree,
        "-c",
        "user.name=m",
        "-c",
        "user.email=m@example.org",
        "commit",
        "-q",
        "-am",
        "fix by hand",
    )
    git(local.repo, "worktree", "remove", str(worktree))
    hand = git(local.repo, "rev-parse", BOT_BRANCH)
    before = {ref: sha for ref, sha in local.refs().items() if ref != f"refs/heads/{BOT_BRANCH}"}

    assert local.dispatch() == 0

    after = local.refs()
    assert {ref: sha for ref, sha in after.items() if ref != f"refs/heads/{BOT_BRANCH}"} == before
    rebuilt = after[f"refs/heads/{BOT_BRANCH}"]
    assert rebuilt != hand
    assert git(local.repo, "rev-parse", f"{rebuilt}^{{tree}}") == git(
        local.repo, "rev-parse", f"{bot_head}^{{tree}}"
    )
    assert git(local.repo, "rev-parse", f"{BOT_BRANCH}^") == git(local.repo, "rev-parse", "main")
    assert local.on_branch() == [1]
    assert "Edited by hand." not in git(local.repo, "show", f"{BOT_BRANCH}:README.md")
    assert git(local.repo, "rev-parse", "--symbolic-full-name", "HEAD") == "refs/heads/main"
    assert git(local.repo, "status", "--porcelain") == ""
    [pull] = local.open_pulls()
    assert pull["body"].endswith(f"<!-- packman:head {rebuilt} -->\n")

    assert local.dispatch() == 0  # and then it stays put
    assert local.refs() == after


def test_bot_branch_checked_out_is_not_moved(
    local: Local, capsys: pytest.CaptureFixture[str]
) -> None:
    """With packman/pending checked out, a rebuild refuses (exit 4) instead of moving the branch under the worktree."""
    local.open_issue(1, PACKAGIST_UP)
    local.comment(1, 11, OWNER, "/packman approve")
    git(
        local.repo,
        "-c",
        "user.name=m",
        "-c",
        "user.email=m@example.org",
        "commit",
        "--allow-empty",
        "-q",
        "-m",
        "main moves on",
    )  # so that the rebuild has something to write
    git(local.repo, "checkout", "-q", BOT_BRANCH)
    head = git(local.repo, "rev-parse", "HEAD")
    capsys.readouterr()

    assert local.dispatch() == 4
    assert "packman/pending is checked out" in capsys.readouterr().err
    assert git(local.repo, "rev-parse", "HEAD") == head


# --- GitHub: cassettes ------------------------------------------------------------------------------


def _dispatch_event() -> Event:
    data = json.loads((story.EXAMPLES / "workflow-dispatch.json").read_text(encoding="utf-8"))
    return events.from_payload("workflow_dispatch", data)


def _writes(played: list[Exchange]) -> list[tuple[str, str]]:
    return [
        (e.method, e.path.removeprefix(f"/repos/{story.REPOSITORY}"))
        for e in played
        if e.method != "GET"
    ]


def _branch(plan: Plan) -> BotBranch:
    return next(e for e in plan.effects if isinstance(e, BotBranch))


def test_interleaved_approvals_on_github(checkout: Path) -> None:
    """Runs A (approve #1) and B (approve #3) read before either writes; A opens PR #2 with #1, B rewrites it
    with #3 alone; the next run (a dispatch) rebuilds main + #1 + #3. Only packman/pending is written."""
    gh = client("dummy", retry=False)
    try:
        with cassette("race-two-approvals") as played:
            runs = []
            for payload in (
                command(story.APPROVE_1, story.MORGAN, "/packman approve"),
                command(story.APPROVE_3, story.MORGAN, "/packman approve", issue=story.ISSUE_3),
            ):
                event = events.from_payload("issue_comment", payload)
                backend = GitHubBackend(
                    gh, story.REPOSITORY, checkout, bot=story.BOT[0], today=TODAY
                )
                runs.append((backend, handle(event, backend.state(event))))
            logs = [execute(plan, backend) for backend, plan in runs]
        with cassette("race-two-approvals-settle") as settled:
            backend = GitHubBackend(gh, story.REPOSITORY, checkout, bot=story.BOT[0], today=TODAY)
            final = handle(_dispatch_event(), backend.state(_dispatch_event()))
            last = execute(final, backend)
    finally:
        gh.close()

    assert logs[0][-1] == "bot branch rebuilt (1 commit(s)); pull request #2 opened"
    assert logs[1][-1] == "bot branch rebuilt (1 commit(s)); pull request #2 updated"
    assert [c.message.splitlines()[0] for c in _branch(runs[1][1]).commits] == [
        "npm: Account Level Library Tagging is yes (#3)"
    ]  # B never saw #1's approval: the window
    [b_body] = [b["body"] for b in sent_bodies(played, "PATCH", "/pulls/2")]
    assert "Closes #3" in b_body and "Closes #1" not in b_body

    assert last == ["bot branch rebuilt (2 commit(s)); pull request #2 updated"]
    [settled_body] = [b["body"] for b in sent_bodies(settled, "PATCH", "/pulls/2")]
    assert "Closes #1" in settled_body and "Closes #3" in settled_body
    assert settled_body == pull_body(_branch(final), story.COMMIT_2)
    for played_here in (played, settled):
        refs = [path for method, path in _writes(played_here) if "/git/refs" in path]
        assert set(refs) == {f"/git/refs/heads/{BOT_BRANCH}"}
    assert [
        w for w in _writes(settled) if "/issues" in w[1]
    ] == []  # the settling run only rebuilds


@pytest.fixture(scope="module")
def posted_pull_body(checkout: Path) -> str:
    """The body the bot writes for PR #2 holding #1 at COMMIT_1 (the approval replayed through the backend)."""
    run = replay(
        "approve-maintainer",
        "issue_comment",
        command(story.APPROVE_1, story.MORGAN, "/packman approve"),
        checkout,
    )
    return pull_body(run.branch(), story.COMMIT_1)


def _dispatch(
    checkout: Path, tape: AbstractContextManager[list[Exchange]]
) -> tuple[list[str], list[Exchange]]:
    """A manual dispatch (a rebuild) through the GitHub backend, against ``tape``."""
    gh = client("dummy", retry=False)
    try:
        with tape as played:
            backend = GitHubBackend(gh, story.REPOSITORY, checkout, bot=story.BOT[0], today=TODAY)
            log = execute(handle(_dispatch_event(), backend.state(_dispatch_event())), backend)
    finally:
        gh.close()
    return log, played


def test_hand_edit_on_github_is_replaced(checkout: Path, posted_pull_body: str) -> None:
    """PR #2's head is a maintainer's commit, not the one its body names: the dispatch rebuilds from main and
    PATCHes refs/heads/packman/pending, and no other ref."""
    restore = ((story.PULL_AS_POSTED, as_json_text(posted_pull_body)),)
    log, played = _dispatch(checkout, cassette("hand-edit-dispatch", restore))

    assert log == ["bot branch rebuilt (1 commit(s)); pull request #2 updated"]
    assert _writes(played) == [
        ("POST", "/git/trees"),
        ("POST", "/git/commits"),
        ("PATCH", f"/git/refs/heads/{BOT_BRANCH}"),
        ("PATCH", "/pulls/2"),
    ]
    assert sent_bodies(played, "PATCH", f"/git/refs/heads/{BOT_BRANCH}") == [
        {"sha": story.REBUILT_1, "force": True}
    ]
    assert sent_bodies(played, "POST", "/git/commits")[0]["parents"] == [
        git(checkout, "rev-parse", "HEAD")
    ]
    [body] = [b["body"] for b in sent_bodies(played, "PATCH", "/pulls/2")]
    assert body.endswith(f"<!-- packman:head {story.REBUILT_1} -->\n")


def test_bot_branch_left_as_the_bot_wrote_it_is_not_rewritten(
    checkout: Path, posted_pull_body: str
) -> None:
    """The same dispatch when PR #2's head is the commit its body names: up to date, reads only."""
    restore = ((story.PULL_AS_POSTED, as_json_text(posted_pull_body)),)
    log, played = _dispatch(checkout, cassette("hand-edit-none-dispatch", restore))

    assert log == ["bot branch and pull request #2: already up to date"]
    assert _writes(played) == []


def test_pull_body_head_marker_is_the_last_line() -> None:
    """The head marker follows the rendered body, so a body is current for exactly one head."""
    branch = BotBranch("main", (), "t", "text\n<!-- packman:fingerprint abc -->\n", "abc")
    assert (
        pull_body(branch, "f00")
        == "text\n<!-- packman:fingerprint abc -->\n<!-- packman:head f00 -->\n"
    )
