"""Replaying the GitHub backend against a cassette, and the payloads and checkout it runs on.

``replay`` drives the real path: a webhook payload → ``backend.state`` → ``handle`` →
``execute`` → ``repair_commands`` (the look for unanswered commands every run ends with), with PyGithub talking to a vcrpy cassette (``record_mode="none"``: a request the
cassette does not hold fails the test). The cassettes are written by ``build_cassettes.py``
from ``story.py`` and ``resources.py``.

Matching: method + URI + ``json_body`` (JSON bodies compared as data; a recorded string
ending in ``…`` matches any text with that prefix, for text rendered from main's data).
git/trees and git/commits are matched on method + URI only: their bodies depend on the
test's checkout, so the tests assert on what was sent instead.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import vcr
import yaml

from bot.backends.github import GitHubBackend, client
from bot.backends.handle import repair_commands
from bot.review import events
from bot.review.backend import RepoState, execute
from bot.review.handler import handle
from bot.review.plan import BotBranch, Plan
from tests.helpers import project
from tests.helpers.github import story
from tests.helpers.paths import EXAMPLES, TESTS

CASSETTES = TESTS / "cassettes"
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
GET_LABEL, UPDATE_LABEL = f"GET {R}/labels/{{name}}", f"PATCH {R}/labels/{{name}}"
RECENT = f"GET {R}/issues/comments"
CLOSE_ISSUE = f"PATCH {R}/issues/{{n}}"
PULLS, POST_PULL, PATCH_PULL = f"GET {R}/pulls", f"POST {R}/pulls", f"PATCH {R}/pulls/{{n}}"
TREES, COMMITS = f"POST {R}/git/trees", f"POST {R}/git/commits"
PATCH_REF, POST_REF = f"PATCH {R}/git/refs/heads/packman/pending", f"POST {R}/git/refs"


# --- matching and capture ------------------------------------------------------------------


_BODY_FREE = re.compile(r"/repos/[^/]+/[^/]+/git/(?:trees|commits)")


def _body_free(method: str, path: str) -> bool:
    """True for requests matched without their body (git trees and commits depend on the checkout)."""
    return method == "POST" and _BODY_FREE.fullmatch(path) is not None


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
    if _body_free(live.method, urlsplit(live.uri).path):
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
            repair_commands(event, state, backend)  # as `packman handle` does after every plan
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


def make_checkout(root: Path) -> Path:
    """The fixture project, rendered and committed as main, in ``root / "main"``."""
    return project.repository(root / "main")


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


def as_user(who: tuple[str, int, str]) -> dict[str, Any]:
    return {"login": who[0], "id": who[1], "type": who[2]}


def opened() -> dict[str, Any]:
    return example("issue-opened.json")


def command(
    comment_id: int, who: tuple[str, int, str], body: str, issue: int = story.ISSUE_1
) -> dict[str, Any]:
    """An issue_comment ``created`` payload (shape of examples/comment-approve.json)."""
    payload = example("comment-approve.json")
    payload["comment"].update(
        id=comment_id,
        user=as_user(who),
        body=body,
        url=f"{story.API}/repos/{story.REPOSITORY}/issues/comments/{comment_id}",
    )
    payload["sender"] = as_user(who)
    if issue == story.ISSUE_3:
        payload["issue"].update(
            number=issue,
            id=2003,
            title=story.ISSUE_3_TITLE,
            body=story.ISSUE_3_BODY,
            url=f"{story.API}/repos/{story.REPOSITORY}/issues/{issue}",
        )
    return payload


def scenarios() -> dict[str, tuple[str, dict[str, Any]]]:
    """The everyday replays: cassette name → (event name, payload). Faults are elsewhere."""
    approve = command(story.APPROVE_1, story.MORGAN, "/packman approve")
    merged = example("pull-request-merged.json")
    merged["pull_request"]["body"] = "Closes #1\n\n<!-- packman:issues [1] -->"
    return {
        "issue-opened": ("issues", opened()),
        "approve-not-allowed": (
            "issue_comment",
            command(story.APPROVE_1_DANA, story.DANA, "Looks right to me!\n\n/packman approve"),
        ),
        "approve-maintainer": ("issue_comment", approve),
        "approve-custom-role": ("issue_comment", approve),
        "approve-pull-outdated": (
            "issue_comment",
            command(story.APPROVE_3, story.MORGAN, "/packman approve", issue=story.ISSUE_3),
        ),
        "dispatch-close-pull": ("workflow_dispatch", example("workflow-dispatch.json")),
        "reject-maintainer": (
            "issue_comment",
            command(
                story.REJECT_1, story.MORGAN, "/packman reject The linked page does not say this."
            ),
        ),
        "pull-merged": ("pull_request", merged),
    }


def interactions(path: Path) -> list[dict[str, Any]]:
    """The recorded interactions of one cassette file."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    assert data["version"] == 1
    found: list[dict[str, Any]] = data["interactions"]
    return found


CASSETTE_FILES = sorted(CASSETTES.glob("*.yaml"))
