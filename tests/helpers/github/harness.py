"""Running `packman handle --github` (``bot.cli.main``) against a cassette, with faults injected.

Used by tests/test_github_faults.py and tests/test_races.py. What each run sent is taken from
vcrpy itself (every interaction it played, in order, including the requests urllib3 repeats
when PyGithub's ``GithubRetry`` retries), so retried requests are counted too.

Faults a cassette cannot hold (a timeout: no answer at all) are injected one level above
urllib3, in requests' ``HTTPAdapter.send``: ``landed`` lets the request reach the cassette
(GitHub stored it) and then raises ``ReadTimeout`` instead of returning the answer; ``lost``
raises ``ReadTimeout`` without sending anything.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from requests.adapters import HTTPAdapter

from bot import cli
from bot.backends import github
from tests.helpers.github import story
from tests.helpers.github.replay import VCR

TOKEN = "dummy-token-for-tests"


@dataclass(frozen=True)
class Exchange:
    """One request vcrpy answered from the cassette."""

    method: str
    path: str
    """Path and query, relative to the API root."""
    status: int
    body: Any
    """The JSON body sent, or None."""


def _json(body: bytes | str | None) -> Any:
    return json.loads(body) if body else None


@contextmanager
def cassette(name: str, restore: tuple[tuple[str, str], ...] = ()) -> Iterator[list[Exchange]]:
    """Play cassette ``name``; yield the list of exchanges as they happen; check every one was played, in order."""
    played: list[Exchange] = []
    with VCR.use_cassette(f"{name}.yaml", filter_sensitive_data=restore) as tape:
        original = tape.play_response

        def play(request: Any) -> Any:
            response = original(request)
            played.append(
                Exchange(
                    request.method,
                    request.uri.removeprefix(story.API),
                    int(response["status"]["code"]),
                    _json(request.body),
                )
            )
            return response

        tape.play_response = play
        yield played
    recorded = [(r.method, r.uri.removeprefix(story.API)) for r in tape.requests]
    assert [(e.method, e.path) for e in played] == recorded, (
        f"{name}: requests differ from the cassette"
    )


def bodies(played: list[Exchange], method: str, path: str) -> list[Any]:
    """The JSON bodies sent with ``method`` to ``path`` (relative to the repository)."""
    full = f"/repos/{story.REPOSITORY}{path}"
    return [e.body for e in played if e.method == method and urlsplit(e.path).path == full]


def as_json_text(text: str) -> str:
    """``text`` as it appears inside a JSON string in a cassette (for vcrpy's filter_sensitive_data)."""
    return json.dumps(text, ensure_ascii=False)[1:-1]


@dataclass
class Timeouts:
    """Requests that get no answer: (method, path relative to the repository) → "landed" or "lost", once each."""

    planned: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    injected: list[tuple[str, str, str]] = field(default_factory=list)

    def send(
        self,
        original: Callable[..., requests.Response],
        adapter: HTTPAdapter,
        request: requests.PreparedRequest,
        **options: Any,
    ) -> requests.Response:
        path = urlsplit(request.url or "").path.removeprefix(f"/repos/{story.REPOSITORY}")
        kinds = self.planned.get((request.method or "", path), [])
        kind = kinds.pop(0) if kinds else ""
        if kind == "lost":
            self.injected.append((request.method or "", path, kind))
            raise requests.exceptions.ReadTimeout(
                "injected: no answer, and the request never reached GitHub"
            )
        response = original(adapter, request, **options)
        if kind == "landed":
            self.injected.append((request.method or "", path, kind))
            raise requests.exceptions.ReadTimeout(
                "injected: GitHub stored it, but the answer never came"
            )
        return response


@dataclass(frozen=True)
class Outcome:
    """What one `packman handle --github` run did."""

    code: int
    out: str
    err: str
    played: list[Exchange]
    slept: list[float]
    """Every time.sleep the run asked for (recorded, not slept)."""
    injected: list[tuple[str, str, str]]

    def done(self) -> list[str]:
        """The `done: ...` lines: every effect carried out."""
        return [
            line.removeprefix("done: ")
            for line in self.out.splitlines()
            if line.startswith("done: ")
        ]

    def errors(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.startswith("error: ")]

    def writes(self) -> list[tuple[str, str]]:
        """Every request that is not a GET: (method, path)."""
        return [(e.method, urlsplit(e.path).path) for e in self.played if e.method != "GET"]


class Cli:
    """`packman handle --github` in a checkout, with GITHUB_TOKEN set to a dummy and GitHub replayed."""

    def __init__(
        self,
        root: Path,
        tmp: Path,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        self.root, self.tmp, self.monkeypatch, self.capsys, self.runs = (
            root,
            tmp,
            monkeypatch,
            capsys,
            0,
        )
        monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
        for name in (
            "GITHUB_STEP_SUMMARY",
            "GITHUB_API_URL",
            "PACKMAN_BOT_LOGIN",
            "PACKMAN_TOKEN",
            "PACKMAN_DEADLINE",
            "PACKMAN_TIME_BUDGET",
            "GITHUB_EVENT_NAME",
            "GITHUB_REPOSITORY",
        ):
            monkeypatch.delenv(name, raising=False)

    def __call__(
        self,
        name: str,
        event_name: str,
        payload: dict[str, Any],
        *,
        retry: bool = False,
        restore: tuple[tuple[str, str], ...] = (),
        timeouts: Timeouts | None = None,
    ) -> Outcome:
        """Run one event against cassette ``name``; ``retry``: the client as bot.backends.github.client builds it."""
        self.runs += 1
        event = self.tmp / f"event-{self.runs}.json"
        event.write_text(json.dumps(payload), encoding="utf-8")
        slept: list[float] = []
        faults = timeouts or Timeouts()
        with self.monkeypatch.context() as patch:
            patch.setattr(github, "client", functools.partial(github.client, retry=retry))
            patch.setattr(time, "sleep", slept.append)
            original = HTTPAdapter.send

            def send(
                adapter: HTTPAdapter, request: requests.PreparedRequest, **options: Any
            ) -> requests.Response:
                return faults.send(original, adapter, request, **options)

            patch.setattr(HTTPAdapter, "send", send)
            self.capsys.readouterr()
            with cassette(name, restore) as played:
                code = cli.main(
                    [
                        "--root",
                        str(self.root),
                        "handle",
                        "--event",
                        str(event),
                        "--event-name",
                        event_name,
                        "--github",
                    ]
                )
            out, err = self.capsys.readouterr()
        return Outcome(code, out, err, played, slept, faults.injected)
