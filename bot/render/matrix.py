"""The SVG picture of every registry against every control (docs/matrix.svg)."""

from __future__ import annotations

from pathlib import PurePosixPath

from bot.data.model import Dataset, Status
from bot.render.environment import render_template
from bot.render.tables import Row

MATRIX = PurePosixPath("docs/matrix.svg")

STATUS_COLOURS = {
    Status.YES: "#2da44e",
    Status.PARTIAL: "#d4a72c",
    Status.NO: "#cf222e",
    Status.NA: "#8c959f",
    Status.UNKNOWN: "#d0d7de",
}
TIER_COLOURS = {1: "#cf222e", 2: "#bf8700", 3: "#1a7f37"}


def matrix(dataset: Dataset, table_rows: list[Row]) -> str:
    """The SVG picture of every registry against every control."""
    cell, name_width, tier_width, top = 22, 190, 44, 250
    width = (
        name_width + tier_width + cell * len(dataset.catalog.controls) + 150
    )  # room for slanted titles
    return render_template(
        "matrix.svg.j2",
        rows=table_rows,
        catalog=dataset.catalog,
        cell=cell,
        name_width=name_width,
        tier_width=tier_width,
        left=name_width + tier_width,
        top=top,
        width=max(width, 560),
        height=top + cell * len(table_rows) + 44,
        colours=STATUS_COLOURS,
        tier_colours=TIER_COLOURS,
        legend=list(Status),
    )
