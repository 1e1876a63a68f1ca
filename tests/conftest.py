"""Shared fixtures: paths to the project and a throw-away copy of a small repository."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A writable copy of the three-control, two-registry fixture repository."""
    root = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    return root


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A writable copy of this project's data, README and generated files."""
    root = tmp_path / "project"
    for name in ("assessments", "docs", ".github"):
        if (PROJECT / name).exists():
            shutil.copytree(PROJECT / name, root / name)
    shutil.copy(PROJECT / "README.md", root / "README.md")
    if (PROJECT / "issue_templates").exists():
        shutil.copytree(PROJECT / "issue_templates", root / "issue_templates")
    return root
