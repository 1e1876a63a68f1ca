"""Write the vcrpy cassettes of the GitHub backend's tests, from packman's own story.

Run by hand (not by pytest) from the repository root, after changing a scenario::

    .venv/bin/python tests/helpers/github/build_cassettes.py

Nothing here talks to GitHub, and nothing is copied from GitHub: every body is built by
``resources.py`` with the keys GitHub's REST description requires and the values of
``story.py`` (logins, numbers, texts, hashes packman made up), so that each cassette tells one
consistent story. The reference tests check every recorded request against a documented
operation and every response against its documented schema.

Request bodies hold what identifies a request. Text the bot renders from main's data
(comments, the pull request body) is abbreviated: a string ending in ``…`` matches any
text that starts with what precedes it (see ``json_body`` in the tests). git/trees and
git/commits bodies depend on the test's own checkout, so the tests match those requests
on method and URI only and assert on what was sent.

No cassette holds an Authorization header or a token.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import yaml

if __package__ in (None, ""):  # run as a script: make ``tests`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from tests.helpers.github import resources, story
from tests.helpers.github.resources import (
    comment,
    git_commit,
    git_ref,
    git_tree,
    issue,
    label,
    labels,
    permission,
    pull,
)
from tests.helpers.github.story import (
    API,
    APPLIED,
    APPROVE_1,
    APPROVE_1_DANA,
    APPROVE_1_PAT,
    APPROVE_3,
    APPROVED,
    BOT,
    BRANCH,
    DANA,
    EVIDENCE,
    ISSUE_1,
    ISSUE_3,
    MORGAN,
    OWNER,
    PAT,
    PULL,
    RACE_PULL,
    READY,
    REJECT_1,
    REJECTED,
    REPLY_1,
    REPOSITORY,
    STICKY_1,
    STICKY_3,
)

HERE = Path(__file__).resolve().parent
CASSETTES = HERE.parents[1] / "cassettes"
PREFIX = "/repos/{owner}/{repo}"
User = tuple[str, int, str]
Json = Any

REASONS = {
    200: "OK",
    201: "Created",
    403: "Forbidden",
    404: "Not Found",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


# --- the story's resources (tests/helpers/github/resources.py) -------------------------------------


def issue_1(*names: str, **options: Any) -> dict[str, Any]:
    return issue(ISSUE_1, story.ISSUE_1_TITLE, story.ISSUE_1_BODY, names, **options)


def issue_3(*names: str) -> dict[str, Any]:
    return issue(ISSUE_3, story.ISSUE_3_TITLE, story.ISSUE_3_BODY, names)


def pull_as_issue(body: str) -> dict[str, Any]:
    """The open bot pull request as the issues listing shows it (it carries ``pull_request``)."""
    return issue(PULL, "packman: 1 approved change(s)", body, (), author=BOT, pull=True)


def sticky_text(visible: str, record: dict[str, Any] | None = None) -> str:
    """A sticky comment as the bot writes it (marker, text, hidden record; see bot/sticky.py)."""
    data = json.dumps(
        record or {"approval": None, "rejected": None, "voided_by_edit": False},
        sort_keys=True,
        separators=(",", ":"),
    )
    return f"<!-- packman:sticky -->\n{visible}\n\n<!-- packman:record {data} -->\n"


def approval_of(body: str, comment_id: int) -> dict[str, Any]:
    """The record of an approval by MORGAN pinned to ``body`` (bot/sticky.py: body_hash)."""
    digest = _digest(body)
    return {
        "approval": {
            "allow_downgrade": False,
            "body_sha256": digest,
            "by": MORGAN[0],
            "comment_id": comment_id,
            "date": story.TODAY,
        },
        "previewed_sha256": digest,
        "rejected": None,
        "voided_by_edit": False,
    }


def _digest(body: str) -> str:
    """bot/review/sticky.py: body_hash."""
    return hashlib.sha256(body.replace("\r\n", "\n").encode()).hexdigest()


def old_sticky(number: int) -> str:
    """The sticky the bot wrote when issue ``number`` was opened: a preview of its body as it
    still is (the record keeps the hash of the previewed body)."""
    body = story.ISSUE_1_BODY if number == ISSUE_1 else story.ISSUE_3_BODY
    return sticky_text(
        "### packman: preview\n\n(the preview as the bot wrote it when the issue was opened)",
        {
            "approval": None,
            "previewed_sha256": _digest(body),
            "rejected": None,
            "voided_by_edit": False,
        },
    )


POSTED_STICKY = (
    "<!-- packman:sticky -->\n### packman: preview\n\n(GitHub echoes the text the bot sent)\n"
)
STICKY_REQUEST = "<!-- packman:sticky -->\n…"


def listed_pull(number: int, body: str, head_sha: str = story.COMMIT_1) -> dict[str, Any]:
    return pull(number, body, head_sha=head_sha, full=False)


def pull_body(fingerprint: str, issues: str = "[1]") -> str:
    return (
        f"This pull request is maintained by packman's bot.\n\nCloses #1\n\n<!-- packman:issues {issues} -->\n"
        f"<!-- packman:fingerprint {fingerprint} -->"
    )


OUTDATED_PULL_BODY = pull_body(story.OLD_FINGERPRINT)


def error(status: int, message: str, doc: str, *errors: dict[str, str]) -> dict[str, Any]:
    """An error body (validation-error or basic-error); a 404 names its status too."""
    return resources.error(message, doc, *errors, status=status if status == 404 else 0)


LABEL_EXISTS = error(
    422,
    "Validation Failed",
    "issues/labels#create-a-label",
    {"resource": "Label", "code": "already_exists", "field": "name"},
)
REF_MISSING = error(422, "Reference does not exist", "git/refs#update-a-reference")
REF_EXISTS = error(422, "Reference already exists", "git/refs#create-a-reference")
PULL_EXISTS = error(
    422,
    "Validation Failed",
    "pulls/pulls#create-a-pull-request",
    {
        "resource": "PullRequest",
        "code": "custom",
        "message": f"A pull request already exists for {OWNER}:{BRANCH}.",
    },
)
NOT_FOUND = error(
    404, "Not Found", "collaborators/collaborators#get-repository-permissions-for-a-user"
)
BAD_GATEWAY = {"message": "Server Error"}


# --- interactions ------------------------------------------------------------------------


def call(
    method: str,
    path: str,
    status: int,
    response: Json,
    body: Json = None,
    *,
    answer: dict[str, str] | None = None,
    **query: Any,
) -> dict[str, Any]:
    """One interaction in vcrpy's format. ``path`` is relative to the repository (``/user`` to the
    API root); ``answer``: extra response headers."""
    uri = f"{API}{path}" if path.startswith("/user") else f"{API}/repos/{REPOSITORY}{path}"
    if query:
        uri += "?" + urlencode(
            sorted(query.items())
        )  # PyGithub sorts query parameters the same way
    headers: dict[str, list[str]] = {"Accept": ["*/*"], "User-Agent": ["PyGithub/Python"]}
    if body is not None:
        headers["Content-Type"] = ["application/json"]
    reply_headers = {
        "Content-Type": ["application/json; charset=utf-8"],
        "X-GitHub-Media-Type": ["github.v3; format=json"],
        "X-RateLimit-Resource": ["core"],
    }
    reply_headers.update({name: [value] for name, value in (answer or {}).items()})
    return {
        "request": {
            "method": method,
            "uri": uri,
            "body": None if body is None else json.dumps(body, indent=1, ensure_ascii=False),
            "headers": headers,
        },
        "response": {
            "status": {"code": status, "message": REASONS[status]},
            "headers": reply_headers,
            "body": {"string": json.dumps(response, indent=1, ensure_ascii=False)},
        },
    }


PAGE = {"page": 1, "per_page": 100}


def list_issues(*items: dict[str, Any]) -> dict[str, Any]:
    return call("GET", "/issues", 200, list(items), **PAGE, state="open")


def list_comments(number: int, *items: dict[str, Any]) -> dict[str, Any]:
    return call("GET", f"/issues/{number}/comments", 200, list(items), **PAGE)


def get_permission(who: User, role: str, level: str) -> dict[str, Any]:
    return call(
        "GET", f"/collaborators/{quote(who[0])}/permission", 200, permission(who, role, level)
    )


def post_comment(number: int, request: str, status: int, response: Json) -> dict[str, Any]:
    return call("POST", f"/issues/{number}/comments", status, response, {"body": request})


def patch_comment(comment_id: int, number: int, response_body: str) -> dict[str, Any]:
    updated = comment(comment_id, number, BOT, response_body)
    return call("PATCH", f"/issues/comments/{comment_id}", 200, updated, {"body": STICKY_REQUEST})


def remove_label(number: int, name: str, *left: str) -> dict[str, Any]:
    return call("DELETE", f"/issues/{number}/labels/{quote(name, safe='')}", 200, labels(*left))


def create_label(name: str, exists: bool) -> dict[str, Any]:
    request = {
        "name": name,
        "color": story.LABEL_COLOURS[name],
        "description": story.LABEL_DESCRIPTIONS[name],
    }
    return call(
        "POST", "/labels", 422 if exists else 201, LABEL_EXISTS if exists else label(name), request
    )


LABEL_NOT_FOUND = error(404, "Not Found", "issues/labels#get-a-label")


def get_label(name: str, status: int = 200, *, grey: bool = False) -> dict[str, Any]:
    """The bot looks its label up once a run before it first adds it (404: not made yet)."""
    found = label(name, grey=grey) if status == 200 else LABEL_NOT_FOUND
    return call("GET", f"/labels/{quote(name, safe='')}", status, found)


def update_label(name: str) -> dict[str, Any]:
    """A label GitHub made grey and bare gets the bot's colour and description."""
    wanted = {"color": story.LABEL_COLOURS[name], "description": story.LABEL_DESCRIPTIONS[name]}
    return call("PATCH", f"/labels/{quote(name, safe='')}", 200, label(name), wanted)


