"""Throw-away copies of the frozen fixture project (``tests/fixtures/project``).

The fixture holds data only: the real catalog and tier policy and six registries as they were
rated on 2026-12-02, a README with the generated regions, and a ``pyproject.toml`` naming the
repository the cassettes use. A copy gets this project's issue-form sources
(``issue_templates/``, code rather than data) and every generated file rendered, so it is a
repository that ``packman check`` accepts. Tests compute their expectations from it, so they
hold whatever the live ``assessments/`` says after the bot's next merged pull request.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import os
import shutil
import tempfile
from pathlib import Path

from bot import git
from bot.data import snapshot, store
from bot.data.model import Dataset
from bot.data.snapshot import Files
from bot.render import outputs
from bot.review.backend import RepoState
from tests.helpers.paths import FIXTURES, PROJECT

SOURCE = FIXTURES / "project"
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "packman tests",
    "GIT_AUTHOR_EMAIL": "tests@example.org",
    "GIT_COMMITTER_NAME": "packman tests",
    "GIT_COMMITTER_EMAIL": "tests@example.org",
    "GIT_AUTHOR_DATE": "2026-11-25T09:00:00Z",
    "GIT_COMMITTER_DATE": "2026-11-25T09:00:00Z",
}
"""A fixed identity and clock, so commits made by tests have the same hashes on every machine."""


def run_git(root: Path, *args: str) -> str:
    """``git -C root ARGS`` with the tests' fixed identity; its output without the final newline."""
    return git.run(root, *args, env=GIT_ENV).strip()


def render_project(root: Path) -> Path:
    """Build a rendered fixture project at ``root`` (created): the fixture, the form sources, and
    every generated file."""
    shutil.copytree(SOURCE, root)
    shutil.copytree(PROJECT / "issue_templates", root / "issue_templates")
    files = snapshot.from_directory(root)
    outputs.write_changed(root, outputs.render_all(files, store.dataset_from(files)))
    return root


def copy_project(root: Path) -> Path:
    """A writable copy of the rendered fixture project at ``root``, ready for ``packman check``."""
    shutil.copytree(_rendered(_scratch())[0], root)
    return root


def commit_all(root: Path, message: str = "data") -> str:
    """Make ``root`` a git repository (if it is not one) and commit everything on ``main``."""
    if not (root / ".git").exists():
        run_git(root, "init", "-q", "-b", "main")
    run_git(root, "add", "-A")
    run_git(root, "commit", "-q", "--allow-empty", "-m", message)
    return run_git(root, "rev-parse", "HEAD")


def repository(root: Path) -> Path:
    """A rendered copy of the fixture project, committed as ``main`` of a new git repository."""
    copy_project(root)
    commit_all(root)
    return root


@functools.cache
def _rendered(scratch: str) -> tuple[Path, Files, Dataset]:
    root = render_project(Path(scratch) / "project")
    files = snapshot.from_directory(root)
    return root, files, store.dataset_from(files)


def root() -> Path:
    """A rendered fixture project shared by the whole session: read it, never write to it."""
    return _rendered(_scratch())[0]


def files() -> Files:
    """The files packman reads in the shared fixture project."""
    return _rendered(_scratch())[1]


def dataset() -> Dataset:
    """The shared fixture project's dataset."""
    return _rendered(_scratch())[2]


@functools.cache
def _scratch() -> str:
    scratch = tempfile.mkdtemp(prefix="packman-fixture-")
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    return scratch


def main_state(files: Files, base_sha: str, today: dt.date) -> RepoState:
    """The state a rebuild reads: main's ``files`` at ``base_sha``, no issue, no bot branch."""
    return RepoState(files, "main", base_sha, "packman[bot]", today, (), {}, {})
