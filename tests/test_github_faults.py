"""GitHub faults, end to end: `packman handle --github` (bot.cli.main) against cassettes that fail.

Each scenario checks two things. The faulty run ends cleanly: exit code 4 and one `error:` line
naming the call that failed (or, where the bot can repair the fault itself, exit 0). The next
run converges: it does what is left, and nothing twice (no second comment, pull request or
commit chain). The client is built by ``bot.backends.github.client`` with retries off, except
where the retry policy itself is under test: then it is the policy ``client(retry=True)`` builds,
with ``time.sleep`` recorded instead of slept, and vcrpy answers every repeated request from the
cassette (checked: each interaction is played once, in order).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from urllib3.exceptions import ReadTimeoutError

from bot.backends import budget
from bot.backends.github import PoliteRetry, client, rate_limit_wait
from bot.errors import BackendError
from tests.helpers.github import story
from tests.helpers.github.build_cassettes import WINDOW_START
from tests.helpers.github.harness import Cli, Outcome, Timeouts, as_json_text, bodies
from tests.helpers.github.replay import command, opened

REPO = f"/repos/{story.REPOSITORY}"
APPROVE = ("issue_comment", command(story.APPROVE_1, story.MORGAN, "/packman approve"))
NEXT_RUN = "nothing after this step was done, and the next run will finish it"


def _dispatch() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (story.EXAMPLES / "workflow-dispatch.json").read_text(encoding="utf-8")
    )
    return data


def _failed(run: Outcome, line: str) -> None:
    """Exit 4, exactly one error line (the one given), and the API-call summary still printed."""
    assert run.code == 4, run.err
    assert run.errors() == [f"error: {line}; {NEXT_RUN}"]
    assert "GitHub API calls:" in run.out or not run.done()


def _posts(*runs: Outcome, path: str) -> int:
    return sum(
        1
        for run in runs
        for method, where in run.writes()
        if (method, where) == ("POST", REPO + path)
    )


def _sticky_as_sent(
    run: Outcome, method: str = "PATCH", path: str = f"/issues/comments/{story.STICKY_1}"
) -> str:
    [sent] = bodies(run.played, method, path)
    return str(sent["body"])


# --- 5xx -----------------------------------------------------------------------------------------


def test_read_500_stops_before_any_write_then_next_run_converges(cli: Cli) -> None:
    """GET /issues answers 500 (retries off): exit 4 naming the call, nothing written; the next run does it all."""
    run = cli("fault-read-500", "issues", opened())

    _failed(run, f"GitHub answered 500 to GET {REPO}/issues: Server Error")
    assert run.writes() == [] and run.done() == []

    again = cli("issue-opened", "issues", opened())
    assert again.code == 0
    assert again.done() == [
        "issue #1: sticky comment created",
        "issue #1: label 'packman: ready for review'",
    ]
    assert _posts(run, again, path="/issues/1/comments") == 1


def test_read_502_is_retried_after_a_growing_pause(cli: Cli) -> None:
    """client(retry=True): 502, 502, 200 on the same GET; vcrpy replays each; pauses 0 s (none) then 1 s."""
    run = cli("fault-read-502-retried", "issues", opened(), retry=True)

    assert run.code == 0, run.err
    assert [
        e.status for e in run.played if e.method == "GET" and e.path.startswith(f"{REPO}/issues?")
    ] == [502, 502, 200]
    assert run.slept == [1.0]
    assert run.done() == [
        "issue #1: sticky comment created",
        "issue #1: label 'packman: ready for review'",
    ]


def test_read_503_retries_run_out(cli: Cli) -> None:
    """Six 503s: five retries (pauses 1, 2, 4, 8 s), then exit 4 with the last status; the next run converges."""
    run = cli("fault-read-503-exhausted", "issues", opened(), retry=True)

    _failed(run, f"GitHub answered 503 to GET {REPO}/issues: still failing after every retry")
    assert [e.status for e in run.played] == [503] * 6
    assert run.slept == [1.0, 2.0, 4.0, 8.0]
    assert run.writes() == []

    assert cli("issue-opened", "issues", opened()).code == 0


def test_sticky_patch_503_leaves_a_label_that_approves_nothing(cli: Cli) -> None:
    """Approval of #1: labels set, then the sticky PATCH answers 503. The next run (a rebuild)
    approves nothing by the label alone, then answers the unanswered approval (issue #10 item 1:
    before, no later run picked the command up); the approval run again, instead of that
    rebuild, does the same. Either way: one reply, one pull request."""
    run = cli("fault-sticky-503", *APPROVE)

    _failed(
        run,
        f"GitHub answered 503 to PATCH {REPO}/issues/comments/{story.STICKY_1}: Service Unavailable",
    )
    assert run.done() == ["issue #1: label 'packman: approved'"]

    rebuild = cli("fault-sticky-503-then-dispatch", "workflow_dispatch", _dispatch())
    assert rebuild.code == 0, rebuild.err
    assert rebuild.done() == [
        "bot branch: nothing approved, no pull request open",  # the label alone approves nothing
        "issue #1: label 'packman: approved' already set",
        "issue #1: sticky comment updated",
        "issue #1: replied",
        "bot branch rebuilt (1 commit(s)); pull request #2 opened",
    ]
    assert f"repair: comment {story.APPROVE_1} on issue #1 has no answer yet" in rebuild.out
    assert '"by":"maintainer-morgan"' in _sticky_as_sent(rebuild)
    assert _posts(run, rebuild, path="/issues/1/comments") == 1
    assert _posts(run, rebuild, path="/pulls") == 1

    again = cli("fault-sticky-503-rerun", *APPROVE)
    assert again.code == 0, again.err
    assert again.done() == [
        "issue #1: label 'packman: approved' already set",
        "issue #1: sticky comment updated",
        "issue #1: replied",
        "bot branch rebuilt (1 commit(s)); pull request #2 opened",
    ]
    assert '"by":"maintainer-morgan"' in _sticky_as_sent(again)
    assert _posts(run, again, path="/issues/1/comments") == 1
    assert _posts(run, again, path="/pulls") == 1


# --- rate limits ---------------------------------------------------------------------------------


def test_secondary_rate_limit_429_waits_retry_after(cli: Cli) -> None:
    """429 with Retry-After: 7 on GET /issues: the policy of client(retry=True) sleeps 7 s, then the GET succeeds."""
    run = cli("ratelimit-429-read", "issues", opened(), retry=True)

    assert run.code == 0, run.err
    assert run.slept == [7]
    assert [e.status for e in run.played][:2] == [429, 200]
    assert _posts(run, path="/issues/1/comments") == 1


def test_secondary_rate_limit_403_on_a_post_waits_and_posts_once(cli: Cli) -> None:
    """403 with Retry-After: 3 on the comment POST (not carried out by GitHub): sent again after 3 s; one comment."""
    run = cli("ratelimit-403-post", "issues", opened(), retry=True)

    assert run.code == 0, run.err
    assert run.slept == [3]
    posts = [e for e in run.played if e.method == "POST" and e.path == f"{REPO}/issues/1/comments"]
    assert [e.status for e in posts] == [403, 201]
    assert posts[0].body == posts[1].body
    assert run.done()[0] == "issue #1: sticky comment created"


STORY_CLOCK = WINDOW_START + 60
"""The time of the story's first answer (its Date header)."""
QUOTA_BACK = "2026-11-25 10:51:01 UTC"
"""When the used-up quota of ratelimit-primary comes back: its X-RateLimit-Reset, plus a second."""


