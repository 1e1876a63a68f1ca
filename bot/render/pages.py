"""The Markdown page of each registry (docs/registries/<id>.md)."""

from __future__ import annotations

from pathlib import PurePosixPath

from bot import escape
from bot.data.model import Assessment, Dataset
from bot.render.environment import render_template
from bot.render.tables import Row

PAGES = PurePosixPath("docs/registries")


def page(dataset: Dataset, row: Row) -> str:
    """The Markdown page of one registry."""
    entries = [
        _entry(control.id, escape.inline(control.title), row.registry.controls[control.id])
        for control in dataset.catalog.controls
    ]
    return render_template(
        "registry_page.md.j2",
        registry=row.registry,
        tier=row.tier,
        met=row.met,
        total=len(dataset.catalog.controls),
        catalog=dataset.catalog,
        entries=entries,
    )


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
        "notes": escape.inline(rating.notes) or "No notes yet.",
        "provenance": provenance,
    }
