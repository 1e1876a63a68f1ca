"""The domain values of packman: controls, the tier policy and registry assessments.

The OpenSSF view's catalog (tracks and capabilities) lives in ``bot.data.principles``.

All are frozen dataclasses; a change is a new value made with ``dataclasses.replace``.
Only ``bot.data.store`` turns them into files and back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.data.principles import Principles


class Status(StrEnum):
    """How far a registry meets a control. The values are the words users see and type."""

    YES = "yes"
    PARTIAL = "partial"
    NO = "no"
    NA = "n/a"
    UNKNOWN = "unknown"


STATUSES = tuple(s.value for s in Status)
"""Every status's word, in the one order packman shows them."""


def in_order(statuses: Iterable[Status]) -> list[str]:
    """The values of ``statuses`` in the one order packman shows statuses in (yes ... unknown)."""
    chosen = set(statuses)
    return [s.value for s in Status if s in chosen]


STATUS_NEEDS_EVIDENCE = frozenset({Status.YES, Status.PARTIAL, Status.NO})
"""A rating that claims something about the registry must cite a source."""


@dataclass(frozen=True)
class OpenSSFRef:
    """A principle of OpenSSF's *Principles for Package Repository Security*."""

    track: str
    """Authentication, Authorization, General Capabilities or CLI Tooling."""
    level: int
    """Maturity level 0–3 at which the principle appears."""
    item: str
    """The principle, paraphrased."""


@dataclass(frozen=True)
class ScvsRef:
    """An OWASP SCVS V4 (Package Management) requirement."""

    item: str
    """The requirement number, e.g. ``4.3``."""
    text: str
    """The requirement, paraphrased."""


@dataclass(frozen=True)
class Control:
    """One security control of the catalog."""

    id: str
    """Stable kebab-case identifier used in data files, forms and the export."""
    title: str
    """The title as in the original OWASP packman table."""
    definition: str
    """What the control means, in our words."""
    rubric: Mapping[Status, str]
    """What earns each status; statuses absent here are not allowed for this control."""
    openssf: tuple[OpenSSFRef, ...] = ()
    """Corresponding OpenSSF principles, if any."""
    scvs: tuple[ScvsRef, ...] = ()
    """Corresponding OWASP SCVS V4 items, if any."""


@dataclass(frozen=True)
class Catalog:
    """Every control, in table order, and where the crosswalk comes from."""

    controls: tuple[Control, ...]
    """Controls in the order of the original table."""
    sources: Mapping[str, str] = field(default_factory=dict)
    """Documents the crosswalk cites, by name (``openssf``, ``scvs``)."""

    @cached_property
    def _by_id(self) -> dict[str, Control]:
        return {c.id: c for c in self.controls}

    def ids(self) -> tuple[str, ...]:
        """Control ids in table order."""
        return tuple(self._by_id)

    def get(self, control_id: str) -> Control:
        """The control with this id (KeyError if there is none)."""
        return self._by_id[control_id]


@dataclass(frozen=True)
class TierRule:
    """What a registry needs to reach one tier."""

    tier: int
    """The tier number: 1 is the lowest."""
    title: str
    """Short name of the tier."""
    summary: str
    """What the tier means for a consumer."""
    requires: tuple[str, ...] | None
    """Controls required, or None when ``all_except`` is used."""
    all_except: tuple[str, ...] | None
    """Every control except these is required, or None when ``requires`` is used."""
    satisfied_by: frozenset[Status]
    """Statuses that meet a requirement of this tier."""

    def required(self, catalog: Catalog) -> tuple[str, ...]:
        """The control ids this tier requires, in catalog order."""
        if self.requires is not None:
            return tuple(i for i in catalog.ids() if i in self.requires)
        excluded = self.all_except or ()
        return tuple(i for i in catalog.ids() if i not in excluded)


@dataclass(frozen=True)
class TierPolicy:
    """The tier rules and the freshness limit for evidence."""

    tiers: tuple[TierRule, ...]
    """Rules from the lowest tier up; a registry must meet every rule up to its tier."""
    stale_after_days: int
    """Evidence verified longer ago than this is flagged as stale."""


@dataclass(frozen=True)
class Provenance:
    """Who put a rating in, through which issue."""

    issue: int | None = None
    """The issue the rating came from, if any."""
    submitted_by: str | None = None
    """GitHub login of the contributor."""
    approved_by: str | None = None
    """GitHub login of the maintainer who approved it."""


@dataclass(frozen=True)
class Adoption:
    """A published figure for how widely a capability is used (a yes that 3% use is not 60%)."""

    measure: str
    """What is counted, e.g. "share of uploads with an attestation"."""
    value: str
    """The figure as published, e.g. "17%" or "more than 50,000 projects"."""
    date: dt.date
    """The day the figure describes (or was published)."""
    source: str
    """https URL of the publication."""


@dataclass(frozen=True)
class Assessment:
    """One registry's rating for one control or capability."""

    status: Status
    """The rating."""
    evidence: tuple[str, ...] = ()
    """https URLs of the sources that support the rating."""
    notes: str = ""
    """What the sources establish, in our words."""
    verified: dt.date | None = None
    """When someone last checked the evidence."""
    provenance: Provenance = Provenance()
    """Where the rating came from."""
    adoption: tuple[Adoption, ...] = ()
    """Published adoption figures, for a capability that is available but optional."""


