"""The one story every cassette tells, shared by the cassette builder and the tests.

Repository ``packman-demo/packman``; issue #1 is the Packagist evidence report of
``examples/issue-opened.json``; issue #3 a second report (npm); the bot pull
request is #2 (#4 when a concurrent run opened one); the bot writes as
``github-actions[bot]``. Numbers, logins and hashes below appear in cassette
URIs and bodies, so the tests and the builder must agree on them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.review.labels import LABEL_DESCRIPTIONS as BOT_DESCRIPTIONS

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"

API = "https://api.github.com"
OWNER = "packman-demo"
NAME = "packman"
REPOSITORY = f"{OWNER}/{NAME}"
BRANCH = "packman/pending"
BASE = "main"
TODAY = "2026-11-25"

BOT = ("github-actions[bot]", 41898282, "Bot")
OWNER_ORG = (OWNER, 1001, "Organization")
CASEY = ("contributor-casey", 3001, "User")
"""Opens the issues."""
MORGAN = ("maintainer-morgan", 3002, "User")
"""A maintainer: collaborator role ``maintain``."""
DANA = ("drive-by-dana", 3004, "User")
"""A reader: collaborator role ``read``."""
PAT = ("passer-by-pat", 3005, "User")
"""A login the permission endpoint answers 404 for."""
MACHINE = ("packman-machine-user", 3010, "User")
"""The account whose personal token is PACKMAN_TOKEN in the identity scenario."""

EVIDENCE, READY, APPROVED, APPLIED, REJECTED = (
    "packman: evidence",
    "packman: ready for review",
    "packman: approved",
    "packman: applied",
    "packman: rejected",
)
LABEL_IDS = {EVIDENCE: 4001, READY: 4002, APPROVED: 4003, APPLIED: 4004, REJECTED: 4005}
LABEL_DESCRIPTIONS = {
    EVIDENCE: "Opened from the Report control evidence form",
    **{label.value: text for label, text in BOT_DESCRIPTIONS.items()},
}
"""Descriptions of the labels: the form's own, and the bot's for its state labels (which the bot
gives them when it creates one)."""
ASSOCIATIONS = {
    ("maintainer-morgan", 3002, "User"): "MEMBER",
    ("contributor-casey", 3001, "User"): "CONTRIBUTOR",
}
DOCS = "https://docs.github.com/rest"
"""Where GitHub's error bodies point (``documentation_url``)."""
LABEL_COLOURS = {
    EVIDENCE: "0e8a16",
    READY: "fbca04",
    APPROVED: "1d76db",
    APPLIED: "5319e7",
    REJECTED: "b60205",
}

ISSUE_1 = 1
PULL = 2
ISSUE_3 = 3
RACE_PULL = 4

STICKY_1 = 5010
"""The bot's sticky comment on issue #1."""
APPROVE_1 = 5002
"""``/packman approve`` by MORGAN on issue #1 (the id of examples/comment-approve.json)."""
APPROVE_1_DANA = 5001
"""``/packman approve`` by DANA on issue #1 (examples/comment-approve-not-allowed.json)."""
APPROVE_1_PAT = 5003
REJECT_1 = 5004
REPLY_1 = 5011
STICKY_3 = 5030
APPROVE_3 = 5031

OLD_FINGERPRINT = "0123456789abcdef"
"""The fingerprint in the body of an outdated bot pull request."""

STICKY_AS_POSTED = "@@sticky comment as the previous run posted it@@"
"""Stands for the sticky text the bot renders from main's data; the test restores it at load time
(vcrpy's ``filter_sensitive_data``), since that text depends on the checkout's data."""


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    return data


ISSUE_1_TITLE = example("issue-opened.json")["issue"]["title"]
ISSUE_1_BODY: str = example("issue-opened.json")["issue"]["body"]
ISSUE_3_TITLE = "[evidence] npm: account level library tagging"
ISSUE_3_BODY = (
    "### Registry\n\nnpm\n\n### Control\n\nAccount Level Library Tagging\n\n### Status\n\nyes\n\n"
    "### Evidence\n\nhttps://example.org/packman-demo/npm-tagging\n\n### What the evidence shows\n\n"
    "Demonstration data for the packman tests; this is not a real finding.\n\n### Confirmation\n\n"
    "- [X] I read these sources myself, and the notes are in my own words."
)

# Objects the Git Data API "creates": fixed, so that refs and pulls can name them.
TREE_1 = "1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a"
COMMIT_1 = "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1"
TREE_2 = "2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a"
COMMIT_2 = "c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2"
MAIN_SHA = "7d1b31e74ee336d15cbd21741bc88a537ed063a0"
"""main's head as the responses name it; the test's checkout has its own HEAD, asserted on separately."""

# Faults and races (tests/test_github_faults.py, tests/test_races.py).
TREE_3 = "3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a"
COMMIT_3 = "c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3"
"""The commit of #3 alone on main, made by a run that had not seen #1's approval yet."""
REBUILT_1 = "c1b1c1b1c1b1c1b1c1b1c1b1c1b1c1b1c1b1c1b1"
"""#1's commit made again by a rebuild (new committer date, so a new SHA)."""
HAND_SHA = "ba5eba11ba5eba11ba5eba11ba5eba11ba5eba11"
"""A commit a maintainer pushed to the bot branch by hand."""
STICKY_3_AS_POSTED = "@@sticky comment of #3 as the previous run posted it@@"
PULL_AS_POSTED = "@@pull request body as the previous run posted it@@"
"""Stands for the pull request body the bot rendered (fingerprint and head included); restored at load time."""

# The weekly link check's issue (tests/test_links_issue.py).
LINKS_ISSUE = 6
"""The "Evidence links" issue, opened by the bot."""
LINKS_TITLE = "Evidence links"
OLD_LINKS_BODY = (
    "<!-- packman:links -->\n\nThe weekly link check (`packman links`) found evidence that needs "
    "a look: **1 moved**. (last week's report)\n"
)
"""The body a previous run wrote, for a report that differs from this run's."""
LINKS_BODY_AS_POSTED = "@@links issue body as the previous run wrote it@@"
"""Stands for the body rendered from this run's report; the test restores it at load time."""
