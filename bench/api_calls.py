"""Benchmark: GitHub API calls per event kind, against the least each event needs.

Run: .venv/bin/python bench/api_calls.py

Replays the GitHub backend's cassettes (tests/cassettes, written from GitHub's documented
responses) through the real pipeline — state, handle, execute — and counts the HTTP
requests PyGithub makes. Offline; counts do not depend on the machine.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.helpers.github.replay import make_checkout, replay, scenarios

LEAST = {
    "issue-opened": (
        4,
        "read open issues (conflict warnings), read the issue's comments (find the sticky), "
        "write the sticky, add the state label",
    ),
    "issue-opened-again": (2, "the same two reads; nothing differs, so nothing is written"),
    "approve-not-allowed": (4, "two reads, the commenter's permission, one reply"),
    "approve-maintainer": (
        13,
        "first approval ever: 2 reads, permission, sticky, label swap (remove + add: a PUT "
        "of the whole list could drop a label someone adds meanwhile), reply, find the PR, "
        "tree, commit, ref, PR, and creating the missing label. We spend 2 more: adding a "
        "label first and creating it only when refused, and updating the ref before "
        "creating it, save a call on every later run",
    ),
    "approve-custom-role": (
        12,
        "a later approval (label exists) on a new branch: 13 - the label creation; +1 "
        "for the ref update tried before the creation",
    ),
    "approve-pull-outdated": (
        15,
        "as above for the second issue, +3 for the first already approved issue "
        "(its comments, its tree and commit), PR updated in place",
    ),
    "dispatch-close-pull": (3, "read open issues, find the PR, close it"),
    "reject-maintainer": (7, "2 reads, permission, sticky, label swap, close"),
}


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = make_checkout(Path(scratch))
        runs = scenarios()
        print(f"{'event':<24} {'calls':>5} {'least':>5}  why that many")
        for name, (event, payload) in runs.items():
            if name not in LEAST:
                continue
            run = replay(name, event, payload, root)
            total = sum(run.calls.values())
            least, why = LEAST[name]
            print(f"{name:<24} {total:>5} {least:>5}  {why}")
            print(f"{'':<36}{', '.join(f'{k} x{v}' for k, v in sorted(run.calls.items()))}")


if __name__ == "__main__":
    main()