def add_label(number: int, name: str, *now: str) -> dict[str, Any]:
    return call("POST", f"/issues/{number}/labels", 200, labels(*now), {"labels": [name]})


def list_pulls(*items: dict[str, Any]) -> dict[str, Any]:
    return call(
        "GET", "/pulls", 200, list(items), base=story.BASE, head=f"{OWNER}:{BRANCH}", state="open"
    )


def post_tree(sha: str, *paths: str) -> dict[str, Any]:
    return call(
        "POST",
        "/git/trees",
        201,
        git_tree(sha, paths),
        {"base_tree": "(main's tree, or the previous tree)", "tree": [{"path": "…"}]},
    )


def post_commit(sha: str, tree: str, parent: str, message: str) -> dict[str, Any]:
    return call(
        "POST",
        "/git/commits",
        201,
        git_commit(sha, tree, parent, message),
        {"message": message, "tree": tree, "parents": [parent]},
    )


def patch_ref(sha: str, status: int, *, force: bool = True) -> dict[str, Any]:
    """The bot branch moved (force), or (``force=False``) fast-forwarded onto commits it keeps."""
    path = f"/git/refs/heads/{BRANCH}"
    refused = REF_MISSING if force else NOT_FAST_FORWARD
    response = refused if status == 422 else git_ref(sha)
    return call("PATCH", path, status, response, {"sha": sha, "force": force})


def get_commit(sha: str, tree: str, parent: str, message: str) -> dict[str, Any]:
    """A commit the bot branch keeps, read for its tree."""
    return call("GET", f"/git/commits/{sha}", 200, git_commit(sha, tree, parent, message))


def post_ref(sha: str, status: int) -> dict[str, Any]:
    return call(
        "POST",
        "/git/refs",
        status,
        REF_EXISTS if status == 422 else git_ref(sha),
        {"ref": f"refs/heads/{BRANCH}", "sha": sha},
    )


def post_pull(status: int, title: str = "packman: 1 approved change(s)") -> dict[str, Any]:
    response = (
        PULL_EXISTS
        if status == 422
        else pull(PULL, pull_body("(the fingerprint the bot sent)"), title=title)
    )
    return call(
        "POST",
        "/pulls",
        status,
        response,
        {"title": title, "body": "…", "head": BRANCH, "base": story.BASE},
    )


