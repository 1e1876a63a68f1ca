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

import datetime as dt
import functools
import json
import logging
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import vcr
import yaml

from bot.backends.github import GitHubBackend, client
from bot.data import snapshot, store
from bot.render import outputs
from bot.review import events
from bot.review.backend import RepoState, execute
from bot.review.handler import handle
from bot.review.plan import BotBranch, Plan, Reply, UpsertSticky
from bot.review.rebuild import pull_body
from tests.conftest import PROJECT
from tests.github_api import story

HERE = Path(__file__).resolve().parent
CASSETTES = HERE / "cassettes"
SUBSET = json.loads((HERE / "github_api" / "openapi-subset.json").read_text(encoding="utf-8"))
TOKEN = "test-token"
TODAY = dt.date.fromisoformat(story.TODAY)
R = "/repos/{owner}/{repo}"

ISSUES, ISSUE, COMMENTS = (
    f"GET {R}/issues",
    f"GET {R}/issues/{{n}}",
    f"GET {R}/issues/{{n}}/comments",
)
POST_COMMENT, PATCH_COMMENT = f"POST {R}/issues/{{n}}/comments", f"PATCH {R}/issues/comments/{{n}}"
PERMISSION = f"GET {R}/collaborators/{{login}}/permission"
CREATE_LABEL, ADD_LABEL = f"POST {R}/labels", f"POST {R}/issues/{{n}}/labels"
REMOVE_LABEL = f"DELETE {R}/issues/{{n}}/labels/{{name}}"
CLOSE_ISSUE = f"PATCH {R}/issues/{{n}}"
PULLS, POST_PULL, PATCH_PULL = f"GET {R}/pulls", f"POST {R}/pulls", f"PATCH {R}/pulls/{{n}}"
TREES, COMMITS = f"POST {R}/git/trees", f"POST {R}/git/commits"
PATCH_REF, POST_REF = f"PATCH {R}/git/refs/heads/packman/pending", f"POST {R}/git/refs"

BODY_FREE = {("POST", f"{R}/git/trees"), ("POST", f"{R}/git/commits")}
"""Operations matched without their body (it depends on the checkout); the tests assert on it."""

SERVER_FAULT = (
    "GitHub's description lists no 5xx for this operation, yet any call can meet one: a gateway "
    "(502), an outage (503) or a server error (500)"
)
SECONDARY_LIMIT = (
    "secondary rate limits (403 or 429 with Retry-After) apply to every operation; GitHub documents "
    "them once, in 'Rate limits for the REST API', not per operation"
)
PRIMARY_LIMIT = (
    "the primary rate limit (403 'API rate limit exceeded', X-RateLimit-Remaining 0) applies to every "
    "operation; documented in 'Rate limits for the REST API', not per operation"
)
LIST_ISSUES, COMMENT_POST = f"{R}/issues", f"{R}/issues/{{issue_number}}/comments"
UNDOCUMENTED_FAULTS = {
    ("comment-502-landed", "POST", COMMENT_POST, 502): SERVER_FAULT,
    ("comment-502-lost", "POST", COMMENT_POST, 502): SERVER_FAULT,
    ("fault-read-500", "GET", LIST_ISSUES, 500): SERVER_FAULT,
    ("fault-read-502-retried", "GET", LIST_ISSUES, 502): SERVER_FAULT,
    ("fault-read-503-exhausted", "GET", LIST_ISSUES, 503): SERVER_FAULT,
    ("fault-sticky-503", "PATCH", f"{R}/issues/comments/{{comment_id}}", 503): SERVER_FAULT,
    ("pull-create-502", "POST", f"{R}/pulls", 502): SERVER_FAULT,
    ("ratelimit-429-read", "GET", LIST_ISSUES, 429): SECONDARY_LIMIT,
    ("ratelimit-primary", "GET", LIST_ISSUES, 403): PRIMARY_LIMIT,
}
"""Injected faults with a status GitHub's description does not list for the operation → why the status is real."""

OMITTABLE = {"pull_request"}
"""Example keys a body may lack: GitHub sends ``pull_request`` only for issues that are pull requests."""


# --- matching and capture ------------------------------------------------------------------


