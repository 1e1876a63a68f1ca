"""GitHub REST resources as the cassettes hold them: packman's own values, GitHub's documented keys.

Every function returns one resource (a user, a label, an issue, a comment, a pull request, a git
object, a permission, an error) with the keys GitHub's REST description requires for that
response, and the values of ``story``: logins, numbers, texts and hashes packman made up. No
value comes from GitHub's examples. The reference tests check every body against the
documented schema (``tests/test_github_reference.py``), so a key that GitHub requires and this
module forgets fails there.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from tests.helpers.github import story
from tests.helpers.github.story import API, BRANCH, OWNER, REPOSITORY

User = tuple[str, int, str]
WEB = "https://github.com"
REPO_API = f"{API}/repos/{REPOSITORY}"
CREATED = "2026-11-25T10:00:00Z"
UPDATED = "2026-11-25T10:06:00Z"


def user(who: User) -> dict[str, Any]:
    """A simple user (the ``user`` of issues, comments and pull requests)."""
    login, number, kind = who
    path = quote(login)
    profile = f"{API}/users/{path}"
    return {
        "login": login,
        "id": number,
        "node_id": f"U_packman{number}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{number}?v=4",
        "gravatar_id": "",
        "url": profile,
        "html_url": f"{WEB}/{path}",
        "followers_url": f"{profile}/followers",
        "following_url": f"{profile}/following{{/other_user}}",
        "gists_url": f"{profile}/gists{{/gist_id}}",
        "starred_url": f"{profile}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{profile}/subscriptions",
        "organizations_url": f"{profile}/orgs",
        "repos_url": f"{profile}/repos",
        "events_url": f"{profile}/events{{/privacy}}",
        "received_events_url": f"{profile}/received_events",
        "type": kind,
        "user_view_type": "public",
        "site_admin": False,
    }


def authenticated_user(who: User) -> dict[str, Any]:
    """``GET /user`` for a personal token: the token's own account, as its owner sees it."""
    return {
        **user(who),
        "user_view_type": "private",
        "name": "packman bot (machine account)",
        "company": None,
        "blog": "",
        "location": None,
        "email": None,
        "hireable": None,
        "bio": None,
        "public_repos": 0,
        "public_gists": 0,
        "followers": 0,
        "following": 0,
        "created_at": "2026-11-01T08:00:00Z",
        "updated_at": CREATED,
        "private_gists": 0,
        "total_private_repos": 0,
        "owned_private_repos": 0,
        "disk_usage": 0,
        "collaborators": 0,
        "two_factor_authentication": True,
    }


def label(name: str, *, grey: bool = False) -> dict[str, Any]:
    """A repository label, with packman's colour and description for it; ``grey``: as GitHub
    makes a label that is added to an issue before it exists (grey, no description)."""
    number = story.LABEL_IDS[name]
    return {
        "id": number,
        "node_id": f"LA_packman{number}",
        "url": f"{REPO_API}/labels/{quote(name)}",
        "name": name,
        "description": None if grey else story.LABEL_DESCRIPTIONS.get(name, ""),
        "color": "ededed" if grey else story.LABEL_COLOURS[name],
        "default": False,
    }


def labels(*names: str) -> list[dict[str, Any]]:
    """Labels in the order given."""
    return [label(n) for n in names]


def issue(
    number: int,
    title: str,
    body: str,
    names: tuple[str, ...],
    *,
    author: User = story.CASEY,
    state: str = "open",
    comments: int = 0,
    pull: bool = False,
) -> dict[str, Any]:
    """An issue (or a pull request seen through the issues API, with ``pull_request``)."""
    api = f"{REPO_API}/issues/{number}"
    closed = state == "closed"
    data: dict[str, Any] = {
        "id": 2000 + number,
        "node_id": f"I_packman{number}",
        "url": api,
        "repository_url": REPO_API,
        "labels_url": f"{api}/labels{{/name}}",
        "comments_url": f"{api}/comments",
        "events_url": f"{api}/events",
        "html_url": f"{WEB}/{REPOSITORY}/{'pull' if pull else 'issues'}/{number}",
        "number": number,
        "state": state,
        "state_reason": "completed" if closed else None,
        "title": title,
        "body": body,
        "user": user(author),
        "labels": labels(*names),
        "assignee": None,
        "assignees": [],
        "milestone": None,
        "locked": False,
        "active_lock_reason": None,
        "comments": comments,
        "created_at": CREATED,
        "updated_at": UPDATED,
        "closed_at": "2026-11-25T11:00:00Z" if closed else None,
        "author_association": "NONE",
    }
    if pull:
        data["pull_request"] = {
            "url": f"{REPO_API}/pulls/{number}",
            "html_url": f"{WEB}/{REPOSITORY}/pull/{number}",
            "diff_url": f"{WEB}/{REPOSITORY}/pull/{number}.diff",
            "patch_url": f"{WEB}/{REPOSITORY}/pull/{number}.patch",
            "merged_at": None,
        }
    return data