def patch_pull(number: int, request: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    return call("PATCH", f"/pulls/{number}", 200, response, request)


# --- scenarios ---------------------------------------------------------------------------


def _opened_prefix() -> list[dict[str, Any]]:
    return [list_issues(issue_1(EVIDENCE)), list_comments(ISSUE_1)]


def _label_ready() -> list[dict[str, Any]]:
    return [get_label(READY), add_label(ISSUE_1, READY, EVIDENCE, READY)]


def _posted_sticky(status: int = 201) -> dict[str, Any]:
    response = comment(STICKY_1, ISSUE_1, BOT, POSTED_STICKY) if status == 201 else BAD_GATEWAY
    return post_comment(ISSUE_1, STICKY_REQUEST, status, response)


def issue_opened() -> list[dict[str, Any]]:
    """(a) A new issue: sticky comment created, label added; nothing was approved, so no bot PR call."""
    return [*_opened_prefix(), _posted_sticky(), *_label_ready()]


def issue_opened_again() -> list[dict[str, Any]]:
    """(b) The same event again: the sticky reads the same and the label is there; only reads."""
    return [
        list_issues(issue_1(EVIDENCE, READY, comments=1)),
        list_comments(ISSUE_1, comment(STICKY_1, ISSUE_1, BOT, story.STICKY_AS_POSTED)),
    ]


def comment_502_landed() -> list[dict[str, Any]]:
    """(g) The comment POST fails with 502 but the comment was stored: the re-listing finds it."""
    found = comment(STICKY_1, ISSUE_1, BOT, POSTED_STICKY)
    return [*_opened_prefix(), _posted_sticky(502), list_comments(ISSUE_1, found), *_label_ready()]


def comment_502_lost() -> list[dict[str, Any]]:
    """(g) The comment POST fails with 502 and nothing was stored: posted once more."""
    return [
        *_opened_prefix(),
        _posted_sticky(502),
        list_comments(ISSUE_1),
        _posted_sticky(),
        *_label_ready(),
    ]


def _approve_reads(command_id: int, who: User, text: str) -> list[dict[str, Any]]:
    comments = (
        comment(STICKY_1, ISSUE_1, BOT, old_sticky(ISSUE_1)),
        comment(command_id, ISSUE_1, who, text, at="2026-11-25T10:05:00Z"),
    )
    return [list_issues(issue_1(EVIDENCE, READY, comments=2)), list_comments(ISSUE_1, *comments)]


def _approve_1_writes(*, label_exists: bool, role: str = "maintain") -> list[dict[str, Any]]:
    """Morgan's approval of #1: the sticky, the labels, the reply, then the commit of the bot branch."""
    reply = f"<!-- packman:reply {APPROVE_1} -->\nApproved by {MORGAN[0]}; the change is now part of the bot pull request."
    return [
        get_permission(MORGAN, role, "write"),
        remove_label(
            ISSUE_1, READY, EVIDENCE
        ),  # the approved label goes on before the record it indexes
        *(
            [get_label(APPROVED), add_label(ISSUE_1, APPROVED, EVIDENCE, APPROVED)]
            if label_exists
            else [
                get_label(APPROVED, 404),
                create_label(APPROVED, exists=False),
                add_label(ISSUE_1, APPROVED, EVIDENCE, APPROVED),
            ]
        ),
        patch_comment(
            STICKY_1,
            ISSUE_1,
            sticky_text(
                "### packman: preview\n\n(approved)", approval_of(story.ISSUE_1_BODY, APPROVE_1)
            ),
        ),
        post_comment(
            ISSUE_1,
            f"<!-- packman:reply {APPROVE_1} -->\n…",
            201,
            comment(REPLY_1, ISSUE_1, BOT, reply, at="2026-11-25T10:05:30Z"),
        ),
        list_pulls(),
        post_tree(
            story.TREE_1,
            "assessments/registries/packagist.yml",
            "README.md",
            "docs/registries/packagist.md",
            "docs/matrix.svg",
            "docs/packman.json",
        ),
        post_commit(
            story.COMMIT_1, story.TREE_1, story.MAIN_SHA, "Packagist (Composer): 1 rating(s) (#1)"
        ),
    ]


def _approve_1() -> list[dict[str, Any]]:
    return _approve_reads(APPROVE_1, MORGAN, "/packman approve")


def approve_maintainer() -> list[dict[str, Any]]:
    """(c) A maintainer approves: branch created (PATCH 422 then POST 201), pull request opened."""
    return [
        *_approve_1(),
        *_approve_1_writes(label_exists=False),
        patch_ref(story.COMMIT_1, 422),
        post_ref(story.COMMIT_1, 201),
        post_pull(201),
    ]


def approve_custom_role() -> list[dict[str, Any]]:
    """A custom repository role based on write: ``role_name`` is the custom name, ``permission`` is write."""
    return [
        *_approve_1(),
        *_approve_1_writes(label_exists=True, role="release-manager"),
        patch_ref(story.COMMIT_1, 422),
        post_ref(story.COMMIT_1, 201),
        post_pull(201),
    ]


def approve_ref_race() -> list[dict[str, Any]]:
    """(h) Another run creates the branch between our PATCH and POST: POST 422, then PATCH again."""
    return [
        *_approve_1(),
        *_approve_1_writes(label_exists=True),
        patch_ref(story.COMMIT_1, 422),
        post_ref(story.COMMIT_1, 422),
        patch_ref(story.COMMIT_1, 200),
        post_pull(201),
    ]


def approve_pull_race() -> list[dict[str, Any]]:
    """(i) Another run opens the pull request meanwhile: POST 422, re-list, PATCH it."""
    raced = listed_pull(RACE_PULL, pull_body(story.OLD_FINGERPRINT))
    updated = pull(RACE_PULL, pull_body("(the fingerprint the bot sent)"))
    return [
        *_approve_1(),
        *_approve_1_writes(label_exists=True),
        patch_ref(story.COMMIT_1, 200),
        post_pull(422),
        list_pulls(raced),
        patch_pull(RACE_PULL, {"title": "packman: 1 approved change(s)", "body": "…"}, updated),
    ]


def _branch_with_1_and_3(title: str) -> list[dict[str, Any]]:
    """The bot branch rebuilt as main + #1 + #3 (two trees, two commits), the ref moved and PR #2 updated."""
    return [
        post_tree(
            story.TREE_1,
            "assessments/registries/packagist.yml",
            "README.md",
            "docs/registries/packagist.md",
            "docs/matrix.svg",
            "docs/packman.json",
        ),
        post_commit(
            story.COMMIT_1, story.TREE_1, story.MAIN_SHA, "Packagist (Composer): 1 rating(s) (#1)"
        ),
        post_tree(
            story.TREE_2,
            "assessments/registries/npm.yml",
            "README.md",
            "docs/registries/npm.md",
            "docs/matrix.svg",
            "docs/packman.json",
        ),
        post_commit(
            story.COMMIT_2,
            story.TREE_2,
            story.COMMIT_1,
            "npm: Account Level Library Tagging is yes (#3)",
        ),
        patch_ref(story.COMMIT_2, 200),
        patch_pull(
            PULL,
            {"title": title, "body": "…"},
            pull(
                PULL,
                pull_body("(the fingerprint the bot sent)", "[1, 3]"),
                head_sha=story.COMMIT_2,
                title=title,
            ),
        ),
    ]


def approve_pull_outdated() -> list[dict[str, Any]]:
    """(d) #1 is approved and in PR #2; a maintainer approves #3: two commits, ref PATCH 200, PR PATCH."""
    sticky_1 = sticky_text(
        "### packman: preview\n\n(approved)", approval_of(story.ISSUE_1_BODY, APPROVE_1)
    )
    reply_1 = f"<!-- packman:reply {APPROVE_1} -->\nApproved by {MORGAN[0]}."
    reply_3 = f"<!-- packman:reply {APPROVE_3} -->\nApproved by {MORGAN[0]}; the change is now part of the bot pull request."
    title = "packman: 2 approved change(s)"
    return [
        list_issues(
            issue_3(EVIDENCE, READY), pull_as_issue(OUTDATED_PULL_BODY), issue_1(EVIDENCE, APPROVED)
        ),
        list_comments(
            ISSUE_1,
            comment(STICKY_1, ISSUE_1, BOT, sticky_1),
            comment(APPROVE_1, ISSUE_1, MORGAN, "/packman approve"),
            comment(REPLY_1, ISSUE_1, BOT, reply_1),
        ),
        list_comments(
            ISSUE_3,
            comment(STICKY_3, ISSUE_3, BOT, old_sticky(ISSUE_3)),
            comment(APPROVE_3, ISSUE_3, MORGAN, "/packman approve"),
        ),
        get_permission(MORGAN, "maintain", "write"),
        remove_label(ISSUE_3, READY, EVIDENCE),
        get_label(APPROVED),
        add_label(ISSUE_3, APPROVED, EVIDENCE, APPROVED),
        patch_comment(
            STICKY_3,
            ISSUE_3,
            sticky_text(
                "### packman: preview\n\n(approved)", approval_of(story.ISSUE_3_BODY, APPROVE_3)
            ),
        ),
        post_comment(
            ISSUE_3,
            f"<!-- packman:reply {APPROVE_3} -->\n…",
            201,
            comment(5032, ISSUE_3, BOT, reply_3, at="2026-11-25T10:20:30Z"),
        ),
        list_pulls(listed_pull(PULL, OUTDATED_PULL_BODY)),
        *_branch_with_1_and_3(title),
    ]


def approve_not_allowed() -> list[dict[str, Any]]:
    """(e) A reader approves: one reply, nothing else written."""
    return [
        *_approve_reads(APPROVE_1_DANA, DANA, "Looks right to me!\n\n/packman approve"),
        get_permission(DANA, "read", "read"),
        post_comment(
            ISSUE_1,
            f"<!-- packman:reply {APPROVE_1_DANA} -->\n…",
            201,
            comment(
                5012,
                ISSUE_1,
                BOT,
                f"<!-- packman:reply {APPROVE_1_DANA} -->\nSorry, only "
                "maintainers (write, maintain or admin permission) can `approve`.",
                at="2026-11-25T10:05:30Z",
            ),
        ),
    ]


def approve_not_collaborator() -> list[dict[str, Any]]:
    """A login the permission endpoint does not know (404): treated as no permission, one reply."""
    return [
        *_approve_reads(APPROVE_1_PAT, PAT, "/packman approve"),
        call("GET", f"/collaborators/{quote(PAT[0])}/permission", 404, NOT_FOUND),
        post_comment(
            ISSUE_1,
            f"<!-- packman:reply {APPROVE_1_PAT} -->\n…",
            201,
            comment(
                5013,
                ISSUE_1,
                BOT,
                f"<!-- packman:reply {APPROVE_1_PAT} -->\nSorry, only maintainers can `approve`.",
                at="2026-11-25T10:05:30Z",
            ),
        ),
    ]


def reject_maintainer() -> list[dict[str, Any]]:
    """A maintainer rejects: sticky, label, the issue closed as not planned; nothing approved, no PR."""
    closed = issue(
        ISSUE_1,
        story.ISSUE_1_TITLE,
        story.ISSUE_1_BODY,
        (EVIDENCE, REJECTED),
        state="closed",
        comments=2,
    )
    closed["state_reason"] = "not_planned"
    return [
        *_approve_reads(REJECT_1, MORGAN, "/packman reject The linked page does not say this."),
        get_permission(MORGAN, "maintain", "write"),
        patch_comment(STICKY_1, ISSUE_1, sticky_text("### packman: preview\n\n(rejected)")),
        remove_label(ISSUE_1, READY, EVIDENCE),
        get_label(REJECTED),
        add_label(ISSUE_1, REJECTED, EVIDENCE, REJECTED),
        call(
            "PATCH",
            f"/issues/{ISSUE_1}",
            200,
            closed,
            {"state": "closed", "state_reason": "not_planned"},
        ),
    ]


def dispatch_close_pull() -> list[dict[str, Any]]:
    """(f) Nothing is approved any more and the bot PR is open: the rebuild closes it."""
    closed = pull(PULL, OUTDATED_PULL_BODY, state="closed")
    return [
        list_issues(pull_as_issue(OUTDATED_PULL_BODY), issue_1(EVIDENCE, READY, comments=1)),
        list_comments(ISSUE_1, comment(STICKY_1, ISSUE_1, BOT, old_sticky(ISSUE_1))),
        list_pulls(listed_pull(PULL, OUTDATED_PULL_BODY)),
        patch_pull(PULL, {"state": "closed"}, closed),
    ]


def pull_merged() -> list[dict[str, Any]]:
    """The bot PR is merged (GitHub closed #1 through ``Closes #1``): label applied, thanks; #1 is closed already."""
    closed = issue(
        ISSUE_1,
        story.ISSUE_1_TITLE,
        story.ISSUE_1_BODY,
        (EVIDENCE, APPROVED),
        state="closed",
        comments=3,
    )
    thanks = f"<!-- packman:applied {PULL} -->\nApplied in #{PULL}. Thank you for the contribution!"
    history = (
        comment(
            STICKY_1,
            ISSUE_1,
            BOT,
            sticky_text(
                "### packman: preview\n\n(approved)", approval_of(story.ISSUE_1_BODY, APPROVE_1)
            ),
        ),
        comment(APPROVE_1, ISSUE_1, MORGAN, "/packman approve"),
        comment(REPLY_1, ISSUE_1, BOT, f"<!-- packman:reply {APPROVE_1} -->\nApproved."),
    )
    return [
        list_issues(),
        call("GET", f"/issues/{ISSUE_1}", 200, closed),
        remove_label(ISSUE_1, APPROVED, EVIDENCE),
        get_label(APPLIED),
        add_label(ISSUE_1, APPLIED, EVIDENCE, APPLIED),
        list_comments(ISSUE_1, *history),
        post_comment(
            ISSUE_1,
            f"<!-- packman:applied {PULL} -->\n…",
            201,
            comment(5014, ISSUE_1, BOT, thanks, at="2026-11-25T12:00:30Z"),
        ),
        list_pulls(),
    ]


# --- faults (tests/test_github_faults.py) --------------------------------------------------
# Statuses GitHub's description does not list for an operation are named, with the reason, in
# UNDOCUMENTED_FAULTS of tests/test_github_backend.py; their bodies hold only "message".

SERVER_ERROR = {"message": "Server Error"}
UNAVAILABLE = {"message": "Service Unavailable"}
SECONDARY_LIMIT = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
)
PRIMARY_LIMIT = "API rate limit exceeded for installation ID 4242."
NOT_FAST_FORWARD = error(422, "Update is not a fast forward", "git/refs#update-a-reference")
ACTIONS_MAY_NOT_OPEN_PULLS = error(
    403,
    "GitHub Actions is not permitted to create or approve pull requests.",
    "pulls/pulls#create-a-pull-request",
)


