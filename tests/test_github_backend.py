"""The GitHub backend against GitHub's documented REST responses, replayed offline from vcrpy cassettes.

Each scenario drives the real path: a webhook payload → ``backend.state`` → ``handle`` →
``execute``, with PyGithub talking to a cassette (``record_mode="none"``: a request the
cassette does not hold fails the test). The cassettes are written by
``tests/github_api/build_cassettes.py`` from the examples in
``tests/github_api/openapi-subset.json`` (vendored from GitHub's description by
``vendor_openapi.py``); ``tests/github_api/story.py`` holds the numbers both sides share.

Matching: method + URI + ``json_body`` (JSON bodies compared as data; a recorded string
ending in ``…`` matches any text with that prefix, for text rendered from main's data).
git/trees and git/commits are matched on method + URI only: their bodies depend on this
test's checkout, so the tests assert on what was sent instead.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.review.labels import LABEL_DESCRIPTIONS, StateLabel
from bot.review.plan import Reply, UpsertSticky
from bot.review.rebuild import pull_body
from tests.helpers.github import story
from tests.helpers.github.replay import (
    ADD_LABEL,
    CLOSE_ISSUE,
    COMMENTS,
    COMMITS,
    CREATE_LABEL,
    GET_LABEL,
    ISSUE,
    ISSUES,
    PATCH_COMMENT,
    PATCH_PULL,
    PATCH_REF,
    PERMISSION,
    POST_COMMENT,
    POST_PULL,
    POST_REF,
    PULLS,
    RECENT,
    REMOVE_LABEL,
    TREES,
    Run,
    as_user,
    command,
    example,
    opened,
    replay,
)
from tests.helpers.project import run_git


def _only(effects: tuple[Any, ...], kind: type) -> list[Any]:
    return [e for e in effects if isinstance(e, kind)]


# --- scenarios --------------------------------------------------------------------------------


def test_issue_opened_posts_sticky_and_labels_it(checkout: Path) -> None:
    """(a) A new issue: list issues and comments, post the sticky, add the label; no bot PR call (nothing approved)."""
    run = replay("issue-opened", "issues", opened(), checkout)

    assert run.log == [
        "issue #1: sticky comment created",
        "issue #1: label 'packman: ready for review'",
    ]
    assert run.bodies("POST", "/repos/packman-demo/packman/issues/1/comments") == [
        {"body": _only(run.plan.effects, UpsertSticky)[0].body}
    ]
    assert run.calls == {
        ISSUES: 1,
        COMMENTS: 1,
        POST_COMMENT: 1,
        GET_LABEL: 1,
        ADD_LABEL: 1,
        RECENT: 1,
    }


def test_second_identical_run_changes_nothing(checkout: Path) -> None:
    """(b) The same event again finds its sticky unchanged and its label present: two reads, no write."""
    first = replay("issue-opened", "issues", opened(), checkout)
    posted = first.bodies("POST", "/repos/packman-demo/packman/issues/1/comments")[0]["body"]

    again = replay(
        "issue-opened-again",
        "issues",
        opened(),
        checkout,
        restore=((story.STICKY_AS_POSTED, json.dumps(posted, ensure_ascii=False)[1:-1]),),
    )

    assert again.log == [
        "issue #1: sticky comment unchanged",
        "issue #1: label 'packman: ready for review' already set",
    ]
    assert {s.method for s in again.sent} == {"GET"}
    assert again.calls == {ISSUES: 1, COMMENTS: 1, RECENT: 1}


def _assert_first_commit(run: Run, checkout: Path) -> None:
    """The bot branch's first commit: main's tree + the approved change of #1, parent main's HEAD."""
    branch = run.branch()
    trees = run.bodies("POST", "/repos/packman-demo/packman/git/trees")
    commits = run.bodies("POST", "/repos/packman-demo/packman/git/commits")
    assert trees[0]["base_tree"] == run_git(checkout, "rev-parse", "HEAD^{tree}")
    paths = [entry["path"] for entry in trees[0]["tree"]]
    assert "assessments/registries/packagist.yml" in paths
    assert {p: e["content"] for p, e in zip(paths, trees[0]["tree"], strict=True)} == {
        str(p): text for p, text in branch.commits[0].files.items()
    }
    assert {(e["mode"], e["type"]) for e in trees[0]["tree"]} == {("100644", "blob")}
    assert commits[0] == {
        "message": branch.commits[0].message,
        "tree": story.TREE_1,
        "parents": [run_git(checkout, "rev-parse", "HEAD")],
    }
    assert run.state.base_sha == run_git(checkout, "rev-parse", "HEAD")


