"""CI: land three ordinary data changes through the bot, in a throw-away clone, like a maintainer.

    .venv/bin/python .ci/data_changes.py CLONE

In CLONE (a git clone of this repository, on main) each change goes the whole way through
``packman handle --local``: the issue is opened, the owner approves, the bot branch is merged
fast-forward and the merge event is delivered. The changes are chosen from the data as it is,
so they stay ordinary whatever the ratings are by then:

1. a status change that moves a registry's tier (up when it can go up, down otherwise);
2. a new registry through the proposal form;
3. a longer note (near the limit) on a rating whose status stays the same.

CI then runs the README's test command in CLONE: no test may depend on the live data.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.data import store, tiers
from bot.data.codec import MAX_NOTES
from bot.data.model import Dataset, Registry, Status
from tests.helpers import bodies
from tests.helpers.story import OWNER, Story

EVIDENCE = "https://example.org/packman-ci/evidence"


def _tier_move(dataset: Dataset) -> tuple[Registry, str, Status, bool]:
    """A registry, a control and a status that change its tier; True when that lowers it."""
    for registry in dataset.registries:
        result = tiers.compute(registry, dataset.policy, dataset.catalog)
        if result.gap:
            gap = result.gap[0]
            rubric = dataset.catalog.get(gap.control).rubric
            raised = [s for s in (Status.PARTIAL, Status.YES) if s in gap.needed and s in rubric]
            if raised and all(u.control == gap.control for u in result.gap):
                return registry, gap.control, raised[0], False
    for registry in dataset.registries:
        result = tiers.compute(registry, dataset.policy, dataset.catalog)
        rule = dataset.policy.tiers[result.tier - 1]
        for control in rule.required(dataset.catalog):
            if result.tier > 1 and Status.NO in dataset.catalog.get(control).rubric:
                return registry, control, Status.NO, True
    raise SystemExit("no single rating changes a tier in this data")


def _land(story: Story, number: int, body: str, label: str, approve: str) -> None:
    steps = [
        story.open_issue(number, body, author="ci-contributor", label=label),
        story.comment(number, 9000 + number, OWNER, approve),
    ]
    if any(steps) or not story.has_branch():
        raise SystemExit(f"issue #{number} was not approved: {story.bot_comments(number)}")
    if story.merge() != 0:
        raise SystemExit(f"merging the bot pull request for #{number} failed")
    print(f"landed #{number}: {story.branch_log() or 'merged'}")


def main(clone: Path) -> int:
    scratch = Path(tempfile.mkdtemp(prefix="packman-ci-"))
    state = scratch / "state"
    (state / "issues").mkdir(parents=True)
    story = Story(clone, state, scratch)
    dataset = store.load_dataset(clone)
    registry, control, status, lowers = _tier_move(dataset)
    title = dataset.catalog.get(control).title
    body = bodies.evidence(registry.name, title, status.value, EVIDENCE, "CI: moves the tier.")
    _land(story, 1, body, "packman: evidence",
          "/packman approve --allow-downgrade" if lowers else "/packman approve")  # fmt: skip
    homepage = "https://example.org/packman-ci/"
    proposal = bodies.proposal("Packman CI Registry", "Testing", homepage, "ci")
    _land(story, 2, proposal, "packman: proposal", "/packman approve")
    dataset = store.load_dataset(clone)
    target = dataset.registries[0]
    rated = next(c for c, a in target.controls.items() if a.status is not Status.UNKNOWN)
    rating = target.controls[rated]
    note = ("A longer note written by the CI story to check that nothing depends on how long "
            "notes are. " * 20)[: MAX_NOTES - 10].strip()  # fmt: skip
    links = "\n".join(rating.evidence) or EVIDENCE
    body = bodies.evidence(target.name, dataset.catalog.get(rated).title, rating.status.value,
                           links, note)  # fmt: skip
    _land(story, 3, body, "packman: evidence", "/packman approve")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
