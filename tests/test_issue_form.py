"""Issue-form parser: golden bodies, form errors, and a GitHub-format round trip.

Golden cases live in ``tests/fixtures/issue_bodies/<case>/``: ``form.yml``, ``body.md`` (the
exact bytes GitHub sent; no ``body.md`` means a null body) and ``expected.json``, written by
hand from what a person reading the body sees. Real bodies GitHub wrote for other projects are
not copied here: the reference group reads them from ``../shared`` (tests/test_github_reference.py).
Notable expectation: ``ambiguous-own-label-after-textarea``, the documented ambiguous case, read
by the rule.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.errors import FormError
from bot.forms.answers import parse_body
from bot.forms.definition import Form, FormField, load_form
from tests.helpers.bodies import github_body

FIXTURES = Path(__file__).parent / "fixtures" / "issue_bodies"
CASES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
Answers = dict[str, str | list[str] | None]


def read_case(name: str) -> tuple[Form, str | None, Answers]:
    folder = FIXTURES / name
    form = load_form((folder / "form.yml").read_text(encoding="utf-8"), f"{name}/form.yml")
    body_file = folder / "body.md"
    body = body_file.read_bytes().decode("utf-8") if body_file.exists() else None
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    return form, body, expected


# -- golden bodies ---------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES)
def test_golden_body(case: str) -> None:
    """Each fixture body parses to the answers a person reading it sees."""
    form, body, expected = read_case(case)

    assert expected == parse_body(form, body)


def test_golden_cases_cover_the_required_edge_cases() -> None:
    """A fixture folder exists for every edge case the design names."""
    required = {
        "crlf-everywhere", "crlf-in-text", "heading-typed-in-textarea",
        "other-label-typed-in-textarea", "heading-in-code-fence", "empty-render-fence",
        "none-dropdown", "multi-select", "checkboxes-upper-x", "null-body", "no-headings",
        "non-ascii", "trailing-whitespace",
    }  # fmt: skip

    assert set() == required - set(CASES)


# -- parse_body details ----------------------------------------------------------------

MULTI = """\
name: m
body:
  - type: dropdown
    id: pick
    attributes: {label: Pick, multiple: true, options: [a, b, "a, b", "c, d"]}
