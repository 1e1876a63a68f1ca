"""Where things are: this project, its test fixtures, and the shared reference material."""

from __future__ import annotations

import os
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
PROJECT = TESTS.parent
FIXTURES = TESTS / "fixtures"
EXAMPLES = PROJECT / "examples"
SHARED = Path(os.environ.get("PACKMAN_SHARED", PROJECT.parent / "shared"))
"""Third-party reference material (real issue bodies, GitHub's REST description), never copied
into this repository; ``PACKMAN_SHARED`` may point elsewhere."""
