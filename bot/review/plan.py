"""A plan: every effect the bot wants, as plain data, for a backend to carry out.

Effects are idempotent descriptions of the desired state ("this issue's sticky
comment reads X", "the bot branch holds these commits on top of main"), not
instructions; a backend makes the repository match them, and running the same
plan twice changes nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from bot.review.labels import StateLabel

BOT_BRANCH = "packman/pending"


@dataclass(frozen=True)
class UpsertSticky:
    """The issue's one bot comment must read ``body`` (created if missing)."""

    issue: int
    """The issue number."""
    body: str
    """The full comment body, marker included."""


@dataclass(frozen=True)
class Reply:
    """A reply to one command comment, posted at most once (found by its marker)."""

    issue: int
    """The issue number."""
    marker: str
    """Hidden marker that identifies this reply."""
    body: str
    """The reply, marker included."""


@dataclass(frozen=True)
class SetState:
    """The issue's state label must be ``label``; other state labels go, other labels stay."""

    issue: int
    """The issue number."""
    label: StateLabel
    """The one state label the issue should carry."""


@dataclass(frozen=True)
class CloseIssue:
    """Close the issue (if open) with a reason."""

    issue: int
    """The issue number."""
    reason: str
    """``completed`` or ``not_planned``."""


@dataclass(frozen=True)
class Commit:
    """One commit of the bot branch: files to write on top of the previous commit."""

    message: str
    """The commit message."""
    files: dict[PurePosixPath, str]
    """Path → new content."""


@dataclass(frozen=True)
class BotBranch:
    """The bot branch must be ``base`` plus ``commits``, and the bot PR must say ``title``/``body``.

    No commits means nothing is approved: the PR is closed and the branch left alone.
    """

    base: str
    """The main branch (its head is the base of the first commit)."""
    commits: tuple[Commit, ...]
    """Commits in order."""
    title: str
    """The pull request title."""
    body: str
    """The pull request body (it carries the fingerprint)."""
    fingerprint: str
    """Hash of base and commits: equal fingerprints mean nothing needs writing."""
    refused: tuple[tuple[int, str], ...] = ()
    """Approved issues left out, with the reason (a proposal whose id another one takes)."""
    on: str = ""
    """The commit ``commits`` go on top of: "" for the head of ``base``, else the bot branch's
    current head, whose ``kept`` commits already hold the earlier approvals."""
    kept: int = 0
    """How many commits of the bot branch (from ``base`` to ``on``) are kept."""

    @property
    def empty(self) -> bool:
        """True when nothing is approved: no commit kept and none to write."""
        return not self.commits and not self.kept


Effect = UpsertSticky | Reply | SetState | CloseIssue | BotBranch


@dataclass(frozen=True)
class Plan:
    """What one event asks for."""

    effects: tuple[Effect, ...] = ()
    """Effects, in the order they should be carried out."""
    notes: tuple[str, ...] = field(default=())
    """Lines for the log: what was decided and why."""

    def describe(self) -> str:
        """A readable summary, for ``--dry-run`` and the job log."""
        lines = [f"note: {n}" for n in self.notes]
        for effect in self.effects:
            lines.append(_describe(effect))
        return "\n".join(lines) if lines else "nothing to do"


def _describe(effect: Effect) -> str:
    if isinstance(effect, BotBranch):
        if effect.empty:
            return f"bot branch {BOT_BRANCH}: nothing approved; close the pull request"
        heads = "; ".join(
            f"{c.message.splitlines()[0]} ({len(c.files)} files)" for c in effect.commits
        )
        kept = f"{effect.kept} kept commit(s) + " if effect.kept else ""
        count = len(effect.commits)
        return f"bot branch {BOT_BRANCH} = {effect.base} + {kept}{count} commit(s): {heads}"
    if isinstance(effect, UpsertSticky):
        return f"issue #{effect.issue}: sticky comment ({len(effect.body)} characters)"
    if isinstance(effect, Reply):
        return f"issue #{effect.issue}: reply {effect.marker}"
    if isinstance(effect, SetState):
        return f"issue #{effect.issue}: state label '{effect.label.value}'"
    return f"issue #{effect.issue}: close ({effect.reason})"
