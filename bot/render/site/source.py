"""What ``packman site`` reads from a checkout: the data, the repository's name, the
methodology, the export's schema, and the data's commit date from git."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot import git
from bot.data import snapshot, store
from bot.errors import PackmanError
from bot.render.issue_forms import repository
from bot.render.site.build import Source

METHODOLOGY = Path("docs/methodology.md")
SCHEMA = Path("schemas/export.schema.json")
CODE = Path(__file__).resolve().parents[3]
"""The checkout packman's code runs from: its schema serves a project that has none of its own."""


def data_date(root: Path) -> dt.date | None:
    """The commit date of the newest commit that touched assessments/ (None outside git)."""
    try:
        found = git.run(root, "log", "-1", "--format=%cs", "--", "assessments").strip()
    except git.GitError:
        return None
    return dt.date.fromisoformat(found) if found else None


def _schema(root: Path) -> str:
    for candidate in (root / SCHEMA, CODE / SCHEMA):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    raise PackmanError(f"{SCHEMA}: not found in {root} nor in {CODE}; the site publishes it")


def load(root: Path, date: dt.date | None = None) -> Source:
    """The site's source for the checkout at ``root`` (``date`` overrides the commit date)."""
    files = snapshot.from_directory(root)
    methodology = root / METHODOLOGY
    return Source(
        dataset=store.dataset_from(files),
        repository=repository(files),
        data_date=date or data_date(root),
        methodology=methodology.read_text(encoding="utf-8") if methodology.is_file() else None,
        schema=_schema(root),
    )
