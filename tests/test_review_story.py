"""What a maintainer reviews is what lands: the offline bot on the frozen fixture project.

An approval binds to the body its preview was made from; OpenSSF level changes are shown and
guarded like tier changes; notes appear in the preview and the pull request exactly as the
registry page publishes them; two proposals whose names give one id cannot both land.
"""

from __future__ import annotations

import json
from pathlib import Path

from bot.cli import main
from bot.render import pages
from bot.review import preview
from bot.review.labels import StateLabel
from bot.review.plan import BOT_BRANCH
from tests.helpers import bodies
from tests.helpers.project import run_git as git
from tests.helpers.story import OWNER, PACKAGIST_UP, Story

GO_CLI_UP = bodies.evidence(
    registry="Go modules",
    control="OpenSSF: Vulnerability warnings when installing",
    status="yes",
    links="https://go.dev/doc/security/vuln/",
    notes="Hypothetical: the go command warns about known vulnerabilities on install.",
)
PYPI_ROLES_DOWN = bodies.evidence(
    registry="PyPI",
    control="OpenSSF: Maintainer roles",
    status="partial",
    links="https://docs.pypi.org/",
    notes="Hypothetical: only two roles.",
)


def _edit_unseen(story: Story, number: int, body: str) -> None:
    """The author edits the body; the edit's run is still queued, so no preview was made."""
    path = story.state / "issues" / f"{number}.json"
    issue = json.loads(path.read_text())
    path.write_text(json.dumps({**issue, "body": body}))


def test_approval_of_an_unpreviewed_edit_is_refused_and_the_preview_refreshed(
    story: Story,
) -> None:
    """An approve that arrives before the edit's run shows the new text approves nothing."""
    story.open_issue(1, PACKAGIST_UP)
    _edit_unseen(story, 1, PACKAGIST_UP.replace("Test note.", "Edited before approval."))

    story.comment(1, 11, OWNER, "/packman approve")

    sticky, reply = story.bot_comments(1)
    assert preview.STALE_PREVIEW in reply
    assert "Edited before approval." in sticky
    assert story.labels(1)[-1] == StateLabel.READY.value
    assert not story.has_branch()


def test_approval_after_the_refreshed_preview_is_recorded(story: Story) -> None:
    """Once the preview shows the current body, the next approve is recorded."""
    story.open_issue(1, PACKAGIST_UP)
    _edit_unseen(story, 1, PACKAGIST_UP.replace("Test note.", "Edited before approval."))
    story.comment(1, 11, OWNER, "/packman approve")

    story.comment(1, 12, OWNER, "/packman approve")

    assert story.labels(1)[-1] == StateLabel.APPROVED.value
    assert story.branch_log() == ["Packagist (Composer): 1 rating(s) (#1)"]


def test_capability_evidence_level_change_end_to_end(story: Story) -> None:
    """Evidence on a capability → preview with the level change → approve → the bot branch."""
    assert story.open_issue(1, GO_CLI_UP) == 0
    [sticky] = story.bot_comments(1)
    assert "CLI Tooling: level 1 → 2 (higher)" in sticky
    assert "| OpenSSF: Vulnerability warnings when installing | `partial` | `yes` |" in sticky

    story.comment(1, 11, OWNER, "/packman approve")

    assert story.labels(1)[-1] == StateLabel.APPROVED.value
    data = git(story.repo, "show", f"{BOT_BRANCH}:assessments/registries/go-modules.yml")
    assert 'install-vulnerability-warnings:\n    status: "yes"' in data
    assert "CLI Tooling: level 1 → 2" in story.pull()["body"]
    page = git(story.repo, "show", f"{BOT_BRANCH}:docs/registries/go-modules.md")
    assert "CLI Tooling 2" in page


def test_level_drop_needs_allow_downgrade(story: Story) -> None:
    """A lower OpenSSF level is refused by a plain approve, like a lower tier."""
    story.open_issue(1, PYPI_ROLES_DOWN)
    [sticky] = story.bot_comments(1)
    assert "Authorization: level 3 → 1 (lower)" in sticky
    assert "lowers the OpenSSF Authorization level from 3 to 1" in sticky

    story.comment(1, 11, OWNER, "/packman approve")
    assert "--allow-downgrade" in story.bot_comments(1)[-1]
    assert not story.has_branch()

    story.comment(1, 12, OWNER, "/packman approve --allow-downgrade")
    assert story.labels(1)[-1] == StateLabel.APPROVED.value


def test_notes_shown_in_preview_and_pull_request_as_published(story: Story) -> None:
    """The preview and the PR body carry the notes exactly as the registry page shows them."""
    notes = "Scans <b>every</b> upload for tokens; ask @octocat about #12 *first*."
    story.open_issue(1, PACKAGIST_UP.replace("Test note.", notes))
    published = pages.published_notes(notes)

    story.comment(1, 11, OWNER, "/packman approve")

    page = git(story.repo, "show", f"{BOT_BRANCH}:docs/registries/packagist.md")
    assert published in page
    assert published in story.bot_comments(1)[0]
    assert published in story.pull()["body"]
    assert "<b>" not in story.pull()["body"]


def test_look_alike_proposals_warn_and_only_the_first_lands(story: Story, tmp_path: Path) -> None:
    """ "Hex" and "HEX" give one id: a warning naming the other issue, the second refused."""
    story.open_issue(1, bodies.proposal(name="Hex"), label="packman: proposal")
    story.open_issue(2, bodies.proposal(name="HEX"), label="packman: proposal")
    assert "Issue #1 also proposes a registry, “Hex”" in story.bot_comments(2)[0]

    story.comment(1, 11, OWNER, "/packman approve")
    story.comment(2, 12, OWNER, "/packman approve")

    assert "I cannot approve this" in story.bot_comments(2)[-1]
    assert "issue #1 already adds" in story.bot_comments(2)[-1]
    assert story.labels(2)[-1] == StateLabel.READY.value
    assert story.branch_log() == ["Add Hex to packman (#1)"]
    checkout = tmp_path / "branch"
    git(story.repo, "worktree", "add", "-q", str(checkout), BOT_BRANCH)
    assert main(["--root", str(checkout), "check"]) == 0