"""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a", ["a"]),
        ("a, b", ["a, b"]),  # two splits: the one with fewer options wins
        ("b, a, b", ["b", "a, b"]),
        ("a, c, d", ["a", "c, d"]),
        ("c, d, a", ["c", "d", "a"]),  # not in option order: read as written
        ("None", None),
    ],
)
def test_multi_select_split(value: str, expected: list[str] | None) -> None:
    """A multi-select answer is split with the known options."""
    assert {"pick": expected} == parse_body(load_form(MULTI), f"### Pick\n\n{value}")


def test_checkbox_label_from_an_older_form_matches_by_position() -> None:
    """With one box per option, a box whose label changed is read as that option."""
    form = load_form(
        "name: c\nbody:\n  - type: checkboxes\n    id: ok\n"
        "    attributes: {label: OK, options: [{label: New text}, {label: Other}]}\n"
    )

    renamed, unknown = {"ok": ["New text"]}, {"ok": ["Old text"]}
    assert renamed == parse_body(form, "### OK\n\n- [x] Old text\n- [ ] Other")
    assert unknown == parse_body(form, "### OK\n\n- [x] Old text")


def test_many_typed_copies_of_a_heading() -> None:
    """Thousands of typed heading lines still give the answer the real headings give."""
    form, _, _ = read_case("other-label-typed-in-textarea")
    noise = "\n\n".join(["### Severity\n\nhigh\n\n### Notes"] * 3000)
    answers = {"happened": noise, "expected": "ok", "severity": "low", "notes": "fine"}

    assert answers == parse_body(form, github_body(form, answers))


def test_lone_carriage_returns_are_line_breaks() -> None:
    """A body saved with old Mac line endings reads like any other."""
    form, _, _ = read_case("crlf-everywhere")
    body = "### Registry\r\rnpm\r\r### Status\r\rno\r\r### Evidence\r\rtwo\rlines\r\r### Checks\r\r"

    expected = {"registry": "npm", "status": "no", "evidence": "two\nlines", "checks": []}
    assert expected == parse_body(form, body)


# -- load_form -------------------------------------------------------------------------

FIELD = "  - type: input\n    id: a\n    attributes: {label: A}\n"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("name: x\nbody: [\n", "f.yml: not valid YAML: line 3"),  # libyaml: where input ended
        ("- just\n- a list\n", "f.yml: an issue form must be a YAML mapping"),
        ("name: x\n", "f.yml: body: missing; expected a list"),
        ("name: x\nbody: []\n", "f.yml: body: has no input, textarea, dropdown or checkboxes"),
        (
            "name: x\nbody:\n  - type: markdown\n    attributes: {value: hi}\n",
            "f.yml: body: has no",
        ),
        ("name: x\nbody:\n  - type: text\n    attributes: {label: A}\n", "body[0].type: 'text' is"),
        ("name: x\nbody:\n  - type: input\n    id: a\n", "body[0].attributes.label: missing"),
        ("name: x\nbody:\n  - type: input\n    attributes: {label: ''}\n", "label: is empty"),
        ("name: x\nbody:\n  - type: input\n    attributes: {label: yes}\n", "found True; quote it"),
        ("name: x\nbody:\n" + FIELD * 2, "f.yml: body: duplicate id 'a'"),
        (
            "name: x\nbody:\n  - {type: input, attributes: {label: A b}}\n"
            "  - {type: input, attributes: {label: a-b}}\n",
            "f.yml: body: duplicate id 'a_b'",
        ),
        (
            "name: x\nbody:\n  - {type: input, id: a, attributes: {label: L}}\n"
            "  - {type: textarea, id: b, attributes: {label: L}}\n",
            "f.yml: body: duplicate label 'L'",
        ),
        (
            "name: x\nbody:\n  - {type: input, id: a b, attributes: {label: A}}\n",
            "body[0].id: 'a b'",
        ),
        ("name: x\nbody:\n  - {type: dropdown, attributes: {label: D}}\n", "options: missing"),
        (
            "name: x\nbody:\n  - {type: dropdown, attributes: {label: D, options: []}}\n",
            "body[0].attributes.options: a dropdown needs at least one option",
        ),
        (
            "name: x\nbody:\n  - {type: dropdown, attributes: {label: D, options: [a, a]}}\n",
            "options: option 'a' appears more than once",
        ),
        (
            "name: x\nbody:\n  - {type: dropdown, attributes: {label: D, options: [Yes, No]}}\n",
            "body[0].attributes.options[0]: expected text, found True; quote it in the YAML",
        ),
        (
            "name: x\nbody:\n  - {type: checkboxes, attributes: {label: C, options: [a]}}\n",
            "body[0].attributes.options[0]: expected a mapping",
        ),
        (
            "name: x\nbody:\n  - {type: checkboxes, attributes: {label: C, options: [{required: true}]}}\n",
            "body[0].attributes.options[0].label: missing",
        ),
        (
            "name: x\nbody:\n  - {type: dropdown, attributes: {label: D, options: [a], multiple: 1}}\n",
            "body[0].attributes.multiple: expected",
        ),
    ],
)
def test_load_form_rejects(text: str, problem: str) -> None:
    """Each mistake in a form definition is reported on one line that says where."""
    with pytest.raises(FormError) as caught:
        load_form(text, "f.yml")

    assert any(problem in line for line in caught.value.diagnostics()), caught.value.diagnostics()


def test_load_form_reports_every_problem_at_once() -> None:
    """All problems of a form come in one error, one line each."""
    text = "body:\n  - type: input\n  - {type: dropdown, attributes: {label: D}}\n"

    with pytest.raises(FormError) as caught:
        load_form(text, "f.yml", complete=True)

    lines = caught.value.diagnostics()
    expected = ["name", "body[0].attributes.label", "body[1].attributes.options"]
    assert expected == [line.split(": ")[1] for line in lines]
    assert all("\n" not in line for line in lines)


def test_parsing_needs_no_form_name() -> None:
    """A form without a top-level ``name:`` is read for parsing: only its body fields matter."""
    form = load_form("body:\n" + FIELD, "f.yml")

    assert (form.name, [f.id for f in form.fields]) == ("", ["a"])


def test_complete_form_needs_a_name() -> None:
    """The full check (``packman check`` on packman's forms) still asks for ``name:``."""
    with pytest.raises(FormError) as caught:
        load_form("body:\n" + FIELD, "f.yml", complete=True)

    assert caught.value.diagnostics() == ["f.yml: name: missing; expected text"]


def test_derived_ids() -> None:
    """FieldReader without an id get one from the label; labels without ASCII get field_n."""
    form, _, _ = read_case("derived-ids")

    expected = ["what_s_the_registry_s_url", "field_1", "explicit-id"]
    assert expected == [f.id for f in form.fields]


# -- round trip through GitHub's format ------------------------------------------------

PLAIN = st.characters(
    codec="utf-8", exclude_categories=("Cc", "Cs"), exclude_characters="#`~\u2028\u2029"
)
WORDS = st.text(PLAIN, min_size=1, max_size=14).map(str.strip).filter(bool)
# Labels may hold any printable text ('#', backticks...); line separators confuse YAML.
LABELS = (
    st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=20)
    .map(str.strip)
    .filter(bool)
)
OPTION = st.one_of(WORDS, st.tuples(WORDS, WORDS).map(", ".join)).filter(
    lambda o: o not in ("None", "_No response_")
)
NO_ANSWER = "_No response_"
# Plain textareas are where typed headings live: make neighbouring ones common.
KINDS = ["input", "textarea", "textarea", "textarea", "render", "dropdown", "multi", "checkboxes"]


