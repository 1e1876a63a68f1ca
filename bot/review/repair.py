"""Commands no run answered: each run also answers a few of them (issue #10 item 1).

GitHub cancels workflow runs when too many wait in one concurrency group, and a command lives only
in the event payload of its own run, so a cancelled run would lose a maintainer's
``/packman approve`` for good. Every run therefore also looks through the repository's newest
comments for commands on open packman issues that have no reply from the bot yet, and answers
them as their own run would have: the next run repairs a cancelled one. Any reply is newer than
the command it answers, so a window of the newest comments holds both. A comment edited after it
was posted is left alone, as its own run leaves it (a command counts only in a new comment).
``recheck`` has no reply and only refreshes what any later event refreshes too, so it is not
repaired.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from bot import markers
from bot.review import commands
from bot.review.backend import RepoState
from bot.review.commands import Verb
from bot.review.events import Comment, Event, Issue
from bot.review.handler import form_kind

MAX_REPAIRS = 3
"""Commands answered late per run, at most: the work a flood can add to one run is bounded."""


def unanswered(
    state: RepoState, recent: Iterable[tuple[int, Comment]], handled: int | None = None
) -> list[tuple[Issue, Comment]]:
    """Command comments (oldest first, at most MAX_REPAIRS) on open packman issues that the bot
    has not answered; ``handled`` is the comment this run's own event answers."""
    recent = list(recent)
    open_issues = {i.number: i for i in state.issues if i.open and not i.is_pull_request}
    said = [
        c.body
        for c in (*(c for _, c in recent), *(c for cs in state.comments.values() for c in cs))
        if c.author == state.bot
    ]
    found: list[tuple[Issue, Comment]] = []
    for number, comment in sorted(recent, key=lambda item: item[1].id):
        issue = open_issues.get(number)
        if issue is None or comment.id == handled or comment.author == state.bot:
            continue
        if comment.edited:  # a command counts only as it was posted, never edited in later
            continue
        command = commands.parse(comment.body)
        if command is None or command.verb is Verb.RECHECK:
            continue
        if form_kind(issue, state.files) is None:
            continue
        marker = markers.reply(comment.id)
        if not any(marker in body for body in said):
            found.append((issue, comment))
    return found[:MAX_REPAIRS]


def event_for(event: Event, issue: Issue, comment: Comment) -> Event:
    """The ``issue_comment`` event the lost run would have handled, marked as a repair."""
    return replace(
        event,
        name="issue_comment",
        action="created",
        sender=comment.author,
        issue=issue,
        comment=comment,
        pull=None,
        ref=None,
        paths=(),
        repair=True,
    )
