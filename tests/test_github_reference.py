"""The reference group: packman checked against GitHub's own material in ``../shared/github``.

Nothing here is copied into the repository; it is read at test time (the group is skipped with
one line saying why where the folder is absent, and fails under ``PACKMAN_CI=1``):

- the cassettes against GitHub's REST description: every recorded request is a documented
  operation, every status is documented (or an injected fault with a reason), every answer's
  body fits the documented schema, and every field the GitHub backend reads is one the schema
  declares (found by replaying the everyday scenarios with every JSON value traced);
- the parser against real issue bodies as GitHub wrote them: byte-exact, read the way a
  person reads them, and written back byte for byte by the project's own body generator.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest

from bot.backends.github import GitHubBackend
from bot.forms.answers import parse_body
from bot.forms.definition import Form, FormField, load_form
from tests.helpers import bodies
from tests.helpers.github import rest_description, story
from tests.helpers.github.replay import CASSETTE_FILES, interactions, replay, scenarios
from tests.helpers.paths import SHARED

pytestmark = pytest.mark.reference

R = "/repos/{owner}/{repo}"
SERVER_FAULT = (
    "GitHub's description lists no 5xx for this operation, yet any call can meet one: a gateway "
    "(502), an outage (503) or a server error (500)"
)
SECONDARY_LIMIT = (
    "secondary rate limits (403 or 429 with Retry-After) apply to every operation; GitHub "
    "documents them once, in 'Rate limits for the REST API', not per operation"
)
PRIMARY_LIMIT = (
    "the primary rate limit (403 'API rate limit exceeded', X-RateLimit-Remaining 0) applies to "
    "every operation; documented in 'Rate limits for the REST API', not per operation"
)
LIST_ISSUES, COMMENT_POST = f"{R}/issues", f"{R}/issues/{{issue_number}}/comments"
UNDOCUMENTED_FAULTS = {
    ("comment-502-landed", "POST", COMMENT_POST, 502): SERVER_FAULT,
    ("comment-502-lost", "POST", COMMENT_POST, 502): SERVER_FAULT,
    ("fault-read-500", "GET", LIST_ISSUES, 500): SERVER_FAULT,
    ("fault-read-502-retried", "GET", LIST_ISSUES, 502): SERVER_FAULT,
    ("fault-read-503-exhausted", "GET", LIST_ISSUES, 503): SERVER_FAULT,
    ("fault-sticky-503", "PATCH", f"{R}/issues/comments/{{comment_id}}", 503): SERVER_FAULT,
    ("pull-create-502", "POST", f"{R}/pulls", 502): SERVER_FAULT,
    ("ratelimit-429-read", "GET", LIST_ISSUES, 429): SECONDARY_LIMIT,
    ("ratelimit-primary", "GET", LIST_ISSUES, 403): PRIMARY_LIMIT,
}
"""Injected faults whose status the description does not list for the operation → why it is real."""


def _recorded(path: Path) -> Iterator[tuple[str, str, int, Any]]:
    """(method, path, status, body) of every interaction of a cassette."""
    for item in interactions(path):
        request, response = item["request"], item["response"]
        body = json.loads(response["body"]["string"]) if response["body"]["string"] else None
        yield request["method"], urlsplit(request["uri"]).path, response["status"]["code"], body


def _operation(method: str, path: str) -> rest_description.Operation:
    found = rest_description.operation(method, path)
    assert found is not None, f"{method} {path} is not a documented operation"
    return found


# --- the cassettes against the REST description ------------------------------------------------


@pytest.mark.parametrize("path", CASSETTE_FILES, ids=lambda p: p.stem)
def test_every_request_is_a_documented_operation(path: Path) -> None:
    """Method and path name one documented operation; the status is one it documents, or a reasoned fault."""
    for method, url, status, _body in _recorded(path):
        assert url.startswith(f"/repos/{story.REPOSITORY}/") or url == "/user"
        operation = _operation(method, url)
        documented = str(status) in operation.responses
        fault = (path.stem, method, operation.template, status) in UNDOCUMENTED_FAULTS

        assert documented or fault, f"{method} {operation.template} answered {status}"


@pytest.mark.parametrize("path", CASSETTE_FILES, ids=lambda p: p.stem)
def test_every_answer_fits_the_documented_schema(path: Path) -> None:
    """Bodies of documented statuses validate against their schema; injected faults carry only a message."""
    for method, url, status, body in _recorded(path):
        operation = _operation(method, url)
        schema = rest_description.response_schema(operation, status)
        where = f"{path.stem}: {method} {operation.template} {status}"
        if (path.stem, method, operation.template, status) in UNDOCUMENTED_FAULTS:
            assert set(body) == {"message"}, where
            continue
        assert schema is not None or body in (None, {}), where
        if schema is not None:
            jsonschema.validate(body, schema)


def test_every_undocumented_status_has_a_reason_and_a_use() -> None:
    """An injected status outside the description is allowed only with a reason, and only while used."""
    found = {
        (path.stem, method, _operation(method, url).template, status)
        for path in CASSETTE_FILES
        for method, url, status, _ in _recorded(path)
    }

    assert all(len(reason) > 40 for reason in UNDOCUMENTED_FAULTS.values())
    assert set(UNDOCUMENTED_FAULTS) <= found


class _Traced(dict[str, Any]):
    """A JSON object that records every key read from it (with the path that leads there)."""

    def __init__(self, data: dict[str, Any], where: tuple[str, ...], seen: set[tuple[str, ...]]):
        super().__init__(data)
        self.where, self.seen = where, seen

    def __getitem__(self, key: str) -> Any:
        self.seen.add((*self.where, key))
        return _trace(super().__getitem__(key), (*self.where, key), self.seen)

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self else (self.seen.add((*self.where, key)) or default)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.seen.add((*self.where, key))
        return super().__contains__(key)


class _TracedList(list[Any]):
    def __init__(self, data: list[Any], where: tuple[str, ...], seen: set[tuple[str, ...]]):
        super().__init__(data)
        self.where, self.seen = where, seen

    def __iter__(self) -> Iterator[Any]:
        return (_trace(item, (*self.where, "[]"), self.seen) for item in super().__iter__())

    def __getitem__(self, index: Any) -> Any:
        return _trace(super().__getitem__(index), (*self.where, "[]"), self.seen)


def _trace(value: Any, where: tuple[str, ...], seen: set[tuple[str, ...]]) -> Any:
    if isinstance(value, dict) and not isinstance(value, _Traced):
        return _Traced(value, where, seen)
    if isinstance(value, list) and not isinstance(value, _TracedList):
        return _TracedList(value, where, seen)
    return value


def test_every_field_the_backend_reads_is_documented(
    checkout: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Replaying the everyday scenarios, each key the backend reads is declared by the answer's schema."""
    reads: dict[tuple[str, str], set[tuple[str, ...]]] = {}
    original = GitHubBackend._request

    def traced(self: GitHubBackend, verb: str, path: str, body: Any = None, **params: Any) -> Any:
        seen = reads.setdefault((verb, f"{self.url}{path}"), set())
        return _trace(original(self, verb, path, body, **params), (), seen)

    monkeypatch.setattr(GitHubBackend, "_request", traced)
    for name, (event, payload) in scenarios().items():
        replay(name, event, payload, checkout)

    undeclared = []
    for (verb, url), paths in sorted(reads.items()):
        operation = _operation(verb, url)
        status = next(int(s) for s in operation.responses if s.startswith("2"))
        schema = rest_description.response_schema(operation, status) or {}
        undeclared += [f"{verb} {operation.template}: {'.'.join(p)}" for p in sorted(paths)
                       if not rest_description.declares(schema, p)]  # fmt: skip
    assert reads, "the backend read nothing"
    assert undeclared == []


