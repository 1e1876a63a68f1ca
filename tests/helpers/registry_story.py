"""Registries added the way a contributor adds one: three issues per registry, each approved and
merged through ``packman handle --local``.

``examples/registries/<id>/`` holds the bodies, numbered in the order they are filed:
``1-proposal.md`` (Propose a package management system), ``2-assessment.md`` (Registry
assessment: every control) and ``3-openssf.md`` (OpenSSF assessment: the taxonomy and every
capability). ``land`` files them one after another on a repository, as GitHub would deliver them,
approves each as the owner and merges the bot's pull request before the next is filed, because
an assessment can only name a registry that is already on ``main``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.forms.kinds import FormKind
from tests.helpers.paths import PROJECT
from tests.helpers.story import Story

EXAMPLES = PROJECT / "examples" / "registries"
CONTRIBUTOR = "rowan"
"""The contributor who files the example issues (the project's own example login)."""


@dataclass(frozen=True)
class Filing:
    """One example issue: which registry, which form, and its body as GitHub writes it."""

    registry: str
    kind: FormKind
    body: str

    @property
    def title(self) -> str:
        return f"{self.registry}: {self.kind.value}"


def filings(examples: Path = EXAMPLES) -> list[Filing]:
    """Every example issue, registry by registry, in filing order."""
    found = []
    for directory in sorted(p for p in examples.iterdir() if p.is_dir()):
        for path in sorted(directory.glob("*.md")):
            kind = FormKind(path.stem.split("-", 1)[1])
            found.append(Filing(directory.name, kind, path.read_text(encoding="utf-8")))
    return found


class LandingError(RuntimeError):
    """An example issue was not approved or its pull request did not merge."""


def land(
    story: Story, items: list[Filing], first_number: int = 1, contributor: str = CONTRIBUTOR
) -> None:
    """File, approve (as the repository's owner) and merge each of ``items`` in turn; raise
    when one does not land."""
    for number, item in enumerate(items, start=first_number):
        opened = story.open_issue(number, item.body, contributor, label=item.kind.label.value)
        approved = story.comment(number, 70_000 + number, story.owner, "/packman approve")
        if opened or approved or not story.has_branch():
            raise LandingError(
                f"{item.title} (#{number}) was not approved: {story.bot_comments(number)[-1:]}"
            )
        if story.merge() != 0:
            raise LandingError(f"merging the bot pull request for {item.title} (#{number}) failed")
