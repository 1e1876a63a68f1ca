"""The bot end to end with the LocalBackend: real git in a temporary repository, issues as JSON files."""

from __future__ import annotations

import json

import pytest

from bot.backends.local import BOT_LOGIN
from bot.cli import main
from bot.data import store
from bot.review.labels import StateLabel
from bot.review.plan import BOT_BRANCH
from tests.helpers import bodies
from tests.helpers.project import run_git as git
from tests.helpers.story import OWNER, PACKAGIST_UP, REPO, Story


def test_whole_story(story: Story) -> None:
    """Issue opened → preview → approved → bot branch and PR → merged → applied."""
    assert story.open_issue(1, PACKAGIST_UP) == 0
    assert story.labels(1) == ["packman: evidence", StateLabel.READY.value]
    [sticky] = story.bot_comments(1)
    assert "Tier 1 → **Tier 2** (higher)" in sticky
    assert "| Prevents Credential from Being Published | `no` | `partial` |" in sticky

    assert story.comment(1, 11, OWNER, "/packman approve") == 0
    assert story.labels(1)[-1] == StateLabel.APPROVED.value
    assert story.branch_log() == ["Packagist (Composer): 1 rating(s) (#1)"]
    changed = git(story.repo, "diff", "--name-only", f"main..{BOT_BRANCH}").splitlines()
    assert "assessments/registries/packagist.yml" in changed and "README.md" in changed
    pull = story.pull()
    assert (pull["state"], pull["head"]["ref"]) == ("open", BOT_BRANCH)
    assert "Closes #1" in pull["body"]
    assert git(story.repo, "rev-parse", "HEAD") == git(
        story.repo, "rev-parse", "main"
    )  # main untouched

    assert story.merge() == 0
    assert story.labels(1)[-1] == StateLabel.APPLIED.value
    assert story.issue(1)["state"] == "closed"
    data = (story.repo / "assessments/registries/packagist.yml").read_text()
    assert "approved_by: acme" in data and "submitted_by: casey" in data and "issue: 1" in data
    assert main(["--root", str(story.repo), "check"]) == 0


def test_every_event_twice_changes_nothing(story: Story) -> None:
    """Re-delivering any event leaves the state files and the bot branch as they were."""
    for send in (
        lambda: story.open_issue(1, PACKAGIST_UP),
        lambda: story.comment(1, 11, OWNER, "/packman approve"),
    ):
        send()
        before = story.snapshot()
        send()
        assert story.snapshot() == before


def test_refused_approval(story: Story) -> None:
    """A triager's approve gets a reply and changes nothing else."""
    story.open_issue(1, PACKAGIST_UP)

    story.comment(1, 11, "tess", "/packman approve")

    assert "only maintainers" in story.bot_comments(1)[-1]
    assert "`triage`" in story.bot_comments(1)[-1]
    assert story.labels(1)[-1] == StateLabel.READY.value
    assert not story.has_branch()


def test_write_permission_can_approve(story: Story) -> None:
    """A collaborator with write permission is a maintainer."""
    story.open_issue(1, PACKAGIST_UP)

    story.comment(1, 11, "wendy", "/packman approve")

    assert story.labels(1)[-1] == StateLabel.APPROVED.value


def test_edit_after_approval_voids_it(story: Story) -> None:
    """Editing the body after approval voids the approval and takes the change out of the PR."""
    story.open_issue(1, PACKAGIST_UP)
    story.comment(1, 11, OWNER, "/packman approve")

    story.open_issue(1, PACKAGIST_UP.replace("Test note.", "Edited note."), action="edited")

    assert story.labels(1)[-1] == StateLabel.READY.value
    assert "voided because the issue was edited" in story.bot_comments(1)[0]
    assert story.pull()["state"] == "closed"


def test_two_approvals_two_commits(story: Story) -> None:
    """Two issues approved in turn land as two commits in one pull request."""
    second = bodies.evidence(
        registry="Maven Central",
        control="Update notifications",
        status="no",
        links="https://central.sonatype.org/publish/",
        notes="No mail found.",
    )
    story.open_issue(1, PACKAGIST_UP)
    story.open_issue(2, second)

    story.comment(1, 11, OWNER, "/packman approve")
    story.comment(2, 12, OWNER, "/packman approve")

    assert story.branch_log() == [
        "Maven Central: Update notifications is no (#2)",
        "Packagist (Composer): 1 rating(s) (#1)",
    ]
    body = story.pull()["body"]
    assert "Closes #1" in body and "Closes #2" in body


def test_tier_drop_needs_allow_downgrade(story: Story) -> None:
    """A change that lowers a tier is refused by plain approve and accepted with --allow-downgrade."""
    drop = bodies.evidence(
        registry="PyPI",
        control="Security Contacts",
        status="no",
        links="https://docs.pypi.org/",
        notes="Hypothetical.",
    )
    story.open_issue(1, drop)
    assert "lowers the tier" in story.bot_comments(1)[0]

    story.comment(1, 11, OWNER, "/packman approve")
    assert "--allow-downgrade" in story.bot_comments(1)[-1]
    assert not story.has_branch()

    story.comment(1, 12, OWNER, "/packman approve --allow-downgrade")
    assert story.labels(1)[-1] == StateLabel.APPROVED.value
    assert story.has_branch()


