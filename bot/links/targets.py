"""The URLs the data cites, each once, with every place that cites it.

A registry file cites URLs in two kinds of places: its ``homepage``, and the ``evidence``
of each control. The link check fetches each distinct URL once, however often it is cited,
and reports a problem at every place that cites it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.data import store
from bot.data.model import Dataset

HOMEPAGE = "homepage"
"""How a citation in a registry's ``homepage`` field is named in reports."""


@dataclass(frozen=True)
class Citation:
    """One place in the data that cites a URL."""

    file: str
    """The data file, relative to the root (``assessments/registries/npm.yml``)."""
    control: str | None
    """The control whose evidence cites the URL; None for the registry's homepage."""

    @property
    def where(self) -> str:
        """The control id, or ``homepage``."""
        return self.control or HOMEPAGE


@dataclass(frozen=True)
class Target:
    """One distinct URL to check, and every place that cites it."""

    url: str
    """The URL exactly as the data writes it."""
    citations: tuple[Citation, ...]
    """Every place that cites it, in data order (registries by id, then catalog order)."""

    @property
    def host(self) -> str:
        """The host the URL points at (requests to one host are paced)."""
        return (urlsplit(self.url).hostname or "").lower()


def gather(dataset: Dataset) -> tuple[Target, ...]:
    """Every distinct URL of the data, in the order it is first cited."""
    places: dict[str, dict[Citation, None]] = {}
    for registry in dataset.registries:
        file = str(store.registry_path(registry.id))
        cited = [(registry.homepage, Citation(file, None))] if registry.homepage else []
        for control_id, assessment in registry.controls.items():
            cited += [(url, Citation(file, control_id)) for url in assessment.evidence]
        for url, citation in cited:
            places.setdefault(url, {})[citation] = None
    return tuple(Target(url, tuple(citations)) for url, citations in places.items())