def comment(
    number: int, issue_number: int, who: User, body: str, *, at: str = "2026-11-25T10:00:30Z"
) -> dict[str, Any]:
    """An issue comment."""
    return {
        "id": number,
        "node_id": f"IC_packman{number}",
        "url": f"{REPO_API}/issues/comments/{number}",
        "html_url": f"{WEB}/{REPOSITORY}/issues/{issue_number}#issuecomment-{number}",
        "issue_url": f"{REPO_API}/issues/{issue_number}",
        "body": body,
        "user": user(who),
        "created_at": at,
        "updated_at": at,
        "author_association": story.ASSOCIATIONS.get(who, "NONE"),
    }


def permission(who: User, role: str, level: str) -> dict[str, Any]:
    """A collaborator's permission: ``role_name`` (maybe a custom role) and its base ``permission``."""
    rights = {"admin": level == "admin", "maintain": role == "maintain", "push": level in ("admin", "write"),
              "triage": role in ("triage", "maintain"), "pull": True}  # fmt: skip
    collaborator = {**user(who), "permissions": rights, "role_name": role}
    return {"permission": level, "role_name": role, "user": collaborator}


def git_tree(sha: str, paths: tuple[str, ...]) -> dict[str, Any]:
    """A tree as the Git Data API answers its creation."""
    entries = [
        {
            "path": path,
            "mode": "100644",
            "type": "blob",
            "size": 1000 + n,
            "sha": f"{n:040x}",
            "url": f"{REPO_API}/git/blobs/{n:040x}",
        }
        for n, path in enumerate(paths, 1)
    ]
    return {"sha": sha, "url": f"{REPO_API}/git/trees/{sha}", "tree": entries, "truncated": False}


def git_commit(sha: str, tree: str, parent: str, message: str) -> dict[str, Any]:
    """A commit as the Git Data API answers its creation (unsigned, as the bot's are)."""
    person = {
        "date": UPDATED,
        "name": story.BOT[0],
        "email": f"{story.BOT[1]}+{story.BOT[0]}@users.noreply.github.com",
    }
    return {
        "sha": sha,
        "node_id": f"C_packman{sha[:8]}",
        "url": f"{REPO_API}/git/commits/{sha}",
        "html_url": f"{WEB}/{REPOSITORY}/commit/{sha}",
        "author": person,
        "committer": person,
        "message": message,
        "tree": {"sha": tree, "url": f"{REPO_API}/git/trees/{tree}"},
        "parents": [
            {
                "sha": parent,
                "url": f"{REPO_API}/git/commits/{parent}",
                "html_url": f"{WEB}/{REPOSITORY}/commit/{parent}",
            }
        ],
        "verification": {
            "verified": False,
            "reason": "unsigned",
            "signature": None,
            "payload": None,
            "verified_at": None,
        },
    }


def git_ref(sha: str) -> dict[str, Any]:
    """The bot branch's ref pointing at ``sha``."""
    return {
        "ref": f"refs/heads/{BRANCH}",
        "node_id": "REF_packmanpending",
        "url": f"{REPO_API}/git/refs/heads/{BRANCH}",
        "object": {"type": "commit", "sha": sha, "url": f"{REPO_API}/git/commits/{sha}"},
    }


_REPO_LINKS = {
    "archive_url": "/{archive_format}{/ref}",
    "assignees_url": "/assignees{/user}",
    "blobs_url": "/git/blobs{/sha}",
    "branches_url": "/branches{/branch}",
    "collaborators_url": "/collaborators{/collaborator}",
    "comments_url": "/comments{/number}",
    "commits_url": "/commits{/sha}",
    "compare_url": "/compare/{base}...{head}",
    "contents_url": "/contents/{+path}",
    "contributors_url": "/contributors",
    "deployments_url": "/deployments",
    "downloads_url": "/downloads",
    "events_url": "/events",
    "forks_url": "/forks",
    "git_commits_url": "/git/commits{/sha}",
    "git_refs_url": "/git/refs{/sha}",
    "git_tags_url": "/git/tags{/sha}",
    "hooks_url": "/hooks",
    "issue_comment_url": "/issues/comments{/number}",
    "issue_events_url": "/issues/events{/number}",
    "issues_url": "/issues{/number}",
    "keys_url": "/keys{/key_id}",
    "labels_url": "/labels{/name}",
    "languages_url": "/languages",
    "merges_url": "/merges",
    "milestones_url": "/milestones{/number}",
    "notifications_url": "/notifications{?since,all,participating}",
    "pulls_url": "/pulls{/number}",
    "releases_url": "/releases{/id}",
    "stargazers_url": "/stargazers",
    "statuses_url": "/statuses/{sha}",
    "subscribers_url": "/subscribers",
    "subscription_url": "/subscription",
    "tags_url": "/tags",
    "teams_url": "/teams",
    "trees_url": "/git/trees{/sha}",
}
"""The repository's API links, relative to its API address (the shape GitHub documents)."""


