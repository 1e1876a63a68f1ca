"""The one "Evidence links" issue: what it should say (pure), and the calls that keep it (replayed).

``upkeep`` is checked with plain values; ``packman links-issue`` runs against vcrpy cassettes
(``record_mode="none"``) written by ``tests/helpers/github/build_cassettes.py`` from packman's
own values: created, edited in place, unchanged, reopened, closed, and nothing to do.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import limits, markers
from bot.backends.links_issue import is_links_issue
from bot.cli import main
from bot.links import issue
from bot.links.issue import Action, Found, Upkeep, upkeep
from bot.links.report import Report, Result, dumps
from bot.links.targets import Citation, Target
from bot.links.verdicts import Outcome, Verdict
from tests.helpers.github import story
from tests.helpers.github.harness import TOKEN, Exchange, as_json_text, cassette

PACKAGIST = "assessments/registries/packagist.yml"


def _result(url: str, outcome: Outcome, *controls: str | None) -> Result:
    return Result(Target(url, tuple(Citation(PACKAGIST, c) for c in controls)), outcome)


OK = _result("https://packagist.org/", Outcome(Verdict.OK, "HTTP 200", 200), None)
DEAD = _result(
    "https://packagist.org/old-policy", Outcome(Verdict.DEAD, "HTTP 404", 404), "mfa-to-push", None
)
MOVED = _result(
    "https://blog.packagist.com/2fa",
    Outcome(Verdict.MOVED, "HTTP 301 → HTTP 200", 200, "https://blog.packagist.com/mfa"),
    "mfa-to-push",
)
REFUSED = _result(
    "https://example.org/a|b", Outcome(Verdict.REFUSED, "HTTP 403, 3 tries", 403, None, 3), "mfa"
)
FINDINGS = Report((OK, DEAD, MOVED, REFUSED))
ALL_CLEAR = Report((OK, REFUSED))


def _found(body: str, *, is_open: bool = True, title: str = issue.TITLE) -> Found:
    return Found(number=6, open=is_open, title=title, body=body)


# --- what the issue should hold (pure) -------------------------------------------------------


@pytest.mark.parametrize(
    ("report", "found", "action"),
    [
        (FINDINGS, None, Action.CREATE),
        (FINDINGS, _found("old"), Action.EDIT),
        (FINDINGS, _found(issue.findings_body(FINDINGS)), Action.NONE),
        (FINDINGS, _found(issue.findings_body(FINDINGS), title="renamed"), Action.EDIT),
        (FINDINGS, _found("old", is_open=False), Action.REOPEN),
        (ALL_CLEAR, _found("old"), Action.CLOSE),
        (ALL_CLEAR, _found("old", is_open=False), Action.NONE),
        (ALL_CLEAR, None, Action.NONE),
        (Report(()), None, Action.NONE),
    ],
    ids=[
        "dead-new",
        "dead-outdated",
        "dead-same",
        "renamed",
        "dead-again",
        "all-clear-open",
        "all-clear-closed",
        "all-clear-none",
        "no-links",
    ],
)
def test_upkeep_chooses_one_action(report: Report, found: Found | None, action: Action) -> None:
    """Open while something is dead or moved, closed when all is well, one issue throughout."""
    assert upkeep(report, found).action is action


def test_refused_and_unreachable_alone_do_not_open_the_issue() -> None:
    """A bot filter says nothing about the page: no issue for a report of only refused links."""
    assert upkeep(Report((REFUSED,)), None) == Upkeep(Action.NONE, issue.TITLE, "", open=False)


def test_the_body_lists_each_finding_with_every_place_that_cites_it() -> None:
    """Dead and moved in tables (the new URL for a moved one), the rest folded away."""
    body = issue.findings_body(FINDINGS)

    assert body.startswith(markers.LINKS + "\n")
    assert "found evidence that needs a look: **1 dead**, **1 moved**." in body
    assert (
        "| [packagist.org/old-policy](https://packagist.org/old-policy) | HTTP 404 | "
        f"`{PACKAGIST}`: mfa-to-push, homepage |"
    ) in body
    assert (
        "| [blog.packagist.com/2fa](https://blog.packagist.com/2fa) | "
        "[blog.packagist.com/mfa](https://blog.packagist.com/mfa) | "
        f"`{PACKAGIST}`: mfa-to-push |"
    ) in body
    assert "<summary>Could not be checked: 1 refused</summary>" in body
    assert body.endswith(
        "Checked 4 URL(s) (cited 5 times): 1 ok, 1 moved, 1 dead, 1 refused, 0 unreachable.\n"
    )


def test_text_in_the_body_cannot_break_its_tables() -> None:
    """A ``|`` in a URL or a detail is escaped, so each row keeps its cells."""
    body = issue.findings_body(FINDINGS)

    row = next(line for line in body.splitlines() if "example.org" in line)
    assert row.count(" | ") == 3
    assert "a\\|b" in row


def test_a_long_report_is_cut_to_fit_an_issue() -> None:
    """Past MAX_ROWS dead links the table stops and says how many more there are."""
    dead = tuple(
        _result(f"https://packagist.org/{n}", Outcome(Verdict.DEAD, "HTTP 404", 404), None)
        for n in range(issue.MAX_ROWS + 5)
    )

    body = issue.findings_body(Report(dead))

    assert "… and 5 more: run `packman links` for the whole list." in body
    assert body.count("| HTTP 404 |") == issue.MAX_ROWS


# --- the calls, replayed --------------------------------------------------------------------


def links_issue(
    name: str,
    report: Report,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    restore: tuple[tuple[str, str], ...] = (),
) -> tuple[int, str, list[Exchange]]:
    """`packman links-issue` on ``report`` against cassette ``name``; (exit code, output, calls)."""
    path = tmp_path / "links.json"
    path.write_text(dumps(report), encoding="utf-8")
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_REPOSITORY", story.REPOSITORY)
    for variable in ("GITHUB_API_URL", "PACKMAN_BOT_LOGIN"):
        monkeypatch.delenv(variable, raising=False)
    capsys.readouterr()
    with cassette(name, restore) as played:
        code = main(["links-issue", str(path)])
    return code, capsys.readouterr().out.strip(), played


def _writes(played: list[Exchange]) -> list[tuple[str, object]]:
    return [(e.method, e.body) for e in played if e.method != "GET"]


def test_a_dead_link_creates_the_issue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No issue of the bot carries the marker: one is created, with the whole report."""
    code, out, played = links_issue("links-issue-created", FINDINGS, tmp_path, monkeypatch, capsys)

    assert (code, out) == (0, f"issue #{story.LINKS_ISSUE} (Evidence links): created")
    assert _writes(played) == [
        ("POST", {"title": "Evidence links", "body": issue.findings_body(FINDINGS)})
    ]