def test_reject_closes_as_not_planned(story: Story) -> None:
    """A maintainer's reject closes the issue with the reason; a reject without reason is refused."""
    story.open_issue(1, PACKAGIST_UP)
    story.comment(1, 11, OWNER, "/packman reject")
    assert "give a reason" in story.bot_comments(1)[-1]

    story.comment(1, 12, OWNER, "/packman reject the link is not official")

    assert (story.issue(1)["state"], story.issue(1)["state_reason"]) == ("closed", "not_planned")
    assert story.labels(1)[-1] == StateLabel.REJECTED.value
    assert "the link is not official" in story.bot_comments(1)[0]


def test_invalid_issue_gets_errors_and_cannot_be_approved(story: Story) -> None:
    """An invalid submission gets the error table; approving it is refused."""
    story.open_issue(1, bodies.evidence(registry="npmm", links="http://x.example/"))

    assert story.labels(1)[-1] == StateLabel.NEEDS_CHANGES.value
    assert "did you mean **npm**?" in story.bot_comments(1)[0]
    story.comment(1, 11, OWNER, "/packman approve")
    assert "cannot approve" in story.bot_comments(1)[-1]
    assert not story.has_branch()


def test_bot_events_and_quoted_commands_are_ignored(story: Story) -> None:
    """The bot's own comment, and a command inside a quote, do nothing."""
    story.open_issue(1, PACKAGIST_UP)
    before = story.snapshot()

    story.comment(1, 11, BOT_LOGIN, "/packman approve")
    story.comment(1, 12, OWNER, "> /packman approve")

    files, branch = story.snapshot()
    assert branch == before[1] == ""
    assert story.labels(1)[-1] == StateLabel.READY.value
    assert not any("packman:reply" in body for body in story.bot_comments(1))
    assert files.keys() == before[0].keys()


def test_non_packman_issue_is_left_alone(story: Story) -> None:
    """An issue that is not from a packman form gets no comment and no label."""
    story.send(
        "issues",
        {
            "action": "opened",
            "sender": {"login": "x"},
            "issue": {
                "number": 1,
                "title": "question",
                "body": "How do I...?",
                "user": {"login": "x"},
                "labels": [],
                "state": "open",
            },
        },
    )

    assert story.issue(1).get("comments") == []
    assert story.labels(1) == []


def test_dry_run_changes_nothing(story: Story, capsys: pytest.CaptureFixture[str]) -> None:
    """--dry-run prints the plan and writes nothing."""
    story.open_issue(1, PACKAGIST_UP)
    before = story.snapshot()
    issue = story.issue(1)

    path = story.tmp / "dry.json"
    path.write_text(
        json.dumps(
            {
                "repository": REPO,
                "action": "created",
                "sender": {"login": OWNER},
                "issue": {
                    k: issue[k] for k in ("number", "title", "body", "user", "labels", "state")
                },
                "comment": {"id": 99, "user": {"login": OWNER}, "body": "/packman approve"},
            }
        )
    )
    capsys.readouterr()
    code = main(
        [
            "--root",
            str(story.repo),
            "handle",
            "--event",
            str(path),
            "--event-name",
            "issue_comment",
            "--local",
            str(story.state),
            "--dry-run",
        ]
    )

    assert code == 0
    out = capsys.readouterr().out
    assert (
        "bot branch packman/pending = main + 1 commit(s)" in out
        and "dry run: nothing was changed" in out
    )
    assert story.snapshot() == before


def _open(story: Story, number: int, body: str, label: str) -> int:
    issue = {
        "number": number,
        "title": "t",
        "body": body,
        "user": {"login": "casey"},
        "labels": [{"name": label}],
        "state": "open",
    }
    return story.send("issues", {"action": "opened", "issue": issue, "sender": {"login": "casey"}})


def test_proposal_adds_a_registry_and_its_form_option(story: Story) -> None:
    """A proposed registry gets a preview, and once approved the bot branch adds its file, page and form option."""
    assert _open(story, 1, bodies.proposal(), "packman: proposal") == 0
    assert "**Hex** would be added to packman" in story.bot_comments(1)[0]

    story.comment(1, 11, OWNER, "/packman approve")

    changed = git(story.repo, "diff", "--name-only", f"main..{BOT_BRANCH}").splitlines()
    assert {
        "assessments/registries/hex.yml",
        "docs/registries/hex.md",
        ".github/ISSUE_TEMPLATE/evidence.yml",
    } <= set(changed)
    assert story.branch_log() == ["Add Hex to packman (#1)"]


def test_assessment_form_changes_several_controls(story: Story) -> None:
    """A registry assessment with two changed controls lands as one commit touching that registry."""
    titles = {c.id: c.title for c in store.load_dataset(story.repo).catalog.controls}
    body = bodies.assessment(
        "CocoaPods",
        {"mfa-to-push": "partial", "code-signing": "partial"},
        titles,
        links="mfa-to-push: https://guides.cocoapods.org/making/getting-setup-with-trunk.html\n"
        "code-signing: https://guides.cocoapods.org/",
        notes="mfa-to-push: Test.\ncode-signing: Test.",
    )
    assert _open(story, 1, body, "packman: assessment") == 0
    assert "| MFA To Push Artifacts | `no` | `partial` |" in story.bot_comments(1)[0]

    story.comment(1, 11, OWNER, "/packman approve")

    assert story.branch_log() == ["CocoaPods: 2 rating(s) (#1)"]
    data = git(story.repo, "show", f"{BOT_BRANCH}:assessments/registries/cocoapods.yml")
    assert data.count("issue: 1") == 3  # two ratings' provenance and the history entry
