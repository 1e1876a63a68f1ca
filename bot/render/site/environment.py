"""The Jinja2 environment of the site's HTML templates (bot/render/templates/site), autoescaped."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from bot.data.model import Status
from bot.escape import strip_invisible

TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "site"
"""The site's templates, and its static files under ``static/``."""


@cache
def environment() -> jinja2.Environment:
    """HTML templates: autoescape on, strict undefined, one filter for link targets."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_visible,
    )
    env.filters.update(href=href, clean=clean, shown_link=shown_link)
    env.globals.update(status=status)
    return env


SYMBOLS = {
    Status.YES: "✓",
    Status.PARTIAL: "◐",
    Status.NO: "✗",
    Status.NA: "–",
    Status.UNKNOWN: "?",
}
"""The symbol shown beside each status word: status is never told by colour alone."""
_STATUS_HTML = {
    s: Markup(  # noqa: S704 - built from the fixed status words and symbols above, nothing else
        f'<span class="status status-{s.value.replace("/", "")}">'
        f'<span class="symbol" aria-hidden="true">{SYMBOLS[s]}</span> {s.value}</span>'
    )
    for s in Status
}


def status(value: Status) -> Markup:
    """A status as HTML: its symbol (hidden from screen readers) and its word, in its colour."""
    return _STATUS_HTML[value]


def _visible(value: object) -> object:
    """Every printed text loses its invisible characters (bidi overrides, controls), so what a
    page shows is what a reader sees; markup built here (statuses) is left as it is."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return strip_invisible(value)
    return value


def href(link: str) -> str:
    """An outside link target: https only (else ``#``); autoescape does the rest."""
    return strip_invisible(link) if link.startswith("https://") else "#"


def clean(text: str) -> str:
    """Text without invisible characters, on one line (autoescape makes it inert HTML)."""
    return " ".join(strip_invisible(text).split())


LINK_LENGTH = 90
"""Longer evidence links are shown cut, with an ellipsis (the target stays whole)."""


def shown_link(link: str) -> str:
    """An evidence link as the page shows it: without ``https://``, at most 90 characters."""
    shown = clean(link).removeprefix("https://")
    return shown if len(shown) <= LINK_LENGTH else shown[: LINK_LENGTH - 1] + "…"


def render(name: str, **context: Any) -> str:
    """Render one site template with ``context``."""
    return environment().get_template(name).render(**context)