def _assert_pull_text(run: Run, method: str, path: str, head: str) -> None:
    """The pull request says what the plan says, plus the commit the bot branch was moved to."""
    branch = run.branch()
    [sent] = run.bodies(method, path)
    assert sent["title"] == branch.title
    assert sent["body"] == pull_body(branch, head)
    assert sent["body"].startswith(branch.body.rstrip())
    assert f"<!-- packman:fingerprint {branch.fingerprint} -->" in sent["body"]
    assert sent["body"].endswith(f"<!-- packman:head {head} -->\n")


APPROVAL_CALLS = {
    ISSUES: 1,
    COMMENTS: 1,
    PERMISSION: 1,
    PATCH_COMMENT: 1,
    REMOVE_LABEL: 1,
    GET_LABEL: 1,
    ADD_LABEL: 1,
    POST_COMMENT: 1,
    PULLS: 1,
    TREES: 1,
    COMMITS: 1,
    RECENT: 1,
}


def test_maintainer_approval_creates_branch_and_opens_pull(checkout: Path) -> None:
    """(c) maintain role: labels, sticky PATCH, reply, tree + commit, ref PATCH 422 → POST 201, pull opened."""
    run = replay(
        "approve-maintainer",
        "issue_comment",
        command(story.APPROVE_1, story.MORGAN, "/packman approve"),
        checkout,
    )

    assert run.state.permissions == {"maintainer-morgan": "maintain"}
    assert run.log == [
        "issue #1: label 'packman: approved'",
        "issue #1: sticky comment updated",
        "issue #1: replied",
        "bot branch rebuilt (1 commit(s)); pull request #2 opened",
    ]
    [sticky] = run.bodies("PATCH", "/repos/packman-demo/packman/issues/comments/5010")
    assert sticky == {"body": _only(run.plan.effects, UpsertSticky)[0].body}
    assert '"by":"maintainer-morgan"' in sticky["body"]
    _assert_first_commit(run, checkout)
    assert [(s.method, s.status) for s in run.sent if "/git/refs" in s.path] == [
        ("PATCH", 422),
        ("POST", 201),
    ]
    _assert_pull_text(run, "POST", "/repos/packman-demo/packman/pulls", story.COMMIT_1)
    assert "Closes #1" in run.branch().body
    assert [
        (s.method, s.status) for s in run.sent if s.path.endswith(("/issues/1/labels", "/labels"))
    ] == [("POST", 201), ("POST", 200)]  # a missing label is created first (GET 404), then added
    assert [s.status for s in run.sent if s.method == "GET" and "/labels/" in s.path] == [404]
    [made] = run.bodies("POST", "/repos/packman-demo/packman/labels")
    assert made == {"name": "packman: approved", "color": "1d76db",
                    "description": LABEL_DESCRIPTIONS[StateLabel.APPROVED]}  # fmt: skip
    assert run.calls == {
        **APPROVAL_CALLS,
        CREATE_LABEL: 1,
        PATCH_REF: 1,
        POST_REF: 1,
        POST_PULL: 1,
    }


def test_custom_role_with_write_base_may_approve(checkout: Path) -> None:
    """A custom role (``role_name`` "release-manager", base ``permission`` write) counts as write."""
    run = replay(
        "approve-custom-role",
        "issue_comment",
        command(story.APPROVE_1, story.MORGAN, "/packman approve"),
        checkout,
    )

    assert run.state.permissions == {"maintainer-morgan": "write"}
    assert run.log[-1] == "bot branch rebuilt (1 commit(s)); pull request #2 opened"
    assert run.calls == {**APPROVAL_CALLS, PATCH_REF: 1, POST_REF: 1, POST_PULL: 1}


