"""The example registries of ``examples/registries`` land through the bot, as a contributor files them.

Each registry is proposed, assessed on every control and assessed on every OpenSSF capability,
one issue at a time, each approved by the owner and merged. The test then reads the result back
and compares it with what the bodies asked for, so the forms, validation, preview, approval,
rebuild and merge are all exercised on real, full-length content.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.data import store
from bot.data.model import Registry, Status
from bot.forms import answers, kinds
from bot.forms.kinds import NO_CHANGE
from bot.forms.names import slug
from tests.helpers import registry_story
from tests.helpers.registry_story import Filing
from tests.helpers.story import Story

FILINGS = registry_story.filings()
pytestmark = pytest.mark.skipif(not FILINGS, reason="examples/registries holds no example story")


def _fields(root: Path, item: Filing) -> dict[str, object]:
    form = kinds.load(root, item.kind.value)
    return dict(answers.parse_body(form, item.body))


def _expected(root: Path, item: Filing, ids: list[str]) -> dict[str, Status]:
    """The status each dropdown of an assessment body asks for, by control or capability id."""
    fields = _fields(root, item)
    return {i: Status(str(fields[i])) for i in ids if fields.get(i) not in (None, NO_CHANGE)}


def test_every_example_registry_lands_as_filed(story: Story) -> None:
    registry_story.land(story, FILINGS)
    dataset = store.load_dataset(story.repo)
    for item in FILINGS:
        if item.kind is kinds.FormKind.PROPOSAL:
            name = str(_fields(story.repo, item)["name"])
            assert slug(name) == item.registry, f"{item.title}: directory is not the registry's id"
            continue
        registry: Registry = dataset.registry(item.registry)
        openssf = item.kind is kinds.FormKind.OPENSSF
        cells = registry.capabilities if openssf else registry.controls
        ids = list(dataset.principles.ids() if openssf else dataset.catalog.ids())
        expected = _expected(story.repo, item, ids)
        assert expected, f"{item.title}: the body rates nothing"
        assert {k: cells[k].status for k in expected} == expected, item.title
        assert all(cells[k].provenance.approved_by for k in expected), item.title
    for registry_id in {item.registry for item in FILINGS}:
        registry = dataset.registry(registry_id)
        statuses = [
            a.status for a in (*registry.controls.values(), *registry.capabilities.values())
        ]
        assert statuses.count(Status.UNKNOWN) <= 0.15 * len(statuses), registry_id
    assert main(["--root", str(story.repo), "check"]) == 0
