"""The OpenSSF assessment form, and the rules every capability rating follows.

A capability whose track the WG's taxonomy does not apply to (no accounts, no uploads) can
only be ``n/a``; ``n/a`` where the track applies needs a source or a note saying why.
"""

from __future__ import annotations

from bot.data.changes import Rating, RatingChange
from bot.data.codec import MAX_NOTES
from bot.data.model import STATUS_NEEDS_EVIDENCE, Dataset, PackageKind, Profile, Registry, Status
from bot.forms.checker import (
    Checker,
    Validation,
    na_needs_reason,
    note_no_change,
    per_control_lines,
    registry_choice,
)
from bot.forms.kinds import NO_CHANGE

PROFILE = "profile"
"""The line key, in Evidence and Notes, of the taxonomy answers' sources and reasons."""


def capability_rubric(
    dataset: Dataset, capability_id: str, registry: Registry | None
) -> dict[Status, str]:
    """A capability's rubric, with n/a added where its track does not apply to ``registry``."""
    capability = dataset.principles.get(capability_id)
    rubric = dict(capability.rubric)
    track = dataset.principles.track(capability.track)
    if registry is not None and not track.applies_to(registry.profile):
        rubric[Status.NA] = "the track does not apply"
    return rubric


def applies(dataset: Dataset, capability_id: str, profile: Profile | None) -> bool:
    return dataset.principles.track(dataset.principles.get(capability_id).track).applies_to(profile)


def outside_track(dataset: Dataset, capability_id: str) -> str:
    track = dataset.principles.track(dataset.principles.get(capability_id).track)
    return (
        f"the {track.title} track does not apply to this registry ({track.applies}); "
        "rate it n/a, or change the taxonomy answers"
    )


def openssf_form(check: Checker) -> Validation:
    registry = registry_choice(check)
    principles = check.dataset.principles
    options = [NO_CHANGE, *(s.value for s in Status)]
    chosen = {i: check.choice(i, options) for i in principles.ids()}
    changed = {i: Status(v) for i, v in chosen.items() if v and v != NO_CHANGE}
    ids = (*principles.ids(), PROFILE)
    evidence = per_control_lines(check, "evidence", 40_000, ids, "trusted-publishing")
    notes = per_control_lines(check, "notes", 40_000, ids, "trusted-publishing")
    check.confirmed()
    profile = _profile(check, registry, evidence.get(PROFILE, ""), notes.get(PROFILE, ""))
    for stray in (set(evidence) | set(notes)) - set(changed) - {PROFILE}:
        check.error("evidence" if stray in evidence else "notes", stray,
                    f"mentions {stray}, but its dropdown says '{NO_CHANGE}'; pick a status or "
                    "remove the line")  # fmt: skip
    if not changed and profile is None:
        check.error("registry", None, f"everything says '{NO_CHANGE}': there is nothing to change")
    if registry is None:
        return check.result(None)
    effective = profile or registry.profile
    ratings = tuple(
        _capability_rated(check, i, s, evidence.get(i, ""), notes.get(i, ""), profile=effective)
        for i, s in changed.items()
    )
    for rating in ratings:
        note_no_change(check, registry, rating)
    return check.result(RatingChange(registry.id, ratings, profile))


def _profile(check: Checker, registry: Registry | None, links: str, notes: str) -> Profile | None:
    accounts = check.choice("accounts", [NO_CHANGE, "yes", "no"])
    packages = check.choice("packages", [NO_CHANGE, *(k.value for k in PackageKind)])
    if accounts in (None, NO_CHANGE) and packages in (None, NO_CHANGE):
        return None
    current = registry.profile if registry else None
    if current is None and NO_CHANGE in (accounts, packages):
        check.error("accounts" if accounts == NO_CHANGE else "packages", NO_CHANGE,
                    "this registry has no taxonomy yet: answer both questions")  # fmt: skip
        return None
    sources = check.links("evidence", [links])
    if not sources:
        check.error("evidence", None, "has no `profile:` line, but the taxonomy answers need an "
                    "https source")  # fmt: skip
    has_accounts = current.accounts if accounts == NO_CHANGE and current else accounts == "yes"
    kind = current.packages if packages == NO_CHANGE and current else PackageKind(packages or "")
    return Profile(has_accounts, kind, sources, notes)


def _capability_rated(
    check: Checker, capability: str, status: Status, evidence: str, notes: str,
    *, profile: Profile | None,
) -> Rating:  # fmt: skip
    links = check.links("evidence", [evidence])
    label = check.label(capability)
    if status in STATUS_NEEDS_EVIDENCE and not links:
        check.error("evidence", None, f"has no line for {capability}, but status "
                    f"'{status.value}' needs an https source")  # fmt: skip
    in_track = applies(check.dataset, capability, profile)
    rubric = check.dataset.principles.get(capability).rubric
    if not in_track and status not in (Status.NA, Status.UNKNOWN):
        check.error(capability, status.value, outside_track(check.dataset, capability))
    elif in_track and status not in rubric and status is not Status.UNKNOWN:
        check.error(capability, status.value, "is not defined for this capability (see its "
                    "rubric on docs/openssf.md)")  # fmt: skip
    if in_track:
        na_needs_reason(check, capability, status, links, notes)
    if len(notes) > MAX_NOTES:
        check.error("notes", notes, f"the note for {label} is longer than {MAX_NOTES} characters")
    return Rating(capability, status, links, notes, capability=True)
