"""The SVG picture of every registry against every control (docs/matrix.svg).

Readable without colour: every cell holds a letter (``Y``, ``P``, ``N``, ``–``, ``?``) in ink that
contrasts with its fill (WCAG AA), and the picture has a title and a description that state every
registry's tier in words. Its height grows with the number of registries. After the controls,
one column per OpenSSF track holds the registry's level there (0 to 3, or ``–`` where the track
does not apply), shaded from light to dark, with the number written in the cell.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from bot.data.model import Dataset, Status
from bot.render.environment import render_template
from bot.render.tables import Row

MATRIX = PurePosixPath("docs/matrix.svg")

STATUS_COLOURS = {
    Status.YES: "#1a7f37",
    Status.PARTIAL: "#d4a72c",
    Status.NO: "#cf222e",
    Status.NA: "#8c959f",
    Status.UNKNOWN: "#d0d7de",
}
STATUS_INK = {
    Status.YES: "#ffffff",
    Status.PARTIAL: "#1f2328",
    Status.NO: "#ffffff",
    Status.NA: "#1f2328",
    Status.UNKNOWN: "#1f2328",
}
"""The mark's colour on each fill: at least 4.5:1 against it."""
STATUS_MARKS = {
    Status.YES: "Y",
    Status.PARTIAL: "P",
    Status.NO: "N",
    Status.NA: "–",
    Status.UNKNOWN: "?",
}
"""The letter in each cell, so a status never depends on colour."""
TIER_COLOURS = {1: "#cf222e", 2: "#8a6100", 3: "#1a7f37"}
LEVEL_COLOURS = {None: "#eaeef2", 0: "#eaeef2", 1: "#9cd7ff", 2: "#0969da", 3: "#0a3069"}
LEVEL_INK = {None: "#1f2328", 0: "#1f2328", 1: "#1f2328", 2: "#ffffff", 3: "#ffffff"}
"""An OpenSSF level's fill and the ink of its number (at least 4.5:1 against the fill)."""


def matrix(dataset: Dataset, table_rows: list[Row]) -> str:
    """The SVG picture of every registry against every control."""
    cell, name_width, tier_width, top, gap = 22, 190, 44, 250, 12
    tracks = dataset.principles.tracks
    levels_left = name_width + tier_width + cell * len(dataset.catalog.controls) + gap
    width = levels_left + cell * len(tracks) + 150  # room for slanted titles
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
        ink=STATUS_INK,
        marks=STATUS_MARKS,
        tier_colours=TIER_COLOURS,
        legend=list(Status),
        tracks=tracks,
        levels_left=levels_left,
        level_colours=LEVEL_COLOURS,
        level_ink=LEVEL_INK,
    )
