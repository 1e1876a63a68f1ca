"""Tier rules, table-driven: each case names the behaviour it pins down."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from bot.data import store, tiers
from bot.data.model import Assessment, Dataset, Registry, Status
from bot.errors import DataError
from tests.helpers import project
from tests.helpers.paths import FIXTURES

Y, P, N, NA, U = Status.YES, Status.PARTIAL, Status.NO, Status.NA, Status.UNKNOWN


def _mini() -> Dataset:
    return store.load_dataset(FIXTURES / "mini")


def _with(dataset: Dataset, mfa: Status, signing: Status, tagging: Status) -> Registry:
    base = dataset.registry("alpha")
    ratings = {"mfa": mfa, "signing": signing, "tagging": tagging}
    return replace(base, controls={k: Assessment(status=v) for k, v in ratings.items()})


@pytest.mark.parametrize(
    ("case", "mfa", "signing", "tagging", "tier", "gap"),
    [
        ("everything-unknown-is-tier-1", U, U, U, 1, ["mfa"]),
        ("tier-2-control-missing", N, Y, Y, 1, ["mfa"]),
        ("partial-counts-for-tier-2", P, N, N, 2, ["mfa", "signing"]),
        ("n/a-counts-for-tier-2", NA, N, N, 2, ["signing"]),
        ("partial-does-not-count-for-tier-3", P, Y, N, 2, ["mfa"]),
        ("all-yes-is-tier-3", Y, Y, Y, 3, []),
        ("excluded-control-does-not-matter", Y, Y, N, 3, []),
        ("n/a-counts-for-tier-3", NA, Y, U, 3, []),
        ("unknown-never-counts", Y, U, Y, 2, ["signing"]),
    ],
)
def test_tier_rules(
    case: str, mfa: Status, signing: Status, tagging: Status, tier: int, gap: list[str]
) -> None:
    """The tier is the highest whose rules, and all rules below it, are met."""
    dataset = _mini()

    result = tiers.compute(_with(dataset, mfa, signing, tagging), dataset.policy, dataset.catalog)

    assert (result.tier, [u.control for u in result.gap]) == (tier, gap), case


def test_gap_explains_itself() -> None:
    """A reason names the control, its status and what the next tier needs."""
    dataset = _mini()

    result = tiers.compute(_with(dataset, P, Y, N), dataset.policy, dataset.catalog)

    assert result.next_tier == 3
    assert result.gap[0].reason(dataset.catalog) == "MFA is partial; Tier 3 needs yes or n/a"


def test_top_tier_has_no_next_tier() -> None:
    """At the highest tier there is nothing left to reach."""
    dataset = _mini()

    result = tiers.compute(_with(dataset, Y, Y, Y), dataset.policy, dataset.catalog)

    assert (result.title, result.next_tier, result.gap) == ("High", None, ())


def test_met_count_uses_the_strictest_rule() -> None:
    """The Controls column counts yes and n/a, not partial."""
    dataset = _mini()

    assert tiers.met_count(_with(dataset, NA, P, Y), dataset.policy) == 2


def test_fixture_policy_matches_the_original_table() -> None:
    """Tier 2 needs the first seven controls; Tier 3 all but tagging and consumer check."""
    dataset = project.dataset()
    rules = {r.tier: r.required(dataset.catalog) for r in dataset.policy.tiers}

    assert rules[2] == dataset.catalog.ids()[:7]
    assert set(dataset.catalog.ids()) - set(rules[3]) == {
        "account-library-tagging",
        "consumer-status-check",
    }


def test_every_control_yes_is_tier_3_under_the_real_policy() -> None:
    """With the real policy (frozen in the fixture), a registry with every control yes is Tier 3."""
    dataset = project.dataset()
    registry = replace(
        dataset.registries[0], controls={i: Assessment(status=Y) for i in dataset.catalog.ids()}
    )

    assert tiers.compute(registry, dataset.policy, dataset.catalog).tier == 3


def test_policy_must_number_tiers_in_order(tmp_path: Path) -> None:
    """A policy whose tiers are not 1, 2, 3... is refused."""
    shutil.copytree(FIXTURES / "mini", tmp_path / "m")
    policy = tmp_path / "m/assessments/tiers.yml"
    policy.write_text(policy.read_text().replace("- tier: 3", "- tier: 4"))

    with pytest.raises(DataError, match="tiers must be numbered 1, 2, 3"):
        store.load_dataset(tmp_path / "m")
