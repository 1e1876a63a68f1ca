"""The link checker against real HTTPS servers on 127.0.0.1: one clear verdict per URL.

Every request is real (sockets, TLS under a throw-away CA, redirects, timeouts); only the
checker's pauses run on a virtual clock, so Retry-After and backoff are checked by the
pauses asked for, never by time measured.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils

import pytest

from bot.data import store
from bot.links import checker, targets
from bot.links.pacing import Pacer, retry_pause
from bot.links.report import Report
from bot.links.settings import Settings
from bot.links.targets import Citation, Target
from bot.links.verdicts import Verdict
from tests.helpers import project
from tests.helpers.links import Sites, VirtualTimer

FAST = Settings(timeout=5.0, concurrency=4, host_delay=0.0, retries=2, retry_after_cap=10.0)
"""Limits for tests: no host delay, so that only the pauses a test is about are recorded."""
CITED = (Citation("assessments/registries/alpha.yml", "mfa"),)


def _check(sites: Sites, *paths: str, settings: Settings = FAST) -> tuple[Report, VirtualTimer]:
    timer = VirtualTimer()
    found = [Target(sites.url(path), CITED) for path in paths]
    return checker.check(found, settings, timer=timer, verify=sites.trust), timer


@pytest.mark.parametrize(
    ("path", "verdict", "status"),
    [
        ("/ok", Verdict.OK, 200),
        ("/temporary", Verdict.OK, 200),
        ("/gone", Verdict.DEAD, 404),
        ("/gone-410", Verdict.DEAD, 410),
        ("/moved-to-dead", Verdict.DEAD, 404),
        ("/forbidden", Verdict.REFUSED, 403),
        ("/busy", Verdict.REFUSED, 429),
        ("/teapot", Verdict.REFUSED, 418),
        ("/broken", Verdict.UNREACHABLE, 503),
    ],
)
def test_each_answer_gets_one_verdict(
    sites: Sites, path: str, verdict: Verdict, status: int
) -> None:
    """2xx is ok (also after a temporary redirect), 404/410 dead, other 4xx refused, 5xx unreachable."""
    report, _ = _check(sites, path)

    outcome = report.results[0].outcome
    assert (outcome.verdict, outcome.status, outcome.new_url) == (verdict, status, None)


@pytest.mark.parametrize("path", ["/old", "/old-308", "/chain"])
def test_a_permanent_redirect_is_moved_with_the_new_url(sites: Sites, path: str) -> None:
    """301 and 308 (also followed by a temporary redirect) report where the page is now."""
    report, _ = _check(sites, path)

    outcome = report.results[0].outcome
    expected = sites.url("/ok" if path == "/chain" else "/new")
    assert (outcome.verdict, outcome.new_url, outcome.status) == (Verdict.MOVED, expected, 200)


def test_429_with_retry_after_then_200_is_ok_after_the_pause_it_asked_for(sites: Sites) -> None:
    """The checker waits the Retry-After (1 s) once, asks again and gets the page."""
    report, timer = _check(sites, "/busy-then-ok")

    outcome = report.results[0].outcome
    assert (outcome.verdict, outcome.tries) == (Verdict.OK, 2)
    assert timer.slept == [1.0]
    assert sites.requests("/busy-then-ok") == 2


def test_429_forever_is_refused_after_every_retry_with_retry_after_capped(sites: Sites) -> None:
    """Retry-After: 3600 is cut to the cap; after 1 + retries tries the URL is refused, not dead."""
    report, timer = _check(sites, "/busy")

    outcome = report.results[0].outcome
    assert (outcome.verdict, outcome.tries) == (Verdict.REFUSED, 3)
    assert outcome.detail == "HTTP 429, 3 tries"
    assert timer.slept == [FAST.retry_after_cap, FAST.retry_after_cap]
    assert sites.requests("/busy") == 3


def test_a_server_error_is_retried_with_a_doubling_backoff(sites: Sites) -> None:
    """Without Retry-After the pauses double (1 s, 2 s); a 5xx that stays is unreachable."""
    report, timer = _check(sites, "/broken")

    assert report.results[0].outcome.verdict is Verdict.UNREACHABLE
    assert timer.slept == [FAST.backoff, 2 * FAST.backoff]


def test_a_passing_server_error_is_ok_on_the_retry(sites: Sites) -> None:
    """502 once, then 200: ok after two tries."""
    report, _ = _check(sites, "/flaky")

    outcome = report.results[0].outcome
    assert (outcome.verdict, outcome.tries) == (Verdict.OK, 2)


def test_a_404_is_not_retried(sites: Sites) -> None:
    """A missing page does not come back in a second: one request."""
    report, timer = _check(sites, "/gone")

    assert (report.results[0].outcome.tries, timer.slept) == (1, [])
    assert sites.requests("/gone") == 1


def test_a_slow_answer_times_out_as_unreachable(sites: Sites) -> None:
    """A server that does not answer within the timeout is unreachable, never dead."""
    settings = Settings(timeout=0.2, host_delay=0.0, retries=1)

    report, timer = _check(sites, "/slow", settings=settings)

    outcome = report.results[0].outcome
    assert (outcome.verdict, outcome.detail) == (
        Verdict.UNREACHABLE,
        "timeout after 0.2 s, 2 tries",
    )
    assert timer.slept == [settings.backoff]


@pytest.mark.parametrize("which", ["untrusted", "wrong_host"])
def test_a_bad_certificate_is_unreachable_and_not_retried(sites: Sites, which: str) -> None:
    """A certificate from an unknown CA or for another host fails TLS: unreachable, one try."""
    url = getattr(sites, which).url_for("/ok")

    report = checker.check([Target(url, CITED)], FAST, timer=VirtualTimer(), verify=sites.trust)

    outcome = report.results[0].outcome
    assert (outcome.verdict, outcome.tries) == (Verdict.UNREACHABLE, 1)
    assert outcome.detail.startswith("TLS: ")
    assert getattr(sites, which).log == []


def test_a_refused_connection_is_unreachable(sites: Sites) -> None:
    """Nobody listening: unreachable after every retry, never dead."""
    url = f"https://127.0.0.1:{sites.refused}/page"

    report = checker.check([Target(url, CITED)], FAST, timer=VirtualTimer(), verify=sites.trust)

    outcome = report.results[0].outcome
    assert (outcome.verdict, outcome.detail) == (
        Verdict.UNREACHABLE,
        "connection refused, 3 tries",
    )


def test_a_redirect_loop_is_unreachable(sites: Sites) -> None:
    """A page that redirects to itself gives up after httpx's redirect limit, without retrying."""
    report, _ = _check(sites, "/loop")

    outcome = report.results[0].outcome
    assert (outcome.verdict, outcome.detail, outcome.tries) == (
        Verdict.UNREACHABLE,
        "too many redirects",
        1,
    )


