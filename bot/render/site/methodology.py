"""Where the links of docs/methodology.md point on the site.

The page is written for the repository (``../README.md#controls``, ``registries/npm.md``); on the
site a link to a page the site has goes there, relative, and a link to any other file of the
repository goes to that file on GitHub.
"""

from __future__ import annotations

import posixpath

from bot.data.model import Dataset
from bot.render.site import urls
from bot.render.site.markdown_html import Links

DOCS = "docs"
"""The folder docs/methodology.md lives in: its relative links start there."""

PAGES = {
    ("README.md", "controls"): urls.CONTROLS,
    ("README.md", ""): urls.HOME,
    ("docs/openssf.md", ""): urls.CONTROLS + "#capabilities",
    ("docs/export.md", ""): urls.DATA,
    ("docs/packman.json", ""): urls.DATA,
    ("docs/methodology.md", ""): urls.METHODOLOGY,
}
"""(repository path, fragment) → the site's page for it (a fragment of "" matches any)."""


def links_for(repository: str, dataset: Dataset) -> Links:
    """The link mapper of the methodology page (which lives at the site's root)."""
    registries = {r.id for r in dataset.registries}

    def link(target: str) -> str:
        if target.startswith(("https://", "http://", "#", "mailto:")):
            return target
        path, _, fragment = target.partition("#")
        resolved = posixpath.normpath(posixpath.join(DOCS, path))
        folder, name = posixpath.split(resolved)
        stem = name.removesuffix(".md")
        if resolved == "README.md" and fragment in dataset.catalog.ids():
            return urls.control(fragment)
        if folder == "docs/registries" and stem in registries:
            return urls.registry(stem)
        page = PAGES.get((resolved, fragment)) or PAGES.get((resolved, ""))
        if page:
            return page
        anchor = f"#{fragment}" if fragment else ""
        return f"https://github.com/{repository}/blob/main/{resolved}{anchor}"

    return link
