"""Every file ``packman render`` owns, computed in memory, and how it differs from the disk.

:func:`render_all` computes the content each owned file should have from a snapshot of the
files packman reads: the data files in canonical form, the README regions, one page per
registry, the matrix picture, the export and the rendered issue forms. ``packman render``
writes the ones that differ (:func:`write_changed`) and removes orphaned pages; ``packman
check`` reports them (:func:`stale`). The README is the only owned file that also holds
hand-written text: only its marked regions are owned.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from bot.data import store
from bot.data.model import Dataset, Registry
from bot.data.snapshot import Files
from bot.errors import Problem
from bot.render import export, issue_forms, matrix, output_memo, pages, readme, tables

Outputs = dict[PurePosixPath, str]
"""Path relative to the repository root → the text the file should have."""


def render_all(files: Files, dataset: Dataset) -> Outputs:
    """The content every owned file should have, keyed by path relative to the root."""
    return {
        **store.canonical_files(dataset),
        **generated_files(dataset, files.get(readme.README) or ""),
        **issue_forms.rendered_forms(files, dataset),
    }


def generated_files(dataset: Dataset, readme_text: str) -> Outputs:
    """The files generated from the data: README regions, pages, the matrix and the export."""
    rows = tables.rows(dataset)
    files = _readme(dataset, rows, readme_text)
    files.update({pages.PAGES / f"{row.registry.id}.md": pages.page(dataset, row) for row in rows})
    files.update(_overviews(dataset, rows))
    return files


def _readme(dataset: Dataset, rows: list[tables.Row], readme_text: str) -> Outputs:
    regions = readme.regions(dataset, rows)
    return {readme.README: readme.replace_regions(readme_text, regions, str(readme.README))}


def _overviews(dataset: Dataset, rows: list[tables.Row]) -> Outputs:
    """The pictures of every registry besides the README: OpenSSF page, matrix, export."""
    files = (
        {pages.OPENSSF_PAGE: pages.openssf_page(dataset, rows)}
        if dataset.principles.capabilities
        else {}
    )
    files[matrix.MATRIX] = matrix.matrix(dataset, rows)
    files[export.EXPORT] = export.dumps(export.build(dataset, _export_entries(dataset)))
    return files


_ENTRIES: dict[str, tuple[Registry, Dataset, export.Written]] = {}
"""Each registry's written export entry, with the registry and dataset it was written from: the
bot writes the export once per approval, and most registries are the same objects each time."""


def _export_entries(dataset: Dataset) -> list[export.Written]:
    """Every registry's export entry, reusing one written for the same registry object under the
    same catalog, policy and capability catalog."""
    entries = []
    for registry in dataset.registries:
        known = _ENTRIES.get(registry.id)
        if known is None or known[0] is not registry or not _same_rules(known[1], dataset):
            known = (registry, dataset, export.registry_entry(registry, dataset))
            _ENTRIES[registry.id] = known
        entries.append(known[2])
    if len(_ENTRIES) > 2 * len(dataset.registries):  # ids of other datasets (tests, benches)
        _ENTRIES.clear()
    return entries


def _same_rules(one: Dataset, other: Dataset) -> bool:
    return (
        one.catalog is other.catalog
        and one.policy is other.policy
        and one.principles is other.principles
    )


def render_after(files: Files, before: Dataset, after: Dataset, previous: Outputs) -> Outputs:
    """``render_all(files, after)``, given ``previous == render_all(files, before)``.

    For a change of registries only (what an approval makes): the data file and page of each
    changed registry, the overviews (README, OpenSSF page, matrix, export), and the forms only
    when a registry was added or renamed. Anything else (another catalog, policy or capability
    catalog, a registry removed) renders everything. tests/test_render_after.py holds that the
    result equals a full render.
    """
    kept = (before.catalog, before.policy, before.principles)
    if kept != (after.catalog, after.policy, after.principles):
        return render_all(files, after)
    old = {r.id: r for r in before.registries}
    if old.keys() - {r.id for r in after.registries}:
        return render_all(files, after)
    changed = {r.id for r in after.registries if old.get(r.id) is not r and old.get(r.id) != r}
    rows = tables.rows(after)
    result = dict(previous)
    for row in (row for row in rows if row.registry.id in changed):
        result[store.registry_path(row.registry.id)] = store.dump_registry(row.registry)
        result[pages.PAGES / f"{row.registry.id}.md"] = pages.page(after, row)
    result.update(_readme(after, rows, files.get(readme.README) or ""))
    result.update(_overviews(after, rows))
    if issue_forms.form_inputs(before) != issue_forms.form_inputs(after):
        result.update(issue_forms.rendered_forms(files, after))
    return result


def orphans(root: Path, outputs: Outputs) -> list[PurePosixPath]:
    """Generated pages on disk that no registry produces any more."""
    return output_memo.orphans(root, outputs)


def stale(root: Path, outputs: Outputs) -> list[Problem]:
    """One problem per owned file whose content differs from the expected one."""
    differ = [path for path, text in outputs.items() if output_memo.read_owned(root / path) != text]
    return output_memo.problems(root, differ, outputs)


def write_changed(root: Path, outputs: Outputs) -> list[PurePosixPath]:
    """Write every file whose content differs, remove orphans; return the paths changed."""
    changed = [
        path for path, text in outputs.items() if output_memo.read_owned(root / path) != text
    ]
    for path in changed:
        store.write_text(root / path, outputs[path])
    for orphan in orphans(root, outputs):
        (root / orphan).unlink()
        changed.append(orphan)
    return changed
