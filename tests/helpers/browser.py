"""Chromium for the browser tests: Debian's package, never a browser Playwright downloads.

``PACKMAN_CHROMIUM`` may name another executable. :func:`missing` says why the group cannot run
(no Playwright, no axe-core package, no Chromium), or None when it can.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil

CANDIDATES = ("chromium", "chromium-browser")


@functools.cache
def executable() -> str | None:
    """The Chromium to drive: ``$PACKMAN_CHROMIUM``, else Debian's ``chromium`` on PATH."""
    named = os.environ.get("PACKMAN_CHROMIUM")
    if named:
        return shutil.which(named)
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


def missing() -> str | None:
    """Why the browser group cannot run here, or None."""
    for module, package in (
        ("playwright", "playwright"),
        ("axe_playwright_python", "axe-playwright-python"),
    ):
        if importlib.util.find_spec(module) is None:
            return f"the Python package {package} is not installed (pip install -e '.[dev]')"
    if executable() is None:
        return "chromium not found (apt-get install chromium, or set PACKMAN_CHROMIUM)"
    return None