UNASSESSED = Assessment(status=Status.UNKNOWN)


@dataclass(frozen=True)
class StatusChange:
    """A control (or an OpenSSF capability) whose status changed in one history entry."""

    control: str
    """The control id, or the capability id when ``capability`` is true."""
    before: Status
    """Status before the change."""
    after: Status
    """Status after the change."""
    capability: bool = False
    """True when ``control`` names an OpenSSF capability rather than one of the 17 controls."""


@dataclass(frozen=True)
class HistoryEntry:
    """One append-only record of what happened to a registry's assessment."""

    date: dt.date
    """When it happened."""
    summary: str
    """What happened, in one sentence."""
    issue: int | None = None
    """The issue behind it, if any."""
    by: str | None = None
    """Who approved it, if anyone."""
    tier: int | None = None
    """A tier recorded by an outside rating at that time (e.g. the 2019 OWASP table)."""
    changes: tuple[StatusChange, ...] = ()
    """Status changes made by this entry."""
    source: str | None = None
    """https URL of an announcement that dates the change (one not made through an issue)."""


@dataclass(frozen=True)
class Identifiers:
    """How other tools name the registry's ecosystem (all optional)."""

    purl: str | None = None
    """The Package URL type (package-url/purl-spec), e.g. ``npm``."""
    osv: str | None = None
    """The OSV schema's ecosystem name, e.g. ``PyPI``."""
    depsdev: str | None = None
    """The deps.dev system name, e.g. ``NPM``."""


class LifecycleState(StrEnum):
    """Whether a registry still takes new packages."""

    ACTIVE = "active"
    READ_ONLY = "read-only"
    RETIRED = "retired"


@dataclass(frozen=True)
class Lifecycle:
    """A change in a registry's life: it became read-only or was retired (or is active again)."""

    state: LifecycleState
    """The state."""
    date: dt.date
    """Since when (or from when, as announced)."""
    source: str
    """https URL of the announcement."""
    notes: str = ""
    """What stops and what keeps working, in our words."""


class PackageKind(StrEnum):
    """What a registry receives, in the OpenSSF taxonomy."""

    UPLOADS = "uploads"
    """Publishers upload package archives (source or built)."""
    BUILDS = "builds"
    """The registry builds packages on behalf of users, from recipes."""
    SOURCE = "source"
    """The registry only points at, or serves, source from version control."""


@dataclass(frozen=True)
class Profile:
    """The taxonomy facts that decide which OpenSSF tracks apply, with their sources."""

    accounts: bool
    """The registry has user (publisher) accounts, its own or through an identity provider."""
    packages: PackageKind
    """What it receives."""
    evidence: tuple[str, ...] = ()
    """https sources for both facts."""
    notes: str = ""
    """Why, in our words."""


@dataclass(frozen=True)
class Registry:
    """A package management system and its assessment."""

    id: str
    """File name stem and stable identifier."""
    name: str
    """Display name."""
    languages: tuple[str, ...]
    """Languages the registry serves."""
    clients: tuple[str, ...]
    """Clients that install from it."""
    homepage: str
    """https URL of the registry's public website."""
    lead: str
    """The packman lead for this registry (may be empty)."""
    controls: Mapping[str, Assessment]
    """Rating per control id, in catalog order."""
    history: tuple[HistoryEntry, ...] = ()
    """Append-only record of changes, oldest first."""
    identifiers: Identifiers = Identifiers()
    """How other tools name its ecosystem."""
    lifecycle: Lifecycle | None = None
    """Set once it stops taking new packages (or when that is announced)."""
    profile: Profile | None = None
    """The OpenSSF taxonomy facts; unknown until researched."""
    capabilities: Mapping[str, Assessment] = field(default_factory=dict)
    """Rating per OpenSSF capability id, in catalog order."""

    def status(self, control_id: str) -> Status:
        """The status of one control (unknown when unrated)."""
        return self.controls.get(control_id, UNASSESSED).status

    def capability_status(self, capability_id: str) -> Status:
        """The status of one OpenSSF capability (unknown when unrated)."""
        return self.capabilities.get(capability_id, UNASSESSED).status


def _no_principles() -> Principles:
    from bot.data.principles import Principles  # noqa: PLC0415 - principles imports this module

    return Principles()


@dataclass(frozen=True)
class Dataset:
    """Everything under assessments/: the catalog, the policy and every registry."""

    catalog: Catalog
    """The controls."""
    policy: TierPolicy
    """The tier rules."""
    registries: tuple[Registry, ...]
    """Registries sorted by id."""
    principles: Principles = field(default_factory=_no_principles)
    """The OpenSSF capabilities (empty when the project has no ``assessments/openssf.yml``)."""

    @cached_property
    def _by_id(self) -> dict[str, Registry]:
        return {r.id: r for r in self.registries}

    def registry(self, registry_id: str) -> Registry:
        """The registry with this id (KeyError if there is none)."""
        return self._by_id[registry_id]