# --- real issue bodies ----------------------------------------------------------------------

BODIES = SHARED / "github" / "issue-bodies"


def _index() -> list[dict[str, Any]]:
    path = BODIES / "index.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


REAL = [entry["file"] for entry in _index()] or ["(reference material absent)"]
"""The real bodies by file name (one placeholder when the folder is absent: the group is skipped)."""
_HEADING = re.compile(r"^### (.+)$", re.M)
_CHECKBOX = re.compile(r"^- \[[ xX]\] (.*)$")


def _body(name: str) -> str:
    return (BODIES / name).read_bytes().decode("utf-8")


def _entry(name: str) -> dict[str, Any]:
    return next(entry for entry in _index() if entry["file"] == name)


def _sections(body: str) -> list[tuple[str, str]]:
    """(heading, raw section) pairs, split the plain way: these bodies have no typed headings."""
    text = body.replace("\r\n", "\n")
    marks = list(_HEADING.finditer(text))
    ends = [m.start() for m in marks[1:]] + [len(text)]
    return [(m.group(1).strip(), text[m.end() : end]) for m, end in zip(marks, ends, strict=True)]


def _field(index: int, label: str, section: str) -> FormField:
    """The form element a reader infers from one section (the body's own form is not ours to copy)."""
    text = section.strip()
    lines = [line for line in text.split("\n") if line.strip()]
    if lines and all(_CHECKBOX.match(line) for line in lines):
        options = tuple(_CHECKBOX.match(line)[1] for line in lines)  # type: ignore[index]
        return FormField(f"field_{index}", "checkboxes", label, options)
    if text == "None":
        return FormField(f"field_{index}", "dropdown", label, ("(unselected)",))
    fence = re.fullmatch(r"```(\w+)\n(?:.*\n)?```", text, re.S)
    if fence:
        return FormField(f"field_{index}", "textarea", label, render=fence.group(1))
    return FormField(f"field_{index}", "textarea", label)