@st.composite
def forms(draw: st.DrawFn) -> Form:
    """A random form, written as YAML and read back with load_form."""
    labels = draw(st.lists(st.one_of(WORDS, LABELS), min_size=1, max_size=7, unique=True))
    items = [_item(draw, n, label) for n, label in enumerate(labels)]
    form = load_form(yaml.safe_dump({"name": "Generated", "body": items}, allow_unicode=True))
    assert [i["attributes"]["label"] for i in items] == [f.label for f in form.fields]
    return form


def _item(draw: st.DrawFn, n: int, label: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(KINDS))
    attrs: dict[str, Any] = {"label": label}
    if kind == "render":
        attrs["render"] = draw(st.sampled_from(["shell", "markdown", "toml"]))
    if kind in ("dropdown", "multi"):
        attrs["options"] = draw(st.lists(OPTION, min_size=1, max_size=4, unique=True))
        attrs["multiple"] = kind == "multi"
    if kind == "checkboxes":
        options = draw(st.lists(OPTION, min_size=1, max_size=4, unique=True))
        attrs["options"] = [{"label": o} for o in options]
    plain = {"render": "textarea", "multi": "dropdown"}.get(kind, kind)
    return {"type": plain, "id": f"f{n}", "attributes": attrs}


@st.composite
def typed_headings(draw: st.DrawFn, form: Form, own: FormField | None) -> str:
    """`### ` + the label of a field other than ``own``, or + any words."""
    others = [f.label for f in form.fields if f is not own]
    use_label = others and draw(st.integers(0, 3)) > 0
    return "### " + draw(st.sampled_from(others) if use_label else WORDS)


@st.composite
def fences(draw: st.DrawFn, form: Form, own: FormField | None, info: bool) -> str:
    """A closed code fence whose lines may be headings (``own``'s label excluded)."""
    marker = draw(st.sampled_from(["```", "~~~", "````"]))
    opener = marker + (draw(st.sampled_from(["", "md", "sh"])) if info else "")
    inner = draw(st.lists(st.one_of(WORDS, typed_headings(form, own)), max_size=3))
    return "\n".join([opener, *inner, marker])


