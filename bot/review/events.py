"""GitHub webhook payloads, read into the few typed values the bot uses.

Payloads are untrusted JSON. Anything missing or of the wrong type is a
:class:`~bot.errors.PackmanError` naming the field, never a KeyError deep inside.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.errors import PackmanError

EVENT_NAMES = ("issues", "issue_comment", "pull_request", "push", "schedule", "workflow_dispatch")


@dataclass(frozen=True)
class Comment:
    """An issue comment."""

    id: int
    """GitHub's comment id."""
    author: str
    """Login of the author."""
    body: str
    """Markdown text."""
    created_at: str = ""
    """ISO 8601 time GitHub stored it (empty when unknown)."""
    updated_at: str = ""
    """ISO 8601 time of its last edit (empty when unknown)."""

    @property
    def edited(self) -> bool:
        """True when the text changed after it was posted (GitHub then gives a later
        ``updated_at``)."""
        return self.updated_at != self.created_at


@dataclass(frozen=True)
class Issue:
    """An issue, as the bot needs it."""

    number: int
    """The issue number."""
    title: str
    """The title."""
    body: str | None
    """The body (null when empty)."""
    author: str
    """Login of the author."""
    labels: tuple[str, ...]
    """Label names."""
    open: bool
    """True while the issue is open."""
    is_pull_request: bool = False
    """GitHub sends pull requests as issues in issue_comment events."""


@dataclass(frozen=True)
class PullRequest:
    """A pull request, as the bot needs it."""

    number: int
    """The PR number."""
    head: str
    """The head branch name."""
    merged: bool
    """True once merged."""
    body: str
    """The PR description."""
    head_repository: str = ""
    """``owner/name`` the head branch lives in (a fork's name for a fork's pull request); empty when
    GitHub sends ``head.repo: null``, as it does once the fork is deleted."""


@dataclass(frozen=True)
class Event:
    """One webhook delivery."""

    name: str
    """The event name (``issues``, ``issue_comment``, ...)."""
    action: str | None
    """The payload's action, if any."""
    sender: str
    """Login of whoever caused the event."""
    owner: str
    """Login of the repository owner (an admin)."""
    repository: str
    """``owner/name``."""
    issue: Issue | None = None
    """The issue, for issue and comment events."""
    comment: Comment | None = None
    """The comment, for comment events."""
    pull: PullRequest | None = None
    """The pull request, for pull_request events."""
    ref: str | None = None
    """The pushed ref, for push events."""
    paths: tuple[str, ...] = ()
    """Paths a push changed; empty when unknown (real Actions push payloads carry no file lists:
    the CLI fills this from ``git diff before..after`` in the checkout)."""
    before: str = ""
    """The commit a pushed ref pointed to before the push."""
    after: str = ""
    """The commit it points to now."""
    repair: bool = False
    """True for a command answered by a later run, because the run of its own event never did."""


def _get(data: Any, *path: str, kind: type = str, default: Any = ...) -> Any:
    value = data
    for key in path:
        value = value.get(key, default) if isinstance(value, Mapping) else default
        if value is ...:
            raise PackmanError(f"event payload: {'.'.join(path)} is missing")
    if value is not None and value is not default and not isinstance(value, kind):
        raise PackmanError(f"event payload: {'.'.join(path)} should be {kind.__name__}")
    return value


def issue_from(data: Mapping[str, Any]) -> Issue:
    """An issue from its REST/webhook JSON."""
    labels = _get(data, "labels", kind=list, default=[])
    return Issue(
        number=_get(data, "number", kind=int),
        title=_get(data, "title", default="") or "",
        body=_get(data, "body", default=None),
        author=_login(data),
        labels=tuple(
            str(label.get("name", "")) if isinstance(label, Mapping) else str(label)
            for label in labels
        ),
        open=_get(data, "state", default="open") == "open",
        is_pull_request="pull_request" in data,
    )


GHOST = "ghost"
"""GitHub's name for a deleted account (the REST API may give ``"user": null``)."""


def _login(data: Mapping[str, Any]) -> str:
    user = data.get("user")
    return str(user.get("login") or GHOST) if isinstance(user, Mapping) else GHOST


def comment_from(data: Mapping[str, Any]) -> Comment:
    """A comment from its REST/webhook JSON."""
    return Comment(
        _get(data, "id", kind=int),
        _login(data),
        _get(data, "body", default="") or "",
        _get(data, "created_at", default="") or "",
        _get(data, "updated_at", default="") or "",
    )


def _pull(data: Mapping[str, Any]) -> PullRequest:
    return PullRequest(
        _get(data, "number", kind=int),
        _get(data, "head", "ref"),
        bool(_get(data, "merged", kind=bool, default=False)),
        _get(data, "body", default="") or "",
        _get(data, "head", "repo", "full_name", default="") or "",
    )


def _paths(payload: Mapping[str, Any]) -> tuple[str, ...]:
    commits = _get(payload, "commits", kind=list, default=[])
    return tuple(
        sorted(
            {
                str(p)
                for c in commits
                if isinstance(c, Mapping)
                for key in ("added", "modified", "removed")
                for p in c.get(key) or []
            }
        )
    )


def _repository(payload: Mapping[str, Any], fallback: str) -> tuple[str, str]:
    """``(owner/name, owner)`` from the payload, else from ``fallback`` (GITHUB_REPOSITORY): some
    deliveries (older schedule events) carry no ``repository``."""
    if isinstance(payload.get("repository"), Mapping):
        return _get(payload, "repository", "full_name"), _get(
            payload, "repository", "owner", "login"
        )
    owner, slash, name = fallback.partition("/")
    if not (owner and slash and name):
        raise PackmanError(
            "event payload: repository is missing, and GITHUB_REPOSITORY (owner/name) is not set "
            "either; set GITHUB_REPOSITORY to say which repository the event is for"
        )
    return fallback, owner


def from_payload(name: str, payload: Mapping[str, Any], fallback_repository: str = "") -> Event:
    """Read a webhook payload of event ``name``; ``fallback_repository`` (``owner/name``) stands in
    for a missing ``repository``."""
    if name not in EVENT_NAMES:
        raise PackmanError(f"event name {name!r} is not handled; handled: {', '.join(EVENT_NAMES)}")
    repository, owner = _repository(payload, fallback_repository)
    return Event(
        name=name,
        action=_get(payload, "action", default=None),
        sender=_get(payload, "sender", "login", default="") or "",
        owner=owner,
        repository=repository,
        issue=issue_from(payload["issue"]) if isinstance(payload.get("issue"), Mapping) else None,
        comment=comment_from(payload["comment"])
        if isinstance(payload.get("comment"), Mapping)
        else None,
        pull=_pull(payload["pull_request"])
        if isinstance(payload.get("pull_request"), Mapping)
        else None,
        ref=_get(payload, "ref", default=None),
        paths=_paths(payload),
        before=_get(payload, "before", default="") or "",
        after=_get(payload, "after", default="") or "",
    )