def _template(method: str, path: str) -> str | None:
    """The documented path template of a request, or None if no single operation matches."""
    found = [
        op["path"]
        for op in SUBSET["operations"]
        if op["method"] == method and _pattern(op["path"]).fullmatch(path)
    ]
    return found[0] if len(found) == 1 else None


def _pattern(template: str) -> re.Pattern[str]:
    def part(name: str) -> str:
        return {
            "ref": ".+",
            "issue_number": r"\d+",
            "comment_id": r"\d+",
            "pull_number": r"\d+",
        }.get(name, "[^/]+")

    pieces = re.split(r"\{(\w+)\}", template)
    return re.compile(
        "".join(re.escape(p) if i % 2 == 0 else part(p) for i, p in enumerate(pieces))
    )


def _json(body: bytes | str | None) -> Any:
    return json.loads(body) if body else None


def _fits(live: Any, recorded: Any) -> bool:
    """``live`` equals ``recorded``, where a recorded string ending in ``…`` stands for any text with its prefix."""
    if isinstance(recorded, str) and recorded.endswith("…"):
        return isinstance(live, str) and live.startswith(recorded[:-1])
    if isinstance(recorded, dict):
        return (
            isinstance(live, dict)
            and live.keys() == recorded.keys()
            and all(_fits(live[k], v) for k, v in recorded.items())
        )
    if isinstance(recorded, list):
        return (
            isinstance(live, list)
            and len(live) == len(recorded)
            and all(map(_fits, live, recorded))
        )
    return bool(live == recorded)


def json_body(live: Any, recorded: Any) -> None:
    """vcrpy matcher: JSON bodies compared as data (vcrpy passes the live request first)."""
    if (live.method, _template(live.method, urlsplit(live.uri).path)) in BODY_FREE:
        return
    sent, expected = _json(live.body), _json(recorded.body)
    if not _fits(sent, expected):
        raise AssertionError(f"body {sent!r} does not fit the recorded {expected!r}")


VCR = vcr.VCR(
    cassette_library_dir=str(CASSETTES),
    record_mode="none",
    filter_headers=["authorization"],
    match_on=["method", "uri", "json_body"],
)
VCR.register_matcher("json_body", json_body)


@dataclass(frozen=True)
class Sent:
    """One request PyGithub sent, as its request log shows it."""

    method: str
    path: str
    """Path and query, relative to the API root."""
    body: Any
    status: int


class Wire(logging.Handler):
    """Captures PyGithub's request log (verb, url, headers, input, status) while the backend counts calls."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.sent: list[Sent] = []

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        if (
            len(args) >= 7
        ):  # "%s %s://%s%s %s %s ==> %i %s %s": verb, scheme, host, url, headers, input, status
            body = args[5] if isinstance(args[5], str | bytes) else None
            self.sent.append(Sent(str(args[0]), str(args[3]), _json(body), int(str(args[6]))))


@dataclass(frozen=True)
class Run:
    """What one replayed event did."""

    state: RepoState
    plan: Plan
    log: list[str]
    calls: dict[str, int]
    """backend.counter, with the variable parts of paths named."""
    sent: list[Sent]

    def bodies(self, method: str, prefix: str) -> list[Any]:
        return [s.body for s in self.sent if s.method == method and urlsplit(s.path).path == prefix]

    def branch(self) -> BotBranch:
        return next(e for e in self.plan.effects if isinstance(e, BotBranch))


def _counted(calls: dict[str, int]) -> dict[str, int]:
    """backend.counter's keys with the login and the label name replaced by their parameter names."""

    def name(key: str) -> str:
        key = re.sub(r"/collaborators/[^/]+/", "/collaborators/{login}/", key)
        return re.sub(r"/labels/[^/]+$", "/labels/{name}", key)

    return {name(key): count for key, count in calls.items()}


