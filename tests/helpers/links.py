"""Real HTTPS servers on 127.0.0.1 for the link checker, under a throw-away certificate authority.

The checker is tested exactly as it runs in production: real sockets, real TLS verified
against a CA, real redirects and real timeouts. trustme makes the CA for one test session;
the client trusts it through an SSL context (``Sites.trust``) or, for the command line,
through ``SSL_CERT_FILE`` (``Sites.ca_file``), which httpx reads like any other trust
store. Nothing here reaches beyond the loopback interface.

- ``server``: a certificate of the trusted CA for 127.0.0.1; the routes of :func:`routes`.
- ``untrusted``: a certificate from a CA the client does not trust.
- ``wrong_host``: a certificate of the trusted CA, but for another host name.
- ``refused``: a port with a bound socket that does not listen (connections are refused).

Pauses of the checker run on a :class:`VirtualTimer`: the sleeps it asks for are recorded
and none is slept, so no test waits for a Retry-After and none asserts a time.
"""

from __future__ import annotations

import asyncio
import itertools
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import trustme
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

RELEASE_AFTER = 30.0
"""Seconds the slow route waits at most for its test to release it (a bound, never a measure)."""


class VirtualTimer:
    """A clock that moves only when the checker sleeps; every sleep is recorded, none slept."""

    def __init__(self) -> None:
        self.time = 0.0
        self.slept: list[float] = []

    def now(self) -> float:
        return self.time

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.time += seconds
        await asyncio.sleep(0)  # let the other requests run, as a real pause would


@dataclass
class Sites:
    """The servers of one test session."""

    server: HTTPServer
    untrusted: HTTPServer
    wrong_host: HTTPServer
    refused: int
    """A port on 127.0.0.1 that refuses connections."""
    trust: ssl.SSLContext
    """A client context that trusts the session's CA (and nothing else)."""
    ca_file: Path
    """The CA certificate as PEM, for ``SSL_CERT_FILE``."""
    release: threading.Event
    """Set to let the slow route answer (at the end of each test)."""

    def url(self, path: str) -> str:
        """An https URL of the trusted server."""
        return self.server.url_for(path)

    def requests(self, path: str) -> int:
        """How many requests the trusted server received for ``path`` in this test."""
        return sum(1 for request, _ in self.server.log if request.path == path)


def _server(context: ssl.SSLContext) -> HTTPServer:
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context, threaded=True)
    server.start()
    return server


def _serving(cert: trustme.LeafCert) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    return context


@contextmanager
def sites(folder: Path) -> Iterator[Sites]:
    """Start every server; stop them all at the end."""
    ca, stranger = trustme.CA(), trustme.CA()
    trust = ssl.create_default_context()
    ca.configure_trust(trust)
    ca_file = folder / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    servers = [
        _server(_serving(ca.issue_cert("127.0.0.1"))),
        _server(_serving(stranger.issue_cert("127.0.0.1"))),
        _server(_serving(ca.issue_cert("elsewhere.example"))),
    ]
    closed = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    closed.bind(("127.0.0.1", 0))  # bound, never listening: the kernel refuses connections
    release = threading.Event()
    try:
        yield Sites(*servers, closed.getsockname()[1], trust, ca_file, release)
    finally:
        release.set()
        closed.close()
        for server in servers:
            server.clear()
            server.stop()


def _status(code: int, **headers: str) -> Response:
    return Response(f"status {code}", status=code, headers=headers)


def _sequence(*answers: Response) -> Callable[[Request], Response]:
    """Answers in turn; the last one for every request after."""
    turns = itertools.chain(answers, itertools.repeat(answers[-1]))
    return lambda _request: next(turns)


def routes(site: Sites) -> None:
    """The trusted server's routes, fresh for each test (stateful ones start over)."""
    server = site.server
    server.clear()
    plain = {
        "/ok": _status(200),
        "/new": _status(200),
        "/old": _status(301, Location="/new"),
        "/old-308": _status(308, Location="/new"),
        "/temporary": _status(302, Location="/ok"),
        "/chain": _status(301, Location="/temporary"),
        "/moved-to-dead": _status(301, Location="/gone"),
        "/gone": _status(404),
        "/gone-410": _status(410),
        "/forbidden": _status(403),
        "/busy": _status(429, **{"Retry-After": "3600"}),
        "/broken": _status(503),
        "/teapot": _status(418),
        "/loop": _status(302, Location="/loop"),
    }
    for path, response in plain.items():
        server.expect_request(path).respond_with_response(response)
    server.expect_request("/busy-then-ok").respond_with_handler(
        _sequence(_status(429, **{"Retry-After": "1"}), _status(200))
    )
    server.expect_request("/flaky").respond_with_handler(_sequence(_status(502), _status(200)))
    server.expect_request("/slow").respond_with_handler(lambda _r: _slow(site.release))
    for other in (site.untrusted, site.wrong_host):
        other.clear()
        other.expect_request("/ok").respond_with_response(_status(200))


def _slow(release: threading.Event) -> Response:
    """Answers only when the test is over: any timeout of the checker runs out first."""
    release.wait(RELEASE_AFTER)
    return _status(200)