def _list_issues_fails(
    status: int, response: Json, answer: dict[str, str] | None = None
) -> dict[str, Any]:
    return call("GET", "/issues", status, response, answer=answer, **PAGE, state="open")


def fault_read_500() -> list[dict[str, Any]]:
    """The first read answers 500: the run stops before writing anything."""
    return [_list_issues_fails(500, SERVER_ERROR)]


def fault_read_502_retried() -> list[dict[str, Any]]:
    """The first read answers 502 twice, then 200 (GithubRetry repeats it): the run goes on as usual."""
    return [
        _list_issues_fails(502, BAD_GATEWAY),
        _list_issues_fails(502, BAD_GATEWAY),
        *issue_opened(),
    ]


def fault_read_503_exhausted() -> list[dict[str, Any]]:
    """The first read answers 503 six times: five retries used up, the run stops before writing anything."""
    return [_list_issues_fails(503, UNAVAILABLE) for _ in range(6)]


def ratelimit_429_read() -> list[dict[str, Any]]:
    """A secondary rate limit (429, Retry-After: 7) on the first read, then 200."""
    return [
        _list_issues_fails(429, {"message": SECONDARY_LIMIT}, {"Retry-After": "7"}),
        *issue_opened(),
    ]


def ratelimit_403_post() -> list[dict[str, Any]]:
    """A secondary rate limit (403, Retry-After: 3) on the comment POST; GitHub did not store it; then 201."""
    limited = post_comment(
        ISSUE_1,
        STICKY_REQUEST,
        403,
        error(403, SECONDARY_LIMIT, "rest/using-the-rest-api/rate-limits-for-the-rest-api"),
    )
    limited["response"]["headers"]["Retry-After"] = ["3"]
    return [*_opened_prefix(), limited, _posted_sticky(), *_label_ready()]


def ratelimit_primary() -> list[dict[str, Any]]:
    """The installation's hourly quota is used up (403, X-RateLimit-Remaining: 0) on the first read."""
    used_up = {
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Used": str(RATE_LIMIT),
        "X-RateLimit-Reset": str(WINDOW_START + 60 + 50 * 60),
    }
    return [_list_issues_fails(403, {"message": PRIMARY_LIMIT}, used_up)]


def timeout_comment_landed() -> list[dict[str, Any]]:
    """The comment POST is stored (201) but its answer is lost to a timeout: the re-listing finds it."""
    found = comment(STICKY_1, ISSUE_1, BOT, POSTED_STICKY)
    return [*_opened_prefix(), _posted_sticky(), list_comments(ISSUE_1, found), *_label_ready()]


def timeout_comment_lost() -> list[dict[str, Any]]:
    """The comment POST times out before reaching GitHub (not in the cassette): re-listed, posted once."""
    return [*_opened_prefix(), list_comments(ISSUE_1), _posted_sticky(), *_label_ready()]


def timeout_comment_twice() -> list[dict[str, Any]]:
    """The comment POST and its one repeat both time out before reaching GitHub: the run stops."""
    return [*_opened_prefix(), list_comments(ISSUE_1)]