def replay(
    name: str,
    event_name: str,
    payload: dict[str, Any],
    root: Path,
    *,
    restore: tuple[tuple[str, str], ...] = (),
) -> Run:
    """Run one event against cassette ``name``; every interaction must be played, in order."""
    event = events.from_payload(event_name, payload)
    wire, logger = Wire(), logging.getLogger("github.Requester")
    logger.addHandler(wire)
    gh = client(token=TOKEN, retry=False)
    try:
        with VCR.use_cassette(f"{name}.yaml", filter_sensitive_data=restore) as cassette:
            backend = GitHubBackend(gh, event.repository, root, bot=story.BOT[0], today=TODAY)
            state = backend.state(event)
            plan = handle(event, state)
            log = execute(plan, backend)
    finally:
        gh.close()
        logger.removeHandler(wire)
    unplayed = [
        f"{r.method} {r.uri}"
        for i, r in enumerate(cassette.requests)
        if not cassette.play_counts[i]
    ]
    assert cassette.all_played, f"{name}: interactions never requested: {unplayed}"
    recorded = [(r.method, r.uri.removeprefix(story.API)) for r in cassette.requests]
    assert [(s.method, s.path) for s in wire.sent] == recorded, (
        f"{name}: requests differ from the cassette's order"
    )
    return Run(state, plan, log, _counted(dict(backend.counter.calls)), wire.sent)


# --- the checkout and the payloads ------------------------------------------------------------


def _git(root: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "packman tests",
        "GIT_AUTHOR_EMAIL": "tests@example.org",
        "GIT_COMMITTER_NAME": "packman tests",
        "GIT_COMMITTER_EMAIL": "tests@example.org",
        "GIT_AUTHOR_DATE": "2026-11-25T09:00:00Z",
        "GIT_COMMITTER_DATE": "2026-11-25T09:00:00Z",
    }
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True, env=env
    )
    return done.stdout.strip()


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """main as the Actions checkout holds it: the project's data, templates and generated files, committed.

    The same files as conftest's ``project_copy`` plus pyproject.toml, copied once per module (the
    GitHub backend only reads the checkout). Generated files are rendered before the commit, so the
    bot branch holds exactly one commit per approved issue whatever state the working tree is in.
    """
    return make_checkout(tmp_path_factory.mktemp("checkout"))


def make_checkout(root: Path) -> Path:
    """Commit the project's data, templates and freshly rendered outputs as main in ``root``."""
    for name in ("assessments", "docs", "issue_templates", ".github/ISSUE_TEMPLATE"):
        shutil.copytree(PROJECT / name, root / name)
    for name in ("README.md", "pyproject.toml"):
        shutil.copy(PROJECT / name, root / name)
    files = snapshot.from_directory(root)
    outputs.write_changed(root, outputs.render_all(files, store.dataset_from(files)))
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "main")
    return root


def _example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PROJECT / "examples" / name).read_text(encoding="utf-8"))
    return data


def _as(who: tuple[str, int, str]) -> dict[str, Any]:
    return {"login": who[0], "id": who[1], "type": who[2]}


def opened() -> dict[str, Any]:
    return _example("issue-opened.json")


def command(
    comment_id: int, who: tuple[str, int, str], body: str, issue: int = story.ISSUE_1
) -> dict[str, Any]:
    """An issue_comment ``created`` payload (shape of examples/comment-approve.json)."""
    payload = _example("comment-approve.json")
    payload["comment"].update(
        id=comment_id,
        user=_as(who),
        body=body,
        url=f"{story.API}/repos/{story.REPOSITORY}/issues/comments/{comment_id}",
    )
    payload["sender"] = _as(who)
    if issue == story.ISSUE_3:
        payload["issue"].update(
            number=issue,
            id=2003,
            title=story.ISSUE_3_TITLE,
            body=story.ISSUE_3_BODY,
            url=f"{story.API}/repos/{story.REPOSITORY}/issues/{issue}",
        )
    return payload


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
    assert run.calls == {ISSUES: 1, COMMENTS: 1, POST_COMMENT: 1, ADD_LABEL: 1}


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
    assert again.calls == {ISSUES: 1, COMMENTS: 1}


