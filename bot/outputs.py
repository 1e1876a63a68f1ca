"""Everything ``packman render`` owns on disk, and how it differs from what is there.

The expected content of each owned file is computed in memory (data files in
canonical form, then generated files); ``render`` writes the ones that differ and
removes orphaned pages, ``check`` reports them. The README is the only generated
file that also holds hand-written text: only its marked regions are owned.
"""

from __future__ import annotations

from pathlib import Path

from bot import render, store
from bot.errors import Problem
from bot.model import Dataset


def expected(root: Path, dataset: Dataset) -> dict[Path, str]:
    """The content every owned file should have, keyed by path relative to ``root``."""
    readme = _read(root / render.README) or ""
    return {**store.canonical_files(dataset), **render.generated_files(dataset, readme)}


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def orphans(root: Path, files: dict[Path, str]) -> list[Path]:
    """Generated pages on disk that no registry produces any more."""
    pages = sorted((root / render.PAGES).glob("*.md"))
    return [p.relative_to(root) for p in pages if p.relative_to(root) not in files]


def stale(root: Path, files: dict[Path, str]) -> list[Problem]:
    """One problem per owned file whose content differs from the expected one."""
    problems = [Problem(path.as_posix(), _why(root / path)) for path, text in files.items()
                if _read(root / path) != text]
    problems += [Problem(p.as_posix(), "generated page of a registry that no longer exists; run `packman render`")
                 for p in orphans(root, files)]
    return problems


def _why(path: Path) -> str:
    if not path.exists():
        return "missing; run `packman render`"
    if path.suffix == ".yml" and "assessments" in path.parts:
        return "not in canonical form (or edited by hand); run `packman render` to rewrite it"
    return "stale: differs from what `packman render` writes; run `packman render` (never edit it by hand)"


def write(root: Path, files: dict[Path, str]) -> list[Path]:
    """Write every file that differs, remove orphans; return the paths changed."""
    changed = [path for path, text in files.items() if _read(root / path) != text]
    for path in changed:
        store.write_text(root / path, files[path])
    for orphan in orphans(root, files):
        (root / orphan).unlink()
        changed.append(orphan)
    return changed
