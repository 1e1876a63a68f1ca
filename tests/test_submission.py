"""Validation of submissions: every rule, and the messages a contributor sees."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from bot.data import codec
from bot.data.changes import NewRegistry, RatingChange
from bot.data.model import Status
from bot.errors import Problem
from bot.forms import answers, kinds, validate
from bot.forms.kinds import FormKind
from bot.review import preview
from tests.helpers import bodies, project

DATASET = project.dataset()
TITLES = {c.id: c.title for c in DATASET.catalog.controls}
TODAY = dt.date(2026, 12, 2)


def check(kind: FormKind, body: str) -> validate.Validation:
    form = kinds.load(project.root(), kind.value)
    return validate.validate(kind, answers.parse_body(form, body), DATASET)


def test_valid_evidence_report() -> None:
    """A complete report becomes one rating for the chosen registry and control."""
    result = check(FormKind.EVIDENCE, bodies.evidence())

    assert result.ok
    assert result.change == RatingChange(
        "npm",
        (
            validate.Rating(
                "mfa-to-push",
                Status.YES,
                ("https://docs.npmjs.com/about-two-factor-authentication",),
                "Every publisher needs a second factor.",
            ),
        ),
    )


@pytest.mark.parametrize(
    ("case", "body", "field", "message", "suggestion"),
    [
        (
            "registry-typo",
            bodies.evidence(registry="npmm"),
            "Registry",
            "is not one of the options",
            "npm",
        ),
        (
            "control-typo",
            bodies.evidence(control="MFA To Push Artifact"),
            "Control",
            "is not one of the options",
            "MFA To Push Artifacts",
        ),
        (
            "status-typo",
            bodies.evidence(status="yess"),
            "Status",
            "is not one of the options",
            "yes",
        ),
        (
            "forged-registry-path",
            bodies.evidence(registry="../../.github/workflows/x"),
            "Registry",
            "is not one of the options",
            None,
        ),
        (
            "http-link",
            bodies.evidence(links="http://docs.npmjs.com/x"),
            "Evidence",
            "is not a well-formed https://",
            None,
        ),
        (
            "javascript-link",
            bodies.evidence(links="javascript:alert(1)"),
            "Evidence",
            "is not a well-formed https://",
            None,
        ),
        (
            "no-evidence",
            bodies.evidence(links=""),
            "Evidence",
            "needs at least one https:// source",
            None,
        ),
        (
            "too-many-links",
            bodies.evidence(links="\n".join(f"https://x.example/{n}" for n in range(11))),
            "Evidence",
            "at most 10 are allowed",
            None,
        ),
        (
            "notes-too-long",
            bodies.evidence(notes="x" * 1001),
            "What the evidence shows",
            "at most 1000",
            None,
        ),
        ("no-notes", bodies.evidence(notes=""), "What the evidence shows", "is empty", None),
        ("not-confirmed", bodies.evidence(confirm=False), "Confirmation", "is not ticked", None),
        (
            "status-not-in-rubric",
            bodies.evidence(control="Security Contacts", status="n/a"),
            "Status",
            "is not defined for Security Contacts",
            None,
        ),
    ],
)
def test_evidence_errors(
    case: str, body: str, field: str, message: str, suggestion: str | None
) -> None:
    """Each broken rule gives an error naming the field, with a suggestion where one is close."""
    result = check(FormKind.EVIDENCE, body)

    assert not result.ok, case
    matching = [e for e in result.errors if e.field == field and message in e.message]
    assert matching, result.errors
    assert matching[0].suggestion == suggestion


def test_unknown_status_lists_the_allowed_values() -> None:
    """The error for a status lists every allowed status."""
    result = check(FormKind.EVIDENCE, bodies.evidence(status="maybe"))

    assert result.errors[0].allowed == ("yes", "partial", "no", "n/a", "unknown")


def test_same_status_is_no_change_not_an_error() -> None:
    """Submitting the current status is valid and says that nothing changes but the evidence."""
    current = DATASET.registry("npm").status("mfa-to-push").value

    result = check(FormKind.EVIDENCE, bodies.evidence(status=current))

    assert result.ok
    assert "no change of status" in result.notices[0]


def test_unknown_needs_no_evidence() -> None:
    """unknown and n/a may come without links."""
    result = check(FormKind.EVIDENCE, bodies.evidence(status="unknown", links=""))

    assert result.ok


def test_empty_body_lists_every_missing_field() -> None:
    """A null body is not a crash: every required field is reported empty."""
    form = kinds.load(project.root(), "evidence")
    result = validate.validate(FormKind.EVIDENCE, answers.parse_body(form, None), DATASET)

    assert {e.field for e in result.errors} >= {
        "Registry",
        "Control",
        "Status",
        "What the evidence shows",
    }


def test_assessment_with_two_changes() -> None:
    """An assessment changes exactly the controls whose dropdown is not 'no change'."""
    body = bodies.assessment(
        "PyPI",
        {"mfa-to-push": "yes", "code-signing": "partial"},
        TITLES,
        links="mfa-to-push: https://docs.pypi.org/2fa\ncode-signing: https://docs.pypi.org/attestations",
        notes="mfa-to-push: Required for all.",
    )

    result = check(FormKind.ASSESSMENT, body)

    assert result.ok, result.errors
    assert isinstance(result.change, RatingChange)
    assert [(r.control, r.status.value, r.evidence) for r in result.change.ratings] == [
        ("mfa-to-push", "yes", ("https://docs.pypi.org/2fa",)),
        ("code-signing", "partial", ("https://docs.pypi.org/attestations",)),
    ]


@pytest.mark.parametrize(
    ("case", "changes", "links", "message"),
    [
        ("nothing-changed", {}, "", "there is nothing to change"),
        ("missing-evidence", {"mfa-to-push": "yes"}, "", "has no line for mfa-to-push"),
        (
            "line-for-unchanged-control",
            {"mfa-to-push": "yes"},
            "mfa-to-push: https://a.example/\ncode-signing: https://b.example/",
            "its dropdown says 'no change'",
        ),
        (
            "unknown-control-id",
            {"mfa-to-push": "yes"},
            "mfa-to-push: https://a.example/\nmfa: https://b.example/",
            "each line must start with a control id",
        ),
    ],
)
def test_assessment_errors(case: str, changes: dict[str, str], links: str, message: str) -> None:
    """An assessment is refused, with a precise message, when its lines and dropdowns disagree."""
    result = check(FormKind.ASSESSMENT, bodies.assessment("PyPI", changes, TITLES, links=links))

    assert any(message in e.message for e in result.errors), (case, result.errors)


def test_proposal_becomes_a_new_registry() -> None:
    """A proposal adds a registry with every control unknown."""
    result = check(FormKind.PROPOSAL, bodies.proposal())

    assert result.ok, result.errors
    assert isinstance(result.change, NewRegistry)
    registry = result.change.registry
    assert (registry.id, registry.languages, registry.clients) == (
        "hex",
        ("Elixir", "Erlang"),
        ("mix", "rebar3"),
    )
    assert {a.status for a in registry.controls.values()} == {Status.UNKNOWN}


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Hex", "hex"), ("crates.io (Cargo)", "crates-io"), ("conda-forge (anaconda.org)", "conda-forge"),
     ("Open VSX", "open-vsx"), ("pub.dev", "pub-dev")],
)  # fmt: skip
def test_a_trailing_qualifier_in_parentheses_is_not_part_of_the_id(
    name: str, expected: str
) -> None:
    """Like the seed's ids (``Packagist (Composer)`` is ``packagist``), a new name's qualifier is dropped."""
    result = check(FormKind.PROPOSAL, bodies.proposal(name=name))

    assert isinstance(result.change, NewRegistry), result.errors
    assert result.change.registry.id == expected


@pytest.mark.parametrize(
    ("osv", "accepted"),
    [("GitHub Actions", True), ("crates.io", True), ("Git  Hub", False), ("GitHub Actions ", True),
     ("Hex\u200b", False), ("a;b", False)],
)  # fmt: skip
def test_identifiers_are_words_separated_by_single_spaces(osv: str, accepted: bool) -> None:
    """OSV names one ecosystem ``GitHub Actions``; doubled spaces and other characters are refused."""
    result = check(FormKind.PROPOSAL, bodies.proposal(osv=osv))

    assert result.ok is accepted, (osv, result.errors)
    if accepted:
        assert isinstance(result.change, NewRegistry)
        assert result.change.registry.identifiers.osv == osv.strip()
    assert codec.IDENTIFIER.fullmatch("GitHub Actions") and not codec.IDENTIFIER.fullmatch("a  b")


@pytest.mark.parametrize(
    ("case", "name", "homepage", "message"),
    [
        ("duplicate", "PyPI", "https://x.example/", "already rates this registry as 'PyPI'"),
        ("look-alike", "P y P I", "https://x.example/", "already rates this registry"),
        ("fullwidth-look-alike", "ＰｙＰＩ", "https://x.example/", "already rates this registry"),
        ("non-https", "Hex", "http://hex.pm/", "is not a well-formed https:// link"),
        ("punctuation-only", "!!!", "https://x.example/", "needs at least one letter or digit"),
    ],
)
def test_proposal_errors(case: str, name: str, homepage: str, message: str) -> None:
    """Duplicates (including look-alikes), bad links and unusable names are refused."""
    result = check(FormKind.PROPOSAL, bodies.proposal(name=name, homepage=homepage))

    assert any(message in e.message for e in result.errors), (case, result.errors)


@pytest.mark.parametrize(
    ("name", "typed"),
    [
        ("Joe's npm", "joe's npm"),
        ("npm `next`", "npm `nxet`"),
        ("Pâquerette Hub", "paquerette hub"),
        ('The "quoted" one', 'the "quoted" one'),
    ],
)
def test_did_you_mean_returns_the_value_itself(name: str, typed: str) -> None:
    """The suggestion is the allowed value unchanged, whatever quotes, backticks or letters it holds."""
    renamed = replace(DATASET.registries[0], name=name)
    dataset = replace(DATASET, registries=(renamed, *DATASET.registries[1:]))
    form = kinds.load(project.root(), FormKind.EVIDENCE.value)
    body = bodies.evidence(registry=typed)

    result = validate.validate(FormKind.EVIDENCE, answers.parse_body(form, body), dataset)

    [error] = [e for e in result.errors if e.field == "Registry"]
    assert error.suggestion == name


def test_the_sticky_shows_the_whole_suggestion() -> None:
    """A name with an apostrophe reaches the comment whole (escaped), not cut at the quote."""
    renamed = replace(DATASET.registries[0], name="Joe's npm")
    dataset = replace(DATASET, registries=(renamed, *DATASET.registries[1:]))
    form = kinds.load(project.root(), FormKind.EVIDENCE.value)
    body = bodies.evidence(registry="joe's npm")
    result = validate.validate(FormKind.EVIDENCE, answers.parse_body(form, body), dataset)

    text = preview.comment(dataset, result, [], "status")

    assert "did you mean **Joe's npm**?" in text


# --- issue 10: n/a needs a reason, hidden text, look-alike proposals, foreign headings ----------


def test_assessment_na_without_source_or_note_is_refused() -> None:
    """``n/a`` claims there is no such surface: like a data file, it needs a source or a note."""
    body = bodies.assessment("PyPI", {"update-notifications": "n/a"}, TITLES)

    result = check(FormKind.ASSESSMENT, body)

    expected = (
        "has no line for update-notifications: 'n/a' needs a source or a note saying why there "
        "is no such surface"
    )
    assert [("Evidence", expected)] == [(e.field, e.message) for e in result.errors]


def test_assessment_na_with_a_note_is_accepted() -> None:
    """A note saying why is enough for ``n/a``."""
    body = bodies.assessment(
        "PyPI",
        {"update-notifications": "n/a"},
        TITLES,
        notes="update-notifications: PyPI sends no mail about releases at all.",
    )

    assert check(FormKind.ASSESSMENT, body).ok


def test_na_rule_matches_the_data_files() -> None:
    """The form refuses what `packman check` refuses in a data file, with the same words."""
    registry = DATASET.registry("pypi")
    data = codec.registry_to_data(registry)
    data["controls"]["update-notifications"] = {"status": "n/a", "notes": "", "verified": TODAY}
    problems: list[Problem] = []

    codec.registry_from_data(data, "pypi.yml", DATASET.catalog, DATASET.principles, problems)

    said = "'n/a' needs a source or a note saying why there is no such surface"
    assert [said in p.message for p in problems] == [True]


@pytest.mark.parametrize(
    ("notes", "message"),
    [
        ("Visible. <!-- hidden from reviewers -->", "holds an HTML comment"),
        ("Visible. <!-- left open", "holds an HTML comment"),
        ("Visible.\n\n[docs]: https://evil.example/x", "holds a link reference definition"),
        ("Visible.\n   [a b]:\n  https://evil.example/x", "holds a link reference definition"),
    ],
)
def test_text_github_hides_is_refused(notes: str, message: str) -> None:
    """What GitHub does not show when it renders the issue cannot be approved unseen."""
    result = check(FormKind.EVIDENCE, bodies.evidence(notes=notes))

    assert [(e.field, e.message.startswith(message)) for e in result.errors] == [
        ("What the evidence shows", True)
    ]


def test_links_and_brackets_that_github_shows_are_kept() -> None:
    """Inline links, checkbox-like text and a bracket in prose are visible, so they pass."""
    notes = "See [the docs](https://docs.npmjs.com/) - [x] done; a [note]: yes, visible."

    assert check(FormKind.EVIDENCE, bodies.evidence(notes=notes)).ok


def test_languages_with_a_line_separator_are_refused() -> None:
    """U+2028 is not a control character, but it breaks lines for some readers: refused."""
    result = check(FormKind.PROPOSAL, bodies.proposal(languages="Elixir\u2028Erlang"))

    assert [e.field for e in result.errors] == ["Language(s)"]
    assert "line separators" in result.errors[0].message


def test_notes_line_separators_become_plain_text() -> None:
    """Notes keep the notes' rules: a U+2029 is a line break, then collapsed like any other."""
    result = check(FormKind.EVIDENCE, bodies.evidence(notes="First.\u2029Second.\x85"))

    assert isinstance(result.change, RatingChange)
    assert result.change.ratings[0].notes == "First. Second."