def test_an_outdated_issue_is_edited_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The open issue says last week's findings: its body is replaced, nothing is created."""
    code, out, played = links_issue("links-issue-edited", FINDINGS, tmp_path, monkeypatch, capsys)

    assert (code, out) == (0, f"issue #{story.LINKS_ISSUE} (Evidence links): edited")
    assert _writes(played) == [
        ("PATCH", {"title": "Evidence links", "body": issue.findings_body(FINDINGS)})
    ]


def test_a_run_that_finds_the_same_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The issue already holds this report: one read, no write."""
    restore = ((story.LINKS_BODY_AS_POSTED, as_json_text(issue.findings_body(FINDINGS))),)

    code, out, played = links_issue(
        "links-issue-unchanged", FINDINGS, tmp_path, monkeypatch, capsys, restore
    )

    assert (code, out) == (0, f"issue #{story.LINKS_ISSUE} (Evidence links): unchanged")
    assert _writes(played) == []


def test_a_link_that_breaks_again_reopens_the_same_issue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The closed issue is reopened with the new report rather than a second one opened."""
    code, out, played = links_issue("links-issue-reopened", FINDINGS, tmp_path, monkeypatch, capsys)

    assert (code, out) == (0, f"issue #{story.LINKS_ISSUE} (Evidence links): reopened")
    assert _writes(played) == [
        (
            "PATCH",
            {"title": "Evidence links", "body": issue.findings_body(FINDINGS), "state": "open"},
        )
    ]


def test_all_clear_closes_the_issue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nothing dead or moved any more: the issue is closed as completed, with a last word."""
    code, out, played = links_issue("links-issue-closed", ALL_CLEAR, tmp_path, monkeypatch, capsys)

    assert (code, out) == (0, f"issue #{story.LINKS_ISSUE} (Evidence links): closed")
    body = issue.all_clear_body(ALL_CLEAR)
    assert _writes(played) == [
        (
            "PATCH",
            {
                "title": "Evidence links",
                "body": body,
                "state": "closed",
                "state_reason": "completed",
            },
        )
    ]


def test_nothing_to_say_and_nothing_open_makes_no_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """All well and the issue already closed: the bot only reads."""
    code, out, played = links_issue("links-issue-none", ALL_CLEAR, tmp_path, monkeypatch, capsys)

    assert (code, out) == (0, f"issue #{story.LINKS_ISSUE} (Evidence links): unchanged")
    assert _writes(played) == []


def test_only_the_bot_s_own_issue_with_the_marker_first_is_the_links_issue() -> None:
    """A marker proves nothing alone: another author, a pull request or a quoted marker is not it."""
    listed = {"user": {"login": story.BOT[0]}, "body": markers.LINKS + "\nthe report"}

    assert is_links_issue(listed, story.BOT[0])
    assert not is_links_issue(listed, "someone-else")
    assert not is_links_issue({**listed, "pull_request": {}}, story.BOT[0])
    assert not is_links_issue({**listed, "body": "quoted: " + markers.LINKS}, story.BOT[0])


def test_without_a_repository_links_issue_says_what_it_needs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No GITHUB_REPOSITORY and no --repository: exit 4 with one line, no call made."""
    path = tmp_path / "links.json"
    path.write_text(dumps(FINDINGS), encoding="utf-8")
    monkeypatch.delenv("GITHUB_REPOSITORY", raising=False)

    code = main(["links-issue", str(path)])

    assert code == 4
    assert "GITHUB_REPOSITORY" in capsys.readouterr().err


def test_a_report_of_long_links_still_fits_github_s_limit() -> None:
    """A hundred dead links of 2,000 characters, each cited by many controls, stay within
    65,536 characters, cut with a visible mark; the marker that finds the issue stays first."""
    long_dead = tuple(
        _result(
            f"https://packagist.org/{n}/" + "a" * 1990,
            Outcome(Verdict.DEAD, "HTTP 404", 404),
            *(["mfa-to-push"] * 20),
        )
        for n in range(issue.MAX_ROWS)
    )

    body = issue.findings_body(Report(long_dead))

    assert len(body) <= limits.MAX_TEXT
    assert body.startswith(markers.LINKS)
    assert limits.CUT in body