def _approved_sticky_1() -> str:
    return sticky_text(
        "### packman: preview\n\n(approved)", approval_of(story.ISSUE_1_BODY, APPROVE_1)
    )


def fault_sticky_503() -> list[dict[str, Any]]:
    """Approval of #1: the labels are set, then the sticky PATCH answers 503: no approval is recorded."""
    writes = _approve_1_writes(label_exists=True)[:4]  # permission, label removed, looked up, added
    failed = call(
        "PATCH", f"/issues/comments/{STICKY_1}", 503, UNAVAILABLE, {"body": STICKY_REQUEST}
    )
    return [*_approve_1(), *writes, failed]


def _after_label_only() -> list[dict[str, Any]]:
    """#1 as the failed approval left it: labelled approved, its sticky still the old preview."""
    comments = (
        comment(STICKY_1, ISSUE_1, BOT, old_sticky(ISSUE_1)),
        comment(APPROVE_1, ISSUE_1, MORGAN, "/packman approve", at="2026-11-25T10:05:00Z"),
    )
    return [list_issues(issue_1(EVIDENCE, APPROVED, comments=2)), list_comments(ISSUE_1, *comments)]


def fault_sticky_503_then_dispatch() -> list[dict[str, Any]]:
    """A rebuild after that: the label alone approves nothing, so no branch and no pull request.
    Then the look for unanswered commands finds Morgan's approval without a reply, and answers it
    as its own run would have: the sticky, the reply, the branch and the pull request."""
    reply = f"<!-- packman:reply {APPROVE_1} -->\nApproved by {MORGAN[0]}; the change is now part of the bot pull request."
    return [
        *_after_label_only(),
        list_pulls(),
        list_recent(
            comment(APPROVE_1, ISSUE_1, MORGAN, "/packman approve", at="2026-11-25T10:05:00Z"),
            comment(STICKY_1, ISSUE_1, BOT, old_sticky(ISSUE_1)),
        ),
        _after_label_only()[0],  # the repair reads the state again (the comments are known)
        get_permission(MORGAN, "maintain", "write"),
        patch_comment(STICKY_1, ISSUE_1, _approved_sticky_1()),
        post_comment(
            ISSUE_1,
            f"<!-- packman:reply {APPROVE_1} -->\n…",
            201,
            comment(REPLY_1, ISSUE_1, BOT, reply, at="2026-11-25T10:20:30Z"),
        ),
        *_approve_1_writes(label_exists=True)[-3:],  # pulls listed, tree, commit
        patch_ref(story.COMMIT_1, 422),
        post_ref(story.COMMIT_1, 201),
        post_pull(201),
    ]


def fault_sticky_503_rerun() -> list[dict[str, Any]]:
    """The approval run again: the labels are already right; the sticky, the reply, the branch and the PR follow."""
    reply = f"<!-- packman:reply {APPROVE_1} -->\nApproved by {MORGAN[0]}; the change is now part of the bot pull request."
    return [
        *_after_label_only(),
        get_permission(MORGAN, "maintain", "write"),
        patch_comment(STICKY_1, ISSUE_1, _approved_sticky_1()),
        post_comment(
            ISSUE_1,
            f"<!-- packman:reply {APPROVE_1} -->\n…",
            201,
            comment(REPLY_1, ISSUE_1, BOT, reply, at="2026-11-25T10:05:30Z"),
        ),
        *_approve_1_writes(label_exists=True)[-3:],  # pulls listed, tree, commit
        patch_ref(story.COMMIT_1, 422),
        post_ref(story.COMMIT_1, 201),
        post_pull(201),
    ]


def ref_not_fast_forward() -> list[dict[str, Any]]:
    """Approval of #1 up to the ref, which GitHub refuses (422, not "does not exist"): no create, no PR."""
    refused = call(
        "PATCH",
        f"/git/refs/heads/{BRANCH}",
        422,
        NOT_FAST_FORWARD,
        {"sha": story.COMMIT_1, "force": True},
    )
    return [*_approve_1(), *_approve_1_writes(label_exists=True), refused]


def pull_create_403() -> list[dict[str, Any]]:
    """Approval of #1: the branch moves, then opening the PR is refused (Actions may not open pull requests)."""
    refused = call(
        "POST",
        "/pulls",
        403,
        ACTIONS_MAY_NOT_OPEN_PULLS,
        {"title": "packman: 1 approved change(s)", "body": "…", "head": BRANCH, "base": story.BASE},
    )
    return [
        *_approve_1(),
        *_approve_1_writes(label_exists=True),
        patch_ref(story.COMMIT_1, 200),
        refused,
    ]


def pull_create_502() -> list[dict[str, Any]]:
    """Approval of #1: the branch is created, then the PR POST answers 502 (GitHub opened it all the same)."""
    failed = call(
        "POST",
        "/pulls",
        502,
        BAD_GATEWAY,
        {"title": "packman: 1 approved change(s)", "body": "…", "head": BRANCH, "base": story.BASE},
    )
    return [
        *_approve_1(),
        *_approve_1_writes(label_exists=True),
        patch_ref(story.COMMIT_1, 422),
        post_ref(story.COMMIT_1, 201),
        failed,
    ]


def _after_approval(*pulls: dict[str, Any]) -> list[dict[str, Any]]:
    """The approval event again, with #1's sticky and reply as the failed run wrote them."""
    comments = (
        comment(STICKY_1, ISSUE_1, BOT, story.STICKY_AS_POSTED),
        comment(APPROVE_1, ISSUE_1, MORGAN, "/packman approve", at="2026-11-25T10:05:00Z"),
        comment(
            REPLY_1,
            ISSUE_1,
            BOT,
            f"<!-- packman:reply {APPROVE_1} -->\nApproved.",
            at="2026-11-25T10:05:30Z",
        ),
    )
    return [
        list_issues(issue_1(EVIDENCE, APPROVED, comments=3), *pulls),
        list_comments(ISSUE_1, *comments),
        get_permission(MORGAN, "maintain", "write"),
    ]


def approve_rerun_opens_pull() -> list[dict[str, Any]]:
    """The approval again after the ref or PR step failed: no comment or label call; commit, ref, PR."""
    return [
        *_after_approval(),
        *_approve_1_writes(label_exists=True)[-3:],
        patch_ref(story.COMMIT_1, 200),
        post_pull(201),
    ]


def approve_rerun_pull_landed() -> list[dict[str, Any]]:
    """The approval again after the PR POST answered 502 but opened it: everything is up to date; reads only."""
    return [
        *_after_approval(pull_as_issue(story.PULL_AS_POSTED)),
        list_pulls(listed_pull(PULL, story.PULL_AS_POSTED, head_sha=story.COMMIT_1)),
    ]


# --- races (tests/test_races.py) ---------------------------------------------------------------


def _reply_text(command_id: int) -> str:
    return f"<!-- packman:reply {command_id} -->\nApproved by {MORGAN[0]}; the change is now part of the bot pull request."


def _waiting_approval(number: int, sticky_id: int, command_id: int) -> dict[str, Any]:
    return list_comments(
        number,
        comment(sticky_id, number, BOT, old_sticky(number)),
        comment(command_id, number, MORGAN, "/packman approve", at="2026-11-25T10:05:00Z"),
    )


def _approval_reads(number: int, sticky_id: int, command_id: int) -> list[dict[str, Any]]:
    """Both approvals are commented; each run reads its own issue's record (neither is approved
    yet, so the other's comments are not read)."""
    return [
        list_issues(issue_3(EVIDENCE, READY), issue_1(EVIDENCE, READY, comments=2)),
        _waiting_approval(number, sticky_id, command_id),
        get_permission(MORGAN, "maintain", "write"),
    ]