def _inferred(name: str) -> Form:
    """The form a reader infers from the body's own headings and sections."""
    sections = _sections(_body(name))
    fields = tuple(_field(n, label, section) for n, (label, section) in enumerate(sections))
    return Form(name=name, fields=fields)


def _form(name: str) -> Form:
    """The form the body was written from, where the shared folder keeps it; else the inferred one."""
    template = next(BODIES.glob("templates/*.yml"), None)
    if name.startswith(("01-moltis", "02-moltis")) and template is not None:
        return load_form(template.read_text(encoding="utf-8"), str(template))
    return _inferred(name)


def _as_read(field: FormField, section: str) -> Any:
    """The answer as a person reads it: what GitHub's markers stand for, the text otherwise."""
    text = section.replace("\r\n", "\n").strip("\n").rstrip()
    if field.type == "checkboxes":
        rows = [_CHECKBOX.match(line) for line in text.split("\n") if line.strip()]
        # A box whose label the form spells otherwise (the form was edited since) is the
        # form's option at the same place: the parser's documented rule.
        same_places = len(rows) == len(field.options)
        return [field.options[n] if same_places else row[1]
                for n, row in enumerate(rows) if row and "[ ]" not in row[0]]  # fmt: skip
    if text in ("_No response_", "None"):
        return None
    if field.render is not None:
        inner = text.split("\n")[1:-1]
        return "\n".join(inner).strip("\n").rstrip() or None
    return text


@pytest.mark.parametrize("name", REAL)
def test_real_bodies_are_byte_exact(name: str) -> None:
    """Each real body is the exact bytes GitHub wrote, as the index records them."""
    digest = hashlib.sha256((BODIES / name).read_bytes()).hexdigest()

    assert _entry(name)["sha256"] == digest


@pytest.mark.parametrize("name", REAL)
def test_real_body_reads_as_a_person_reads_it(name: str) -> None:
    """Every heading is found, and each answer is what a reader of the rendered issue sees."""
    form, body = _form(name), _body(name)
    by_label = {field.label.strip(): field for field in form.fields}
    expected = {by_label[label].id: _as_read(by_label[label], section)
                for label, section in _sections(body) if label in by_label}  # fmt: skip

    parsed = parse_body(form, body)

    assert parsed.headings == len(expected)
    assert {k: parsed[k] for k in expected} == expected


def _raw_sections(body: str) -> list[str]:
    """The body cut at its headings, line endings kept, each piece without trailing whitespace.

    A browser may or may not leave a line break after the last typed line of a textarea, and the
    answer (trailing whitespace removed) cannot say which; everything else must match.
    """
    return [piece.rstrip() for piece in re.split(r"(?m)^(?=### )", body)]


@pytest.mark.parametrize("name", REAL)
def test_the_body_generator_writes_real_bodies_back(name: str) -> None:
    """``bodies.github_body`` writes each real body back from its answers, in the body's own style."""
    form, body = _inferred(name), _body(name)
    style = "crlf" if "\n" not in body.replace("\r\n", "") else (
        "crlf-in-text" if "\r\n" in body else "lf")  # fmt: skip
    answers = parse_body(form, body)
    mark = "x" if "- [x]" in body else "X"

    written = bodies.github_body(form, answers, style, mark)

    assert _raw_sections(written) == _raw_sections(body)
