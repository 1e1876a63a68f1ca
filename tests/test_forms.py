"""The rendered issue forms: generated from the catalog, and consistent with it."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.cli import main
from bot.data.model import Status
from bot.forms import kinds
from bot.forms.kinds import FormKind
from tests.helpers import project

DATASET = project.dataset()


def _form(kind: str) -> dict:
    return yaml.safe_load((project.root() / kinds.RENDERED / f"{kind}.yml").read_text())


def _options(form: dict, field_id: str) -> list[str]:
    field = next(f for f in form["body"] if f.get("id") == field_id)
    return field["attributes"]["options"]


def test_every_dropdown_option_maps_to_the_catalog() -> None:
    """Registry, control and status options are exactly the catalog's names, titles and statuses;
    the control dropdown also names every OpenSSF capability, after the controls."""
    form = _form("evidence")
    capabilities = [
        kinds.capability_label(c.title, c.level) for c in DATASET.principles.capabilities
    ]

    assert sorted(_options(form, "registry")) == sorted(r.name for r in DATASET.registries)
    assert _options(form, "control") == [c.title for c in DATASET.catalog.controls] + capabilities
    assert _options(form, "status") == [s.value for s in Status]


def test_assessment_has_a_dropdown_per_control() -> None:
    """The assessment form asks about every control, defaulting to 'no change'."""
    form = _form("assessment")

    for control in DATASET.catalog.controls:
        field = next(f for f in form["body"] if f.get("id") == control.id)
        assert field["attributes"]["options"][field["attributes"]["default"]] == kinds.NO_CHANGE


def test_openssf_form_has_a_dropdown_per_capability_and_the_taxonomy() -> None:
    """The OpenSSF form asks about every capability and both taxonomy facts, 'no change' by default."""
    form = _form("openssf")
    ids = [*DATASET.principles.ids(), "accounts", "packages"]

    for field_id in ids:
        field = next(f for f in form["body"] if f.get("id") == field_id)
        assert field["attributes"]["options"][field["attributes"]["default"]] == kinds.NO_CHANGE


def test_options_survive_the_multi_select_join() -> None:
    """No option text contains ', ', so GitHub's joined multi-select answers stay unambiguous."""
    for kind in FormKind:
        for field in _form(kind.value)["body"]:
            assert all(
                ", " not in o
                for o in field.get("attributes", {}).get("options", [])
                if isinstance(o, str)
            )


def test_each_form_adds_its_label() -> None:
    """The label a form adds tells the bot which form an issue came from."""
    for kind in FormKind:
        assert _form(kind.value)["labels"] == [kind.label.value]


def test_blank_issues_are_off() -> None:
    """config.yml turns blank issues off and links to the contributing guide."""
    config = yaml.safe_load((project.root() / kinds.RENDERED / "config.yml").read_text())

    assert config["blank_issues_enabled"] is False
    assert config["contact_links"][0]["url"].endswith("#how-to-contribute")


def test_hand_edited_form_is_stale(fixture_copy: Path, capsys) -> None:
    """Editing a rendered form by hand makes check fail until render rewrites it."""
    path = fixture_copy / kinds.RENDERED / "evidence.yml"
    path.write_text(path.read_text().replace("Report control evidence", "Report stuff"))

    assert main(["--root", str(fixture_copy), "check"]) == 1
    assert ".github/ISSUE_TEMPLATE/evidence.yml: stale" in capsys.readouterr().err
    assert main(["--root", str(fixture_copy), "render"]) == 0
    assert "Report control evidence" in path.read_text()


def test_new_registry_appears_in_the_forms(fixture_copy: Path) -> None:
    """A registry added to the data shows up as a dropdown option after render."""
    source = fixture_copy / "assessments/registries/npm.yml"
    target = fixture_copy / "assessments/registries/hex.yml"
    target.write_text(
        source.read_text().replace("id: npm", "id: hex").replace("name: npm", "name: Hex")
    )

    assert main(["--root", str(fixture_copy), "render"]) == 0
    assert "Hex" in _options(
        yaml.safe_load((fixture_copy / kinds.RENDERED / "evidence.yml").read_text()), "registry"
    )
