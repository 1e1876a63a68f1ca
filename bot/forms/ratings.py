"""The evidence form (one control or capability) and the assessment form (many controls)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.data.changes import Rating, RatingChange
from bot.data.codec import MAX_NOTES
from bot.data.model import STATUS_NEEDS_EVIDENCE, Dataset, Status
from bot.forms.capabilities import applies, capability_rubric, outside_track
from bot.forms.checker import (
    Checker,
    Validation,
    na_needs_reason,
    needs_evidence,
    note_no_change,
    per_control_lines,
    registry_choice,
)
from bot.forms.kinds import NO_CHANGE, capability_label


@dataclass(frozen=True)
class _Target:
    """What the evidence form's Control dropdown can name: a control or a capability."""

    id: str
    capability: bool
    rubric: Mapping[Status, str]
    where: str
    """Where its rubric is published, for messages."""


def _targets(dataset: Dataset) -> dict[str, _Target]:
    found = {
        c.title: _Target(c.id, False, c.rubric, "the README") for c in dataset.catalog.controls
    }
    for c in dataset.principles.capabilities:
        label = capability_label(c.title, c.level)
        found[label] = _Target(
            c.id, True, capability_rubric(dataset, c.id, None), "docs/openssf.md"
        )
    return found


def evidence_form(check: Checker) -> Validation:
    registry = registry_choice(check)
    targets = _targets(check.dataset)
    titles = {label: t.id for label, t in targets.items()}
    control = check.choice("control", list(titles))
    status = check.choice("status", [s.value for s in Status])
    links = check.links("evidence", check.text("evidence", required=False, limit=6000).splitlines())
    notes = check.text("notes", limit=MAX_NOTES)
    check.confirmed()
    if status:
        needs_evidence(check, "evidence", Status(status), links)
    if registry is None or control is None or status is None:
        return check.result(None)
    target = targets[control]
    rubric = (
        capability_rubric(check.dataset, target.id, registry)
        if target.capability
        else target.rubric
    )
    if Status(status) not in rubric and status != Status.UNKNOWN:
        check.error(
            "status", status, f"is not defined for {control} (see its rubric in {target.where})"
        )
    outside = target.capability and not applies(check.dataset, target.id, registry.profile)
    if outside and Status(status) is not Status.NA:
        check.error("status", status, outside_track(check.dataset, target.id))
    rating = Rating(target.id, Status(status), links, " ".join(notes.split()), target.capability)
    note_no_change(check, registry, rating)
    return check.result(RatingChange(registry.id, (rating,)))


def assessment_form(check: Checker) -> Validation:
    registry = registry_choice(check)
    options = [NO_CHANGE, *(s.value for s in Status)]
    chosen = {i: check.choice(i, options) for i in check.dataset.catalog.ids()}
    changed = {i: Status(v) for i, v in chosen.items() if v and v != NO_CHANGE}
    evidence = per_control_lines(check, "evidence", 20_000)
    notes = per_control_lines(check, "notes", 20_000)
    check.confirmed()
    for stray in (set(evidence) | set(notes)) - set(changed):
        check.error(
            "evidence" if stray in evidence else "notes",
            stray,
            f"mentions {stray}, but its dropdown says '{NO_CHANGE}'; pick a status or remove "
            "the line",
        )
    ratings = tuple(
        _assessed(check, i, s, evidence.get(i, ""), notes.get(i, "")) for i, s in changed.items()
    )
    if not changed:
        check.error(
            "registry", None, f"every control says '{NO_CHANGE}': there is nothing to change"
        )
    if registry is None:
        return check.result(None)
    for rating in ratings:
        note_no_change(check, registry, rating)
    return check.result(RatingChange(registry.id, ratings))


def _assessed(check: Checker, control: str, status: Status, evidence: str, notes: str) -> Rating:
    links = check.links("evidence", [evidence])
    if status in STATUS_NEEDS_EVIDENCE and not links:
        check.error(
            "evidence",
            None,
            f"has no line for {control}, but status '{status.value}' needs an https source",
        )
    if status not in check.dataset.catalog.get(control).rubric and status is not Status.UNKNOWN:
        check.error(
            control, status.value, "is not defined for this control (see its rubric in the README)"
        )
    na_needs_reason(check, control, status, links, notes)
    if len(notes) > MAX_NOTES:
        check.error("notes", notes, f"the note for {control} is longer than {MAX_NOTES} characters")
    return Rating(control, status, links, notes)
