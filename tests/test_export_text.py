"""Every string the export writes follows the notes' text rules (``bot.escape.plain``).

U+2028 and U+2029 end a line in JavaScript before ES2019 and in some line-based tools, and
control or format characters are invisible: none of them reaches docs/packman.json raw.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from bot import escape
from bot.data.model import Dataset
from bot.render import export
from tests.helpers import project

UNSAFE = ("\u2028", "\u2029", "\x85", "\x7f", "\u202e", "\u200b", "\x9b")


def _dataset_with(languages: tuple[str, ...], notes: str) -> Dataset:
    dataset = project.dataset()
    npm = dataset.registry("npm")
    rating = replace(npm.controls["mfa-to-push"], notes=notes)
    changed = replace(npm, languages=languages, controls={**npm.controls, "mfa-to-push": rating})
    registries = tuple(changed if r.id == "npm" else r for r in dataset.registries)
    return replace(dataset, registries=registries)


@pytest.mark.parametrize("character", UNSAFE, ids=lambda c: f"U+{ord(c):04X}")
def test_no_raw_separator_or_control_character_in_the_export(character: str) -> None:
    """A language or a note holding the character is exported without it."""
    dataset = _dataset_with((f"Java{character}Script",), f"Line one.{character}Line two.")

    text = export.dumps(export.build(dataset))

    assert character not in text


def test_exported_strings_are_the_plain_text_of_the_data() -> None:
    """What a reader of the JSON gets is exactly ``escape.plain`` of the stored text."""
    languages = ("Java\u2028Script", "Type\u202eScript")
    notes = "Line one.\u2029Line two.\x85 Done \u00e9\u2014ok."
    dataset = _dataset_with(languages, notes)

    npm = next(r for r in json.loads(export.dumps(export.build(dataset)))["registries"]
               if r["id"] == "npm")  # fmt: skip

    assert [escape.plain(language) for language in languages] == npm["languages"]
    assert escape.plain(notes) == npm["controls"]["mfa-to-push"]["notes"]
    assert npm["controls"]["mfa-to-push"]["notes"] == "Line one.\nLine two. Done é—ok."
