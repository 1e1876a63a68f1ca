"""Where each file of the site lives, and relative links between them (the site works under any
path, such as ``owner.github.io/packman/``)."""

from __future__ import annotations

HOME = "index.html"
CONTROLS = "controls/index.html"
METHODOLOGY = "methodology.html"
CHANGES = "changes.html"
DATA = "data.html"
STYLE = "assets/site.css"
SCRIPT = "assets/site.js"
FAVICON = "favicon.svg"
FEED = "feeds/all.atom"
EXPORT = "data/packman.json"
CSV = "data/matrix.csv"
SCHEMA = "data/export.schema.json"


def registry(registry_id: str) -> str:
    """The page of one registry."""
    return f"registries/{registry_id}.html"


def control(control_id: str) -> str:
    """The page of one control."""
    return f"controls/{control_id}.html"


def capability(capability_id: str) -> str:
    """The page of one OpenSSF capability."""
    return f"capabilities/{capability_id}.html"


def feed(registry_id: str) -> str:
    """The Atom feed of one registry."""
    return f"feeds/{registry_id}.atom"


def badge(registry_id: str, suffix: str) -> str:
    """The badge of one registry: ``json`` (shields.io endpoint) or ``svg``."""
    return f"badges/{registry_id}.{suffix}"


def registry_data(registry_id: str) -> str:
    """The JSON document of one registry."""
    return f"data/registries/{registry_id}.json"


def root_of(path: str) -> str:
    """The relative prefix from the file at ``path`` back to the site's root (``""``, ``../``)."""
    return "../" * path.count("/")


def site_url(repository: str) -> str:
    """Where GitHub Pages publishes the site of ``owner/name``."""
    owner, _, name = repository.partition("/")
    return f"https://{owner.lower()}.github.io/{name}/"