def _approval_labels_sticky_reply(
    number: int, sticky_id: int, command_id: int, reply_id: int, body: str
) -> list[dict[str, Any]]:
    return [
        remove_label(number, READY, EVIDENCE),
        get_label(APPROVED),
        add_label(number, APPROVED, EVIDENCE, APPROVED),
        patch_comment(
            sticky_id,
            number,
            sticky_text("### packman: preview\n\n(approved)", approval_of(body, command_id)),
        ),
        post_comment(
            number,
            f"<!-- packman:reply {command_id} -->\n…",
            201,
            comment(reply_id, number, BOT, _reply_text(command_id), at="2026-11-25T10:05:30Z"),
        ),
    ]


RACE_BODY_A = pull_body("(the fingerprint run A sent)")
RACE_BODY_B = pull_body("(the fingerprint run B sent)", "[3]")


def race_two_approvals() -> list[dict[str, Any]]:
    """Runs A (approve #1) and B (approve #3) both read before either writes; A writes, then B.

    B never saw #1's approval, so it rebuilds the branch as main + #3 and rewrites the PR #2 that
    A opened: #1 is missing from the PR until the next run (see race_two_approvals_settle).
    """
    return [
        *_approval_reads(ISSUE_1, STICKY_1, APPROVE_1),
        *_approval_reads(ISSUE_3, STICKY_3, APPROVE_3),
        *_approval_labels_sticky_reply(ISSUE_1, STICKY_1, APPROVE_1, REPLY_1, story.ISSUE_1_BODY),
        list_pulls(),
        post_tree(
            story.TREE_1,
            "assessments/registries/packagist.yml",
            "README.md",
            "docs/registries/packagist.md",
            "docs/matrix.svg",
            "docs/packman.json",
        ),
        post_commit(
            story.COMMIT_1, story.TREE_1, story.MAIN_SHA, "Packagist (Composer): 1 rating(s) (#1)"
        ),
        patch_ref(story.COMMIT_1, 200),
        post_pull(201),
        *_approval_labels_sticky_reply(ISSUE_3, STICKY_3, APPROVE_3, 5032, story.ISSUE_3_BODY),
        list_pulls(listed_pull(PULL, RACE_BODY_A)),
        post_tree(
            story.TREE_3,
            "assessments/registries/npm.yml",
            "README.md",
            "docs/registries/npm.md",
            "docs/matrix.svg",
            "docs/packman.json",
        ),
        post_commit(
            story.COMMIT_3,
            story.TREE_3,
            story.MAIN_SHA,
            "npm: Account Level Library Tagging is yes (#3)",
        ),
        patch_ref(story.COMMIT_3, 200),
        patch_pull(
            PULL,
            {"title": "packman: 1 approved change(s)", "body": "…"},
            pull(PULL, RACE_BODY_B, head_sha=story.COMMIT_3),
        ),
    ]


def _approved_history(
    number: int, sticky_id: int, command_id: int, reply_id: int, body: str
) -> dict[str, Any]:
    return list_comments(
        number,
        comment(
            sticky_id,
            number,
            BOT,
            sticky_text("### packman: preview\n\n(approved)", approval_of(body, command_id)),
        ),
        comment(command_id, number, MORGAN, "/packman approve", at="2026-11-25T10:05:00Z"),
        comment(reply_id, number, BOT, _reply_text(command_id), at="2026-11-25T10:05:30Z"),
    )


def race_two_approvals_settle() -> list[dict[str, Any]]:
    """The next run (a manual dispatch) reads both approvals: main + #1 + #3, the PR lists both."""
    title = "packman: 2 approved change(s)"
    return [
        list_issues(
            issue_3(EVIDENCE, APPROVED), pull_as_issue(RACE_BODY_B), issue_1(EVIDENCE, APPROVED)
        ),
        _approved_history(ISSUE_1, STICKY_1, APPROVE_1, REPLY_1, story.ISSUE_1_BODY),
        _approved_history(ISSUE_3, STICKY_3, APPROVE_3, 5032, story.ISSUE_3_BODY),
        list_pulls(listed_pull(PULL, RACE_BODY_B, head_sha=story.COMMIT_3)),
        *_branch_with_1_and_3(title),
    ]


def _hand_edit_reads(head_sha: str) -> list[dict[str, Any]]:
    """#1 approved and in PR #2, whose body is the one the bot wrote; the branch's head is ``head_sha``."""
    return [
        list_issues(pull_as_issue(story.PULL_AS_POSTED), issue_1(EVIDENCE, APPROVED, comments=3)),
        # #1 is labelled approved and the body holds its approval: its comments are not read
        list_pulls(listed_pull(PULL, story.PULL_AS_POSTED, head_sha=head_sha)),
    ]


def hand_edit_dispatch() -> list[dict[str, Any]]:
    """A maintainer pushed a commit to packman/pending: the rebuild makes #1's commit again and moves only that ref."""
    return [
        *_hand_edit_reads(story.HAND_SHA),
        post_tree(
            story.TREE_1,
            "assessments/registries/packagist.yml",
            "README.md",
            "docs/registries/packagist.md",
            "docs/matrix.svg",
            "docs/packman.json",
        ),
        post_commit(
            story.REBUILT_1, story.TREE_1, story.MAIN_SHA, "Packagist (Composer): 1 rating(s) (#1)"
        ),
        patch_ref(story.REBUILT_1, 200),
        patch_pull(
            PULL,
            {"title": "packman: 1 approved change(s)", "body": "…"},
            pull(PULL, pull_body("(the fingerprint the bot sent)"), head_sha=story.REBUILT_1),
        ),
    ]


def hand_edit_none_dispatch() -> list[dict[str, Any]]:
    """The same rebuild when the branch is still where the bot left it: reads only."""
    return _hand_edit_reads(story.COMMIT_1)


# --- the "Evidence links" issue (bot/backends/links_issue.py) -------------------------------

LINKS_REQUEST = "<!-- packman:links -->\n\nThe weekly link check (`packman links`) found…"
ALL_CLEAR_REQUEST = "<!-- packman:links -->\n\nEvery cited link answered…"
LINKS_ECHOED = "<!-- packman:links -->\n(GitHub echoes the text the bot sent)\n"
CLOSED_LINKS_BODY = "<!-- packman:links -->\n\nEvery cited link answered at the last check.\n"


def list_bot_issues(*items: dict[str, Any]) -> dict[str, Any]:
    """The issues (and pull requests) the bot opened, any state, oldest first."""
    query = {"creator": BOT[0], "state": "all", "sort": "created", "direction": "asc"}
    return call("GET", "/issues", 200, list(items), **PAGE, **query)


def links_issue(body: str, state: str = "open") -> dict[str, Any]:
    return issue(story.LINKS_ISSUE, story.LINKS_TITLE, body, (), author=BOT, state=state)


def patch_links_issue(request: dict[str, str], body: str, state: str) -> dict[str, Any]:
    fields = {"title": story.LINKS_TITLE, **request}
    return call("PATCH", f"/issues/{story.LINKS_ISSUE}", 200, links_issue(body, state), fields)


def links_issue_created() -> list[dict[str, Any]]:
    """A link is dead and the bot never opened the issue: one POST, with the marker."""
    return [
        list_bot_issues(pull_as_issue(story.PULL_AS_POSTED)),
        call(
            "POST",
            "/issues",
            201,
            links_issue(LINKS_ECHOED),
            {"title": story.LINKS_TITLE, "body": LINKS_REQUEST},
        ),
    ]