def _limited(run: Outcome) -> None:
    """Exit 4 and one line saying when to retry; nothing written."""
    assert run.code == 4, run.err
    assert run.errors() == [
        f"error: GitHub's rate limit is used up (it answered 403 to GET {REPO}/issues) until "
        f"{QUOTA_BACK}; the run stopped there rather than wait past its time, and nothing after "
        f"this step was done: retry after {QUOTA_BACK} (run the workflow again, or let the next "
        "event's run finish it)"
    ]
    assert run.writes() == []


def test_primary_rate_limit_ends_the_run_cleanly(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hourly quota is used up (403 API rate limit exceeded; retries off): exit 4 and one line
    saying when to retry (issue #10 item 13: before, the line did not say when)."""
    monkeypatch.setattr(budget, "now", lambda: float(STORY_CLOCK))
    _limited(cli("ratelimit-primary", "issues", opened()))


def test_primary_rate_limit_far_away_is_not_waited_for(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same with the real retry policy: the reset is 50 minutes away, past the run's budget,
    so the run stops at once without sleeping (issue #10 item 13: before, GithubRetry slept until
    the reset, about 3,000 s, before each of its 5 retries)."""
    monkeypatch.setattr(budget, "now", lambda: float(STORY_CLOCK))
    monkeypatch.setenv("PACKMAN_TIME_BUDGET", "420")
    run = cli("ratelimit-primary", "issues", opened(), retry=True)

    assert run.slept == []
    _limited(run)


def test_budget_bounds_every_wait() -> None:
    """A wait fits when it ends, with the margin, before the deadline; PACKMAN_DEADLINE wins over
    PACKMAN_TIME_BUDGET; a wrong value is refused naming the variable."""
    start = 1_000_000.0
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(budget, "now", lambda: start)
        given = budget.from_environment({"PACKMAN_TIME_BUDGET": "100"})
        assert given.deadline == start + 100
        assert given.allows(100 - budget.MARGIN) and not given.allows(100 - budget.MARGIN + 1)
        both = {"PACKMAN_DEADLINE": str(start + 30), "PACKMAN_TIME_BUDGET": "100"}
        assert budget.from_environment(both).deadline == start + 30
        assert budget.from_environment({}).deadline == start + budget.DEFAULT_BUDGET
        with pytest.raises(BackendError, match="PACKMAN_TIME_BUDGET"):
            budget.from_environment({"PACKMAN_TIME_BUDGET": "soon"})
        headers = {"x-ratelimit-remaining": "0", "X-RateLimit-Reset": str(int(start) + 3000)}
        assert rate_limit_wait(headers) == 3001
        assert rate_limit_wait({"Retry-After": "7", "X-RateLimit-Remaining": "0"}) == 7
        assert rate_limit_wait({"X-RateLimit-Remaining": "12"}) is None


def test_retry_policy_repeats_only_what_cannot_duplicate() -> None:
    """The policy client(retry=True) builds: rate-limited POSTs are repeated; POSTs after 5xx or a timeout never."""
    gh = client("dummy", retry=True)
    policy = gh.requester._Requester__retry  # type: ignore[attr-defined]  # PyGithub keeps it private
    gh.close()
    assert isinstance(policy, PoliteRetry)
    assert (policy.total, policy.backoff_factor) == (5, 0.5)
    assert policy.is_retry("POST", 429, has_retry_after=True)
    assert policy.is_retry("POST", 403, has_retry_after=True)
    assert not policy.is_retry("POST", 429, has_retry_after=False)
    for status in (500, 502, 503, 504):
        assert not policy.is_retry("POST", status), status
        assert policy.is_retry("GET", status) and policy.is_retry("PATCH", status), status
    timeout = ReadTimeoutError(None, "/repos/o/r/issues/1/comments", "read timed out")  # type: ignore[arg-type]
    with pytest.raises(ReadTimeoutError):
        policy.increment("POST", "/repos/o/r/issues/1/comments", error=timeout)
    assert policy.increment("GET", "/repos/o/r/issues", error=timeout).total == 4
    assert client("dummy", retry=False).requester._Requester__retry is None  # type: ignore[attr-defined]


# --- a comment POST whose answer is lost ---------------------------------------------------------


def test_comment_post_timed_out_but_stored_is_not_posted_again(cli: Cli) -> None:
    """The POST reached GitHub, the answer timed out: the run re-lists, finds it, goes on; the next run writes nothing."""
    run = cli(
        "timeout-comment-landed",
        "issues",
        opened(),
        timeouts=Timeouts({("POST", "/issues/1/comments"): ["landed"]}),
    )

    assert run.code == 0, run.err
    assert run.injected == [("POST", "/issues/1/comments", "landed")]
    assert run.done()[0] == "issue #1: sticky comment created (found after a failed response)"
    posted = _sticky_as_sent(run, "POST", "/issues/1/comments")

    again = cli(
        "issue-opened-again",
        "issues",
        opened(),
        restore=((story.STICKY_AS_POSTED, as_json_text(posted)),),
    )
    assert again.code == 0
    assert again.writes() == []
    assert _posts(run, again, path="/issues/1/comments") == 1


def test_comment_post_timed_out_before_reaching_github_is_posted_once(cli: Cli) -> None:
    """The POST never arrived: the re-listing finds nothing, so it is posted again, once; the next run writes nothing."""
    run = cli(
        "timeout-comment-lost",
        "issues",
        opened(),
        timeouts=Timeouts({("POST", "/issues/1/comments"): ["lost"]}),
    )

    assert run.code == 0, run.err
    assert run.injected == [("POST", "/issues/1/comments", "lost")]
    assert run.done()[0] == "issue #1: sticky comment created"
    posted = _sticky_as_sent(run, "POST", "/issues/1/comments")

    again = cli(
        "issue-opened-again",
        "issues",
        opened(),
        restore=((story.STICKY_AS_POSTED, as_json_text(posted)),),
    )
    assert again.writes() == []
    assert _posts(run, again, path="/issues/1/comments") == 1


def test_comment_post_timed_out_twice_ends_the_run(cli: Cli) -> None:
    """Both the POST and the one repeat after re-listing time out: exit 4 naming the call (the next run re-lists)."""
    run = cli(
        "timeout-comment-twice",
        "issues",
        opened(),
        timeouts=Timeouts({("POST", "/issues/1/comments"): ["lost", "lost"]}),
    )

    _failed(run, f"GitHub did not answer to POST {REPO}/issues/1/comments: no answer (ReadTimeout)")
    assert len(run.injected) == 2
    assert run.writes() == []


# --- the bot branch and the pull request ---------------------------------------------------------


def test_ref_move_refused_is_reported_without_creating_a_ref(cli: Cli) -> None:
    """PATCH ref answers 422 "Update is not a fast forward": no POST /git/refs, no PR; the next run moves it, once."""
    run = cli("ref-not-fast-forward", *APPROVE)

    _failed(
        run,
        f"GitHub answered 422 to PATCH {REPO}/git/refs/heads/packman/pending: Update is not a fast forward",
    )
    assert ("POST", f"{REPO}/git/refs") not in run.writes()
    assert _posts(run, path="/pulls") == 0

    again = cli(
        "approve-rerun-opens-pull",
        *APPROVE,
        restore=((story.STICKY_AS_POSTED, as_json_text(_sticky_as_sent(run))),),
    )
    assert again.code == 0, again.err
    assert again.writes() == [
        ("POST", f"{REPO}/git/trees"),
        ("POST", f"{REPO}/git/commits"),
        ("PATCH", f"{REPO}/git/refs/heads/packman/pending"),
        ("POST", f"{REPO}/pulls"),
    ]
    assert again.done()[:3] == [
        "issue #1: label 'packman: approved' already set",
        "issue #1: sticky comment unchanged",
        "issue #1: reply already posted",
    ]


def test_pull_request_refused_after_the_branch_moved(cli: Cli) -> None:
    """POST /pulls answers 403 (Actions may not open pull requests) after the ref moved: exit 4 with GitHub's reason;
    the next run opens exactly one pull request and posts no second comment."""
    run = cli("pull-create-403", *APPROVE)

    _failed(
        run,
        f"GitHub answered 403 to POST {REPO}/pulls: "
        "GitHub Actions is not permitted to create or approve pull requests.",
    )
    assert ("PATCH", f"{REPO}/git/refs/heads/packman/pending") in run.writes()

    again = cli(
        "approve-rerun-opens-pull",
        *APPROVE,
        restore=((story.STICKY_AS_POSTED, as_json_text(_sticky_as_sent(run))),),
    )
    assert again.code == 0, again.err
    assert again.done()[-1] == "bot branch rebuilt (1 commit(s)); pull request #2 opened"
    assert _posts(run, again, path="/issues/1/comments") == 1
    assert _posts(again, path="/pulls") == 1


def test_pull_request_opened_despite_502_is_not_opened_again(cli: Cli) -> None:
    """POST /pulls answers 502 but GitHub opened it: exit 4; the next run finds it (fingerprint and head match)
    and writes nothing at all: no second pull request, no new commits."""
    run = cli("pull-create-502", *APPROVE)

    _failed(run, f"GitHub answered 502 to POST {REPO}/pulls: Server Error")
    [sent] = bodies(run.played, "POST", "/pulls")
    assert sent["body"].endswith(f"<!-- packman:head {story.COMMIT_1} -->\n")

    again = cli(
        "approve-rerun-pull-landed",
        *APPROVE,
        restore=(
            (story.STICKY_AS_POSTED, as_json_text(_sticky_as_sent(run))),
            (story.PULL_AS_POSTED, as_json_text(sent["body"])),
        ),
    )
    assert again.code == 0, again.err
    assert again.writes() == []
    assert again.done()[-1] == "bot branch and pull request #2: already up to date"


def test_reference_already_exists_race_end_to_end(cli: Cli) -> None:
    """PATCH ref 422 (missing), POST ref 422 "Reference already exists" (another run made it), PATCH again: exit 0."""
    run = cli("approve-ref-race", *APPROVE)

    assert run.code == 0, run.err
    assert [e.status for e in run.played if "/git/refs" in e.path] == [422, 422, 200]
    assert run.done()[-1] == "bot branch rebuilt (1 commit(s)); pull request #2 opened"
