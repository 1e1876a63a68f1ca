"""The hidden ``<!-- packman:… -->`` markers, every kind in one place.

GitHub renders an HTML comment as nothing, so the bot uses them to find its own text again
(a sticky comment, a reply to one command) and to remember facts in what it writes (the
approval record, which issues a pull request closes, which commit it describes). Each kind
has one writer and, where the bot reads it back, one reader here. A marker proves nothing
by itself: anybody can type one, so readers only trust markers in text the bot's own login
wrote (see ``bot.review.sticky``).

========== =============================================== ===================================
kind       where                                           what it says
========== =============================================== ===================================
sticky     the bot's one comment on an issue                "this is the sticky comment"
record     the sticky comment                               the approval record (JSON)
reply      the bot's reply to one command comment           which comment it answers
applied    the bot's thank-you after a merge                which pull request applied it
issues     the bot pull request's body                      the issues it closes (JSON list)
fingerprint the bot pull request's body                     the hash of what it was built from
head       the bot pull request's body                      the commit the bot moved it to
built      the bot pull request's body                      which approvals its commits hold
approvals  the bot pull request's body                      the approval record of each issue
links      the "Evidence links" issue's body                "this is the one link-check issue"
begin, end the README                                       a generated region's bounds
========== =============================================== ===================================
"""

from __future__ import annotations

import json
import re

PREFIX = "<!-- packman:"
"""How every marker starts."""
STICKY = "<!-- packman:sticky -->"
"""Marks the bot's one comment per issue."""
LINKS = "<!-- packman:links -->"
"""Marks the one "Evidence links" issue the weekly link check keeps (``bot.links.issue``)."""

_RECORD = re.compile(r"<!-- packman:record (\{.*?\}) -->")
_ISSUES = re.compile(r"<!-- packman:issues (\[[0-9, ]*\]) -->")


def _json_marker(kind: str, data: object) -> str:
    """A marker holding JSON, with ``--`` escaped so that the comment cannot end early."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":")).replace("--", "\\u002d\\u002d")
    return f"<!-- packman:{kind} {text} -->"


def record(data: object) -> str:
    """The hidden record of a sticky comment (JSON with ``--`` escaped, so it cannot end early)."""
    return _json_marker("record", data)


def read_record(text: str) -> str | None:
    """The JSON text of the first record marker in ``text``, if any."""
    match = _RECORD.search(text)
    return match.group(1) if match else None


def reply(comment_id: int) -> str:
    """Marks the bot's reply to one command comment, so a re-run never replies twice."""
    return f"<!-- packman:reply {comment_id} -->"


def applied(pull_number: int) -> str:
    """Marks the bot's thank-you on an issue applied by a merged pull request."""
    return f"<!-- packman:applied {pull_number} -->"


def issues(numbers: list[int]) -> str:
    """The issues a bot pull request closes."""
    return f"<!-- packman:issues {json.dumps(numbers)} -->"


def read_issues(text: str) -> list[int]:
    """The issue numbers of the first issues marker in ``text`` ([] when there is none)."""
    match = _ISSUES.search(text)
    return [int(n) for n in re.findall(r"\d+", match.group(1))] if match else []


def fingerprint(value: str) -> str:
    """The fingerprint of what a bot pull request was built from."""
    return f"<!-- packman:fingerprint {value} -->"


def head(sha: str) -> str:
    """The commit a backend moved the bot branch to."""
    return f"<!-- packman:head {sha} -->"


_BUILT = re.compile(r"<!-- packman:built (\{.*?\}) -->")


def built(data: object) -> str:
    """What the bot branch's commits hold (JSON: base, refresh, one hash per approval)."""
    return _json_marker("built", data)


def read_built(text: str) -> str | None:
    """The JSON text of the first built marker in ``text``, if any."""
    match = _BUILT.search(text)
    return match.group(1) if match else None


_APPROVALS = re.compile(r"<!-- packman:approvals (\{.*?\}) -->")


def approvals(data: object) -> str:
    """The approval records of the issues a bot pull request holds (JSON by issue number), so a
    run need not read every approved issue's comments again."""
    return _json_marker("approvals", data)


def read_approvals(text: str) -> str | None:
    """The JSON text of the first approvals marker in ``text``, if any."""
    match = _APPROVALS.search(text)
    return match.group(1) if match else None


def begin(name: str) -> str:
    """Where a generated region of the README begins."""
    return f"<!-- packman:begin {name} -->"


def end(name: str) -> str:
    """Where a generated region of the README ends."""
    return f"<!-- packman:end {name} -->"
