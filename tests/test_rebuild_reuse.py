"""A rebuild keeps the bot branch's commits when main and the earlier approvals are unchanged.

The kept branch must be exactly what building everything again from main gives (every commit's
tree, hence every file byte for byte, and the pull request body); anything that changes main or
an earlier approval builds it all again.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from bot.backends import local
from bot.review import events
from bot.review import rebuild as rebuild_module
from bot.review.handler import handle
from bot.review.plan import BOT_BRANCH, BotBranch
from tests.helpers import bodies, project
from tests.helpers.project import run_git as git
from tests.helpers.story import OWNER, Story


def _body(n: int) -> str:
    """An evidence body on a different rating for each ``n``."""
    dataset = project.dataset()
    pairs = [(r.name, c.title) for c in dataset.catalog.controls for r in dataset.registries]
    registry, control = pairs[n]
    return bodies.evidence(registry=registry, control=control, status="yes")


def _approve(story: Story, number: int, capsys: pytest.CaptureFixture[str]) -> str:
    """Approve issue ``number``; the run's output."""
    capsys.readouterr()
    assert story.comment(number, 100 + number, OWNER, "/packman approve") == 0
    return capsys.readouterr().out


def _commits(story: Story) -> list[str]:
    """Every commit of the bot branch as tree and message (equal trees: equal files, byte for
    byte)."""
    log = git(story.repo, "log", "--reverse", "--format=%T %B%x00", f"main..{BOT_BRANCH}")
    return [entry.strip() for entry in log.split("\0") if entry.strip()]


def _body_without_head(story: Story) -> str:
    return "\n".join(
        line for line in story.pull()["body"].splitlines() if "packman:head" not in line
    )


def _rebuild_from_main(story: Story) -> None:
    """Forget the bot branch and its pull request, and rebuild from main (a scheduled run)."""
    for pull in (story.state / "pulls").glob("*.json"):
        pull.unlink()
    git(story.repo, "branch", "-D", BOT_BRANCH)
    assert story.send("workflow_dispatch", {"sender": {"login": OWNER}}) == 0


@pytest.mark.parametrize("stale", [False, True])
def test_kept_commits_equal_a_full_rebuild(
    story: Story, capsys: pytest.CaptureFixture[str], stale: bool
) -> None:
    """Approvals one after another keep the earlier commits; the branch and the pull request body
    equal, commit for commit, a rebuild from main of the same approvals (also when main's
    generated files are stale, so that the first commit refreshes them)."""
    if stale:
        page = sorted((story.repo / "docs" / "registries").glob("*.md"))[0]
        page.write_text(page.read_text() + "stale\n")
        git(story.repo, "commit", "-q", "-am", "a page edited by hand")
    for n in (1, 2, 3, 4):
        story.open_issue(n, _body(n))
    first_commits = 2 if stale else 1
    assert f"rebuilt ({first_commits} commit(s))" in _approve(story, 1, capsys)
    first = git(story.repo, "rev-parse", BOT_BRANCH)
    for n in (2, 3, 4):
        out = _approve(story, n, capsys)
        assert f"{n - 1 + first_commits - 1} commit(s) kept, 1 added" in out
    kept, body = _commits(story), _body_without_head(story)
    assert (
        git(story.repo, "rev-list", "--reverse", f"main..{BOT_BRANCH}").split()[first_commits - 1]
        == first
    )

    _rebuild_from_main(story)

    assert (
        len(kept) == 3 + first_commits and [c.split()[0] for c in kept] != [kept[0].split()[0]] * 4
    )
    assert _commits(story) == kept
    assert _body_without_head(story) == body
    assert "Closes #4" in body and "packman:built" in body


def _main_moves(story: Story) -> None:
    path = story.repo / "NOTES.txt"
    path.write_text("main moved\n")
    git(story.repo, "add", "NOTES.txt")
    git(story.repo, "commit", "-q", "-m", "main moved")


