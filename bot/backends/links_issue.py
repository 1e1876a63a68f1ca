"""``packman links-issue``: make the one "Evidence links" issue on GitHub match a link report.

The issue is found among the issues the bot opened (``creator`` is the bot's login, any
state, oldest first) by :data:`bot.markers.LINKS` in its body, an open one before a closed
one; ``bot.links.issue.upkeep`` decides, and at most one call follows: create it, edit it,
reopen or close it (title and body sent with each). A run with nothing new writes nothing.

A create that fails with a 5xx or no answer may have landed, so it is never repeated here
(the client repeats a POST only after a rate limit): the next run finds the issue by its
marker. PyGithub is reached only through ``bot.backends.github``.
"""

from __future__ import annotations

import os
from typing import Any

from bot import markers
from bot.backends.github import CallCounter, Client, bot_login, environment_client, request
from bot.errors import BackendError
from bot.links.issue import Action, Found, Upkeep, upkeep
from bot.links.report import Report


def keep_from_environment(report: Report, repository: str | None = None) -> str:
    """Keep the issue of ``repository`` (default: GITHUB_REPOSITORY) with the Actions token."""
    name = repository or os.environ.get("GITHUB_REPOSITORY", "")
    if name.count("/") != 1:
        raise BackendError("give --repository OWNER/NAME or set GITHUB_REPOSITORY")
    gh = environment_client()
    try:
        return LinksIssue(gh, name, bot=bot_login(gh)).keep(report)
    finally:
        gh.close()


class LinksIssue:
    """The "Evidence links" issue of one repository."""

    def __init__(self, gh: Client, repository: str, *, bot: str) -> None:
        self.gh = gh
        self.url = f"/repos/{repository}/issues"
        self.bot = bot
        self.counter = CallCounter()

    def _request(self, verb: str, path: str, body: Any = None, **params: Any) -> Any:
        return request(self.gh, self.counter, verb, f"{self.url}{path}", body, **params)

    def find(self) -> Found | None:
        """The bot's issue that carries the links marker (an open one first), if any."""
        mine = [issue for issue in self._created_by_bot() if is_links_issue(issue, self.bot)]
        mine.sort(key=lambda issue: issue.get("state") != "open")  # stable: oldest first
        if not mine:
            return None
        issue = mine[0]
        return Found(
            number=int(issue["number"]),
            open=issue.get("state") == "open",
            title=str(issue.get("title") or ""),
            body=str(issue.get("body") or ""),
        )

    def _created_by_bot(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        query = {"creator": self.bot, "state": "all", "sort": "created", "direction": "asc"}
        for page in range(1, 101):
            batch = self._request("GET", "", per_page=100, page=page, **query)
            found += batch
            if len(batch) < 100:
                break
        return found

    def keep(self, report: Report) -> str:
        """Make the issue match ``report``; one line saying what was done."""
        found = self.find()
        wanted = upkeep(report, found)
        if wanted.action is Action.NONE:
            where = f"issue #{found.number}" if found else "no issue"
            return f"{where} ({wanted.title}): unchanged"
        if found is None:  # upkeep creates only when nothing was found, and edits only then not
            created = self._request("POST", "", {"title": wanted.title, "body": wanted.body})
            return f"issue #{created['number']} ({wanted.title}): {Action.CREATE.value}"
        self._request("PATCH", f"/{found.number}", _patch(wanted))
        return f"issue #{found.number} ({wanted.title}): {wanted.action.value}"


def _patch(wanted: Upkeep) -> dict[str, str]:
    fields = {"title": wanted.title, "body": wanted.body}
    if wanted.action is Action.REOPEN:
        fields["state"] = "open"
    if wanted.action is Action.CLOSE:
        fields.update(state="closed", state_reason="completed")
    return fields


def is_links_issue(issue: dict[str, Any], bot: str) -> bool:
    """An issue (not a pull request) the bot wrote whose body starts with the links marker.

    A marker proves nothing by itself (anybody can type one), hence the author check.
    """
    author = (issue.get("user") or {}).get("login")
    body = str(issue.get("body") or "")
    return "pull_request" not in issue and author == bot and body.startswith(markers.LINKS)
