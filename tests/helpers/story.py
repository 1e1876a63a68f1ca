"""The offline bot driven as GitHub would drive it: webhook payloads into ``packman handle --local``.

``Story`` writes each payload to a file, runs the real command on a git repository (a copy of
the fixture project) and a STATE_DIR, and reads issues, comments, labels, the pull request and
the bot branch back.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.backends.local import BOT_LOGIN
from bot.cli import main
from bot.review.plan import BOT_BRANCH
from tests.helpers import bodies
from tests.helpers.project import run_git as git

OWNER = "acme"
REPO = {"full_name": f"{OWNER}/packman", "owner": {"login": OWNER}}


class Story:
    """Sends webhook payloads to `packman handle --local` and reads the state back."""

    def __init__(
        self, repo: Path, state: Path, tmp: Path, repository: dict[str, Any] | None = None
    ) -> None:
        self.repo, self.state, self.tmp, self.sent = repo, state, tmp, 0
        self.repository = repository or REPO
        """The webhook payloads' ``repository``; its owner is the maintainer who approves."""

    @property
    def owner(self) -> str:
        return str(self.repository["owner"]["login"])

    def send(self, name: str, payload: dict[str, Any], *extra: str) -> int:
        self.sent += 1
        path = self.tmp / f"event-{self.sent}.json"
        path.write_text(json.dumps({"repository": self.repository, **payload}))
        return main(
            [
                "--root",
                str(self.repo),
                "handle",
                "--event",
                str(path),
                "--event-name",
                name,
                "--local",
                str(self.state),
                *extra,
            ]
        )

    def open_issue(
        self,
        number: int,
        body: str,
        author: str = "casey",
        action: str = "opened",
        label: str = "packman: evidence",
    ) -> int:
        issue = {
            "number": number,
            "title": label.removeprefix("packman: "),
            "body": body,
            "user": {"login": author},
            "labels": [{"name": label}],
            "state": "open",
        }
        return self.send("issues", {"action": action, "issue": issue, "sender": {"login": author}})

    def comment(self, number: int, comment_id: int, author: str, body: str) -> int:
        issue = self.issue(number)
        issue = {k: issue[k] for k in ("number", "title", "body", "user", "labels", "state")}
        comment = {"id": comment_id, "user": {"login": author}, "body": body}
        return self.send(
            "issue_comment",
            {"action": "created", "issue": issue, "comment": comment, "sender": {"login": author}},
        )

    def merge(self) -> int:
        pull = self.pull()
        git(self.repo, "merge", "-q", "--ff-only", BOT_BRANCH)
        payload = {
            "action": "closed",
            "pull_request": {
                **pull,
                "state": "closed",
                "merged": True,
                "head": {"ref": BOT_BRANCH, "repo": self.repository},
            },
        }
        return self.send("pull_request", payload)

    def issue(self, number: int) -> dict[str, Any]:
        return json.loads((self.state / "issues" / f"{number}.json").read_text())

    def labels(self, number: int) -> list[str]:
        return [label["name"] for label in self.issue(number)["labels"]]

    def bot_comments(self, number: int) -> list[str]:
        return [
            c["body"] for c in self.issue(number)["comments"] if c["user"]["login"] == BOT_LOGIN
        ]

    def pull(self) -> dict[str, Any]:
        pulls = sorted((self.state / "pulls").glob("*.json"), key=lambda p: int(p.stem))
        return json.loads(pulls[-1].read_text())

    def branch_log(self) -> list[str]:
        return git(self.repo, "log", "--format=%s", f"main..{BOT_BRANCH}").splitlines()

    def snapshot(self) -> tuple[dict[str, str], str]:
        files = {
            str(p.relative_to(self.state)): p.read_text()
            for p in sorted(self.state.rglob("*.json"))
        }
        branch = (
            git(self.repo, "rev-parse", "--verify", "-q", BOT_BRANCH) if self.has_branch() else ""
        )
        return files, branch

    def has_branch(self) -> bool:
        return bool(git(self.repo, "branch", "--list", BOT_BRANCH))


PACKAGIST_UP = bodies.evidence(
    registry="Packagist (Composer)",
    control="Prevents Credential from Being Published",
    status="partial",
    links="https://packagist.org/about",
    notes="Test note.",
)
