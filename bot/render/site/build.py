"""Every file of the site, computed in memory, and how it is written to a directory."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from bot.data.model import Dataset, LifecycleState, Status, in_order
from bot.errors import PackmanError
from bot.render import export, tables
from bot.render.site import badges, data_files, feeds, urls, views
from bot.render.site.environment import TEMPLATES, render
from bot.render.site.markdown_html import to_html
from bot.render.site.methodology import links_for
from bot.render.tables import Row

Site = dict[str, bytes]
"""Site path (``registries/npm.html``) → the file's bytes."""

MARKER = ".packman-site"
"""Written into every site directory: ``packman site`` replaces only a directory holding it."""
STATIC = {urls.STYLE: "site.css", urls.SCRIPT: "site.js", urls.FAVICON: "favicon.svg"}
NAV = (
    (urls.HOME, "Registries"),
    (urls.CONTROLS, "Controls"),
    (urls.METHODOLOGY, "Methodology"),
    (urls.CHANGES, "Changes"),
    (urls.DATA, "Data"),
)


@dataclass(frozen=True)
class Source:
    """What the site is built from: the data and a few facts about it, never the clock."""

    dataset: Dataset
    """The data."""
    repository: str
    """``owner/name`` on GitHub (for the badge snippet, feed ids and source links)."""
    data_date: dt.date | None
    """The data's commit date; None for an uncommitted checkout."""
    methodology: str | None
    """docs/methodology.md, if the project has one."""
    schema: str
    """schemas/export.schema.json, published beside the export."""


def as_of(source: Source) -> dt.date:
    """The day stale evidence is judged against: the commit date, else the data's newest date."""
    if source.data_date:
        return source.data_date
    days = [
        day
        for r in source.dataset.registries
        for day in (
            *(e.date for e in r.history),
            *(a.verified for a in (*r.controls.values(), *r.capabilities.values()) if a.verified),
        )
    ]
    return max(days, default=dt.date(1970, 1, 1))


def tier_class(dataset: Dataset) -> dict[int, str]:
    """The CSS class of each tier: ``low`` for the lowest, ``top`` for the highest."""
    numbers = [rule.tier for rule in dataset.policy.tiers]
    return {n: "top" if n == numbers[-1] else "low" if n == numbers[0] else "mid" for n in numbers}


class _Pages:
    """Renders the pages of one build with the context they share."""

    def __init__(self, source: Source, rows: list[Row], document: dict[str, Any]) -> None:
        self.source, self.rows, self.dataset = source, rows, source.dataset
        self.as_of = as_of(source)
        self.limit = views.stale_limit(self.dataset, self.as_of)
        self.shared = {
            "nav": NAV,
            "urls": urls,
            "repository": source.repository,
            "data_date": source.data_date,
            "catalog_version": document["catalog_version"],
            "catalog": self.dataset.catalog,
            "policy": self.dataset.policy,
            "principles": self.dataset.principles,
            "tier_class": tier_class(self.dataset),
            "lifecycle": views.lifecycle,
            "in_order": in_order,
        }

    def page(self, template: str, path: str, **context: Any) -> str:
        return render(template, page=path, root=urls.root_of(path), **self.shared, **context)

    def home(self) -> str:
        return self.page(
            "home.html.j2",
            urls.HOME,
            rows=self.rows,
            languages=views.languages(self.rows),
            lifecycle_states=[s.value for s in LifecycleState],
        )

    def registry(self, row: Row, site: str) -> str:
        one = badges.badge(row, self.dataset.policy)
        return self.page(
            "registry.html.j2",
            urls.registry(row.registry.id),
            row=row,
            met=views.reached(self.dataset, row),
            controls=views.control_lines(self.dataset, row.registry, self.as_of),
            capabilities=views.capability_lines(self.dataset, row.registry, self.as_of),
            history=views.events(self.dataset, row.registry),
            snippet=badges.snippet(site, row.registry.id),
            badge_width=badges.width(one),
        )

    def item(self, item: Any, capability: bool) -> str:
        ratings = views.side_by_side(self.rows, item.id, capability, self.limit)
        counted = Counter(line.rating.status for line in ratings)
        required = [
            rule
            for rule in self.dataset.policy.tiers
            if item.id in rule.required(self.dataset.catalog)
        ]
        path = urls.capability(item.id) if capability else urls.control(item.id)
        return self.page(
            "item.html.j2",
            path,
            item=item,
            capability=capability,
            ratings=ratings,
            counts=[(s, counted[s]) for s in Status if counted[s]],
            required_by=[] if capability else required,
        )

    def controls(self) -> str:
        def counts(item_id: str, capability: bool) -> list[tuple[Status, int]]:
            lines = views.side_by_side(self.rows, item_id, capability, self.limit)
            found = Counter(line.rating.status for line in lines)
            return [(s, found[s]) for s in Status]

        return self.page(
            "controls.html.j2",
            urls.CONTROLS,
            statuses=list(Status),
            controls=[(c, counts(c.id, False)) for c in self.dataset.catalog.controls],
            capabilities=[(c, counts(c.id, True)) for c in self.dataset.principles.capabilities],
        )

    def methodology(self) -> str:
        text, repository = self.source.methodology, self.source.repository
        body = to_html(text, links_for(repository, self.dataset)) if text else ""
        return self.page("methodology.html.j2", urls.METHODOLOGY, body=body)

    def changes(self) -> str:
        return self.page(
            "changes.html.j2",
            urls.CHANGES,
            events=views.events(self.dataset),
            control_ids=set(self.dataset.catalog.ids()),
            capability_ids=set(self.dataset.principles.ids()),
        )

    def data(self) -> str:
        return self.page(
            "data.html.j2",
            urls.DATA,
            rows=self.rows,
            version=export.VERSION,
            csv_columns=[*data_files.FIXED_COLUMNS, *data_files.LATER_COLUMNS],
        )


