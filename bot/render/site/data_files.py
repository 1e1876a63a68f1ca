"""The site's downloads: the export with its date, one JSON per registry, the matrix as CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from bot.data import levels
from bot.data.model import Dataset
from bot.render import export
from bot.render.site import urls, views
from bot.render.tables import Row

FIXED_COLUMNS = (
    "id",
    "name",
    "languages",
    "clients",
    "tier",
    "tier_title",
    "controls_met",
    "controls_total",
)
"""The first columns of matrix.csv; then :data:`LATER_COLUMNS`."""
LATER_COLUMNS = (
    "openssf_<track> (one per OpenSSF track: level, or n/a)",
    "capabilities_met",
    "capabilities_applicable",
    "lifecycle",
    "purl",
    "osv",
    "depsdev",
    "<control id> (one per control: its status)",
)
"""How the data page describes the columns after the fixed ones."""


def documents(document: dict[str, Any]) -> dict[str, str]:
    """The export (from ``export.build``) and one document per registry, keyed by site path."""
    files = {urls.EXPORT: export.dumps(document)}
    for registry in document["registries"]:
        single = export.registry_document(document, registry["id"])
        files[urls.registry_data(registry["id"])] = export.dumps(single)
    return files


def header(dataset: Dataset) -> list[str]:
    """The CSV's column names."""
    tracks = [f"openssf_{t.id}" for t in dataset.principles.tracks]
    return [
        *FIXED_COLUMNS,
        *tracks,
        "capabilities_met",
        "capabilities_applicable",
        "lifecycle",
        "purl",
        "osv",
        "depsdev",
        *dataset.catalog.ids(),
    ]


def _record(dataset: Dataset, row: Row) -> list[Any]:
    registry, ids = row.registry, registry_ids(row)
    met, applicable = levels.capabilities_met(registry, dataset.principles)
    return [
        registry.id,
        registry.name,
        "; ".join(registry.languages),
        "; ".join(registry.clients),
        row.tier.tier,
        row.tier.title,
        row.met,
        len(dataset.catalog.controls),
        *(level.shown for level in row.levels),
        met,
        applicable,
        views.lifecycle(registry),
        *ids,
        *(registry.status(c).value for c in dataset.catalog.ids()),
    ]


def registry_ids(row: Row) -> tuple[str, str, str]:
    """PURL type, OSV ecosystem, deps.dev system ("" where none exists)."""
    found = row.registry.identifiers
    return found.purl or "", found.osv or "", found.depsdev or ""


def matrix_csv(dataset: Dataset, rows: list[Row]) -> str:
    """The matrix as CSV (RFC 4180 quoting, ``\\n`` line ends), in table order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header(dataset))
    writer.writerows(_record(dataset, row) for row in rows)
    return out.getvalue()