def repository() -> dict[str, Any]:
    """This story's repository, as a pull request's ``head.repo`` and ``base.repo`` show it."""
    data: dict[str, Any] = {key: REPO_API + tail for key, tail in _REPO_LINKS.items()}
    data.update(
        id=7001,
        node_id="R_packmandemo",
        name=story.NAME,
        full_name=REPOSITORY,
        owner=user(story.OWNER_ORG),
        private=False,
        html_url=f"{WEB}/{REPOSITORY}",
        description="Demonstration repository of the packman tests",
        fork=False,
        url=REPO_API,
        clone_url=f"{WEB}/{REPOSITORY}.git",
        git_url=f"git://github.com/{REPOSITORY}.git",
        ssh_url=f"git@github.com:{REPOSITORY}.git",
        svn_url=f"{WEB}/{REPOSITORY}",
        mirror_url=None,
        homepage=None,
        language="Python",
        default_branch=story.BASE,
        forks=0,
        forks_count=0,
        open_issues=3,
        open_issues_count=3,
        stargazers_count=0,
        watchers=0,
        watchers_count=0,
        size=812,
        has_downloads=True,
        has_issues=True,
        has_projects=False,
        has_wiki=False,
        has_pages=True,
        archived=False,
        disabled=False,
        license=None,
        pushed_at=UPDATED,
        created_at="2026-11-01T08:00:00Z",
        updated_at=UPDATED,
    )
    return data


def _branch(ref: str, sha: str) -> dict[str, Any]:
    return {
        "label": f"{OWNER}:{ref}",
        "ref": ref,
        "sha": sha,
        "user": user(story.OWNER_ORG),
        "repo": repository(),
    }


def pull(
    number: int,
    body: str,
    *,
    state: str = "open",
    head_sha: str = story.COMMIT_1,
    title: str = "",
    full: bool = True,
) -> dict[str, Any]:
    """The bot pull request: its full representation, or (``full=False``) the listing's."""
    api, page = f"{REPO_API}/pulls/{number}", f"{WEB}/{REPOSITORY}/pull/{number}"
    issue_api = f"{REPO_API}/issues/{number}"
    data: dict[str, Any] = {
        "url": api,
        "id": 6000 + number,
        "node_id": f"PR_packman{number}",
        "html_url": page,
        "diff_url": f"{page}.diff",
        "patch_url": f"{page}.patch",
        "issue_url": issue_api,
        "commits_url": f"{api}/commits",
        "review_comments_url": f"{api}/comments",
        "review_comment_url": f"{REPO_API}/pulls/comments{{/number}}",
        "comments_url": f"{issue_api}/comments",
        "statuses_url": f"{REPO_API}/statuses/{head_sha}",
        "number": number,
        "state": state,
        "locked": False,
        "title": title or "packman: 1 approved change(s)",
        "user": user(story.BOT),
        "body": body,
        "labels": [],
        "milestone": None,
        "active_lock_reason": None,
        "created_at": UPDATED,
        "updated_at": UPDATED,
        "closed_at": "2026-11-25T12:00:00Z" if state == "closed" else None,
        "merged_at": None,
        "merge_commit_sha": None,
        "assignee": None,
        "assignees": [],
        "requested_reviewers": [],
        "requested_teams": [],
        "head": _branch(BRANCH, head_sha),
        "base": _branch(story.BASE, story.MAIN_SHA),
        "_links": {
            name: {"href": href}
            for name, href in (
                ("self", api),
                ("html", page),
                ("issue", issue_api),
                ("comments", f"{issue_api}/comments"),
                ("review_comments", f"{api}/comments"),
                ("review_comment", f"{REPO_API}/pulls/comments{{/number}}"),
                ("commits", f"{api}/commits"),
                ("statuses", f"{REPO_API}/statuses/{head_sha}"),
            )
        },
        "author_association": "CONTRIBUTOR",
        "auto_merge": None,
        "draft": False,
    }
    if full:
        data.update(
            merged=False,
            mergeable=True,
            rebaseable=True,
            mergeable_state="clean",
            merged_by=None,
            comments=0,
            review_comments=0,
            maintainer_can_modify=False,
            commits=1,
            additions=40,
            deletions=12,
            changed_files=5,
        )
    return data


def error(message: str, page: str, *errors: dict[str, str], status: int = 0) -> dict[str, Any]:
    """An error body: a message, the documentation page, and for validation errors their list."""
    body: dict[str, Any] = {"message": message, "documentation_url": f"{story.DOCS}/{page}"}
    if errors:
        body["errors"] = list(errors)
    if status:
        body["status"] = str(status)
    return body
