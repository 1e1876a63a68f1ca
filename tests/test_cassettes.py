"""The cassettes themselves: each one is used by a test, none holds a credential.

Their conformance with GitHub's REST description is checked by the reference group
(``tests/test_github_reference.py``), which reads the description from ``../shared``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers.github.replay import CASSETTE_FILES, TOKEN, interactions
from tests.helpers.paths import TESTS

USERS = (
    "test_github_backend.py",
    "test_github_faults.py",
    "test_github_issue10.py",
    "test_races.py",
    "test_links_issue.py",
)
"""The test files that replay cassettes, each by a call ``replay(``, ``cli(``, ``cassette(`` or
``links_issue(``."""


def test_every_scenario_has_a_cassette() -> None:
    """Each replayed cassette exists, and no cassette is left without a test."""
    pattern = r'\b(?:replay|cli|cassette|links_issue)\(\s*"([\w-]+)"'
    used = {name for user in USERS for name in re.findall(pattern, (TESTS / user).read_text())}

    assert {p.stem for p in CASSETTE_FILES} == used


@pytest.mark.parametrize("path", CASSETTE_FILES, ids=lambda p: p.stem)
def test_no_cassette_holds_credentials(path: Path) -> None:
    """No Authorization header and no token, in any spelling, anywhere in a cassette."""
    text = path.read_text(encoding="utf-8")

    assert "authorization" not in text.lower()
    assert TOKEN not in text
    assert not re.search(r"\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w+)", text)
    assert not re.search(r"(?i)\b(token|bearer) [A-Za-z0-9_.-]{8,}", text)
    assert all("Authorization" not in i["request"]["headers"] for i in interactions(path))
