"""One verdict per URL, from the answer the server gave (or the reason there was none).

=========== ===============================================================================
verdict     when
=========== ===============================================================================
ok          the page answered 2xx, directly or through temporary redirects (302, 303, 307)
moved       the page answered 2xx after a permanent redirect (301, 308): cite the new URL
dead        the page answered 404 or 410 (after any redirects)
refused     the server would not serve us: 401, 403, 429 or another 4xx, after every retry
unreachable no usable answer: DNS, TLS, timeout, connection refused, 5xx after every retry
=========== ===============================================================================

Only an HTTP answer can make a URL dead: without a network every URL is unreachable. A 403
or a 429 is often a bot filter or a rate limit rather than a missing page, so it is
``refused``, never ``dead``. This module is pure; ``bot.links.checker`` fetches.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Verdict(StrEnum):
    """What the check found for one URL. The values are the words reports show."""

    OK = "ok"
    MOVED = "moved"
    DEAD = "dead"
    REFUSED = "refused"
    UNREACHABLE = "unreachable"


PERMANENT_REDIRECTS = frozenset({301, 308})
"""Redirects that say the page lives at the new URL from now on."""
GONE = frozenset({404, 410})
"""Statuses that say the page does not exist (any more)."""
RETRIED = frozenset({403, 408, 429, 500, 502, 503, 504})
"""Statuses worth asking again after a pause: rate limits, bot filters, overloads."""


@dataclass(frozen=True)
class Answer:
    """What the server said to one GET, after following its redirects."""

    status: int
    """The final HTTP status."""
    url: str
    """The final URL (the cited one when there was no redirect)."""
    redirects: tuple[int, ...] = ()
    """The status of each redirect followed, in order."""
    retry_after: str | None = None
    """The final answer's ``Retry-After`` header, if any."""


@dataclass(frozen=True)
class Outcome:
    """The verdict on one URL and what led to it."""

    verdict: Verdict
    """The verdict."""
    detail: str
    """What happened, for a person: ``HTTP 404``, ``timeout after 15 s``, ``connection refused``."""
    status: int | None = None
    """The final HTTP status, when there was an answer."""
    new_url: str | None = None
    """Where a moved page is now."""
    tries: int = 1
    """How many times the URL was requested."""


def judge(answer: Answer, cited: str) -> Outcome:
    """The verdict on an HTTP answer to ``cited``."""
    status = answer.status
    chain = "".join(f"HTTP {code} → " for code in answer.redirects)
    detail = f"{chain}HTTP {status}"
    moved = bool(PERMANENT_REDIRECTS.intersection(answer.redirects)) and answer.url != cited
    if 200 <= status < 300:
        if moved:
            return Outcome(Verdict.MOVED, detail, status, new_url=answer.url)
        return Outcome(Verdict.OK, detail, status)
    if status in GONE:
        return Outcome(Verdict.DEAD, detail, status)
    if 400 <= status < 500:
        return Outcome(Verdict.REFUSED, detail, status)
    return Outcome(Verdict.UNREACHABLE, detail, status)


def worth_retrying(answer: Answer) -> bool:
    """True when asking again later may give another answer."""
    return answer.status in RETRIED
