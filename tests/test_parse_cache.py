"""The content-hash cache of parsed data files answers exactly what the parser would."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.data import parse_cache, snapshot, store, strict_yaml
from bot.data.parse_cache import ParseCache
from bot.errors import DataError
from tests.helpers import bodies, project


def _typed(value: Any) -> Any:
    """``value`` with every scalar's type beside it (``True == 1`` must not pass)."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return (type(value).__name__, value)


_scalars = st.one_of(
    st.text(max_size=30),
    st.integers(-(2**53), 2**53),
    st.booleans(),
    st.none(),
    st.dates(),
    st.floats(allow_nan=False),
)
_data: st.SearchStrategy[Any] = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(_data)
def test_encode_decode_round_trip(value: Any) -> None:
    """Dates, floats, booleans and nesting come back with their types."""
    assert _typed(parse_cache.decode(parse_cache.encode(value))) == _typed(value)


def _data_texts() -> list[tuple[str, str]]:
    files = project.files()
    return [(str(p), t) for p, t in sorted(files.items()) if p.suffix == ".yml" and t]


def test_cached_values_equal_parsed_values_cold_and_warm(tmp_path: Path) -> None:
    """Every data file of the fixture: the same value on a miss and from a reloaded cache."""
    texts = _data_texts()
    cold = ParseCache(tmp_path / "parsed.json")
    first = [cold.load(text, source) for source, text in texts]
    cold.save()
    warm = ParseCache(tmp_path / "parsed.json")
    second = [warm.load(text, source) for source, text in texts]
    parsed = [strict_yaml.load(text, source) for source, text in texts]

    assert (cold.hits, warm.hits) == (0, len(texts))
    assert _typed(first) == _typed(parsed)
    assert _typed(second) == _typed(parsed)


def test_each_answer_is_a_fresh_object() -> None:
    """Changing one answer cannot change the next one for the same text."""
    cache = ParseCache(None)
    first = cache.load("a: [1]\nwhen: 2024-01-02\n", "f.yml")
    first["a"].append(2)
    second = cache.load("a: [1]\nwhen: 2024-01-02\n", "f.yml")

    assert second == {"a": [1], "when": dt.date(2024, 1, 2)}
    assert cache.hits == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [("a: 1\na: 2\n", "f.yml:2: duplicate key 'a'"), ("a: &x [1]\nb: *x\n", "anchors")],
)
def test_errors_are_never_cached(tmp_path: Path, text: str, message: str) -> None:
    """A file the parser refuses is refused again, with its line, however often it is read."""
    cache = ParseCache(tmp_path / "parsed.json")
    for _ in range(2):
        with pytest.raises(DataError) as caught:
            cache.load(text, "f.yml")
        assert message in str(caught.value)
    cache.save()

    assert not (tmp_path / "parsed.json").exists()


def test_dataset_from_the_cache_equals_the_parsed_dataset(tmp_path: Path) -> None:
    """The whole fixture project: the dataset with a warm cache is the dataset without one."""
    root = project.copy_project(tmp_path / "copy")
    shutil.rmtree(root / parse_cache.DIRECTORY, ignore_errors=True)
    files = snapshot.from_directory(root)
    store.dataset_from(files, ParseCache.at(root))  # a miss: nothing kept yet
    cold = ParseCache.at(root)
    assert cold.hits == 0
    store.dataset_from(files, cold)
    cold.save()
    warm = ParseCache.at(root)

    data_files = [p for p in files if p.parts[0] == "assessments"]

    assert store.dataset_from(files, warm) == store.dataset_from(files)
    assert warm.hits == len(data_files) > 3


def test_a_cache_of_another_parser_or_unreadable_is_ignored(tmp_path: Path) -> None:
    """A cache written by other parser code, or garbage, answers nothing."""
    path = tmp_path / "parsed.json"
    text = "a: 1\n"
    other = {"parser": "another", "entries": {parse_cache.text_key(text): '[{"a": 2}, []]'}}
    path.write_text(json.dumps(other))
    assert ParseCache(path).load(text, "f.yml") == {"a": 1}
    path.write_text("{not json")
    cache = ParseCache(path)

    assert (cache.load(text, "f.yml"), cache.hits) == ({"a": 1}, 0)


def test_the_cache_folder_ignores_itself(tmp_path: Path) -> None:
    """``git add -A`` in a checkout never picks the cache up."""
    cache = ParseCache.at(tmp_path)
    cache.load("a: 1\n", "f.yml")
    cache.save()

    assert (tmp_path / parse_cache.DIRECTORY / ".gitignore").read_text() == "*\n"


def test_forms_from_the_cache_equal_forms_read_from_yaml(tmp_path: Path) -> None:
    """Every rendered form of the fixture: the same Form on a miss and from the reloaded cache."""
    from bot.forms import kinds  # noqa: PLC0415 - the forms stage, only for this test

    root = project.copy_project(tmp_path / "copy")
    shutil.rmtree(root / parse_cache.DIRECTORY, ignore_errors=True)
    names = [k.value for k in kinds.FormKind]
    plain = [kinds.load(root, name) for name in names]
    cold = [kinds.load(root, name, cached=True) for name in names]
    warm_cache = kinds.forms_cache(root)
    warm = [
        kinds.load_form(kinds.form_path(root, n).read_text(), str(kinds.form_path(root, n)),
                        warm_cache.load)
        for n in names
    ]  # fmt: skip

    assert cold == plain
    assert warm == plain
    assert warm_cache.hits == len(names)


def test_values_json_cannot_hold_exactly_are_not_cached() -> None:
    """A number as a key (PyYAML's loader allows it) would come back as text: never kept."""
    cache = ParseCache(None, parse=lambda text, _source: {1: text})
    cache.load("x", "f.yml")

    assert cache.load("x", "f.yml") == {1: "x"}
    assert cache.hits == 0


def test_warm_parse_and_validate_never_import_pyyaml(tmp_path: Path) -> None:
    """With every file in the caches, the body commands start without PyYAML."""
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    root = str(project.copy_project(tmp_path / "copy"))
    body = tmp_path / "body.md"
    body.write_text(bodies.evidence())
    probe = (
        "import sys, json; from bot.cli import main; main(json.loads(sys.argv[1])); "
        "print(json.dumps('yaml' in sys.modules))"
    )
    for command in ("parse", "validate"):
        argv = json.dumps(["--root", root, command, "--form", "evidence", str(body)])
        runs = [
            subprocess.run(
                [sys.executable, "-c", probe, argv], capture_output=True, text=True, check=True
            )
            .stdout.strip()
            .splitlines()[-1]
            for _ in range(2)
        ]
        assert runs[1] == "false", command
