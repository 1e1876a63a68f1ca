"""The output memo: a check or render it answers equals the full one."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest

from bot.data import snapshot, store
from bot.data.parse_cache import ParseCache
from bot.errors import Problem
from bot.render import output_memo, outputs, pages
from bot.render.output_memo import OutputMemo
from tests.helpers import project

PAGE = PurePosixPath("docs/registries/npm.md")


def _full_check(root: Path) -> list[Problem]:
    files = snapshot.from_directory(root)
    return outputs.stale(root, outputs.render_all(files, store.dataset_from(files)))


def _memo_check(root: Path) -> list[Problem]:
    files = snapshot.from_directory(root)
    return output_memo.check(root, files, ParseCache.at(root), OutputMemo.at(root))


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and output_memo.DIRECTORY not in p.parts
    }


def _copy(tmp_path: Path, name: str = "copy") -> Path:
    """A copy of the rendered fixture without any cache (the shared one may have one)."""
    root = project.copy_project(tmp_path / name)
    shutil.rmtree(root / output_memo.DIRECTORY, ignore_errors=True)
    return root


def _edit_page(root: Path) -> None:
    (root / PAGE).write_text((root / PAGE).read_text() + "hand edit\n")


def _orphan(root: Path) -> None:
    (root / "docs/registries/gone.md").write_text("old\n")


def _missing_page(root: Path) -> None:
    (root / PAGE).unlink()


def _untouched(root: Path) -> None:
    assert root.exists()


@pytest.mark.parametrize("damage", [_untouched, _edit_page, _orphan, _missing_page])
def test_check_from_the_memo_equals_the_full_check(tmp_path: Path, damage: object) -> None:
    """Same problems, same order, for a clean tree, an edited, an orphaned and a missing page."""
    root = _copy(tmp_path)
    _memo_check(root)  # fills the memo while the tree is clean
    damage(root)  # type: ignore[operator]
    key = output_memo.input_key(snapshot.from_directory(root))

    assert OutputMemo.at(root).get(key) is not None  # the answer below comes from the memo
    assert _memo_check(root) == _full_check(root)


def test_render_from_the_memo_gives_the_bytes_of_a_full_render(tmp_path: Path) -> None:
    """An edited page and an orphan: the memo path rewrites and removes exactly as a full one."""
    memo_root = _copy(tmp_path, "memo")
    full_root = _copy(tmp_path, "full")
    files = snapshot.from_directory(memo_root)
    output_memo.render(memo_root, files, ParseCache.at(memo_root), OutputMemo.at(memo_root))
    for root in (memo_root, full_root):
        _edit_page(root)
        _orphan(root)

    memo_changed = output_memo.render(
        memo_root, snapshot.from_directory(memo_root), None, OutputMemo.at(memo_root)
    )
    full_files = snapshot.from_directory(full_root)
    full_changed = outputs.write_changed(
        full_root, outputs.render_all(full_files, store.dataset_from(full_files))
    )

    assert memo_changed == full_changed == [PAGE, PurePosixPath("docs/registries/gone.md")]
    assert _tree(memo_root) == _tree(full_root)


def test_an_orphan_alone_is_removed_without_rendering(tmp_path: Path) -> None:
    """Every owned file matches the memo: only the orphan goes."""
    root = _copy(tmp_path)
    output_memo.render(root, snapshot.from_directory(root), None, OutputMemo.at(root))
    _orphan(root)

    changed = output_memo.render(root, snapshot.from_directory(root), None, OutputMemo.at(root))

    assert changed == [PurePosixPath("docs/registries/gone.md")]
    assert not (root / "docs/registries/gone.md").exists()


def test_a_changed_input_is_rendered_again(tmp_path: Path) -> None:
    """A data edit gives a new key: the memo cannot hide the new stale files."""
    root = _copy(tmp_path)
    _memo_check(root)
    data = root / "assessments/registries/npm.yml"
    data.write_text(data.read_text().replace("name: npm", "name: npm registry"))

    problems = _memo_check(root)

    assert problems == _full_check(root)
    assert any(p.where == str(PAGE) for p in problems)


def test_outputs_depend_only_on_the_memo_inputs() -> None:
    """The key covers every file ``render_all`` uses: without the other files, or with garbage
    in them, the outputs are the same."""
    files = dict(project.files())
    others = {p for p in files if not output_memo.is_input(p)}
    dataset = store.dataset_from(files)
    inputs_only = {p: t for p, t in files.items() if p not in others}
    garbage = {**files, **dict.fromkeys(others, "garbage\n")}

    assert len(others) > 5
    assert outputs.render_all(inputs_only, dataset) == outputs.render_all(files, dataset)
    assert outputs.render_all(garbage, dataset) == outputs.render_all(files, dataset)


def test_the_memo_knows_where_pages_live() -> None:
    """Orphans are found in the same folder with or without the renderer."""
    assert output_memo.PAGES == pages.PAGES


def test_a_check_the_memo_answers_loads_no_renderer(tmp_path: Path) -> None:
    """The second ``packman check`` of an unchanged tree never imports Jinja2."""
    root = str(_copy(tmp_path))
    probe = (
        "import sys, json; from bot.cli import main; code = main(json.loads(sys.argv[1])); "
        "print(json.dumps([code, sorted(sys.modules)]))"
    )

    def loaded() -> tuple[int, set[str]]:
        argv = json.dumps(["--root", root, "check"])
        done = subprocess.run(
            [sys.executable, "-c", probe, argv], capture_output=True, text=True, check=True
        )
        code, modules = json.loads(done.stdout.strip().splitlines()[-1])
        return code, set(modules)

    first_code, first = loaded()
    second_code, second = loaded()

    assert (first_code, second_code) == (0, 0)
    assert "jinja2" in first
    assert "jinja2" not in second


def test_a_check_after_a_render_is_answered_by_the_memo(tmp_path: Path) -> None:
    """render rewrites a stale README and a non-canonical data file; the check of the tree it
    wrote comes from the memo and equals a full check, because rendering is idempotent."""
    root = _copy(tmp_path)
    readme = root / "README.md"
    readme.write_text(readme.read_text().replace("| npm |", "| npm (old) |"))
    data = root / "assessments/registries/npm.yml"
    data.write_text(data.read_text() + "\n\n")
    before = snapshot.from_directory(root)
    output_memo.render(root, before, None, OutputMemo.at(root))
    after = snapshot.from_directory(root)

    assert after != before
    assert OutputMemo.at(root).get(output_memo.input_key(after)) is not None
    assert outputs.render_all(after, store.dataset_from(after)) == outputs.render_all(
        before, store.dataset_from(before)
    )
    assert _memo_check(root) == _full_check(root) == []


def test_render_and_check_read_exactly_the_memo_inputs() -> None:
    """The snapshot ``packman render`` reads holds every input of the key and nothing else."""
    root = project.root()
    everything = snapshot.from_directory(root)
    inputs = snapshot.from_directory(root, snapshot.INPUTS)

    assert inputs == {p: t for p, t in everything.items() if output_memo.is_input(p)}
    assert len(inputs) < len(everything)
