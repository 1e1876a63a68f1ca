"""The site built from the frozen fixture project, and reading it back (links, rows, feeds).

Tests build the site from ``tests/fixtures/project`` committed as a git repository (so the
data's date comes from git, as in production) and compute every expectation from the same
dataset; they hold for any data the fixture may get.
"""

from __future__ import annotations

import functools
import posixpath
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from bot.render.site import build, source
from tests.helpers import project


@functools.cache
def built() -> Path:
    """The fixture project's site, built once per session into a temporary directory: read it,
    never write to it."""
    scratch = Path(tempfile.mkdtemp(prefix="packman-site-"))
    root = project.repository(scratch / "project")
    build.write(scratch / "site", build.build(source.load(root)))
    return scratch / "site"


class _Links(HTMLParser):
    """Collects every href and src, every id, and the rows of the matrix."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []
        self.ids: set[str] = set()
        self.rows: list[str] = []
        self._in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("href", "src"):
            if found.get(name):
                self.targets.append(str(found[name]))
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "tbody":
            self._in_body = True
        if tag == "tr" and self._in_body and "data-search" in found:
            self.rows.append(str(found["data-search"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False


def parse(path: Path) -> _Links:
    """The links, ids and matrix rows of one HTML file."""
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def internal(site: Path, page: Path, target: str) -> tuple[Path, str] | None:
    """The file and fragment an internal link of ``page`` points at (None for an outside link)."""
    if target.startswith(("https://", "http://", "mailto:")):
        return None
    path, _, fragment = target.partition("#")
    if not path:
        return page, fragment
    relative = page.parent.relative_to(site).as_posix()
    return site / posixpath.normpath(posixpath.join(relative, path)), fragment


def pages(site: Path) -> list[Path]:
    """Every HTML page of the site."""
    return sorted(site.rglob("*.html"))