def test_look_alike_proposal_warns_naming_the_other_issue() -> None:
    """ "HEX" while "Hex" is open in issue #4: a warning names #4 and the shared id."""
    first = check(FormKind.PROPOSAL, bodies.proposal(name="Hex"))
    second = check(FormKind.PROPOSAL, bodies.proposal(name="HEX"))
    assert second.change is not None

    found = preview.warnings(DATASET, second.change, 5, preview.claims(4, first.change), TODAY)

    assert len(found) == 1
    assert found[0].startswith("Issue #4 also proposes a registry, “Hex”")
    assert "same id `hex`" in found[0]


def test_different_proposals_do_not_warn() -> None:
    """Proposals of two different registries give no warning."""
    first = check(FormKind.PROPOSAL, bodies.proposal(name="Hex"))
    second = check(FormKind.PROPOSAL, bodies.proposal(name="Opam"))
    assert second.change is not None

    found = preview.warnings(DATASET, second.change, 5, preview.claims(4, first.change), TODAY)

    assert found == []


def test_foreign_heading_is_reported_in_a_notice() -> None:
    """A heading of a field the current form lacks is named in a notice (the sticky shows it)."""
    body = bodies.evidence().replace(
        "### Status\n\nyes", "### Status\n\nyes\n\n### Severity\n\nhigh"
    )

    result = check(FormKind.EVIDENCE, body)

    assert result.ok
    assert any("headings this form does not have: “Severity”" in n for n in result.notices)
    assert "Severity" in preview.comment(DATASET, result, [], "status")