@pytest.mark.parametrize("change", ["main moved", "edited", "rejected", "closed"])
def test_anything_else_rebuilds_from_main(
    story: Story, capsys: pytest.CaptureFixture[str], change: str
) -> None:
    """Main moved, or an earlier approval voided by an edit, rejected or closed: the next rebuild
    builds every commit again, and gives what a rebuild from main gives."""
    for n in (1, 2, 3):
        story.open_issue(n, _body(n))
    _approve(story, 1, capsys)
    _approve(story, 2, capsys)
    capsys.readouterr()
    if change == "main moved":
        _main_moves(story)
        out = _approve(story, 3, capsys)
        expected = 3
    elif change == "edited":
        story.open_issue(1, _body(1) + "\nedited", action="edited")
        out = capsys.readouterr().out + _approve(story, 3, capsys)
        expected = 2
    elif change == "rejected":
        story.comment(1, 50, OWNER, "/packman reject not needed")
        out = capsys.readouterr().out + _approve(story, 3, capsys)
        expected = 2
    else:
        keys = ("number", "title", "body", "user", "labels")
        issue = {**{k: story.issue(1)[k] for k in keys}, "state": "closed"}
        story.send("issues", {"action": "closed", "issue": issue, "sender": {"login": OWNER}})
        out = capsys.readouterr().out + _approve(story, 3, capsys)
        expected = 2
    # The event that changed an earlier approval rebuilt from main; the approval after it kept
    # that rebuild's commits (or, on a moved main, rebuilt too).
    assert "rebuilt (" in out
    assert ("kept" in out) == (change != "main moved")
    built = _commits(story)
    assert len(built) == expected
    _rebuild_from_main(story)
    assert _commits(story) == built


def test_a_hand_pushed_commit_is_not_kept(story: Story, capsys: pytest.CaptureFixture[str]) -> None:
    """A commit pushed to the bot branch by hand is not the bot's: the next rebuild starts from
    main and drops it."""
    for n in (1, 2):
        story.open_issue(n, _body(n))
    _approve(story, 1, capsys)
    tree = git(story.repo, "rev-parse", f"{BOT_BRANCH}^{{tree}}")
    pushed = git(story.repo, "commit-tree", tree, "-p", BOT_BRANCH, "-m", "by hand")
    git(story.repo, "update-ref", f"refs/heads/{BOT_BRANCH}", pushed)

    out = _approve(story, 2, capsys)

    assert "rebuilt (2 commit(s))" in out and "kept" not in out
    assert "by hand" not in story.branch_log()


def test_the_nth_approval_renders_only_the_new_one(
    story: Story, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The handler's plan for the fourth approval renders one approval's outputs (one
    ``render_after``) and carries only its commit; without the found branch it renders all four."""
    for n in (1, 2, 3, 4):
        story.open_issue(n, _body(n))
    for n in (1, 2, 3):
        story.comment(n, 100 + n, OWNER, "/packman approve")
    issue = {k: story.issue(4)[k] for k in ("number", "title", "body", "user", "labels", "state")}
    payload = {
        "action": "created",
        "issue": issue,
        "comment": {"id": 104, "user": {"login": OWNER}, "body": "/packman approve"},
        "sender": {"login": OWNER},
        "repository": story.repository,
    }
    local.ingest(story.state, "issue_comment", json.loads(json.dumps(payload)))
    event = events.from_payload("issue_comment", payload)
    state = local.LocalBackend(story.repo, story.state).state(event)
    assert state.pending is not None

    calls: list[int] = []
    real = rebuild_module.outputs.render_after

    def counted(*args: object, **options: object) -> object:
        calls.append(1)
        return real(*args, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(rebuild_module.outputs, "render_after", counted)
    kept = next(e for e in handle(event, state).effects if isinstance(e, BotBranch))
    assert (len(calls), kept.kept, len(kept.commits)) == (1, 3, 1)
    assert kept.on == git(story.repo, "rev-parse", BOT_BRANCH)

    calls.clear()
    full = next(
        e for e in handle(event, replace(state, pending=None)).effects if isinstance(e, BotBranch)
    )
    assert (len(calls), full.kept, len(full.commits)) == (4, 0, 4)
    assert full.commits[-1] == kept.commits[0]
    assert (full.body, full.fingerprint) == (kept.body, kept.fingerprint)
