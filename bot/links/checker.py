"""The link check itself: a real HTTP client, bounded, paced and patient.

Each distinct URL is fetched with ``GET`` (some servers answer ``HEAD`` wrongly), redirects
followed, and only the headers read. At most ``concurrency`` requests are in flight;
requests to one host start ``host_delay`` apart; each request has ``timeout`` seconds in
all. A retryable answer (403, 408, 429, 500, 502-504) or a network error is asked again up to
``retries`` times, after ``Retry-After`` (capped) or a doubling backoff. A TLS failure is
not retried: a certificate does not fix itself in a second.

Trust: the system's certificate authorities as httpx finds them (certifi, or the file in
``SSL_CERT_FILE``); proxies from the usual environment variables.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

import httpx

from bot.links.pacing import MonotonicTimer, Pacer, Timer, retry_pause
from bot.links.report import Report, Result
from bot.links.settings import DEFAULTS, Settings
from bot.links.targets import Target
from bot.links.verdicts import Answer, Outcome, Verdict, judge, worth_retrying

ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
"""What a browser asks for: some servers refuse requests that accept nothing in particular."""


def check(
    targets: Sequence[Target],
    settings: Settings = DEFAULTS,
    *,
    timer: Timer | None = None,
    verify: ssl.SSLContext | bool = True,
) -> Report:
    """Check every target; one result each, in the order given."""
    return asyncio.run(_check_all(targets, settings, timer or MonotonicTimer(), verify))


async def _check_all(
    targets: Sequence[Target], settings: Settings, timer: Timer, verify: ssl.SSLContext | bool
) -> Report:
    headers = {"User-Agent": settings.user_agent, "Accept": ACCEPT}
    async with httpx.AsyncClient(
        headers=headers, timeout=settings.timeout, follow_redirects=True, verify=verify
    ) as client:
        probe = Probe(client, settings, timer)
        outcomes = await asyncio.gather(*(probe.outcome(t) for t in targets))
    return Report(tuple(map(Result, targets, outcomes)), settings)


class Probe:
    """Asks about one URL at a time, within the shared limits of one check."""

    def __init__(self, client: httpx.AsyncClient, settings: Settings, timer: Timer) -> None:
        self.client = client
        self.settings = settings
        self.timer = timer
        self.pacer = Pacer(settings.concurrency, settings.host_delay, timer)

    async def outcome(self, target: Target) -> Outcome:
        """The verdict on ``target.url``, after every retry it is worth."""
        attempt = 0
        while True:
            async with self.pacer.slot(target.host):
                answer = await self._ask(target.url)
            outcome, again, retry_after = _read(answer, target.url)
            if not again or attempt == self.settings.retries:
                return _counted(outcome, attempt + 1)
            await self.timer.sleep(retry_pause(retry_after, attempt, self.settings))
            attempt += 1

    async def _ask(self, url: str) -> Answer | Failure:
        """One GET (redirects followed, body never read), or why there was no answer."""
        try:
            async with (
                asyncio.timeout(self.settings.timeout),
                self.client.stream("GET", url) as response,
            ):
                return Answer(
                    status=response.status_code,
                    url=str(response.url),
                    redirects=tuple(r.status_code for r in response.history),
                    retry_after=response.headers.get("retry-after"),
                )
        except (httpx.HTTPError, httpx.InvalidURL, TimeoutError, OSError) as exc:
            return failure(exc, self.settings.timeout)


def _read(answer: Answer | Failure, cited: str) -> tuple[Outcome, bool, str | None]:
    """The outcome of one try, whether another try could change it, and the Retry-After."""
    if isinstance(answer, Failure):
        return answer.outcome, answer.retryable, None
    return judge(answer, cited), worth_retrying(answer), answer.retry_after


def _counted(outcome: Outcome, tries: int) -> Outcome:
    """``outcome`` with its number of tries, also said in the detail when there were several."""
    detail = f"{outcome.detail}, {tries} tries" if tries > 1 else outcome.detail
    return replace(outcome, detail=detail, tries=tries)


@dataclass(frozen=True)
class Failure:
    """No HTTP answer: why, and whether asking again could help."""

    outcome: Outcome
    """The unreachable verdict and its reason."""
    retryable: bool
    """False for what a retry cannot fix (a bad certificate, a redirect loop)."""


def _failed(detail: str, *, retryable: bool) -> Failure:
    return Failure(Outcome(Verdict.UNREACHABLE, detail), retryable)


def failure(exc: BaseException, timeout: float) -> Failure:
    """What a transport error means: DNS, TLS, timeout, connection refused, or another."""
    chain = list(_causes(exc))
    tls = next((e for e in chain if isinstance(e, ssl.SSLError)), None)
    if isinstance(exc, TimeoutError | httpx.TimeoutException):
        return _failed(f"timeout after {timeout:g} s", retryable=True)
    if tls is not None:
        reason = getattr(tls, "verify_message", None) or tls.reason or str(tls)
        return _failed(f"TLS: {reason}", retryable=False)
    if _any(chain, socket.gaierror):
        return _failed("DNS: the host name did not resolve", retryable=True)
    if _any(chain, ConnectionRefusedError):
        return _failed("connection refused", retryable=True)
    if isinstance(exc, httpx.TooManyRedirects):
        return _failed("too many redirects", retryable=False)
    return _failed(f"{type(exc).__name__}: {exc}", retryable=True)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and every exception behind it (``__cause__``, else ``__context__``)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _any(chain: Iterable[BaseException], kind: type[BaseException]) -> bool:
    return any(isinstance(e, kind) for e in chain)