def test_the_verifying_client_trusts_only_what_it_is_told(sites: Sites) -> None:
    """With the default trust store (the production client) the test CA is not trusted."""
    report = checker.check([Target(sites.url("/ok"), CITED)], FAST, timer=VirtualTimer())

    assert report.results[0].outcome.detail.startswith("TLS: ")


def test_results_keep_the_order_of_the_targets(sites: Sites) -> None:
    """One result per target, in the order given, whatever order the answers came in."""
    paths = ["/gone", "/ok", "/old", "/busy-then-ok", "/teapot"]

    report, _ = _check(sites, *paths)

    assert [r.target.url for r in report.results] == [sites.url(p) for p in paths]


def test_requests_to_one_host_are_spaced_by_the_host_delay(sites: Sites) -> None:
    """Three URLs on one host with a 2 s delay: the second and the third each wait 2 s."""
    settings = Settings(timeout=5.0, host_delay=2.0, retries=0)

    _, timer = _check(sites, "/ok", "/new", "/gone", settings=settings)

    assert timer.slept == [2.0, 2.0]


def _most_at_once(concurrency: int, hosts: list[str], delay: float) -> tuple[int, list[float]]:
    """Run one slot per host name through a Pacer; the most slots held at once, and the pauses."""
    timer = VirtualTimer()
    pacer = Pacer(concurrency, delay, timer)
    inside, most = 0, 0

    async def one(host: str) -> None:
        nonlocal inside, most
        async with pacer.slot(host):
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            inside -= 1

    async def every() -> None:
        await asyncio.gather(*(one(h) for h in hosts))

    asyncio.run(every())
    return most, timer.slept


def test_concurrency_bounds_the_requests_in_flight() -> None:
    """Ten hosts, concurrency 3: never more than three at once, and three at once do happen."""
    most, slept = _most_at_once(3, [f"host-{n}" for n in range(10)], delay=1.0)

    assert (most, slept) == (3, [])


def test_other_hosts_do_not_wait_for_a_busy_one() -> None:
    """The host delay spaces one host's requests only: a, a, b → one pause, for the second a."""
    _, slept = _most_at_once(8, ["a", "a", "b"], delay=5.0)

    assert slept == [5.0]


def test_each_url_is_checked_once_however_often_it_is_cited(sites: Sites) -> None:
    """One target cited in three places: one request, and the result lists all three places."""
    places = (
        Citation("assessments/registries/alpha.yml", None),
        Citation("assessments/registries/alpha.yml", "mfa"),
        Citation("assessments/registries/beta.yml", "signing"),
    )

    report = checker.check(
        [Target(sites.url("/ok"), places)], FAST, timer=VirtualTimer(), verify=sites.trust
    )

    assert sites.requests("/ok") == 1
    assert report.results[0].target.citations == places


def test_gather_lists_each_url_once_with_every_citation() -> None:
    """From the fixture data: distinct URLs, and every homepage and evidence place cited."""
    dataset = store.load_dataset(project.root())

    found = targets.gather(dataset)

    expected = [
        (r.homepage, Citation(str(store.registry_path(r.id)), None)) for r in dataset.registries
    ] + [
        (url, Citation(str(store.registry_path(r.id)), control))
        for r in dataset.registries
        for control, assessment in r.controls.items()
        for url in assessment.evidence
    ]
    assert len({t.url for t in found}) == len(found)
    assert {(t.url, c) for t in found for c in t.citations} == set(expected)


@pytest.mark.parametrize(
    ("header", "attempt", "expected"),
    [
        (None, 0, 1.0),
        (None, 2, 4.0),
        ("7", 0, 7.0),
        ("3600", 0, 30.0),
        ("soon", 1, 2.0),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0, 0.0),
    ],
)
def test_retry_pause(header: str | None, attempt: int, expected: float) -> None:
    """Retry-After in seconds or as a past date wins (capped at 30 s); otherwise 1 s doubling."""
    assert retry_pause(header, attempt, Settings()) == expected


def test_retry_pause_reads_an_http_date_and_caps_it() -> None:
    """A date an hour ahead asks for an hour; the cap cuts it."""
    ahead = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)

    pause = retry_pause(email.utils.format_datetime(ahead, usegmt=True), 0, Settings())

    assert pause == Settings().retry_after_cap