def build(source: Source) -> Site:
    """Every file of the site."""
    dataset, rows = source.dataset, tables.rows(source.dataset)
    document = export.build(dataset, data_date=source.data_date)
    pages = _Pages(source, rows, document)
    site_url = urls.site_url(source.repository)
    text: dict[str, str] = {
        urls.HOME: pages.home(),
        urls.CONTROLS: pages.controls(),
        urls.METHODOLOGY: pages.methodology(),
        urls.CHANGES: pages.changes(),
        urls.DATA: pages.data(),
        urls.CSV: data_files.matrix_csv(dataset, rows),
        urls.SCHEMA: source.schema,
        **data_files.documents(document),
        **_feeds(source, rows, pages.as_of),
        MARKER: "This directory is written by `packman site`; it replaces what is here.\n",
    }
    for row in rows:
        text[urls.registry(row.registry.id)] = pages.registry(row, site_url)
        one = badges.badge(row, dataset.policy)
        text[urls.badge(row.registry.id, "json")] = badges.endpoint(one)
        text[urls.badge(row.registry.id, "svg")] = badges.svg(one, row.registry.name)
    for control in dataset.catalog.controls:
        text[urls.control(control.id)] = pages.item(control, capability=False)
    for capability in dataset.principles.capabilities:
        text[urls.capability(capability.id)] = pages.item(capability, capability=True)
    site = {path: content.encode("utf-8") for path, content in text.items()}
    site.update({path: (TEMPLATES / "static" / name).read_bytes() for path, name in STATIC.items()})
    return dict(sorted(site.items()))


def _feeds(source: Source, rows: list[Row], day: dt.date) -> dict[str, str]:
    dataset, repository = source.dataset, source.repository
    everything = feeds.feed(
        repository,
        (urls.FEED, urls.CHANGES),
        "packman: every rating change",
        views.events(dataset),
        day,
    )
    found = {urls.FEED: feeds.atom(repository, everything)}
    for row in rows:
        r = row.registry
        one = feeds.feed(
            repository, (urls.feed(r.id), urls.registry(r.id)), f"packman: {r.name}",
            views.events(dataset, r), day,
        )  # fmt: skip
        found[urls.feed(r.id)] = feeds.atom(repository, one)
    return found


def write(directory: Path, site: Site) -> int:
    """Replace ``directory``'s content with the site; return how many files were written.

    A directory that exists, is not empty and holds no :data:`MARKER` is refused: it may hold
    something else.
    """
    if directory.exists() and any(directory.iterdir()) and not (directory / MARKER).is_file():
        raise PackmanError(
            f"{directory}: not empty and not a site written by `packman site`; "
            "name a new or empty directory"
        )
    wanted = {directory / PurePosixPath(path) for path in site}
    if directory.exists():
        for old in sorted(directory.rglob("*"), reverse=True):
            if old.is_file() and old not in wanted:
                old.unlink()
            elif old.is_dir() and not any(old.iterdir()):
                old.rmdir()
    for path, content in site.items():
        target = directory / PurePosixPath(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_bytes() != content:
            target.write_bytes(content)
    return len(site)
