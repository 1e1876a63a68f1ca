"""Hypothesis settings for property tests, taken from the loaded profile (tests/conftest.py).

A test never names its own number of examples: an ordinary property test uses the profile as it
is, and one whose every example runs the whole bot (git, files, a subprocess) uses ``heavy()``,
a tenth of the profile's examples (at least five).
"""

from __future__ import annotations

from hypothesis import settings


def heavy() -> settings:
    """Settings for costly examples: a tenth of the loaded profile's, at least five."""
    current = settings()
    return settings(current, max_examples=max(5, current.max_examples // 10))
