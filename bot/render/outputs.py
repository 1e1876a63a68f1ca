"""Everything ``packman render`` owns on disk, and how it differs from what is there.

The expected content of each owned file is computed in memory from a snapshot of
the files packman reads (data files in canonical form, generated files, rendered
forms); ``render`` writes the ones that differ and removes orphaned pages,
``check`` reports them. The README is the only generated file that also holds
hand-written text: only its marked regions are owned.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from bot.data import store
from bot.data.model import Dataset
from bot.data.snapshot import Files
from bot.errors import Problem
from bot.render import issue_forms, pages

Outputs = dict[PurePosixPath, str]


def expected(files: Files, dataset: Dataset) -> Outputs:
    """The content every owned file should have, keyed by path relative to the root."""
    readme = files.get(pages.README) or ""
    return {
        **store.canonical_files(dataset),
        **pages.generated_files(dataset, readme),
        **issue_forms.rendered_forms(files, dataset),
    }


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def orphans(root: Path, outputs: Outputs) -> list[PurePosixPath]:
    """Generated pages on disk that no registry produces any more."""
    found = (
        PurePosixPath(p.relative_to(root).as_posix()) for p in (root / pages.PAGES).glob("*.md")
    )
    return sorted(p for p in found if p not in outputs)


def stale(root: Path, outputs: Outputs) -> list[Problem]:
    """One problem per owned file whose content differs from the expected one."""
    problems = [
        Problem(str(path), _why(root, path))
        for path, text in outputs.items()
        if _read(root / path) != text
    ]
    problems += [
        Problem(str(p), "generated page of a registry that no longer exists; run `packman render`")
        for p in orphans(root, outputs)
    ]
    return problems


def _why(root: Path, path: PurePosixPath) -> str:
    if not (root / path).exists():
        return "missing; run `packman render`"
    if path.suffix == ".yml" and path.parts[0] == "assessments":
        return "not in canonical form (or edited by hand); run `packman render` to rewrite it"
    return "stale: differs from what `packman render` writes; run `packman render` (never edit it by hand)"


def write(root: Path, outputs: Outputs) -> list[PurePosixPath]:
    """Write every file that differs, remove orphans; return the paths changed."""
    changed = [path for path, text in outputs.items() if _read(root / path) != text]
    for path in changed:
        store.write_text(root / path, outputs[path])
    for orphan in orphans(root, outputs):
        (root / orphan).unlink()
        changed.append(orphan)
    return changed
