"""The strict YAML reader and the canonical writer."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.data import strict_yaml
from bot.errors import DataError


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("duplicate-key", "a: 1\na: 2\n", "f.yml:2: duplicate key 'a'"),
        ("alias", "a: &x [1]\nb: *x\n", "anchors and aliases are not allowed"),
        ("custom-tag", "a: !!python/object:os.system x\n", "is not allowed; use plain YAML values"),
        ("local-tag", "a: !secret x\n", "tag '!secret' is not allowed"),
        ("malformed", "a: [1, 2\n", "f.yml:2: malformed YAML"),
        ("datetime", "a: 2024-01-01 10:00:00\n", "use a date (YYYY-MM-DD), not a date and time"),
        ("non-string-key", "1: a\n", "key 1 must be a string"),
        ("binary", "a: !!binary aGVsbG8=\n", "is not allowed"),
    ],
)
def test_load_refuses(name: str, text: str, message: str) -> None:
    """Every refusal names the file (and line) and says what is wrong."""
    with pytest.raises(DataError) as caught:
        strict_yaml.load(text, "f.yml")

    assert message in str(caught.value), name


def test_load_refuses_oversized_file() -> None:
    """A file over the size limit is refused before it is parsed."""
    text = "a: " + "x" * (strict_yaml.MAX_BYTES + 1)

    with pytest.raises(DataError, match="larger than"):
        strict_yaml.load(text, "big.yml")


def test_alias_bomb_is_refused_quickly() -> None:
    """A billion-laughs document is refused at the first alias instead of expanding."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"a{n}: &a{n} [*a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}, *a{n - 1}]" for n in range(1, 30)
    ]

    with pytest.raises(DataError, match="aliases"):
        strict_yaml.load("\n".join(lines), "bomb.yml")


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("plain words", "plain words"),
        ("yes", '"yes"'),
        ("no", '"no"'),
        ("null", '"null"'),
        ("1.5", '"1.5"'),
        ("2024-01-01", '"2024-01-01"'),
        ("a: b", '"a: b"'),
        ("text #comment", '"text #comment"'),
        ("- item", '"- item"'),
        ("@user", '"@user"'),
        ("", '""'),
        ("two\nlines", '"two\\nlines"'),
        ("trailing ", '"trailing "'),
        ("https://x.org/a?b=c", "https://x.org/a?b=c"),
        ("line\u2028sep", '"line\\u2028sep"'),
        ("bom\ufeff", '"bom\\ufeff"'),
        ("del\x7f", '"del\\u007f"'),
    ],
)
def test_dump_quotes_only_when_needed(value: str, written: str) -> None:
    """Strings are plain when unambiguous, double-quoted otherwise."""
    text = strict_yaml.dump({"k": value})

    assert text == f"k: {written}\n"
    assert strict_yaml.load(text, "t.yml") == {"k": value}


def test_dump_layout() -> None:
    """Nested mappings and lists use two-space block style; empty ones flow style."""
    data = {"a": {"b": [1, {"c": None, "d": [True]}], "e": [], "f": {}}, "g": dt.date(2026, 1, 2)}

    expected = "a:\n  b:\n    - 1\n    - c: null\n      d:\n        - true\n  e: []\n  f: {}\ng: 2026-01-02\n"
    assert strict_yaml.dump(data) == expected


_scalars = st.one_of(
    st.text(max_size=40),
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.none(),
    st.dates(),
)
_keys = st.text(min_size=1, max_size=12)
_data: st.SearchStrategy[Any] = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_keys, inner, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(_keys, _data, max_size=5))
def test_round_trip(data: dict[str, Any]) -> None:
    """Whatever dump writes, load reads back equal, and dumping again gives the same bytes."""
    text = strict_yaml.dump(data)

    assert strict_yaml.load(text, "p.yml") == (data or None)
    assert strict_yaml.dump(strict_yaml.load(text, "p.yml") or {}) == text
