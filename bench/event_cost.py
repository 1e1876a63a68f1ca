"""The cost of one bot event as the backlog grows: open issues and approvals pending.

    .venv/bin/python bench/event_cost.py [--repeat 3] [--issues 0,100,500] [--pending 0,20,50]

One event, a maintainer's ``/packman approve`` on a valid evidence issue, is handled by the
pure core (``handle(event, state)``) on the frozen fixture project, with

- ``issues`` other open packman issues, half of them bodies near GitHub's 65,536-character
  limit full of near-miss form lines, half small valid submissions of another status (each
  a conflict warning);
- ``pending`` issues already approved (each a rating on a different registry and control,
  with the bot's sticky record pinned to its body), so the bot branch holds ``pending + 1``
  commits after the event; the bot branch and pull request are found as the run that approved
  them left them, so their commits are kept and only the new one is built (the last line also
  gives the case where everything is built again, as when main moved).

Each case reports the CPU time of ``handle`` (process time, the least of ``--repeat`` runs:
the one other work disturbed least), and the GitHub requests that the event's plan implies on
the GitHub backend (derived from what the backend reads and writes, not recorded): pages of
open issues (100 a page), comment lists read
(the event's issue and every approved one: GitHub sends no comments with the issue list), the bot
branch's writes (a tree and a commit per commit, when the branch changes; the GitHub backend
reads no bot branch yet, so it writes the kept commits again too). The ratios are
against the empty case (no other issue, nothing pending) and the goal is at most 1.3 each;
``one approval with 19 pending`` against the first approval is issue 14's fourth ratio.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.review import events, sticky
from bot.review.backend import FoundBranch, RepoState
from bot.review.events import Comment
from bot.review.handler import handle
from bot.review.plan import BotBranch, Plan
from bot.review.rebuild import pull_body
from tests.helpers import bodies, project

BOT = "packman[bot]"
MAINTAINER = "acme"
TODAY = dt.date(2026, 11, 25)
LIMIT = 65_536
EVENT_ISSUE = 100_000
REPO = {"full_name": "acme/packman", "owner": {"login": "acme"}}


def _pairs() -> list[tuple[str, str]]:
    """(registry name, control title) pairs, each a different rating."""
    dataset = project.dataset()
    return [(r.name, c.title) for c in dataset.catalog.controls for r in dataset.registries]


def _near_miss(number: int) -> str:
    """An evidence body close to GitHub's size limit, its notes full of form-like lines."""
    line = f"### Evidenc {number}\n###Status\n- [X] I read\nhttps://x.example/{'a' * 40}\n"
    notes = (line * (LIMIT // len(line)))[: LIMIT - 1_000]
    return bodies.evidence(notes=notes)


def _issue(number: int, body: str) -> dict[str, Any]:
    return {
        "number": number,
        "title": f"Issue {number}",
        "body": body,
        "user": {"login": "casey"},
        "labels": [{"name": "packman: evidence"}],
        "state": "open",
    }


def _approved_comment(number: int, body: str) -> Comment:
    approval = sticky.ApprovalRecord(
        MAINTAINER, sticky.body_hash(body), 5_000 + number, TODAY.isoformat()
    )
    return Comment(9_000 + number, BOT, sticky.write("Approved.", sticky.Record(approval)))


def _answered_comment(number: int, body: str, registry: str, control: str, valid: bool) -> Comment:
    """The bot's sticky on an issue it has answered: its record holds the body's claims."""
    dataset = project.dataset()
    registry_id = next(r.id for r in dataset.registries if r.name == registry)
    control_id = next(c.id for c in dataset.catalog.controls if c.title == control)
    claims = ((registry_id, control_id, "partial"),) if valid else ()
    record = sticky.Record(claims=claims, claims_of=sticky.body_hash(body))
    return Comment(20_000 + number, BOT, sticky.write("Checked.", record))


def scenario(
    others: int, pending: int, *, answered: bool = True, found: bool = True
) -> tuple[events.Event, RepoState]:
    """The approve event and the state with ``others`` open issues and ``pending`` approvals;
    ``answered``: the others carry the bot's sticky record (what the local backend reads);
    ``found``: the bot branch already holds the pending approvals, as the run that approved the
    last of them left it (else the backend read no bot branch and everything is built again)."""
    pairs = _pairs()
    issues, comments = [], {}
    for n in range(pending):
        registry, control = pairs[n + 1]
        body = bodies.evidence(registry=registry, control=control, status="yes")
        issues.append(_issue(1 + n, body))
        comments[1 + n] = (_approved_comment(1 + n, body),)
    for n in range(others):
        number = 1_000 + n
        registry, control = pairs[n % len(pairs)]
        small = bodies.evidence(registry=registry, control=control, status="partial")
        body = _near_miss(number) if n % 2 else small
        issues.append(_issue(number, body))
        if answered:
            comments[number] = (_answered_comment(number, body, registry, control, n % 2 == 0),)
    registry, control = pairs[0]
    mine = _issue(EVENT_ISSUE, bodies.evidence(registry=registry, control=control, status="yes"))
    issues.append(mine)
    command = Comment(77_777, MAINTAINER, "/packman approve")
    # The bot previewed this very body, so the approval binds to what the maintainer saw.
    previewed = sticky.Record(previewed_sha256=sticky.body_hash(mine["body"]))
    comments[EVENT_ISSUE] = (Comment(8_999, BOT, sticky.write("Ready.", previewed)),)
    payload = {
        "action": "created",
        "issue": mine,
        "comment": {"id": command.id, "user": {"login": MAINTAINER}, "body": command.body},
        "repository": REPO,
        "sender": {"login": MAINTAINER},
    }
    state = RepoState(
        files=project.files(),
        base="main",
        base_sha="0" * 40,
        bot=BOT,
        today=TODAY,
        issues=tuple(events.issue_from(i) for i in issues),
        comments=comments,
        permissions={MAINTAINER: "admin"},
    )
    if found and pending:
        state = replace(state, pending=_found_branch(state))
    return events.from_payload("issue_comment", payload), state


def _found_branch(state: RepoState) -> FoundBranch:
    """The bot branch and pull request body that the pending approvals gave (a scheduled run's
    rebuild), at a made-up head commit."""
    scheduled = events.from_payload("schedule", {"repository": REPO})
    branch = next(e for e in handle(scheduled, state).effects if isinstance(e, BotBranch))
    head = "f" * 40
    return FoundBranch(pull_body(branch, head), head)


def requests_implied(state: RepoState, plan: Plan) -> int:
    """GitHub requests of this event: issue pages, comment lists, the bot branch's writes."""
    pages = max(1, -(-len(state.issues) // 100))
    branch = next((e for e in plan.effects if isinstance(e, BotBranch)), None)
    held = branch.kept + len(branch.commits) if branch else 1
    read = held  # the event's issue, each approved one (one commit each)
    # The GitHub backend reads no bot branch yet, so it writes every commit again (kept or not).
    writes = 2 * held if branch else 0
    return pages + read + writes


def measure(
    others: int, pending: int, repeat: int, *, found: bool = True
) -> tuple[float, int, int]:
    """Least CPU seconds of ``handle`` (the least disturbed run), implied requests, commits (kept
    ones included)."""
    event, state = scenario(others, pending, found=found)
    times, plan = [], Plan()
    for _ in range(repeat):
        start = time.process_time()
        plan = handle(event, state)
        times.append(time.process_time() - start)
    branch = next((e for e in plan.effects if isinstance(e, BotBranch)), None)
    commits = branch.kept + len(branch.commits) if branch else 0
    assert not found or not pending or (branch and branch.kept == pending), "nothing kept"
    assert commits == pending + 1, (others, pending, commits, plan.describe()[:400])
    return min(times), requests_implied(state, plan), commits


def _numbers(text: str) -> list[int]:
    return [int(n) for n in text.split(",")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (least kept)")
    parser.add_argument("--issues", type=_numbers, default=[0, 100, 500])
    parser.add_argument("--pending", type=_numbers, default=[0, 20, 50])
    args = parser.parse_args()
    measure(0, 0, 1)  # warm-up: first calls fill the caches of imports and templates
    base_cpu, base_calls, _ = measure(0, 0, args.repeat)
    print(
        f"{'open issues':>11} {'pending':>7} {'CPU s':>7} {'ratio':>6} {'requests':>8} {'ratio':>6}"
    )
    worst = 0.0
    for others in args.issues:
        for pending in args.pending:
            cpu, calls, _ = measure(others, pending, args.repeat)
            worst = max(worst, cpu / base_cpu)
            print(
                f"{others:>11} {pending:>7} {cpu:7.3f} {cpu / base_cpu:6.2f} "
                f"{calls:>8} {calls / base_calls:6.2f}"
            )
    nineteen, _, _ = measure(0, 19, args.repeat)
    rebuilt, _, _ = measure(0, 19, args.repeat, found=False)
    print(f"\nworst CPU ratio against the empty case: {worst:.2f} (goal: at most 1.3)")
    print(
        f"one approval with 19 pending / the first: {nineteen / base_cpu:.2f} "
        f"({nineteen:.3f} s / {base_cpu:.3f} s; goal: at most 1.3); "
        f"building all 20 again: {rebuilt / base_cpu:.2f} ({rebuilt:.3f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