def links_issue_edited() -> list[dict[str, Any]]:
    """The open issue holds last week's report: edited in place."""
    return [
        list_bot_issues(pull_as_issue(story.PULL_AS_POSTED), links_issue(story.OLD_LINKS_BODY)),
        patch_links_issue({"body": LINKS_REQUEST}, LINKS_ECHOED, "open"),
    ]


def links_issue_unchanged() -> list[dict[str, Any]]:
    """The open issue already says what this run found: reads only."""
    return [list_bot_issues(links_issue(story.LINKS_BODY_AS_POSTED))]


def links_issue_reopened() -> list[dict[str, Any]]:
    """A link broke again after the issue was closed: the same issue is reopened."""
    return [
        list_bot_issues(links_issue(CLOSED_LINKS_BODY, state="closed")),
        patch_links_issue({"body": LINKS_REQUEST, "state": "open"}, LINKS_ECHOED, "open"),
    ]


def links_issue_closed() -> list[dict[str, Any]]:
    """Every link answers again: the open issue is closed as completed, with a last word."""
    request = {"body": ALL_CLEAR_REQUEST, "state": "closed", "state_reason": "completed"}
    return [
        list_bot_issues(links_issue(story.OLD_LINKS_BODY)),
        patch_links_issue(request, LINKS_ECHOED, "closed"),
    ]


def links_issue_none() -> list[dict[str, Any]]:
    """Nothing to say and the issue is already closed: reads only."""
    closed = links_issue(CLOSED_LINKS_BODY, state="closed")
    return [list_bot_issues(pull_as_issue(story.PULL_AS_POSTED), closed)]


SCENARIOS = {
    "issue-opened": issue_opened,
    "issue-opened-again": issue_opened_again,
    "approve-maintainer": approve_maintainer,
    "approve-pull-outdated": approve_pull_outdated,
    "approve-custom-role": approve_custom_role,
    "approve-not-allowed": approve_not_allowed,
    "approve-not-collaborator": approve_not_collaborator,
    "dispatch-close-pull": dispatch_close_pull,
    "comment-502-landed": comment_502_landed,
    "comment-502-lost": comment_502_lost,
    "approve-ref-race": approve_ref_race,
    "approve-pull-race": approve_pull_race,
    "reject-maintainer": reject_maintainer,
    "pull-merged": pull_merged,
    "fault-read-500": fault_read_500,
    "fault-read-502-retried": fault_read_502_retried,
    "fault-read-503-exhausted": fault_read_503_exhausted,
    "ratelimit-429-read": ratelimit_429_read,
    "ratelimit-403-post": ratelimit_403_post,
    "ratelimit-primary": ratelimit_primary,
    "timeout-comment-landed": timeout_comment_landed,
    "timeout-comment-lost": timeout_comment_lost,
    "timeout-comment-twice": timeout_comment_twice,
    "fault-sticky-503": fault_sticky_503,
    "fault-sticky-503-then-dispatch": fault_sticky_503_then_dispatch,
    "fault-sticky-503-rerun": fault_sticky_503_rerun,
    "ref-not-fast-forward": ref_not_fast_forward,
    "pull-create-403": pull_create_403,
    "pull-create-502": pull_create_502,
    "approve-rerun-opens-pull": approve_rerun_opens_pull,
    "approve-rerun-pull-landed": approve_rerun_pull_landed,
    "race-two-approvals": race_two_approvals,
    "race-two-approvals-settle": race_two_approvals_settle,
    "hand-edit-dispatch": hand_edit_dispatch,
    "hand-edit-none-dispatch": hand_edit_none_dispatch,
    "links-issue-created": links_issue_created,
    "links-issue-edited": links_issue_edited,
    "links-issue-unchanged": links_issue_unchanged,
    "links-issue-reopened": links_issue_reopened,
    "links-issue-closed": links_issue_closed,
    "links-issue-none": links_issue_none,
}


# --- issue #10: labels made explicitly, records read without labels, lost commands, identity ---


def issue_opened_grey_label() -> list[dict[str, Any]]:
    """(item 14) The ready label exists grey and bare, as GitHub makes a label that is added to an
    issue before it exists: the bot gives it its colour and description, then adds it."""
    return [
        *_opened_prefix(),
        _posted_sticky(),
        get_label(READY, grey=True),
        update_label(READY),
        add_label(ISSUE_1, READY, EVIDENCE, READY),
    ]


def dispatch_label_removed() -> list[dict[str, Any]]:
    """(item 3) #1 is approved and in PR #2, but a triager removed its approved label: its record
    is read all the same, so the rebuild finds the pull request up to date; reads only."""
    return [
        list_issues(pull_as_issue(story.PULL_AS_POSTED), issue_1(EVIDENCE, comments=3)),
        _approved_history(ISSUE_1, STICKY_1, APPROVE_1, REPLY_1, story.ISSUE_1_BODY),
        list_pulls(listed_pull(PULL, story.PULL_AS_POSTED, head_sha=story.COMMIT_1)),
    ]


def repair_cancelled_approval() -> list[dict[str, Any]]:
    """(item 1) The run of Morgan's approval was cancelled (a full queue): #1 is still ready, with
    the command and no reply. A later run (a dispatch) rebuilds, then answers the command."""
    waiting = issue_1(EVIDENCE, READY, comments=2)
    approve = comment(APPROVE_1, ISSUE_1, MORGAN, "/packman approve", at="2026-11-25T10:05:00Z")
    sticky = comment(STICKY_1, ISSUE_1, BOT, old_sticky(ISSUE_1))
    return [
        list_issues(waiting),  # nothing approved: no issue's comments are read
        list_pulls(),
        list_recent(approve, sticky),
        list_issues(waiting),  # the repair reads the state again, and #1's comments
        list_comments(ISSUE_1, sticky, approve),
        *_approve_1_writes(label_exists=True),
        patch_ref(story.COMMIT_1, 422),
        post_ref(story.COMMIT_1, 201),
        post_pull(201),
    ]


def issue_transferred() -> list[dict[str, Any]]:
    """(item 6) #1 was approved and in PR #2, then transferred to another repository: GitHub lists
    it no longer and its comments are not read; the rebuild leaves nothing approved, so the pull
    request is closed."""
    closed = pull(PULL, story.PULL_AS_POSTED, state="closed")
    return [
        list_issues(pull_as_issue(story.PULL_AS_POSTED)),
        list_pulls(listed_pull(PULL, story.PULL_AS_POSTED)),
        patch_pull(PULL, {"state": "closed"}, closed),
    ]


INTEGRATION_REFUSED = error(
    403, "Resource not accessible by integration", "users/users#get-the-authenticated-user"
)


def identity_user_token() -> list[dict[str, Any]]:
    """(item 17) PACKMAN_TOKEN is a personal token and PACKMAN_BOT_LOGIN is unset: GET /user."""
    return [call("GET", "/user", 200, resources.authenticated_user(story.MACHINE))]


def identity_installation_token() -> list[dict[str, Any]]:
    """(item 17) PACKMAN_TOKEN is an App installation token: GitHub refuses GET /user."""
    return [call("GET", "/user", 403, INTEGRATION_REFUSED)]


SCENARIOS.update(
    {
        "issue-opened-grey-label": issue_opened_grey_label,
        "dispatch-label-removed": dispatch_label_removed,
        "repair-cancelled-approval": repair_cancelled_approval,
        "identity-user-token": identity_user_token,
        "identity-installation-token": identity_installation_token,
        "issue-transferred": issue_transferred,
    }
)


# --- commits kept on the bot branch (issue #10, item 12) -------------------------------------


