"""The backend interface: the state a backend gathers for the handler, and carrying out a plan.

A backend gathers the state the handler needs (``state``) and applies effects
idempotently: each method makes the repository match the effect, and does
nothing when it already does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from bot.data.snapshot import Files
from bot.review.events import Comment, Event, Issue
from bot.review.labels import StateLabel
from bot.review.plan import BotBranch, CloseIssue, Effect, Plan, Reply, SetState, UpsertSticky
from bot.review.sticky import ApprovalRecord


@dataclass(frozen=True)
class FoundBranch:
    """The bot branch as a backend found it: the open bot pull request's body and the commit the
    branch points to. A rebuild keeps its commits when they hold exactly the earlier approvals."""

    body: str
    """The open bot pull request's body (its hidden markers say what the commits hold)."""
    head: str
    """The commit the bot branch points to now."""


@dataclass(frozen=True)
class RepoState:
    """Everything the handler reads besides the event, gathered by a backend."""

    files: Files
    """Snapshot of main."""
    base: str
    """Name of the main branch."""
    base_sha: str
    """Commit of main the snapshot was taken from."""
    bot: str
    """The bot's own login."""
    today: dt.date
    """The date of the run."""
    issues: tuple[Issue, ...]
    """Open issues (bodies included)."""
    comments: Mapping[int, tuple[Comment, ...]]
    """Comments of the issues the backend read: every issue (local), or those
    ``bot/review/reading.py`` names (GitHub)."""
    permissions: Mapping[str, str]
    """Collaborator role (admin, maintain, write, triage, read, none) of the logins that matter."""
    pending: FoundBranch | None = None
    """The bot branch and its open pull request, when the backend read them (None: a rebuild
    builds every commit)."""
    held: Mapping[int, ApprovalRecord] = field(default_factory=dict)
    """Approvals of issues whose comments the backend did not read, as the open bot pull request
    records them (``bot/review/reading.py`` says when that is enough)."""


class Backend(Protocol):
    """Where plans are carried out: a local checkout, or GitHub."""

    def state(self, event: Event) -> RepoState:
        """Everything the handler reads for ``event``."""

    def upsert_sticky(self, issue: int, body: str) -> str:
        """Make the bot's one comment on ``issue`` read ``body``; say what was done."""

    def reply_once(self, issue: int, marker: str, body: str) -> str:
        """Post ``body`` unless a comment with ``marker`` exists; say what was done."""

    def set_state_label(self, issue: int, label: StateLabel) -> str:
        """Give ``issue`` exactly this state label, leaving other labels alone."""

    def close_issue(self, issue: int, reason: str) -> str:
        """Close ``issue`` if it is open."""

    def sync_bot_branch(self, branch: BotBranch) -> str:
        """Make the bot branch and pull request match ``branch``."""

    def recent_comments(self) -> list[tuple[int, Comment]]:
        """The newest comments of the repository with their issue numbers (bounded), for finding
        commands that no run answered."""


def execute(
    plan: Plan, backend: Backend, report: Callable[[str], None] = lambda _line: None
) -> list[str]:
    """Carry out every effect in order, reporting each as it is done; return the log lines.

    The first failure stops the run (the error says which call failed): everything
    before it is done, and the next run, which reconciles the whole state, does the rest.
    """
    lines = []
    for effect in plan.effects:
        lines.append(_apply(effect, backend))
        report(lines[-1])
    return lines


def _apply(effect: Effect, backend: Backend) -> str:
    if isinstance(effect, UpsertSticky):
        return backend.upsert_sticky(effect.issue, effect.body)
    if isinstance(effect, Reply):
        return backend.reply_once(effect.issue, effect.marker, effect.body)
    if isinstance(effect, SetState):
        return backend.set_state_label(effect.issue, effect.label)
    if isinstance(effect, CloseIssue):
        return backend.close_issue(effect.issue, effect.reason)
    return backend.sync_bot_branch(effect)
