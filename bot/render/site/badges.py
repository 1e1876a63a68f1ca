"""A badge per registry: a shields.io endpoint document and the same badge as a small SVG."""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.data.model import TierPolicy
from bot.escape import xml
from bot.render.site import urls
from bot.render.tables import Row

LABEL = "packman"
COLOURS = ("red", "yellow", "brightgreen")
"""shields.io colour names: the lowest tier, every tier between, the highest tier."""
HEX = {"red": "#c0262d", "yellow": "#8a6100", "brightgreen": "#1a7f37"}
"""The same colours for the SVG, dark enough for white text (WCAG AA)."""
CHAR_WIDTH = 7
"""Pixels per character of 11px Verdana-like text, rounded up (the badge only needs to fit)."""


@dataclass(frozen=True)
class Badge:
    """One registry's badge."""

    label: str
    """Left text."""
    message: str
    """Right text: ``tier 2``."""
    colour: str
    """A shields.io colour name."""


def badge(row: Row, policy: TierPolicy) -> Badge:
    """The badge of one registry: its tier, coloured by its place among the tiers."""
    numbers = [rule.tier for rule in policy.tiers]
    if row.tier.tier == numbers[-1]:
        colour = COLOURS[2]
    elif row.tier.tier == numbers[0]:
        colour = COLOURS[0]
    else:
        colour = COLOURS[1]
    return Badge(LABEL, f"tier {row.tier.tier}", colour)


def endpoint(one: Badge) -> str:
    """The shields.io endpoint JSON (schemaVersion 1)."""
    document = {
        "schemaVersion": 1,
        "label": one.label,
        "message": one.message,
        "color": one.colour,
    }
    return json.dumps(document, indent=2) + "\n"


def _widths(one: Badge) -> tuple[int, int]:
    return 10 + CHAR_WIDTH * len(one.label), 10 + CHAR_WIDTH * len(one.message)


def width(one: Badge) -> int:
    """The badge's width in pixels."""
    return sum(_widths(one))


def svg(one: Badge, name: str) -> str:
    """The badge as a small SVG with a text alternative."""
    left, right = _widths(one)
    width, text = left + right, xml(f"{one.label}: {name} is at {one.message}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" '
        f'viewBox="0 0 {width} 20" role="img" aria-label="{text}">'
        f"<title>{text}</title>"
        f'<rect width="{left}" height="20" rx="3" fill="#3d4349"/>'
        f'<rect x="{left}" width="{right}" height="20" rx="3" fill="{HEX[one.colour]}"/>'
        f'<g fill="#ffffff" font-family="Verdana, DejaVu Sans, sans-serif" font-size="11" '
        f'text-anchor="middle">'
        f'<text x="{left / 2:g}" y="14">{xml(one.label)}</text>'
        f'<text x="{left + right / 2:g}" y="14">{xml(one.message)}</text>'
        "</g></svg>\n"
    )


def snippet(site: str, registry_id: str) -> str:
    """Markdown that shows the badge through shields.io, linked to the registry's page."""
    endpoint_url = site + urls.badge(registry_id, "json")
    page = site + urls.registry(registry_id)
    return f"[![packman tier](https://img.shields.io/endpoint?url={endpoint_url})]({page})"