def test_approval_with_outdated_pull_moves_branch_and_updates_pull(checkout: Path) -> None:
    """(d) #1 approved in PR #2 (old fingerprint); #3 approved now: two commits, ref PATCH 200, PR PATCH."""
    run = replay(
        "approve-pull-outdated",
        "issue_comment",
        command(story.APPROVE_3, story.MORGAN, "/packman approve", issue=story.ISSUE_3),
        checkout,
    )

    assert [i.number for i in run.state.issues] == [
        3,
        1,
    ]  # the pull request in the listing is skipped
    assert set(run.state.comments) == {1, 3}
    assert run.log == [
        "issue #3: label 'packman: approved'",
        "issue #3: sticky comment updated",
        "issue #3: replied",
        "bot branch rebuilt (2 commit(s)); pull request #2 updated",
    ]
    _assert_first_commit(run, checkout)
    trees = run.bodies("POST", "/repos/packman-demo/packman/git/trees")
    commits = run.bodies("POST", "/repos/packman-demo/packman/git/commits")
    assert trees[1]["base_tree"] == story.TREE_1
    assert "assessments/registries/npm.yml" in [e["path"] for e in trees[1]["tree"]]
    assert commits[1]["parents"] == [story.COMMIT_1]
    assert commits[1]["tree"] == story.TREE_2
    assert run.bodies("PATCH", "/repos/packman-demo/packman/git/refs/heads/packman/pending") == [
        {"sha": story.COMMIT_2, "force": True}
    ]
    _assert_pull_text(run, "PATCH", "/repos/packman-demo/packman/pulls/2", story.COMMIT_2)
    assert run.branch().fingerprint != story.OLD_FINGERPRINT
    assert run.calls == {
        **APPROVAL_CALLS,
        COMMENTS: 2,
        TREES: 2,
        COMMITS: 2,
        PATCH_REF: 1,
        PATCH_PULL: 1,
    }


def test_reader_cannot_approve(checkout: Path) -> None:
    """(e) role read: one reply saying so; no label, branch or pull request call."""
    body = "Looks right to me!\n\n/packman approve"
    run = replay(
        "approve-not-allowed",
        "issue_comment",
        command(story.APPROVE_1_DANA, story.DANA, body),
        checkout,
    )

    assert run.state.permissions == {"drive-by-dana": "read"}
    assert run.log == ["issue #1: replied"]
    [reply] = _only(run.plan.effects, Reply)
    assert "your permission here is `read`" in reply.body
    assert run.bodies("POST", "/repos/packman-demo/packman/issues/1/comments") == [
        {"body": reply.body}
    ]
    assert run.calls == {ISSUES: 1, COMMENTS: 1, PERMISSION: 1, POST_COMMENT: 1, RECENT: 1}


def test_unknown_login_has_no_permission(checkout: Path) -> None:
    """The permission endpoint answers 404: the login counts as ``none`` and gets a reply."""
    run = replay(
        "approve-not-collaborator",
        "issue_comment",
        command(story.APPROVE_1_PAT, story.PAT, "/packman approve"),
        checkout,
    )

    assert run.state.permissions == {"passer-by-pat": "none"}
    assert run.log == ["issue #1: replied"]
    assert "your permission here is `none`" in _only(run.plan.effects, Reply)[0].body
    assert run.calls == {ISSUES: 1, COMMENTS: 1, PERMISSION: 1, POST_COMMENT: 1, RECENT: 1}


def test_rebuild_with_nothing_approved_closes_the_pull(checkout: Path) -> None:
    """(f) A manual dispatch with no approved issue and PR #2 open: PATCH it closed, nothing else."""
    run = replay(
        "dispatch-close-pull", "workflow_dispatch", example("workflow-dispatch.json"), checkout
    )

    assert run.log == ["bot pull request #2: closed (nothing approved)"]
    assert run.bodies("PATCH", "/repos/packman-demo/packman/pulls/2") == [{"state": "closed"}]
    assert run.calls == {ISSUES: 1, COMMENTS: 1, PULLS: 1, PATCH_PULL: 1, RECENT: 1}


def test_comment_that_landed_despite_502_is_not_posted_again(checkout: Path) -> None:
    """(g) POST answered 502; the re-listing finds the sticky: no second POST."""
    run = replay("comment-502-landed", "issues", opened(), checkout)

    assert run.log[0] == "issue #1: sticky comment created (found after a failed response)"
    assert [
        (s.method, s.status)
        for s in run.sent
        if s.path.startswith("/repos/packman-demo/packman/issues/1/comments")
    ] == [("GET", 200), ("POST", 502), ("GET", 200)]
    assert run.calls == {
        ISSUES: 1,
        COMMENTS: 2,
        POST_COMMENT: 1,
        GET_LABEL: 1,
        ADD_LABEL: 1,
        RECENT: 1,
    }