def _keep_1_approve_3(ref: dict[str, Any]) -> list[dict[str, Any]]:
    """#1 approved and in PR #2 as the bot built it (the body's built marker and head are the
    earlier run's); Morgan approves #3: #1's commit is kept, read once for its tree, and only #3's
    tree and commit are written on it, then the ref moves as a fast-forward (``ref``)."""
    reply_3 = _reply_text(APPROVE_3)
    title = "packman: 2 approved change(s)"
    return [
        list_issues(
            issue_3(EVIDENCE, READY),
            pull_as_issue(story.PULL_AS_POSTED),
            issue_1(EVIDENCE, APPROVED, comments=3),
        ),
        # #1 is labelled approved and the body holds its approval: its comments are not read
        _waiting_approval(ISSUE_3, STICKY_3, APPROVE_3),
        get_permission(MORGAN, "maintain", "write"),
        list_pulls(listed_pull(PULL, story.PULL_AS_POSTED, head_sha=story.COMMIT_1)),
        remove_label(ISSUE_3, READY, EVIDENCE),
        get_label(APPROVED),
        add_label(ISSUE_3, APPROVED, EVIDENCE, APPROVED),
        patch_comment(
            STICKY_3,
            ISSUE_3,
            sticky_text(
                "### packman: preview\n\n(approved)", approval_of(story.ISSUE_3_BODY, APPROVE_3)
            ),
        ),
        post_comment(
            ISSUE_3,
            f"<!-- packman:reply {APPROVE_3} -->\n…",
            201,
            comment(5032, ISSUE_3, BOT, reply_3, at="2026-11-25T10:20:30Z"),
        ),
        get_commit(
            story.COMMIT_1, story.TREE_1, story.MAIN_SHA, "Packagist (Composer): 1 rating(s) (#1)"
        ),
        post_tree(
            story.TREE_2,
            "assessments/registries/npm.yml",
            "README.md",
            "docs/registries/npm.md",
            "docs/matrix.svg",
            "docs/packman.json",
        ),
        post_commit(
            story.COMMIT_2,
            story.TREE_2,
            story.COMMIT_1,
            "npm: Account Level Library Tagging is yes (#3)",
        ),
        ref,
        *(
            [
                patch_pull(
                    PULL,
                    {"title": title, "body": "…"},
                    pull(
                        PULL,
                        pull_body("(the fingerprint the bot sent)", "[1, 3]"),
                        head_sha=story.COMMIT_2,
                        title=title,
                    ),
                )
            ]
            if ref["response"]["status"]["code"] == 200
            else []
        ),
    ]


def approve_keeps_commits() -> list[dict[str, Any]]:
    """A second approval while the first one's commit is on the bot branch: kept, one added."""
    return _keep_1_approve_3(patch_ref(story.COMMIT_2, 200, force=False))


def approve_kept_ref_moved() -> list[dict[str, Any]]:
    """The same, but the branch moved after the run read it: the fast-forward is refused (422),
    nothing is forced over what was pushed, and the run stops."""
    return _keep_1_approve_3(patch_ref(story.COMMIT_2, 422, force=False))


SCENARIOS.update(
    {
        "approve-keeps-commits": approve_keeps_commits,
        "approve-kept-ref-moved": approve_kept_ref_moved,
    }
)


# --- the look for unanswered commands that ends every run (bot/review/repair.py) -------------


def list_recent(*items: dict[str, Any]) -> dict[str, Any]:
    """The repository's newest comments, newest first: one page."""
    return call(
        "GET", "/issues/comments", 200, list(items), direction="desc", per_page=100, sort="created"
    )


_COMMENT_PATHS = re.compile(r".*/issues/(?:\d+/comments|comments/\d+)")


def _repository_comments(interactions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every comment the scenario's answers show (the last version of each), newest first: what
    the repository holds when the run ends."""
    found: dict[int, dict[str, Any]] = {}
    for item in interactions:
        request, response = item["request"], item["response"]
        if response["status"]["code"] not in (200, 201):
            continue
        if not _COMMENT_PATHS.fullmatch(request["uri"].split("?")[0]):
            continue
        body = json.loads(response["body"]["string"])
        for one in body if isinstance(body, list) else [body]:
            found[one["id"]] = one
    return sorted(found.values(), key=lambda c: (c["created_at"], c["id"]), reverse=True)


UNSCANNED = {
    # the run stops before its end
    "fault-read-500",
    "fault-read-503-exhausted",
    "ratelimit-primary",
    "ratelimit-primary-far-reset",
    "timeout-comment-twice",
    "fault-sticky-503",
    "ref-not-fast-forward",
    "approve-kept-ref-moved",
    "pull-create-403",
    "pull-create-502",
    "identity-installation-token",
    "identity-user-token",
    # driven through the backend directly (tests/test_races.py), or not a `packman handle` run
    "race-two-approvals",
    "race-two-approvals-settle",
    "hand-edit-dispatch",
    "hand-edit-none-dispatch",
    # holds its own look, which finds a command to answer
    "fault-sticky-503-then-dispatch",
    "repair-cancelled-approval",
}


def _scanned(name: str, interactions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A `packman handle` run that reaches its end looks for unanswered commands last."""
    if name in UNSCANNED or name.startswith("links-"):
        return interactions
    return [*interactions, list_recent(*_repository_comments(interactions))]


# --- writing -----------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Multi-line strings (JSON bodies) as literal blocks, so cassettes read and diff well."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


RATE_LIMIT = 1000
"""Requests per hour a workflow's GITHUB_TOKEN gets on github.com (GitHub's REST rate-limit docs)."""
WINDOW_START = 1795600800
"""2026-11-25T10:00:00Z, when the story's rate-limit window began."""


def _rate_limited(interactions: list[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    """Realistic quota headers: each answer uses one request of a window partly used already.

    The used count starts somewhere else in each cassette (runs share the token's hourly
    quota with other jobs) and grows by one per answer; the window resets an hour after it
    began. A scenario's own ``answer`` headers (a used-up quota, Retry-After) win.
    """
    used = 40 + (seed * 37) % 700
    for n, item in enumerate(interactions):
        headers = item["response"]["headers"]
        mine = {k: v for k, v in headers.items() if k.lower().startswith(("x-ratelimit", "retry"))}
        quota = {
            "Date": [_http_date(WINDOW_START + 60 + 2 * n)],
            "X-RateLimit-Limit": [str(RATE_LIMIT)],
            "X-RateLimit-Remaining": [str(RATE_LIMIT - used - n - 1)],
            "X-RateLimit-Used": [str(used + n + 1)],
            "X-RateLimit-Reset": [str(WINDOW_START + 3600)],
        }
        item["response"]["headers"] = {**headers, **quota, **mine}
    return interactions


def _http_date(epoch: int) -> str:
    import email.utils  # noqa: PLC0415 - only the writer needs it

    return email.utils.formatdate(epoch, usegmt=True)


def main() -> int:
    CASSETTES.mkdir(exist_ok=True)
    for seed, (name, scenario) in enumerate(SCENARIOS.items()):
        interactions = _rate_limited(_scanned(name, scenario()), seed)
        text = yaml.dump(
            {"version": 1, "interactions": interactions},
            Dumper=_Dumper,
            sort_keys=False,
            allow_unicode=True,
            width=120,
        )
        if "authorization" in text.lower():
            raise SystemExit(f"{name}: a cassette must not hold an Authorization header")
        (CASSETTES / f"{name}.yaml").write_text(text, encoding="utf-8")
        print(f"{name}.yaml: {len(interactions)} interactions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