@st.composite
def text_answers(draw: st.DrawFn, form: Form, field: FormField) -> str:
    """Free text: words, blank lines, typed headings of other fields, fences, look-alikes."""
    rendered = field.render is not None
    # The ambiguous case (bot.forms.answers docstring) is left out: a field's own heading is
    # typed outside a fence only in the first field (no field above can move down), inside
    # a fence only when no render: textarea is above it (that one's fence is trusted, so it and
    # the fields between can move down onto headings typed in the fence), and never in a
    # render: answer.
    index = form.fields.index(field)
    own_ok = not rendered and index == 0
    own_in_fence_ok = not rendered and all(f.render is None for f in form.fields[:index])
    chunk = st.one_of(
        WORDS,
        WORDS.map(lambda w: f"  {w}  "),
        st.sampled_from(["", " ", "_No response_", "None", "- [x] box", "``"]),
        typed_headings(form, None if own_ok else field),
        typed_headings(form, None if own_ok else field),
        fences(form, None if own_in_fence_ok else field, info=not rendered),
    )
    lines = "\n".join(draw(st.lists(chunk, min_size=1, max_size=6))).rstrip().split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    text = "\n".join(lines)
    return text if text not in ("", NO_ANSWER) else "x"


@st.composite
def answers_for(draw: st.DrawFn, form: Form, field: FormField) -> Any:
    """One random answer for ``field``, in parse_body's conventions."""
    if field.type == "checkboxes":
        return [o for o in field.options if draw(st.booleans())]
    if field.type == "dropdown" and not field.multiple:
        return draw(st.sampled_from([None, *field.options]))
    if field.type == "dropdown":
        chosen = [o for o in field.options if draw(st.booleans())]
        assume(_one_split(field.options, chosen))
        return chosen or None
    if draw(st.integers(0, 4)) == 0:
        return None
    if field.type == "input":  # typing "_No response_" itself is indistinguishable
        return draw(st.one_of(WORDS, typed_headings(form, None)).filter(lambda a: a != NO_ANSWER))
    return draw(text_answers(form, field))


def _one_split(options: tuple[str, ...], chosen: list[str]) -> bool:
    """No other choice of options (in option order) joins to the same text."""
    joined = ", ".join(chosen)
    subsets = itertools.chain.from_iterable(
        itertools.combinations(options, k) for k in range(1, len(options) + 1)
    )
    return [list(s) for s in subsets if ", ".join(s) == joined] in ([], [chosen])


@st.composite
def filled_forms(draw: st.DrawFn) -> tuple[Form, Answers]:
    form = draw(forms())
    return form, {f.id: draw(answers_for(form, f)) for f in form.fields}


@pytest.mark.parametrize("newline_style", ["lf", "crlf-in-text", "crlf"])
@settings(suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(filled=filled_forms(), mark=st.sampled_from(["X", "x"]))
def test_parse_recovers_what_github_wrote(
    newline_style: str, filled: tuple[Form, Answers], mark: str
) -> None:
    """parse_body(github_body(answers)) == answers, whatever the line endings."""
    form, answers = filled
    body = github_body(form, answers, newline_style, mark)

    assert answers == parse_body(form, body)


@given(filled=filled_forms())
def test_any_prefix_of_a_body_parses(filled: tuple[Form, Answers]) -> None:
    """A cut-off body parses without an exception and gives every field a value."""
    form, answers = filled
    body = github_body(form, answers)

    for cut in range(0, len(body), max(1, len(body) // 7)):
        assert set(answers) == set(parse_body(form, body[:cut]))


def test_foreign_headings_end_single_line_answers() -> None:
    """Headings after an input's or a dropdown's answer are GitHub's, for fields this form lacks
    (an input never holds a newline): listed, and their text read into no field. A heading
    typed into a textarea stays text."""
    form, body, _ = read_case("input-ends-at-foreign-heading")

    parsed = parse_body(form, body)

    assert parsed.foreign == ("### Platform", "### Old checkbox")