def test_comment_lost_to_502_is_posted_once_more(checkout: Path) -> None:
    """(g) POST answered 502 and the comment is not there: posted again, once."""
    run = replay("comment-502-lost", "issues", opened(), checkout)

    assert run.log[0] == "issue #1: sticky comment created"
    posts = run.bodies("POST", "/repos/packman-demo/packman/issues/1/comments")
    assert len(posts) == 2
    assert posts[0] == posts[1]
    assert run.calls == {
        ISSUES: 1,
        COMMENTS: 2,
        POST_COMMENT: 2,
        GET_LABEL: 1,
        ADD_LABEL: 1,
        RECENT: 1,
    }


def test_branch_created_meanwhile_falls_back_to_update(checkout: Path) -> None:
    """(h) PATCH ref 422 (missing), POST ref 422 (exists now): PATCH again, then open the pull request."""
    run = replay(
        "approve-ref-race",
        "issue_comment",
        command(story.APPROVE_1, story.MORGAN, "/packman approve"),
        checkout,
    )

    assert [(s.method, s.status) for s in run.sent if "/git/refs" in s.path] == [
        ("PATCH", 422),
        ("POST", 422),
        ("PATCH", 200),
    ]
    assert run.log[-1] == "bot branch rebuilt (1 commit(s)); pull request #2 opened"
    assert run.calls == {**APPROVAL_CALLS, PATCH_REF: 2, POST_REF: 1, POST_PULL: 1}


def test_pull_opened_meanwhile_is_updated(checkout: Path) -> None:
    """(i) POST pulls 422 "already exists": list again, PATCH the one found (#4)."""
    run = replay(
        "approve-pull-race",
        "issue_comment",
        command(story.APPROVE_1, story.MORGAN, "/packman approve"),
        checkout,
    )

    assert run.log[-1] == "bot branch rebuilt (1 commit(s)); pull request #4 updated"
    assert [
        (s.method, s.status)
        for s in run.sent
        if urlsplit(s.path).path.endswith(("/pulls", "/pulls/4"))
    ] == [("GET", 200), ("POST", 422), ("GET", 200), ("PATCH", 200)]
    _assert_pull_text(run, "PATCH", "/repos/packman-demo/packman/pulls/4", story.COMMIT_1)
    assert run.calls == {**APPROVAL_CALLS, PULLS: 2, PATCH_REF: 1, POST_PULL: 1, PATCH_PULL: 1}


def test_maintainer_rejection_closes_the_issue(checkout: Path) -> None:
    """Reject of an unapproved issue: sticky PATCH, label rejected, closed as not planned; no bot PR call."""
    run = replay(
        "reject-maintainer",
        "issue_comment",
        command(story.REJECT_1, story.MORGAN, "/packman reject The linked page does not say this."),
        checkout,
    )

    assert run.log == [
        "issue #1: sticky comment updated",
        "issue #1: label 'packman: rejected'",
        "issue #1: closed (not_planned)",
    ]
    assert run.calls == {
        ISSUES: 1,
        COMMENTS: 1,
        PERMISSION: 1,
        PATCH_COMMENT: 1,
        REMOVE_LABEL: 1,
        GET_LABEL: 1,
        ADD_LABEL: 1,
        CLOSE_ISSUE: 1,
        RECENT: 1,
    }


def test_merged_pull_marks_issues_applied(checkout: Path) -> None:
    """Merge of PR #2: #1 (closed by GitHub, so not listed) is read, relabelled applied and thanked; no second close."""
    payload = example("pull-request-merged.json")
    payload["pull_request"]["body"] = (
        "Closes #1\n\n<!-- packman:issues [1] -->\n<!-- packman:fingerprint 0 -->"
    )
    payload["sender"] = as_user(story.MORGAN)
    run = replay("pull-merged", "pull_request", payload, checkout)

    assert run.log == [
        "issue #1: label 'packman: applied'",
        "issue #1: replied",
        "issue #1: already closed",
        "bot branch: nothing approved, no pull request open",
    ]
    assert run.calls == {
        ISSUES: 1,
        ISSUE: 1,
        REMOVE_LABEL: 1,
        GET_LABEL: 1,
        ADD_LABEL: 1,
        COMMENTS: 1,
        POST_COMMENT: 1,
        PULLS: 1,
        RECENT: 1,
    }
