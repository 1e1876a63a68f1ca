"""Which issues' comments a backend reads for one event, so that the reads stay flat however
many issues are open and approved (issue #10, items 3 and 12).

The sticky record on each issue is the authority; labels and the bot pull request only mirror
it. The GitHub backend reads the comments of

- the event's issue (always: its own record decides what the event does);
- every open packman issue whose mirrors disagree: labelled approved but not held by the bot
  pull request (an approval whose rebuild did not run yet), or held or listed by the pull
  request but no longer labelled approved (a triager removed the label, or a reject or an edit
  whose rebuild did not run yet).

An issue that is labelled approved and whose approval the pull request's approvals marker
holds is not read again: the marker is the record as the last rebuild read it, written by the
bot into a body only writers can edit, and ``_approved`` still checks it against the issue's
current body. Every other issue has no approval to lose; its claims for the conflict warnings
come from its body (bounded per event, see ``handler.MAX_FRESH_CLAIMS``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bot import markers
from bot.data.snapshot import Files
from bot.review import sticky
from bot.review.events import Issue
from bot.review.handler import form_kind
from bot.review.labels import StateLabel


@dataclass(frozen=True)
class Reads:
    """What one event reads: the issues whose comments to fetch, and the approvals taken from
    the bot pull request for the others."""

    comments: frozenset[int]
    held: Mapping[int, sticky.ApprovalRecord] = field(default_factory=dict)


def plan(
    issues: Iterable[Issue], files: Files, *, event_issue: int | None, pull_body: str | None
) -> Reads:
    """The reads of one event; ``pull_body``: the open bot pull request's body (None: none open,
    or not one the bot wrote)."""
    body = pull_body or ""
    held_all = sticky.held(body)
    listed = set(markers.read_issues(body)) | set(held_all)
    wanted: set[int] = set() if event_issue is None else {event_issue}
    held: dict[int, sticky.ApprovalRecord] = {}
    for issue in issues:
        if issue.number in wanted or form_kind(issue, files) is None:
            continue
        labelled = StateLabel.APPROVED.value in issue.labels
        if labelled and issue.number in held_all:
            held[issue.number] = held_all[issue.number]
        elif labelled or issue.number in listed:
            wanted.add(issue.number)
    return Reads(frozenset(wanted), held)
