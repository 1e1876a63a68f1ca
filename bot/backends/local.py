"""The embedded default backend: GitHub's state as JSON files, the bot branch as a real git branch.

State layout (other tools rely on it)::

    STATE_DIR/issues/<number>.json   the issue as GitHub returns it, plus "comments":
                                     [{"id", "user": {"login"}, "body"}] and its "labels"
    STATE_DIR/pulls/<number>.json    {"number", "state", "title", "body", "head": {"ref"},
                                      "base": {"ref"}, "merged"}
    STATE_DIR/collaborators.json     {"login": "write", ...}; the repository owner is admin

The bot branch ``packman/pending`` is built in the checkout with git plumbing
(a temporary index, ``commit-tree``, ``update-ref``): the working tree and the
current branch are never touched, and only the bot branch is ever moved.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

from bot import git, markers
from bot.data import snapshot
from bot.data.store import write_text
from bot.errors import BackendError
from bot.review import events
from bot.review.backend import FoundBranch, RepoState
from bot.review.events import Event
from bot.review.labels import StateLabel
from bot.review.plan import BOT_BRANCH, BotBranch
from bot.review.rebuild import pull_body, pull_is_current, rebuilt

BOT_LOGIN = "packman[bot]"
RECENT = 100
"""How many of the newest comments ``recent_comments`` gives (one page on GitHub)."""
_GIT_ENV = {
    "GIT_AUTHOR_NAME": "packman[bot]",
    "GIT_AUTHOR_EMAIL": "packman-bot@users.noreply.github.com",
    "GIT_COMMITTER_NAME": "packman[bot]",
    "GIT_COMMITTER_EMAIL": "packman-bot@users.noreply.github.com",
}


def _mine(comment: dict[str, Any]) -> bool:
    """True for a comment the bot wrote (a deleted account's comment has ``"user": null``)."""
    return events.comment_from(comment).author == BOT_LOGIN


class LocalBackend:
    """Issues and pull requests as JSON files; the bot branch in a local git repository."""

    def __init__(
        self, root: Path, state_dir: Path, base: str = "main", today: dt.date | None = None
    ) -> None:
        self.root = root
        self.dir = state_dir
        self.base = base
        self.today = today or dt.date.today()

    # --- reading ---------------------------------------------------------------

    def _load(self, path: Path) -> Any:
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BackendError(f"{path}: cannot read JSON ({exc})") from None

    def _issue_path(self, number: int) -> Path:
        return self.dir / "issues" / f"{number}.json"

    def _issue(self, number: int) -> dict[str, Any]:
        data: dict[str, Any] = self._load(self._issue_path(number))
        return data

    def _save_issue(self, data: dict[str, Any]) -> None:
        write_text(
            self._issue_path(int(data["number"])),
            json.dumps(data, indent=2, ensure_ascii=False) + "\n",
        )

    def _all(self, kind: str) -> list[dict[str, Any]]:
        return [
            self._load(p)
            for p in sorted((self.dir / kind).glob("*.json"), key=lambda p: int(p.stem))
        ]

    def state(self, event: Event) -> RepoState:
        issues = [events.issue_from(i) for i in self._all("issues")]
        comments = {
            int(i["number"]): tuple(events.comment_from(c) for c in i.get("comments", []))
            for i in self._all("issues")
        }
        permissions = {**self._collaborators(), event.owner: "admin"}
        return RepoState(
            files=snapshot.from_git(self.root, self.base),
            base=self.base,
            base_sha=self._git("rev-parse", self.base).strip(),
            bot=BOT_LOGIN,
            today=self.today,
            issues=tuple(i for i in issues if i.open),
            comments=comments,
            permissions=permissions,
            pending=self._found_branch(),
        )

    def _found_branch(self) -> FoundBranch | None:
        """The open bot pull request's body and the bot branch's head, when both exist."""
        pull, head = self._open_pull(), self._branch_head()
        if pull is None or not head:
            return None
        return FoundBranch(str(pull.get("body") or ""), head)

    def _collaborators(self) -> dict[str, str]:
        path = self.dir / "collaborators.json"
        data = self._load(path) if path.exists() else {}
        if not isinstance(data, dict):
            raise BackendError(f"{path}: expected an object mapping logins to permissions")
        return {str(k): str(v) for k, v in data.items()}

    def recent_comments(self) -> list[tuple[int, events.Comment]]:
        """The newest comments of every issue, newest first, as many as GitHub's one page."""
        found = [
            (int(i["number"]), events.comment_from(c))
            for i in self._all("issues")
            for c in i.get("comments", [])
        ]
        return sorted(found, key=lambda item: -item[1].id)[:RECENT]

    # --- issues ----------------------------------------------------------------

    def _next_comment_id(self) -> int:
        ids = [int(c["id"]) for i in self._all("issues") for c in i.get("comments", [])]
        return max(ids, default=1000) + 1

    def _comment(self, body: str) -> dict[str, Any]:
        at = _now()
        return {
            "id": self._next_comment_id(),
            "user": {"login": BOT_LOGIN, "type": "Bot"},
            "body": body,
            "created_at": at,
            "updated_at": at,
        }

    def upsert_sticky(self, issue: int, body: str) -> str:
        data = self._issue(issue)
        comments = data.setdefault("comments", [])
        mine = next((c for c in comments if _mine(c) and markers.STICKY in c["body"]), None)
        if mine is not None and mine["body"] == body:
            return f"issue #{issue}: sticky comment unchanged"
        if mine is not None:
            mine.update(body=body, updated_at=_now())
        else:
            comments.append(self._comment(body))
        self._save_issue(data)
        return f"issue #{issue}: sticky comment {'updated' if mine else 'created'}"

    def reply_once(self, issue: int, marker: str, body: str) -> str:
        data = self._issue(issue)
        comments = data.setdefault("comments", [])
        if any(marker in c["body"] and _mine(c) for c in comments):
            return f"issue #{issue}: reply already posted"
        comments.append(self._comment(body))
        self._save_issue(data)
        return f"issue #{issue}: replied"

    def set_state_label(self, issue: int, label: StateLabel) -> str:
        data = self._issue(issue)
        names = [
            lab["name"] if isinstance(lab, dict) else str(lab) for lab in data.get("labels", [])
        ]
        states = {s.value for s in StateLabel}
        wanted = [n for n in names if n not in states] + [label.value]
        if names == wanted:
            return f"issue #{issue}: label '{label.value}' already set"
        data["labels"] = [{"name": n} for n in wanted]
        self._save_issue(data)
        return f"issue #{issue}: label '{label.value}'"

    def close_issue(self, issue: int, reason: str) -> str:
        data = self._issue(issue)
        if data.get("state") == "closed":
            return f"issue #{issue}: already closed"
        data.update(state="closed", state_reason=reason)
        self._save_issue(data)
        return f"issue #{issue}: closed ({reason})"

    # --- the bot branch and pull request ----------------------------------------------

    def _git(self, *args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> str:
        return git.run(self.root, *args, stdin=stdin, env=env)

    def _open_pull(self) -> dict[str, Any] | None:
        return next(
            (
                p
                for p in self._all("pulls")
                if p.get("state") == "open" and p.get("head", {}).get("ref") == BOT_BRANCH
            ),
            None,
        )

    def _branch_head(self) -> str:
        """The commit refs/heads/packman/pending points to, or "" when it does not exist."""
        try:
            return self._git(
                "rev-parse", "--verify", "--quiet", f"refs/heads/{BOT_BRANCH}^{{commit}}"
            ).strip()
        except BackendError:
            return ""

    def sync_bot_branch(self, branch: BotBranch) -> str:
        pull = self._open_pull()
        if branch.empty:
            if pull is None:
                return "bot branch: nothing approved, no pull request open"
            pull["state"] = "closed"
            self._save_pull(pull)
            return f"bot pull request #{pull['number']}: closed (nothing approved)"
        if pull is not None and pull_is_current(pull.get("body"), branch, self._branch_head()):
            return f"bot branch and pull request #{pull['number']}: already up to date"
        self._refuse_checked_out()
        head = self._commit_chain(branch)
        self._git("update-ref", f"refs/heads/{BOT_BRANCH}", head)
        return self._upsert_pull(pull, branch, head)

    def _refuse_checked_out(self) -> None:
        """Moving the bot branch while it is checked out would leave the working tree behind it."""
        if (
            self._git("rev-parse", "--symbolic-full-name", "HEAD").strip()
            == f"refs/heads/{BOT_BRANCH}"
        ):
            raise BackendError(
                f"{BOT_BRANCH} is checked out in {self.root}; check out {self.base} and run again"
            )

    def _commit_chain(self, branch: BotBranch) -> str:
        if branch.on and self._branch_head() != branch.on:
            raise BackendError(
                f"{BOT_BRANCH} moved after this run read it, so its commits cannot be kept; "
                "run again to rebuild it"
            )
        parent = branch.on or self._git("rev-parse", branch.base).strip()
        with tempfile.TemporaryDirectory() as scratch:
            env = {**_GIT_ENV, "GIT_INDEX_FILE": str(Path(scratch) / "index")}
            self._git("read-tree", parent, env=env)
            for commit in branch.commits:
                for path, text in commit.files.items():
                    blob = self._git("hash-object", "-w", "--stdin", stdin=text).strip()
                    self._git(
                        "update-index", "--add", "--cacheinfo", f"100644,{blob},{path}", env=env
                    )
                tree = self._git("write-tree", env=env).strip()
                parent = self._git(
                    "commit-tree", tree, "-p", parent, "-F", "-", stdin=commit.message, env=env
                ).strip()
        return parent

    def _save_pull(self, pull: dict[str, Any]) -> None:
        write_text(self.dir / "pulls" / f"{pull['number']}.json", json.dumps(pull, indent=2) + "\n")

    def _upsert_pull(self, pull: dict[str, Any] | None, branch: BotBranch, head: str) -> str:
        if pull is None:
            numbers = [
                int(p.stem)
                for kind in ("issues", "pulls")
                for p in (self.dir / kind).glob("*.json")
            ]
            pull = {
                "number": max(numbers, default=0) + 1,
                "state": "open",
                "head": {"ref": BOT_BRANCH},
                "base": {"ref": branch.base},
                "merged": False,
            }
        pull.update(title=branch.title, body=pull_body(branch, head))
        pull["head"] = {**pull.get("head", {}), "sha": head}
        self._save_pull(pull)
        return f"{rebuilt(branch)}; pull request #{pull['number']} up to date"


def ingest(state_dir: Path, name: str, payload: dict[str, Any]) -> None:
    """Record what GitHub itself would already hold when it sends this event.

    On GitHub the issue, the new comment or the merge exist before the webhook is
    delivered; locally the payload is the only source, so it is written into
    STATE_DIR first (keeping the comments and labels recorded so far).
    """
    issue = payload.get("issue")
    if (
        isinstance(issue, dict)
        and name in ("issues", "issue_comment")
        and "pull_request" not in issue
    ):
        _ingest_issue(state_dir, name, payload, issue)
    pull = payload.get("pull_request")
    if name == "pull_request" and isinstance(pull, dict):
        path = state_dir / "pulls" / f"{int(pull['number'])}.json"
        known = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        fields = ("number", "state", "title", "body", "head", "base", "merged")
        write_text(
            path,
            json.dumps({**known, **{k: pull[k] for k in fields if k in pull}}, indent=2) + "\n",
        )


_COMMENT_KEYS = ("id", "user", "body", "created_at", "updated_at")


def _now() -> str:
    """The time GitHub would stamp on a comment (to the microsecond: a test run is quick)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _stamped(comment: dict[str, Any], known: dict[str, Any] | None, edited: bool) -> dict[str, Any]:
    """The comment as GitHub holds it: its times as the payload gives them, else stamped now (an
    edit moves ``updated_at`` past ``created_at``, as on GitHub)."""
    data = {k: comment[k] for k in _COMMENT_KEYS if k in comment}
    at = _now()
    data.setdefault("created_at", (known or {}).get("created_at", "" if edited else at))
    data.setdefault("updated_at", at)
    return data


def _ingest_issue(
    state_dir: Path, name: str, payload: dict[str, Any], issue: dict[str, Any]
) -> None:
    """The issue (and comment) as GitHub holds it once it sent this event.

    A transferred issue belongs to another repository now and a deleted one is gone: GitHub lists
    neither any more, so the file goes (``changes.new_issue`` of a transfer is the other
    repository's issue and is never written here). A deleted comment leaves the issue's comments.
    """
    path = state_dir / "issues" / f"{int(issue['number'])}.json"
    action = payload.get("action")
    if name == "issues" and action in ("transferred", "deleted"):
        path.unlink(missing_ok=True)
        return
    known = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    merged = {**known, **issue, "comments": known.get("comments", [])}
    comment = payload.get("comment")
    if name == "issue_comment" and isinstance(comment, dict):
        before = next((c for c in merged["comments"] if c["id"] == comment["id"]), None)
        if action == "deleted":
            merged["comments"] = [c for c in merged["comments"] if c is not before]
        elif action == "edited" and before is not None:
            before.update(_stamped(comment, before, edited=True))
        elif before is None:
            merged["comments"].append(_stamped(comment, None, edited=action == "edited"))
        merged["labels"] = known.get("labels", issue.get("labels", []))
    write_text(path, json.dumps(merged, indent=2, ensure_ascii=False) + "\n")