def _assert_first_commit(run: Run, checkout: Path) -> None:
    """The bot branch's first commit: main's tree + the approved change of #1, parent main's HEAD."""
    branch = run.branch()
    trees = run.bodies("POST", "/repos/packman-demo/packman/git/trees")
    commits = run.bodies("POST", "/repos/packman-demo/packman/git/commits")
    assert trees[0]["base_tree"] == _git(checkout, "rev-parse", "HEAD^{tree}")
    paths = [entry["path"] for entry in trees[0]["tree"]]
    assert "assessments/registries/packagist.yml" in paths
    assert {p: e["content"] for p, e in zip(paths, trees[0]["tree"], strict=True)} == {
        str(p): text for p, text in branch.commits[0].files.items()
    }
    assert {(e["mode"], e["type"]) for e in trees[0]["tree"]} == {("100644", "blob")}
    assert commits[0] == {
        "message": branch.commits[0].message,
        "tree": story.TREE_1,
        "parents": [_git(checkout, "rev-parse", "HEAD")],
    }
    assert run.state.base_sha == _git(checkout, "rev-parse", "HEAD")


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
    ADD_LABEL: 1,
    POST_COMMENT: 1,
    PULLS: 1,
    TREES: 1,
    COMMITS: 1,
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
    ] == [("POST", 422), ("POST", 201), ("POST", 200)]  # a missing label is created, then added
    assert run.calls == {
        **APPROVAL_CALLS,
        ADD_LABEL: 2,
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
    assert run.calls == {ISSUES: 1, COMMENTS: 1, PERMISSION: 1, POST_COMMENT: 1}


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
    assert run.calls == {ISSUES: 1, COMMENTS: 1, PERMISSION: 1, POST_COMMENT: 1}


def test_rebuild_with_nothing_approved_closes_the_pull(checkout: Path) -> None:
    """(f) A manual dispatch with no approved issue and PR #2 open: PATCH it closed, nothing else."""
    run = replay(
        "dispatch-close-pull", "workflow_dispatch", _example("workflow-dispatch.json"), checkout
    )

    assert run.log == ["bot pull request #2: closed (nothing approved)"]
    assert run.bodies("PATCH", "/repos/packman-demo/packman/pulls/2") == [{"state": "closed"}]
    assert run.calls == {ISSUES: 1, PULLS: 1, PATCH_PULL: 1}


def test_comment_that_landed_despite_502_is_not_posted_again(checkout: Path) -> None:
    """(g) POST answered 502; the re-listing finds the sticky: no second POST."""
    run = replay("comment-502-landed", "issues", opened(), checkout)

    assert run.log[0] == "issue #1: sticky comment created (found after a failed response)"
    assert [
        (s.method, s.status)
        for s in run.sent
        if s.path.startswith("/repos/packman-demo/packman/issues/1/comments")
    ] == [("GET", 200), ("POST", 502), ("GET", 200)]
    assert run.calls == {ISSUES: 1, COMMENTS: 2, POST_COMMENT: 1, ADD_LABEL: 1}


def test_comment_lost_to_502_is_posted_once_more(checkout: Path) -> None:
    """(g) POST answered 502 and the comment is not there: posted again, once."""
    run = replay("comment-502-lost", "issues", opened(), checkout)

    assert run.log[0] == "issue #1: sticky comment created"
    posts = run.bodies("POST", "/repos/packman-demo/packman/issues/1/comments")
    assert len(posts) == 2
    assert posts[0] == posts[1]
    assert run.calls == {ISSUES: 1, COMMENTS: 2, POST_COMMENT: 2, ADD_LABEL: 1}


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
        ADD_LABEL: 1,
        CLOSE_ISSUE: 1,
    }


def test_merged_pull_marks_issues_applied(checkout: Path) -> None:
    """Merge of PR #2: #1 (closed by GitHub, so not listed) is read, relabelled applied and thanked; no second close."""
    payload = _example("pull-request-merged.json")
    payload["pull_request"]["body"] = (
        "Closes #1\n\n<!-- packman:issues [1] -->\n<!-- packman:fingerprint 0 -->"
    )
    payload["sender"] = _as(story.MORGAN)
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
        ADD_LABEL: 1,
        COMMENTS: 1,
        POST_COMMENT: 1,
        PULLS: 1,
    }


# --- the cassettes themselves ------------------------------------------------------------------

CASSETTE_FILES = sorted(CASSETTES.glob("*.yaml"))


@functools.cache
def _interactions(path: Path) -> list[dict[str, Any]]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    assert data["version"] == 1
    interactions: list[dict[str, Any]] = data["interactions"]
    return interactions


def _operation(method: str, template: str) -> dict[str, Any]:
    return next(
        op for op in SUBSET["operations"] if op["method"] == method and op["path"] == template
    )


USERS = (Path(__file__), HERE / "test_github_faults.py", HERE / "test_races.py")
"""The test files that replay cassettes, each by a call ``replay(``, ``cli(`` or ``cassette(`` with its name."""


