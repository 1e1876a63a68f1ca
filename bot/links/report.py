"""The result of one link check: one verdict per URL, printed for people or as JSON for tools.

The JSON shape (``FORMAT`` 1; README, "Evidence links")::

    {
      "format": 1,
      "settings": {"timeout": 15.0, "concurrency": 8, "host_delay": 1.0, "retries": 2},
      "counts": {"ok": 140, "moved": 2, "dead": 1, "refused": 3, "unreachable": 0},
      "links": [
        {"url": "https://…", "verdict": "moved", "detail": "HTTP 301 → HTTP 200",
         "status": 200, "new_url": "https://…", "tries": 1,
         "cited": [{"file": "assessments/registries/npm.yml", "control": "mfa-to-push"},
                   {"file": "assessments/registries/npm.yml", "control": null}]}
      ]
    }

``links`` holds every URL checked, in data order; ``control`` is null for a homepage;
``status`` is null and ``new_url`` null when there was no answer or the page did not move.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from bot.errors import PackmanError
from bot.links.settings import DEFAULTS, Settings
from bot.links.targets import Citation, Target
from bot.links.verdicts import Outcome, Verdict

FORMAT = 1
"""Version of the JSON shape; raised when a field changes meaning or goes away."""


@dataclass(frozen=True)
class Result:
    """One URL, the places that cite it, and its verdict."""

    target: Target
    """The URL and its citations."""
    outcome: Outcome
    """What the check found."""


@dataclass(frozen=True)
class Report:
    """Every URL checked, in data order."""

    results: tuple[Result, ...]
    """One per distinct URL."""
    settings: Settings = DEFAULTS
    """The limits the check ran with."""

    def counts(self) -> dict[Verdict, int]:
        """How many URLs got each verdict (every verdict present, in the enum's order)."""
        found = Counter(r.outcome.verdict for r in self.results)
        return {verdict: found[verdict] for verdict in Verdict}

    def problems(self) -> tuple[Result, ...]:
        """Results that are not ok."""
        return tuple(r for r in self.results if r.outcome.verdict is not Verdict.OK)

    def any_dead(self) -> bool:
        """True when at least one URL is dead (the command then exits 1)."""
        return self.counts()[Verdict.DEAD] > 0


def lines(report: Report) -> list[str]:
    """One line per place that cites a URL that is not ok, then the summary line."""
    found = [_line(citation, result) for result in report.problems()
             for citation in result.target.citations]  # fmt: skip
    return [*found, summary(report)]


def _line(citation: Citation, result: Result) -> str:
    outcome = result.outcome
    said = (
        f"moved → {outcome.new_url}"
        if outcome.verdict is Verdict.MOVED
        else f"{outcome.verdict.value} ({outcome.detail})"
    )
    return f"{citation.file}: {citation.where}: {result.target.url}: {said}"


def summary(report: Report) -> str:
    """``checked 150 URL(s) (cited 212 times): 140 ok, 5 moved, ...``."""
    cited = sum(len(r.target.citations) for r in report.results)
    counts = ", ".join(f"{n} {verdict.value}" for verdict, n in report.counts().items())
    return f"checked {len(report.results)} URL(s) (cited {cited} times): {counts}"


# --- JSON ---------------------------------------------------------------------------------


def to_json(report: Report) -> dict[str, Any]:
    """The report as the documented JSON shape."""
    settings = report.settings
    return {
        "format": FORMAT,
        "settings": {
            "timeout": settings.timeout,
            "concurrency": settings.concurrency,
            "host_delay": settings.host_delay,
            "retries": settings.retries,
        },
        "counts": {verdict.value: n for verdict, n in report.counts().items()},
        "links": [_result_json(r) for r in report.results],
    }


def _result_json(result: Result) -> dict[str, Any]:
    outcome = result.outcome
    return {
        "url": result.target.url,
        "verdict": outcome.verdict.value,
        "detail": outcome.detail,
        "status": outcome.status,
        "new_url": outcome.new_url,
        "tries": outcome.tries,
        "cited": [{"file": c.file, "control": c.control} for c in result.target.citations],
    }


def dumps(report: Report) -> str:
    """The JSON text ``packman links --json`` prints."""
    return json.dumps(to_json(report), indent=2, ensure_ascii=False) + "\n"


def from_json(text: str, source: str) -> Report:
    """A report read back from ``packman links --json`` output; PackmanError when it is not one."""
    try:
        data = json.loads(text)
        if data["format"] != FORMAT:
            raise PackmanError(f"{source}: report format {data['format']!r}, expected {FORMAT}")
        return Report(tuple(_result(item) for item in data["links"]), _settings(data["settings"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise PackmanError(
            f"{source}: not a report of `packman links --json` ({type(exc).__name__}: {exc})"
        ) from None


def _settings(data: dict[str, Any]) -> Settings:
    return Settings(
        timeout=float(data["timeout"]),
        concurrency=int(data["concurrency"]),
        host_delay=float(data["host_delay"]),
        retries=int(data["retries"]),
    )


def _result(item: dict[str, Any]) -> Result:
    citations = tuple(Citation(str(c["file"]), _optional(c["control"])) for c in item["cited"])
    outcome = Outcome(
        verdict=Verdict(item["verdict"]),
        detail=str(item["detail"]),
        status=None if item["status"] is None else int(item["status"]),
        new_url=_optional(item["new_url"]),
        tries=int(item["tries"]),
    )
    return Result(Target(str(item["url"]), citations), outcome)


def _optional(value: object) -> str | None:
    return None if value is None else str(value)
