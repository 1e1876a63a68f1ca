"""The OpenSSF view: levels derived per track, the taxonomy, and what data files may say."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

from bot.cli import main
from bot.data import levels, store, strict_yaml
from bot.data.codec import registry_from_data, registry_to_data
from bot.data.model import (
    Adoption,
    Assessment,
    HistoryEntry,
    Identifiers,
    Lifecycle,
    LifecycleState,
    PackageKind,
    Profile,
    Registry,
    Status,
    StatusChange,
)
from bot.data.principles import Capability, Principles, Track
from bot.data.principles_codec import principles_from_data, principles_to_data
from bot.errors import Problem
from bot.render import export
from tests.helpers import project

Y, P, N, NA, U = Status.YES, Status.PARTIAL, Status.NO, Status.NA, Status.UNKNOWN
RUBRIC = {Y: "y", P: "p", N: "n"}
TRACK = Track("t", "Track", "every registry", needs_accounts=False, needs_uploads=False)
ACCOUNTS = Track(
    "a", "Accounts", "registries with accounts", needs_accounts=True, needs_uploads=False
)
PRINCIPLES = Principles(
    tracks=(TRACK, ACCOUNTS),
    capabilities=(
        Capability("t1", "t", 1, "T1", "d", RUBRIC),
        Capability("t1b", "t", 1, "T1b", "d", RUBRIC),
        Capability("t2", "t", 2, "T2", "d", RUBRIC),
        Capability("t3", "t", 3, "T3", "d", RUBRIC),
        Capability("a1", "a", 1, "A1", "d", RUBRIC),
    ),
)


def _registry(statuses: dict[str, Status], profile: Profile | None = None) -> Registry:
    ratings = {c: Assessment(status=s) for c, s in statuses.items()}
    return Registry("r", "R", (), (), "https://r.example/", "", {}, capabilities=ratings,
                    profile=profile)  # fmt: skip


@pytest.mark.parametrize(
    ("statuses", "level", "next_level", "gap"),
    [
        ({"t1": Y, "t1b": Y, "t2": Y, "t3": Y}, 3, None, []),
        ({"t1": Y, "t1b": P, "t2": Y, "t3": Y}, 0, 1, ["t1b"]),
        ({"t1": Y, "t1b": Y, "t2": N, "t3": Y}, 1, 2, ["t2"]),
        ({"t1": NA, "t1b": Y, "t2": Y, "t3": U}, 2, 3, ["t3"]),
        ({"t1": U, "t1b": U, "t2": U, "t3": U}, 0, 1, ["t1", "t1b"]),
    ],
    ids=["all-yes", "partial-is-not-enough", "stops-at-the-first-gap", "na-meets", "unrated"],
)
def test_a_level_needs_every_capability_up_to_it(
    statuses: dict[str, Status], level: int, next_level: int | None, gap: list[str]
) -> None:
    """Level N when every capability of levels 1..N is yes or n/a; the gap names what is missing."""
    found = levels.track_level(_registry(statuses), PRINCIPLES, TRACK)

    assert (found.level, found.next_level, [m.capability for m in found.gap]) == (
        level,
        next_level,
        gap,
    )


@pytest.mark.parametrize(
    ("profile", "applies"),
    [
        (None, True),
        (Profile(True, PackageKind.SOURCE, ("https://e.example/",)), True),
        (Profile(False, PackageKind.UPLOADS, ("https://e.example/",)), False),
    ],
    ids=["unknown-profile", "accounts", "no-accounts"],
)
def test_the_taxonomy_decides_whether_a_track_applies(
    profile: Profile | None, applies: bool
) -> None:
    """A track that needs accounts is n/a (no level at all) for a registry without accounts."""
    found = levels.track_level(_registry({"a1": Y}, profile), PRINCIPLES, ACCOUNTS)

    assert (found.level is not None) == applies
    assert found.shown == ("3" if applies else "n/a")  # levels 2 and 3 hold no capability here


def test_uploads_decide_the_authorization_track_in_the_real_catalog() -> None:
    """In the real catalog, Authorization needs accounts and uploads; General applies everywhere."""
    principles = project.dataset().principles
    source_only = Profile(True, PackageKind.SOURCE, ("https://e.example/",))

    applies = {t.id: t.applies_to(source_only) for t in principles.tracks}

    assert applies == {"authentication": True, "authorization": False, "general": True, "cli": True}
    assert len(principles.capabilities) == 32


def _read(data: dict, principles: Principles | None = None) -> tuple[Registry, list[Problem]]:
    dataset = project.dataset()
    problems: list[Problem] = []
    registry = registry_from_data(
        data, "x.yml", dataset.catalog, principles or dataset.principles, problems
    )
    return registry, problems


def _fixture_data(registry_id: str = "go-modules") -> dict:
    return strict_yaml.load(
        store.dump_registry(project.dataset().registry(registry_id)), f"{registry_id}.yml"
    )


def test_a_rating_in_a_track_that_does_not_apply_is_refused() -> None:
    """A registry without accounts cannot claim an Authentication capability."""
    data = _fixture_data("go-modules")
    first = project.dataset().principles.of_track("authentication")[0].id
    data["capabilities"][first] = {**data["capabilities"][first], "status": "yes",
                                   "evidence": ["https://e.example/"]}  # fmt: skip

    _, problems = _read(data)

    assert [str(p) for p in problems if "does not apply" in p.message]


def test_every_capability_needs_an_entry() -> None:
    """A registry file that leaves a capability out is refused, naming it."""
    data = _fixture_data("npm")
    missing = next(iter(data["capabilities"]))
    del data["capabilities"][missing]

    _, problems = _read(data)

    assert [p.where for p in problems] == [f"x.yml: capabilities.{missing}"]


def test_na_needs_a_source_or_a_reason() -> None:
    """n/a claims there is no such surface: without a source or a note it is refused."""
    data = _fixture_data("npm")
    control = next(c for c, v in data["controls"].items() if "n/a" in _rubric(c))
    data["controls"][control] = {**data["controls"][control], "status": "n/a", "evidence": [],
                                 "notes": ""}  # fmt: skip

    _, problems = _read(data)

    assert [p.where for p in problems] == [f"x.yml: controls.{control}.evidence"]


def _rubric(control: str) -> list[str]:
    return [s.value for s in project.dataset().catalog.get(control).rubric]


def test_new_fields_round_trip_byte_identical() -> None:
    """Identifiers, lifecycle, profile, adoption and dated capability history read back as written."""
    registry = project.dataset().registry("npm")
    first = next(iter(registry.capabilities))
    day = dt.date(2025, 1, 2)
    rating = replace(registry.capabilities[first],
                     adoption=(Adoption("share of uploads", "17%", day, "https://e.example/a"),))  # fmt: skip
    changed = replace(
        registry,
        identifiers=Identifiers("npm", "npm", None),
        lifecycle=Lifecycle(LifecycleState.READ_ONLY, day, "https://e.example/l", "Why."),
        capabilities={**registry.capabilities, first: rating},
        history=(
            *registry.history,
            HistoryEntry(
                day,
                "Dated.",
                source="https://e.example/h",
                changes=(StatusChange(first, N, Y, capability=True),),
            ),
        ),
    )
    text = store.dump_registry(changed)

    again, problems = _read(strict_yaml.load(text, "x.yml"))

    assert problems == []
    assert again == changed
    assert store.dump_registry(again) == text
    assert registry_to_data(again)["lifecycle"]["state"] == "read-only"


def test_capability_ids_may_not_reuse_control_ids() -> None:
    """A capability named like a control would make history and forms ambiguous."""
    dataset = project.dataset()
    data = principles_to_data(dataset.principles)
    data["capabilities"][0]["id"] = dataset.catalog.ids()[0]
    problems: list[Problem] = []

    principles_from_data(data, "openssf.yml", dataset.catalog, problems)

    assert any("is also a control id" in p.message for p in problems)


def test_the_export_carries_the_levels_the_data_gives() -> None:
    """Each registry's export holds exactly the derived levels, a level per track."""
    dataset = project.dataset()

    document = export.build(dataset)

    for entry, registry in zip(document["registries"], dataset.registries, strict=True):
        derived = [t.level for t in levels.compute(registry, dataset.principles)]
        assert [lv["level"] for lv in entry["openssf"]["levels"]] == derived
    assert len(document["openssf"]["capabilities"]) == len(dataset.principles.capabilities)


def test_levels_command_prints_every_track(
    fixture_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`packman levels --json` lists a level per track for each registry, computed from the data."""
    assert main(["--root", str(fixture_copy), "levels", "--json"]) == 0
    dataset = project.dataset()

    out = json.loads(capsys.readouterr().out)

    assert len(out) == len(dataset.registries)
    assert all(len(r["levels"]) == len(dataset.principles.tracks) for r in out)


def test_pages_show_levels_and_link_the_missing_capabilities(fixture_copy: Path) -> None:
    """A registry page names its level per track and links each missing capability on the page."""
    dataset = project.dataset()
    registry = next(r for r in dataset.registries
                    if any(t.gap for t in levels.compute(r, dataset.principles)))  # fmt: skip
    gap = next(t for t in levels.compute(registry, dataset.principles) if t.gap).gap[0]

    text = (fixture_copy / "docs/registries" / f"{registry.id}.md").read_text()

    assert "## OpenSSF Principles levels" in text
    assert f"](#{gap.capability}) is `{gap.status.value}`" in text
    assert f'<a id="{gap.capability}"></a>' in text