def test_every_scenario_has_a_cassette() -> None:
    """Each replayed cassette exists, and no cassette is left without a test."""
    used = {
        name
        for path in USERS
        for name in re.findall(
            r'\b(?:replay|cli|cassette)\(\s*"([\w-]+)"', path.read_text(encoding="utf-8")
        )
    }
    assert {p.stem for p in CASSETTE_FILES} == used


def test_every_undocumented_status_has_a_reason() -> None:
    """An injected status outside GitHub's description is allowed only with a reason, and only while it is used."""
    assert all(len(reason) > 40 for reason in UNDOCUMENTED_FAULTS.values())
    found = {
        (
            path.stem,
            i["request"]["method"],
            _template(i["request"]["method"], urlsplit(i["request"]["uri"]).path),
            i["response"]["status"]["code"],
        )
        for path in CASSETTE_FILES
        for i in _interactions(path)
    }
    assert set(UNDOCUMENTED_FAULTS) <= found


@pytest.mark.parametrize("path", CASSETTE_FILES, ids=lambda p: p.stem)
def test_every_request_is_a_documented_operation(path: Path) -> None:
    """Method + path match exactly one operation of the vendored description; the status is one it documents."""
    for interaction in _interactions(path):
        request, status = interaction["request"], interaction["response"]["status"]["code"]
        uri = urlsplit(request["uri"])
        assert f"{uri.scheme}://{uri.netloc}" == story.API
        template = _template(request["method"], uri.path)
        assert template is not None, f"{request['method']} {uri.path} is not a documented operation"
        documented = _operation(request["method"], template)["responses"]
        assert (
            str(status) in documented
            or (path.stem, request["method"], template, status) in UNDOCUMENTED_FAULTS
        ), f"{request['method']} {template} answered {status}; documented: {sorted(documented)}"


def _shape(ours: Any, example: Any, where: str = "$") -> Iterator[str]:
    """Where ``ours`` has other keys than the documented example (nulls and empty lists say nothing)."""
    if isinstance(ours, dict) and isinstance(example, dict):
        missing = set(example) - set(ours) - OMITTABLE
        extra = set(ours) - set(example)
        if missing or extra:
            yield f"{where}: missing {sorted(missing)}, extra {sorted(extra)}"
        for key in set(ours) & set(example):
            yield from _shape(ours[key], example[key], f"{where}.{key}")
    elif isinstance(ours, list) and isinstance(example, list) and example:
        for i, item in enumerate(ours):
            yield from _shape(item, example[0], f"{where}[{i}]")


@pytest.mark.parametrize("path", CASSETTE_FILES, ids=lambda p: p.stem)
def test_response_bodies_keep_the_documented_shape(path: Path) -> None:
    """Success bodies have the keys of GitHub's example; error bodies only the error schema's properties."""
    for interaction in _interactions(path):
        request, response = interaction["request"], interaction["response"]
        method, status = request["method"], response["status"]["code"]
        template = _template(method, urlsplit(request["uri"]).path)
        assert template is not None
        documented = _operation(method, template)["responses"].get(str(status), {})
        body = json.loads(response["body"]["string"])
        where = f"{method} {template} {status}"
        if "example" in documented:
            problems = list(_shape(body, documented["example"]))
            assert not problems, f"{where}: {problems}"
        elif "schema" in documented:
            assert set(body) <= set(documented["schema"]["properties"]), where
            assert set(documented["schema"]["required"]) <= set(body), where
        else:
            assert (path.stem, method, template, status) in UNDOCUMENTED_FAULTS, where
            assert set(body) == {"message"}, where


@pytest.mark.parametrize("path", CASSETTE_FILES, ids=lambda p: p.stem)
def test_no_cassette_holds_credentials(path: Path) -> None:
    """No Authorization header and no token, in any spelling, anywhere in a cassette."""
    text = path.read_text(encoding="utf-8")
    assert "authorization" not in text.lower()
    assert TOKEN not in text
    assert not re.search(r"\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w+)", text)
    assert not re.search(r"(?i)\b(token|bearer) [A-Za-z0-9_.-]{8,}", text)
    for interaction in _interactions(path):
        assert "Authorization" not in interaction["request"]["headers"]
