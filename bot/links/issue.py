"""The one "Evidence links" issue: what it should say and which call makes GitHub match.

Pure: from a link report and the issue as found (or None), :func:`upkeep` says what to
do. The issue is wanted open while a cited URL is dead or moved (a fix for the data);
URLs that were refused or unreachable are listed too, folded away, but on their own they
do not keep it open, since a bot filter or an outage says nothing about the page. It is
found again by :data:`bot.markers.LINKS` in a body the bot wrote, so it is edited in
place, reopened when a link breaks again, closed when all is well, and never duplicated.
``bot.backends.links_issue`` makes the calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot import escape, limits, markers
from bot.links.report import Report, Result, summary
from bot.links.verdicts import Verdict

TITLE = "Evidence links"
"""The title of the issue (restored if someone renames it)."""
MAX_ROWS = 100
"""Rows per table at most: an issue body holds 65,536 characters."""
FINDINGS = (Verdict.DEAD, Verdict.MOVED)
"""Verdicts that keep the issue open: the data should change."""
UNCHECKED = (Verdict.REFUSED, Verdict.UNREACHABLE)
"""Verdicts listed but folded away: the page may well be fine."""


class Action(StrEnum):
    """What the issue needs. The values are the words the command prints."""

    CREATE = "created"
    EDIT = "edited"
    REOPEN = "reopened"
    CLOSE = "closed"
    NONE = "unchanged"


@dataclass(frozen=True)
class Found:
    """The issue as GitHub has it."""

    number: int
    """Its number."""
    open: bool
    """True while it is open."""
    title: str
    """Its title."""
    body: str
    """Its body."""


@dataclass(frozen=True)
class Upkeep:
    """What to do with the issue, and what it should then hold."""

    action: Action
    """The call to make (none for ``NONE``)."""
    title: str
    """The title it should have."""
    body: str
    """The body it should have."""
    open: bool
    """True when it should be open."""


def upkeep(report: Report, found: Found | None) -> Upkeep:
    """What the issue needs after ``report``; ``found`` is the issue as it is, if it exists."""
    if any(r.outcome.verdict in FINDINGS for r in report.results):
        body = findings_body(report)
        if found is None:
            return Upkeep(Action.CREATE, TITLE, body, open=True)
        if not found.open:
            return Upkeep(Action.REOPEN, TITLE, body, open=True)
        same = found.body == body and found.title == TITLE
        return Upkeep(Action.NONE if same else Action.EDIT, TITLE, body, open=True)
    if found is None or not found.open:
        return Upkeep(Action.NONE, TITLE, found.body if found else "", open=False)
    return Upkeep(Action.CLOSE, TITLE, all_clear_body(report), open=False)


def findings_body(report: Report) -> str:
    """The body while something is dead or moved."""
    counts = report.counts()
    said = ", ".join(f"**{counts[v]} {v.value}**" for v in FINDINGS if counts[v])
    parts = [
        markers.LINKS,
        f"The weekly link check (`packman links`) found evidence that needs a look: {said}. "
        "Fix each one with the **Report control evidence** form: a new source for a dead "
        "link, the new address for a moved one. The link-check workflow keeps this issue: "
        "it edits it in place and closes it when every link answers.",
        *_table("Dead (404 or 410)", report, Verdict.DEAD),
        *_table("Moved", report, Verdict.MOVED),
        *_unchecked(report),
        f"{_sentence(summary(report))}",
    ]
    return limits.fit("\n\n".join(parts) + "\n")


def all_clear_body(report: Report) -> str:
    """The body the issue is closed with."""
    return (
        f"{markers.LINKS}\n\nEvery cited link answered at the last check: nothing is dead or "
        "moved. The link-check workflow reopens this issue when a link breaks again.\n\n"
        f"{summary(report).capitalize()}.\n"
    )


def _table(heading: str, report: Report, verdict: Verdict) -> list[str]:
    chosen = [r for r in report.results if r.outcome.verdict is verdict]
    if not chosen:
        return []
    second = "now at" if verdict is Verdict.MOVED else "answer"
    rows = [_row("URL", second, "cited in"), _row("---", "---", "---")]
    rows += [_row(_link(r.target.url), _second(r), _cited(r)) for r in chosen[:MAX_ROWS]]
    return [f"### {heading}", "\n".join(rows), *_more(chosen)]


def _unchecked(report: Report) -> list[str]:
    chosen = [r for r in report.results if r.outcome.verdict in UNCHECKED]
    if not chosen:
        return []
    counts = report.counts()
    said = ", ".join(f"{counts[v]} {v.value}" for v in UNCHECKED if counts[v])
    rows = [_row("URL", "verdict", "answer", "cited in"), _row("---", "---", "---", "---")]
    rows += [
        _row(_link(r.target.url), r.outcome.verdict, escape.inline(r.outcome.detail), _cited(r))
        for r in chosen[:MAX_ROWS]
    ]
    return [
        f"<details>\n<summary>Could not be checked: {said}</summary>",
        "Often a bot filter, a rate limit or an outage rather than a broken page: look at "
        "those that stay here week after week.",
        "\n".join(rows),
        *_more(chosen),
        "</details>",
    ]


def _row(*cells: str) -> str:
    return f"| {' | '.join(cells)} |"


def _more(chosen: list[Result]) -> list[str]:
    left = len(chosen) - MAX_ROWS
    return [f"… and {left} more: run `packman links` for the whole list."] if left > 0 else []


def _second(result: Result) -> str:
    outcome = result.outcome
    if outcome.verdict is Verdict.MOVED and outcome.new_url:
        return _link(outcome.new_url)
    return escape.inline(outcome.detail)


def _link(url: str) -> str:
    """A Markdown link to an https URL; any other URL as inert text."""
    if not url.startswith("https://"):
        return escape.inline(url)
    return f"[{escape.link_text(url)}]({escape.url(url)})"


def _cited(result: Result) -> str:
    """``assessments/registries/npm.yml``: mfa-to-push, homepage; one file after another."""
    places: dict[str, list[str]] = {}
    for citation in result.target.citations:
        places.setdefault(citation.file, []).append(citation.where)
    return "; ".join(
        f"`{file}`: {', '.join(escape.inline(w) for w in wheres)}"
        for file, wheres in places.items()
    )


def _sentence(text: str) -> str:
    return f"{text[:1].upper()}{text[1:]}."
