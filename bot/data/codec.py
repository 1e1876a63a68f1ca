"""Conversions between parsed YAML data and the domain values, both ways.

``*_from_data`` validates while it converts and appends every problem it finds to
a list; ``*_to_data`` gives the plain mapping that ``bot.data.strict_yaml.dump`` writes.
Key order in ``*_to_data`` is the canonical order of the files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from bot.data.field_reader import FieldReader
from bot.data.model import (
    STATUS_NEEDS_EVIDENCE,
    STATUSES,
    Adoption,
    Assessment,
    Catalog,
    Control,
    HistoryEntry,
    Identifiers,
    Lifecycle,
    LifecycleState,
    OpenSSFRef,
    PackageKind,
    Profile,
    Provenance,
    Registry,
    ScvsRef,
    Status,
    StatusChange,
    TierPolicy,
    TierRule,
    in_order,
)
from bot.data.principles import Principles
from bot.errors import Problem
from bot.suggest import did_you_mean, not_one_of

_EPOCH = dt.date(1970, 1, 1)
MAX_NOTES = 1000
"""Longest note accepted for one rating."""
MAX_STALE_DAYS = 36_500
"""Longest freshness limit accepted (a century)."""


# --- catalog -----------------------------------------------------------------


def catalog_from_data(data: Any, source: str, problems: list[Problem]) -> Catalog:
    top = FieldReader(data, source, "", problems)
    top.only(("sources", "controls"))
    sources = top.sub("sources")
    sources.only(("openssf", "scvs"))
    links = {k: sources.url(k) for k in ("openssf", "scvs") if k in sources.data}
    controls = tuple(_control(item) for item in top.items("controls", required=True))
    _unique([c.id for c in controls], source, "controls", problems)
    return Catalog(controls=controls, sources=links)


def _control(f: FieldReader) -> Control:
    f.only(("id", "title", "definition", "rubric", "openssf", "scvs"))
    rubric_fields = f.sub("rubric")
    rubric_fields.only(STATUSES)
    rubric = {
        Status(k): rubric_fields.text(k, limit=600) for k in STATUSES if k in rubric_fields.data
    }
    return Control(
        id=f.ident("id"),
        title=f.text("title", limit=80),
        definition=f.text("definition", limit=400),
        rubric=rubric,
        openssf=tuple(_openssf(item) for item in f.items("openssf")),
        scvs=tuple(_scvs(item) for item in f.items("scvs")),
    )


def _openssf(f: FieldReader) -> OpenSSFRef:
    f.only(("track", "level", "item"))
    track = f.choice(
        "track", ("Authentication", "Authorization", "General Capabilities", "CLI Tooling")
    )
    return OpenSSFRef(
        track=track or "", level=f.typed("level", int, 0), item=f.text("item", limit=200)
    )


def _scvs(f: FieldReader) -> ScvsRef:
    f.only(("item", "text"))
    return ScvsRef(item=f.text("item", limit=10), text=f.text("text", limit=200))


def catalog_to_data(catalog: Catalog) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if catalog.sources:
        data["sources"] = dict(catalog.sources)
    data["controls"] = [_control_data(c) for c in catalog.controls]
    return data


def _control_data(control: Control) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": control.id,
        "title": control.title,
        "definition": control.definition,
        "rubric": {s.value: control.rubric[s] for s in Status if s in control.rubric},
    }
    if control.openssf:
        data["openssf"] = [
            {"track": r.track, "level": r.level, "item": r.item} for r in control.openssf
        ]
    if control.scvs:
        data["scvs"] = [{"item": r.item, "text": r.text} for r in control.scvs]
    return data


def _unique(ids: list[str], source: str, path: str, problems: list[Problem]) -> None:
    for seen_twice in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(Problem(f"{source}: {path}", f"id {seen_twice!r} appears more than once"))


# --- tier policy ---------------------------------------------------------------


def policy_from_data(
    data: Any, source: str, catalog: Catalog, problems: list[Problem]
) -> TierPolicy:
    top = FieldReader(data, source, "", problems)
    top.only(("stale_after_days", "tiers"))
    stale = top.typed("stale_after_days", int, 365)
    if not 0 < stale <= MAX_STALE_DAYS:  # a larger value would put "today - limit" before year 1
        top.problem(
            "stale_after_days",
            f"must be a number of days from 1 to {MAX_STALE_DAYS}, found {stale}",
        )
    rules = tuple(_rule(item, catalog) for item in top.items("tiers", required=True))
    if [r.tier for r in rules] != list(range(1, len(rules) + 1)):
        top.problem("tiers", "tiers must be numbered 1, 2, 3, ... from the lowest up")
    return TierPolicy(tiers=rules, stale_after_days=stale)


def _rule(f: FieldReader, catalog: Catalog) -> TierRule:
    f.only(("tier", "title", "summary", "requires", "all_except", "satisfied_by"))
    if ("requires" in f.data) == ("all_except" in f.data):
        f.problem("", "give exactly one of 'requires' (a list of controls) or 'all_except'")
    requires = _control_ids(f, "requires", catalog) if "requires" in f.data else None
    all_except = _control_ids(f, "all_except", catalog) if "all_except" in f.data else None
    return TierRule(
        tier=f.typed("tier", int, 0),
        title=f.text("title", limit=60),
        summary=f.text("summary", limit=300),
        requires=requires,
        all_except=all_except,
        satisfied_by=frozenset(Status(s) for s in _statuses(f, "satisfied_by")),
    )


def _control_ids(f: FieldReader, key: str, catalog: Catalog) -> tuple[str, ...]:
    ids = f.texts(key, limit=64)
    for index, control_id in enumerate(ids):
        if control_id not in catalog.ids():
            f.problem(f"{key}[{index}]", unknown_control(control_id, catalog))
    return ids


def _statuses(f: FieldReader, key: str) -> tuple[str, ...]:
    values = f.texts(key, limit=20)
    for index, value in enumerate(values):
        if value not in STATUSES:
            f.problem(f"{key}[{index}]", not_one_of(value, STATUSES, "a status"))
    return tuple(v for v in values if v in STATUSES)


def unknown_control(control_id: str, catalog: Catalog) -> str:
    """The message for a control id that is not in the catalog."""
    return (
        f"{control_id!r} is not a control of the catalog{did_you_mean(control_id, catalog.ids())}"
    )


def policy_to_data(policy: TierPolicy) -> dict[str, Any]:
    return {
        "stale_after_days": policy.stale_after_days,
        "tiers": [_rule_data(r) for r in policy.tiers],
    }


def _rule_data(rule: TierRule) -> dict[str, Any]:
    data: dict[str, Any] = {"tier": rule.tier, "title": rule.title, "summary": rule.summary}
    if rule.requires is not None:
        data["requires"] = list(rule.requires)
    else:
        data["all_except"] = list(rule.all_except or ())
    data["satisfied_by"] = in_order(rule.satisfied_by)
    return data


# --- registries --------------------------------------------------------------

REGISTRY_KEYS = (
    "id", "name", "languages", "clients", "homepage", "lead", "identifiers", "lifecycle",
    "profile", "controls", "capabilities", "history",
)  # fmt: skip
ASSESSMENT_KEYS = ("status", "evidence", "notes", "verified", "provenance", "adoption")
IDENTIFIER_KEYS = ("purl", "osv", "depsdev")
IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/+-]*(?: [A-Za-z0-9._:/+-]+)*")
"""An ecosystem identifier: ASCII words separated by single spaces (OSV names one ecosystem
``GitHub Actions``); at most 40 characters."""
IDENTIFIER_RULE = "must be ASCII letters, digits and . _ : / + -, words separated by single spaces"


def registry_from_data(
    data: Any, source: str, catalog: Catalog, principles: Principles, problems: list[Problem]
) -> Registry:
    f = FieldReader(data, source, "", problems)
    f.only(REGISTRY_KEYS)
    profile = _profile(f.sub("profile")) if f.data.get("profile") is not None else None
    return Registry(
        id=f.ident("id"),
        name=f.text("name", limit=60),
        languages=f.texts("languages", limit=40),
        clients=f.texts("clients", limit=40),
        homepage=f.url("homepage"),
        lead=f.text("lead", limit=60),
        controls=_assessments(f.sub("controls"), catalog),
        history=tuple(
            _history(item, catalog, principles) for item in f.items("history", required=True)
        ),
        identifiers=_identifiers(f.sub("identifiers")),
        lifecycle=_lifecycle(f.sub("lifecycle")) if f.data.get("lifecycle") is not None else None,
        profile=profile,
        capabilities=_capabilities(f.sub("capabilities"), principles, profile),
    )


def _identifiers(f: FieldReader) -> Identifiers:
    f.only(IDENTIFIER_KEYS)
    found = {key: f.optional_text(key, limit=40) for key in IDENTIFIER_KEYS}
    for key, value in found.items():
        if value is not None and not IDENTIFIER.fullmatch(value):
            f.problem(key, f"{value!r} is not an identifier: it {IDENTIFIER_RULE}")
    return Identifiers(**found)


def _lifecycle(f: FieldReader) -> Lifecycle:
    f.only(("state", "date", "source", "notes"))
    states = [s.value for s in LifecycleState]
    return Lifecycle(
        state=LifecycleState(f.choice("state", states) or LifecycleState.ACTIVE),
        date=f.date("date") or _EPOCH,
        source=f.url("source"),
        notes=f.text("notes", limit=MAX_NOTES, required=False),
    )


def _profile(f: FieldReader) -> Profile:
    f.only(("accounts", "packages", "evidence", "notes"))
    packages = f.choice("packages", [k.value for k in PackageKind])
    evidence = f.urls("evidence")
    if not evidence:
        f.problem("evidence", "needs at least one https:// source for the taxonomy facts")
    return Profile(
        accounts=f.typed("accounts", bool, True),
        packages=PackageKind(packages or PackageKind.UPLOADS),
        evidence=evidence,
        notes=f.text("notes", limit=MAX_NOTES, required=False),
    )


def _assessments(f: FieldReader, catalog: Catalog) -> dict[str, Assessment]:
    for key in f.data:
        if key not in catalog.ids():
            f.problem(key, unknown_control(key, catalog))
    for missing in (i for i in catalog.ids() if i not in f.data):
        f.problem(
            missing, "missing; every control of the catalog needs an entry (use status: unknown)"
        )
    return {
        i: _assessment(f.sub(i), catalog.get(i).title, catalog.get(i).rubric)
        for i in catalog.ids()
        if i in f.data
    }


def _capabilities(
    f: FieldReader, principles: Principles, profile: Profile | None
) -> dict[str, Assessment]:
    ids = principles.ids()
    for key in f.data:
        if key not in ids:
            f.problem(key, f"{key!r} is not an OpenSSF capability{did_you_mean(key, ids)}")
    if ids and not f.data:
        f.problem("", "missing; every OpenSSF capability needs an entry (use status: unknown)")
    for missing in (i for i in ids if f.data and i not in f.data):
        f.problem(missing, "missing; every capability needs an entry (use status: unknown)")
    found = {}
    for capability in (c for c in principles.capabilities if c.id in f.data):
        track = principles.track(capability.track)
        outside = not track.applies_to(profile)
        rubric = {**capability.rubric, Status.NA: "track does not apply"} if outside else None
        rating = _assessment(f.sub(capability.id), capability.title, rubric or capability.rubric)
        if outside and rating.status is not Status.NA:
            f.problem(
                f"{capability.id}.status",
                f"the {track.title} track does not apply to this registry ({track.applies}); "
                "rate it n/a",
            )
        found[capability.id] = rating
    return found


def _assessment(f: FieldReader, title: str, rubric: Mapping[Status, str]) -> Assessment:
    f.only(ASSESSMENT_KEYS)
    status = Status(f.choice("status", STATUSES) or Status.UNKNOWN)
    if status not in rubric and status is not Status.UNKNOWN:
        allowed_here = ", ".join(s.value for s in Status if s in rubric or s is Status.UNKNOWN)
        f.problem(
            "status",
            f"{status.value!r} is not defined for {title!r} (see its rubric); "
            f"allowed: {allowed_here}",
        )
    evidence = f.urls("evidence")
    notes = f.text("notes", limit=MAX_NOTES)
    if status in STATUS_NEEDS_EVIDENCE and not evidence:
        f.problem("evidence", f"status {status.value!r} needs at least one https:// source")
    if status is Status.NA and not evidence and not notes.strip():
        f.problem(
            "evidence",
            "status 'n/a' needs a source or a note saying why there is no such surface",
        )
    verified = f.date("verified", required=status is not Status.UNKNOWN)
    return Assessment(
        status=status,
        evidence=evidence,
        notes=notes,
        verified=verified,
        provenance=_provenance(f.sub("provenance")),
        adoption=tuple(_adoption(item) for item in f.items("adoption")),
    )


def _adoption(f: FieldReader) -> Adoption:
    f.only(("measure", "value", "date", "source"))
    return Adoption(
        measure=f.text("measure", limit=200),
        value=f.text("value", limit=100),
        date=f.date("date") or _EPOCH,
        source=f.url("source"),
    )


def _provenance(f: FieldReader) -> Provenance:
    f.only(("issue", "submitted_by", "approved_by"))
    return Provenance(
        issue=f.optional_int("issue"),
        submitted_by=f.optional_text("submitted_by"),
        approved_by=f.optional_text("approved_by"),
    )


def _history(f: FieldReader, catalog: Catalog, principles: Principles) -> HistoryEntry:
    f.only(("date", "summary", "issue", "by", "tier", "source", "changes"))
    source = f.url("source") if f.data.get("source") is not None else None
    return HistoryEntry(
        date=f.date("date") or _EPOCH,
        summary=f.text("summary", limit=MAX_NOTES),
        issue=f.optional_int("issue"),
        by=f.optional_text("by"),
        tier=f.optional_int("tier"),
        changes=tuple(_change(item, catalog, principles) for item in f.items("changes")),
        source=source,
    )


def _change(f: FieldReader, catalog: Catalog, principles: Principles) -> StatusChange:
    f.only(("control", "capability", "before", "after"))
    capability = "capability" in f.data
    key = "capability" if capability else "control"
    name = f.text(key, limit=64)
    known = principles.ids() if capability else catalog.ids()
    if name and name not in known:
        what = "an OpenSSF capability" if capability else "a control of the catalog"
        f.problem(key, f"{name!r} is not {what}{did_you_mean(name, known)}")
    before, after = (f.choice(k, STATUSES) or Status.UNKNOWN for k in ("before", "after"))
    return StatusChange(name, Status(before), Status(after), capability)


def registry_to_data(registry: Registry) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": registry.id,
        "name": registry.name,
        "languages": list(registry.languages),
        "clients": list(registry.clients),
        "homepage": registry.homepage,
        "lead": registry.lead,
    }
    ids = registry.identifiers
    if ids != Identifiers():
        data["identifiers"] = {"purl": ids.purl, "osv": ids.osv, "depsdev": ids.depsdev}
    if registry.lifecycle is not None:
        life = registry.lifecycle
        data["lifecycle"] = {"state": life.state.value, "date": life.date, "source": life.source,
                             "notes": life.notes}  # fmt: skip
    if registry.profile is not None:
        profile = registry.profile
        data["profile"] = {"accounts": profile.accounts, "packages": profile.packages.value,
                           "evidence": list(profile.evidence), "notes": profile.notes}  # fmt: skip
    data["controls"] = {k: _assessment_data(a) for k, a in registry.controls.items()}
    if registry.capabilities:
        data["capabilities"] = {k: _assessment_data(a) for k, a in registry.capabilities.items()}
    data["history"] = [_history_data(h) for h in registry.history]
    return data


def _assessment_data(a: Assessment) -> dict[str, Any]:
    p = a.provenance
    data: dict[str, Any] = {
        "status": a.status.value,
        "evidence": list(a.evidence),
        "notes": a.notes,
        "verified": a.verified,
        "provenance": {
            "issue": p.issue,
            "submitted_by": p.submitted_by,
            "approved_by": p.approved_by,
        },
    }
    if a.adoption:
        data["adoption"] = [
            {"measure": x.measure, "value": x.value, "date": x.date, "source": x.source}
            for x in a.adoption
        ]
    return data


def _history_data(h: HistoryEntry) -> dict[str, Any]:
    data: dict[str, Any] = {"date": h.date, "summary": h.summary, "issue": h.issue, "by": h.by}
    if h.tier is not None:
        data["tier"] = h.tier
    if h.source is not None:
        data["source"] = h.source
    data["changes"] = [
        {"capability" if c.capability else "control": c.control, "before": c.before.value,
         "after": c.after.value}
        for c in h.changes
    ]  # fmt: skip
    return data
