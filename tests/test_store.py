"""Reading and writing assessments/: round trips and the messages for bad data."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.data import codec, store, strict_yaml
from bot.data.model import Assessment, HistoryEntry, Provenance, Status, StatusChange
from bot.errors import DataError


def _edit(root: Path, old: str, new: str, name: str = "alpha") -> None:
    path = root / "assessments" / "registries" / f"{name}.yml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("case", "old", "new", "expected"),
    [
        (
            "unknown-status",
            'status: "yes"',
            "status: maybe",
            "assessments/registries/alpha.yml:12: controls.mfa.status: 'maybe' is not allowed; "
            "allowed: yes, partial, no, n/a, unknown",
        ),
        (
            "status-not-in-rubric",
            'status: "yes"\n    evidence:\n      - https://alpha.example/docs/signing',
            "status: n/a\n    evidence:\n      - https://alpha.example/docs/signing",
            "controls.signing.status: 'n/a' is not defined for 'Signing' (see its rubric); allowed: yes, no, unknown",
        ),
        (
            "unknown-control",
            "  tagging:",
            "  taging:",
            "controls.taging: 'taging' is not a control of the catalog; did you mean 'tagging'?",
        ),
        (
            "missing-field",
            'name: "Alpha | Pipes"\n',
            "",
            "assessments/registries/alpha.yml: name: missing; expected text",
        ),
        (
            "http-evidence",
            "https://alpha.example/docs/mfa",
            "http://alpha.example/docs/mfa",
            "controls.mfa.evidence[0]: 'http://alpha.example/docs/mfa' is not an https:// URL",
        ),
        (
            "javascript-evidence",
            "https://alpha.example/docs/mfa",
            "javascript:alert(1)",
            "controls.mfa.evidence[0]: 'javascript:alert(1)' is not an https:// URL",
        ),
        (
            "no-evidence",
            "    evidence:\n      - https://alpha.example/docs/mfa\n",
            "    evidence: []\n",
            "controls.mfa.evidence: status 'yes' needs at least one https:// source",
        ),
        (
            "duplicate-key",
            'lead: "@alice"\n',
            'lead: "@alice"\nlead: x\n',
            "assessments/registries/alpha.yml:10: duplicate key 'lead'",
        ),
        ("malformed", 'lead: "@alice"\n', "lead: [oops\n", "assessments/registries/alpha.yml:"),
        (
            "wrong-type",
            "  - AlphaLang\n",
            "  - [nested]\n",
            "languages[0]: expected text of at most 40 characters",
        ),
        (
            "unknown-field",
            'lead: "@alice"\n',
            'lead: "@alice"\ntier: 3\n',
            "tier: unknown field; allowed: id, name, languages",
        ),
        (
            "id-mismatch",
            "id: alpha",
            "id: gamma",
            "id: 'gamma' does not match the file name 'alpha'",
        ),
        (
            "boolean-status",
            'status: "yes"',
            "status: yes",
            "controls.mfa.status: expected text, found true",
        ),
        (
            "missing-verified",
            "    verified: 2026-01-02\n",
            "    verified: null\n",
            "controls.mfa.verified: missing; expected a date (YYYY-MM-DD)",
        ),
    ],
)
def test_bad_data_is_reported_precisely(
    mini: Path, case: str, old: str, new: str, expected: str
) -> None:
    """Each kind of bad data gives one line naming file, field and what is allowed."""
    _edit(mini, old, new)

    with pytest.raises(DataError) as caught:
        store.load_dataset(mini)

    assert any(expected in line for line in caught.value.diagnostics()), caught.value.diagnostics()


def test_all_problems_are_reported_together(mini: Path) -> None:
    """Two mistakes in two files give two lines in one run."""
    _edit(mini, 'status: "yes"', "status: maybe")
    _edit(mini, "status: partial", "status: sometimes", name="beta")

    with pytest.raises(DataError) as caught:
        store.load_dataset(mini)

    assert len(caught.value.diagnostics()) == 2


def test_missing_control_entry_is_reported(mini: Path) -> None:
    """Every control of the catalog must have an entry, even if unknown."""
    path = mini / "assessments/registries/beta.yml"
    text = path.read_text()
    path.write_text(text[: text.index("  tagging:")] + "history: []\n")

    with pytest.raises(
        DataError, match=r"controls\.tagging: missing; every control of the catalog needs an entry"
    ):
        store.load_dataset(mini)


_words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
_login = st.none() | st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True)
_assessments = st.builds(
    Assessment,
    status=st.sampled_from([Status.YES, Status.NO]),
    evidence=st.lists(
        st.from_regex(r"https://[a-z]{1,8}\.example/[a-z0-9/._-]{0,20}", fullmatch=True),
        min_size=1,
        max_size=3,
    ).map(tuple),
    notes=_words,
    verified=st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1)),
    provenance=st.builds(
        Provenance, issue=st.none() | st.integers(1, 10**6), submitted_by=_login, approved_by=_login
    ),
)
_history = st.builds(
    HistoryEntry,
    date=st.dates(dt.date(2000, 1, 1)),
    summary=_words,
    issue=st.none() | st.integers(1, 999),
    by=_login,
    tier=st.none() | st.integers(1, 3),
    changes=st.lists(
        st.builds(
            StatusChange,
            control=st.sampled_from(["mfa", "signing"]),
            before=st.sampled_from(list(Status)),
            after=st.sampled_from(list(Status)),
        ),
        max_size=2,
    ).map(tuple),
)


@given(
    mfa=_assessments,
    signing=_assessments,
    tagging=_assessments,
    history=st.lists(_history, max_size=3),
    name=_words.filter(lambda s: 0 < len(s) <= 60),
    lead=_words.filter(lambda s: len(s) <= 60),
)
def test_registry_round_trip(
    mfa: Assessment,
    signing: Assessment,
    tagging: Assessment,
    history: list[HistoryEntry],
    name: str,
    lead: str,
) -> None:
    """Any valid registry written by the store reads back equal, and rewrites to the same bytes."""
    dataset = store.load_dataset(Path(__file__).parent / "fixtures" / "mini")
    registry = replace(
        dataset.registry("alpha"),
        name=name,
        lead=lead,
        history=tuple(history),
        controls={"mfa": mfa, "signing": signing, "tagging": tagging},
    )
    text = store.dump_registry(registry)

    problems: list = []
    again = codec.registry_from_data(
        strict_yaml.load(text, "alpha.yml"),
        "alpha.yml",
        dataset.catalog,
        dataset.principles,
        problems,
    )
    assert problems == []
    assert again == registry
    assert store.dump_registry(again) == text


def test_empty_registries_folder_is_reported(mini: Path) -> None:
    """Without any registry file the data is invalid, and the message says so."""
    for path in (mini / "assessments/registries").glob("*.yml"):
        path.unlink()

    with pytest.raises(DataError, match="no registry files found"):
        store.load_dataset(mini)


def test_non_utf8_file_is_reported(mini: Path) -> None:
    """A file that is not UTF-8 is refused with its name."""
    (mini / "assessments/registries/alpha.yml").write_bytes(b"id: \xff\xfe\n")

    with pytest.raises(DataError, match=r"alpha\.yml: file is not UTF-8 text"):
        store.load_dataset(mini)
