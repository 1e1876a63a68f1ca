"""Test settings and fixtures shared by every test module.

Hypothesis: the ``dev`` profile (quick) is the default; ``PACKMAN_CI=1`` selects ``ci``, as
thorough as the suite has ever been. Property tests take their settings from the profile
(``tests.helpers.hypothesis``), never from a number of their own.

Groups that need something the machine may lack are marked, and skipped with one visible line
saying why when it is missing; under ``PACKMAN_CI=1`` the skip becomes a failure:

- ``reference``: real GitHub issue bodies and GitHub's REST description, read from
  ``../shared/github`` (never copied into this repository).
- ``browser``: the site in a real Chromium through Playwright: Debian's ``chromium`` (or the
  executable ``PACKMAN_CHROMIUM`` names), since no browser can be downloaded here.

The link checker's tests get real HTTPS servers on 127.0.0.1 (``sites``, see
``tests.helpers.links``), started once per session under a throw-away certificate authority.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import settings

from tests.helpers import browser, links, project
from tests.helpers.paths import FIXTURES, SHARED
from tests.helpers.story import Story

if TYPE_CHECKING:
    from tests.helpers.github.harness import Cli

CI = os.environ.get("PACKMAN_CI") == "1"

settings.register_profile("dev", max_examples=30, deadline=None, database=None)
settings.register_profile("ci", max_examples=300, deadline=None, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if CI else "dev"))

REFERENCE = SHARED / "github"


def _missing(item: pytest.Item) -> str | None:
    """Why a marked group cannot run on this machine, or None when it can."""
    if "reference" in item.keywords and not REFERENCE.is_dir():
        return f"reference material not found at {REFERENCE} (set PACKMAN_SHARED to its folder)"
    if "browser" in item.keywords:
        return browser.missing()
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip a marked group whose material is absent (one summary line), or fail it in CI."""
    reason = _missing(item)
    if reason is None:
        return
    if CI:
        pytest.fail(f"{reason}; PACKMAN_CI=1 requires it", pytrace=False)
    pytest.skip(reason)


def pytest_report_header(config: pytest.Config) -> list[str]:
    """One line per optional group says whether it runs."""
    found = "found" if REFERENCE.is_dir() else "absent: the reference group is skipped"
    profile = os.environ.get("HYPOTHESIS_PROFILE", "ci" if CI else "dev")
    chromium = browser.missing()
    browsers = f"absent ({chromium}): the browser group is skipped" if chromium else "found"
    return [
        f"packman: reference material {REFERENCE} {found}; hypothesis profile {profile}",
        f"packman: chromium for the browser group {browsers}",
    ]


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the three-control, two-registry fixture repository."""
    root = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    return root


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Path:
    """A rendered, writable copy of the frozen fixture project (not a git repository)."""
    return project.copy_project(tmp_path / "project")


@pytest.fixture
def fixture_repo(tmp_path: Path) -> Path:
    """The fixture project committed as ``main`` of a fresh git repository."""
    return project.repository(tmp_path / "project")


@pytest.fixture
def state(tmp_path: Path) -> Path:
    """STATE_DIR with two collaborators: tess (triage) and wendy (write)."""
    root = tmp_path / "state"
    (root / "issues").mkdir(parents=True)
    (root / "collaborators.json").write_text(json.dumps({"tess": "triage", "wendy": "write"}))
    return root


@pytest.fixture
def story(fixture_repo: Path, state: Path, tmp_path: Path) -> Story:
    """The offline bot on a fresh repository of the fixture project."""
    return Story(fixture_repo, state, tmp_path)


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """main as the Actions checkout holds it: the fixture project, rendered and committed.

    One per module (the GitHub backend only reads the checkout). Generated files are rendered
    before the commit, so the bot branch holds exactly one commit per approved issue.
    """
    return project.repository(tmp_path_factory.mktemp("checkout") / "main")


PROXY_VARIABLES = (
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
)
"""A proxy from the environment would carry the checker's requests off this machine."""


@pytest.fixture
def cli(
    checkout: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Cli:
    """``packman handle --github`` on the checkout, replaying a cassette (see the harness)."""
    from tests.helpers.github.harness import Cli  # noqa: PLC0415 - only GitHub tests need it

    return Cli(checkout, tmp_path, monkeypatch, capsys)


@pytest.fixture(scope="session")
def https_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[links.Sites]:
    """The link checker's HTTPS servers on 127.0.0.1, for the whole session."""
    with links.sites(tmp_path_factory.mktemp("links")) as found:
        yield found


@pytest.fixture
def sites(https_sites: links.Sites, monkeypatch: pytest.MonkeyPatch) -> Iterator[links.Sites]:
    """The servers with fresh routes and an empty log; no proxy; the slow route released after."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    links.routes(https_sites)
    yield https_sites
    https_sites.release.set()
    https_sites.release.clear()
