"""The live data (this project's own ``assessments/``), checked only by what holds for any valid data.

Every other test module computes its expectations from the frozen fixture project, so that a
merged bot pull request (a new rating, a tier change, a new registry, a longer note) never turns
them red. This module is the only one that reads the live ``assessments/``, and asserts nothing a
future rating could change: the files are valid and canonical, every generated file is current,
the seed's registries and controls are all there, and every rating cites what the rules demand.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import jsonschema
import pytest

import bot
from bot.cli import main
from bot.data import store
from bot.data.model import STATUS_NEEDS_EVIDENCE, Dataset
from bot.render.site import build, source, urls
from tests.helpers import site
from tests.helpers.paths import PROJECT

COMMITTED = sorted(p.relative_to(PROJECT) for p in (PROJECT / "assessments").rglob("*.yml"))
SEED_REGISTRIES = {
    "npm", "rubygems", "pypi", "maven-central", "google-maven", "nuget", "docker-hub",
    "go-modules", "packagist", "cocoapods", "swiftpm", "crates-io",
}  # fmt: skip
"""The twelve systems of the 2019 OWASP table (../shared/seed/packman-seed.txt)."""


@functools.cache
def _live() -> Dataset:
    return store.load_dataset(PROJECT)


def test_the_project_passes_its_own_check(capsys: pytest.CaptureFixture[str]) -> None:
    """`packman check` accepts the committed data, forms and generated files."""
    assert main(["--root", str(PROJECT), "check"]) == 0, capsys.readouterr().err


@pytest.mark.parametrize("path", COMMITTED, ids=str)
def test_committed_file_round_trips_byte_identical(path: Path) -> None:
    """Loading a committed data file and writing it back gives the same bytes."""
    dataset = _live()

    assert store.canonical_files(dataset)[path] == (PROJECT / path).read_text(encoding="utf-8")


def test_every_seed_registry_is_present() -> None:
    """The twelve systems of the original table each have a file (others may join them)."""
    ids = {r.id for r in _live().registries}

    assert set() == SEED_REGISTRIES - ids


def test_the_catalog_keeps_the_seed_controls_in_order() -> None:
    """The 16 controls of the seed table plus Consumer Check Status come first, in order."""
    titles = [c.title for c in _live().catalog.controls]

    assert (titles[0], titles[15], titles[16]) == (
        "Strong Authentication",
        "Account Level Library Tagging",
        "Consumer Check Status of a Package",
    )


def test_every_claim_cites_a_source_and_a_date() -> None:
    """Each yes, partial or no has an https source, and every rated cell a verified date."""
    dataset = _live()
    missing = [
        f"{registry.id}/{control}"
        for registry in dataset.registries
        for control, rating in registry.controls.items()
        if (rating.status in STATUS_NEEDS_EVIDENCE and not rating.evidence)
        or (rating.status.value != "unknown" and rating.verified is None)
    ]

    assert missing == []


def test_the_code_under_test_is_this_checkout() -> None:
    """The suite imports ``bot`` from the checkout it runs in (a clone tests its own code)."""
    assert Path(bot.__file__).resolve().parents[1] == PROJECT


def test_the_live_site_builds_with_a_valid_export_and_resolving_links(tmp_path: Path) -> None:
    """`packman site` builds from the live data; its export and every registry's document match
    the schema; every relative link of every page names a file of the site."""
    target = tmp_path / "site"
    build.write(target, build.build(source.load(PROJECT)))
    schema = json.loads((PROJECT / "schemas" / "export.schema.json").read_text())

    for path in [urls.EXPORT, *(urls.registry_data(r.id) for r in _live().registries)]:
        jsonschema.validate(json.loads((target / path).read_text()), schema)
    broken = [
        f"{page.name}: {link}"
        for page in site.pages(target)
        for link in site.parse(page).targets
        if (found := site.internal(target, page, link)) and not found[0].is_file()
    ]
    assert broken == []
