"""Rendering only what an approval changed gives the outputs of a full render."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from bot.data import changes
from bot.data.changes import Change, NewRegistry, Rating, RatingChange
from bot.data.model import Assessment, Dataset, Status
from bot.render import export, outputs
from bot.review import rebuild
from bot.review.events import Issue
from bot.review.sticky import ApprovalRecord
from tests.helpers import project

DAY = dt.date(2026, 3, 1)


def _rating(registry: str, control: str, status: Status) -> RatingChange:
    note = f"Checked {control} of {registry}."
    return RatingChange(
        registry, (Rating(control, status, ("https://example.org/evidence",), note),)
    )


def _new(dataset: Dataset, registry_id: str, name: str) -> NewRegistry:
    template = dataset.registries[0]
    unknown = {c: Assessment(Status.UNKNOWN) for c in template.controls}
    added = replace(template, id=registry_id, name=name, controls=unknown, history=())
    return NewRegistry(added, "It hosts packages.")


def _steps(dataset: Dataset) -> list[Change]:
    ids = [r.id for r in dataset.registries]
    control = dataset.catalog.ids()[0]
    other = dataset.catalog.ids()[-1]
    return [
        _rating(ids[0], control, Status.YES),
        _rating(ids[1], other, Status.NO),
        _rating(ids[0], other, Status.PARTIAL),  # the same registry again
        _rating(ids[0], other, Status.PARTIAL),  # re-verified, status unchanged
        _new(dataset, "zz-new", "ZZ New"),  # forms change: a registry is added
        _rating("zz-new", control, Status.YES),
    ]


def test_render_after_each_approval_equals_a_full_render() -> None:
    """Six approvals in a row, on one registry, another, a new one: equal to render_all each time."""
    snapshot = dict(project.files())
    dataset = project.dataset()
    rendered = outputs.render_all(snapshot, dataset)
    snapshot.update(rendered)
    for number, change in enumerate(_steps(dataset), start=1):
        approval = changes.Approval(number, "alice", "maint", DAY)
        after = changes.apply(dataset, change, approval)
        rendered = outputs.render_after(snapshot, dataset, after, rendered)

        assert rendered == outputs.render_all(snapshot, after), number
        # The export's reused entries equal an export written from scratch.
        assert rendered[export.EXPORT] == export.dumps(export.build(after)), number
        snapshot.update(rendered)
        dataset = after


def test_a_changed_catalog_renders_everything() -> None:
    """Outside what an approval changes, render_after is a full render."""
    files, dataset = project.files(), project.dataset()
    rendered = outputs.render_all(files, dataset)
    controls = dataset.catalog.controls
    retitled = replace(dataset.catalog, controls=(replace(controls[0], title="New"), *controls[1:]))
    after = replace(dataset, catalog=retitled)

    assert outputs.render_after(files, dataset, after, rendered) == outputs.render_all(files, after)


def _approved(dataset: Dataset) -> list[rebuild.Approved]:
    return [
        rebuild.Approved(
            Issue(number, f"Issue {number}", "", "alice", (), True),
            change,
            ApprovalRecord("maint", "0" * 64, 1000 + number, DAY.isoformat()),
        )
        for number, change in enumerate(_steps(dataset), start=1)
    ]


def test_the_bot_branch_equals_one_built_with_full_renders(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same commits, files, body and fingerprint as rendering every step in full."""
    files, dataset = project.files(), project.dataset()
    quick = rebuild.build(project.main_state(files, "a" * 40, DAY), _approved(dataset))
    monkeypatch.setattr(
        outputs, "render_after", lambda snap, _before, after, _prev: outputs.render_all(snap, after)
    )
    full = rebuild.build(project.main_state(files, "a" * 40, DAY), _approved(dataset))

    assert len(quick.commits) == 6  # one per approval (a re-verification adds history)
    assert quick == full
