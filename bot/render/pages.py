"""The Markdown page of each registry (docs/registries/<id>.md)."""

from __future__ import annotations

from pathlib import PurePosixPath

from bot import escape
from bot.data import levels
from bot.data.model import UNASSESSED, Assessment, Dataset
from bot.render.environment import render_template
from bot.render.tables import Row

PAGES = PurePosixPath("docs/registries")
OPENSSF_PAGE = PurePosixPath("docs/openssf.md")
"""The generated page of the OpenSSF capabilities and their rubric."""


def page(dataset: Dataset, row: Row) -> str:
    """The Markdown page of one registry."""
    registry, principles = row.registry, dataset.principles
    entries = [
        _entry(control.id, escape.inline(control.title), registry.controls[control.id])
        for control in dataset.catalog.controls
    ]
    capabilities = [
        {**_entry(c.id, escape.inline(c.title), registry.capabilities.get(c.id, UNASSESSED)),
         "track": escape.inline(principles.track(c.track).title), "level": str(c.level),
         "adoption": _adoption(registry.capabilities.get(c.id, UNASSESSED))}
        for c in principles.capabilities
    ]  # fmt: skip
    return render_template(
        "registry_page.md.j2",
        registry=registry,
        tier=row.tier,
        met=row.met,
        total=len(dataset.catalog.controls),
        catalog=dataset.catalog,
        entries=entries,
        levels=row.levels,
        principles=principles,
        capabilities=capabilities,
        openssf_page=OPENSSF_PAGE.name,
    )


def _adoption(rating: Assessment) -> list[str]:
    """Each published adoption figure as one escaped line."""
    return [
        f"{escape.inline(a.value)}: {escape.inline(a.measure)} ({a.date}, "
        f"[{escape.link_text(a.source)}]({escape.url(a.source)}))"
        for a in rating.adoption
    ]


def published_notes(notes: str) -> str:
    """A rating's notes exactly as its registry page shows them (previews show the same text)."""
    return escape.inline(notes) or "No notes yet."


def _entry(control_id: str, title: str, rating: Assessment) -> dict[str, str]:
    """One control of a registry page, every value escaped for Markdown (built here: pages are the
    hot path)."""
    links = (
        "<br>".join(f"[{escape.link_text(link)}]({escape.url(link)})" for link in rating.evidence)
        or "—"
    )
    source = rating.provenance
    provenance = ""
    if source.issue:
        provenance = (
            f"Submitted through issue {source.issue}"
            + (f" by {escape.inline(source.submitted_by)}" if source.submitted_by else "")
            + (f", approved by {escape.inline(source.approved_by)}" if source.approved_by else "")
            + "."
        )
    return {
        "id": control_id,
        "title": title,
        "status": rating.status.value,
        "verified": str(rating.verified or "—"),
        "links": links,
        "notes": published_notes(rating.notes),
        "provenance": provenance,
    }


def openssf_page(dataset: Dataset, rows: list[Row]) -> str:
    """The page of the OpenSSF capabilities: tracks, levels per registry, every rubric."""
    principles = dataset.principles
    met = {
        row.registry.id: "{} / {}".format(*levels.capabilities_met(row.registry, principles))
        for row in rows
    }
    return render_template(
        "openssf_page.md.j2", principles=principles, catalog=dataset.catalog, rows=rows, met=met
    )
