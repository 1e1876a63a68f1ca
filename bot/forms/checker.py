"""What every form check shares: the errors and the outcome, and a reader of the answers.

:class:`Checker` reads fields by id and collects errors labelled the way the form labels them,
at most ``MAX_ERRORS_PER_FIELD`` per field (then one line counts the rest, so a hostile body
cannot make the sticky comment long); the helpers below it are used by several forms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from bot.data.changes import Change, Rating, before
from bot.data.field_reader import MAX_URL, is_https_url
from bot.data.model import STATUS_NEEDS_EVIDENCE, Dataset, Registry, Status
from bot.escape import inline, plain
from bot.forms import hidden
from bot.forms.answers import Value
from bot.forms.kinds import CONFIRMATION, MAX_LINKS, FormKind, capability_label
from bot.markdown import normalize_newlines
from bot.suggest import closest

AnswerMap = Mapping[str, Value]
"""Each field's answer by field id, as :func:`bot.forms.answers.parse_body` reads them."""
MAX_ERRORS_PER_FIELD = 5
BODY = "Issue body"
"""The label errors about the body as a whole are shown under."""
PROSE = frozenset({"notes", "why"})
"""Fields whose invisible characters are stripped (not refused); see the module docstring."""


@dataclass(frozen=True)
class FieldError:
    """One problem with one field of a submission."""

    field: str
    """The field's label, as shown in the form."""
    value: str | None
    """What the contributor gave (shortened), or None when empty."""
    message: str
    """What is wrong and how to fix it."""
    allowed: tuple[str, ...] = ()
    """The allowed values, when there is a closed list."""
    suggestion: str | None = None
    """The closest allowed value, when one is close."""


@dataclass(frozen=True)
class Validation:
    """The outcome of validating one submission."""

    errors: tuple[FieldError, ...] = ()
    """Problems to fix; empty when the submission is valid."""
    change: Change | None = None
    """The checked change, when valid."""
    notices: tuple[str, ...] = field(default=())
    """Things worth saying that are not errors (e.g. a status equal to the current one)."""

    @property
    def ok(self) -> bool:
        """True when there is nothing to fix."""
        return not self.errors and self.change is not None


class Checker:
    """Reads fields by id, collecting errors labelled the way the form labels them."""

    LABELS: ClassVar[dict[str, str]] = {
        "registry": "Registry",
        "control": "Control",
        "status": "Status",
        "evidence": "Evidence",
        "notes": "What the evidence shows",
        "confirm": "Confirmation",
        "name": "Name",
        "languages": "Language(s)",
        "purl": "Package URL type",
        "osv": "OSV ecosystem",
        "depsdev": "deps.dev system",
        "accounts": "User accounts",
        "packages": "What it receives",
        "homepage": "Homepage",
        "clients": "Client(s)",
        "why": "Why it matters",
    }

    FORM_LABELS: ClassVar[dict[FormKind, dict[str, str]]] = {
        FormKind.ASSESSMENT: {"notes": "Notes"},
        FormKind.OPENSSF: {"notes": "Notes"},
    }
    """Labels that differ from ``LABELS`` in one form."""

    def __init__(self, fields: AnswerMap, dataset: Dataset, kind: FormKind) -> None:
        self.labels = {**self.LABELS, **self.FORM_LABELS.get(kind, {})}
        self.fields = fields
        self.dataset = dataset
        self.errors: list[FieldError] = []
        self.notices: list[str] = []
        self.per_field: dict[str, int] = {}
        self.summary_at: dict[str, int] = {}

    def label(self, key: str) -> str:
        if key in self.labels:
            return self.labels[key]
        if key in self.dataset.catalog.ids():
            return self.dataset.catalog.get(key).title
        if key in self.dataset.principles.ids():
            capability = self.dataset.principles.get(key)
            return capability_label(capability.title, capability.level)
        return key

    def error(
        self,
        key: str,
        value: str | None,
        message: str,
        allowed: Sequence[str] = (),
        suggestion: str | None = None,
    ) -> None:
        label = self.label(key)
        count = self.per_field[label] = self.per_field.get(label, 0) + 1
        if count > MAX_ERRORS_PER_FIELD:
            self.count_more(label, count - MAX_ERRORS_PER_FIELD)
            return
        shown = value if value is None or len(value) <= 120 else value[:117] + "..."
        self.errors.append(FieldError(label, shown, message, tuple(allowed), suggestion))

    def count_more(self, label: str, more: int) -> None:
        """One line, updated in place, for the errors of a field beyond the first few."""
        line = FieldError(
            label, None, f"has {more} more problem(s) like the ones above; fix those first"
        )
        if label not in self.summary_at:
            self.summary_at[label] = len(self.errors)
            self.errors.append(line)
        self.errors[self.summary_at[label]] = line

    def text(self, key: str, *, required: bool = True, limit: int = 200) -> str:
        value = self.fields.get(key)
        if isinstance(value, list):
            value = ", ".join(value)
        if key in PROSE and value:
            value = self.visible(key, value)
        if not value or not value.strip():
            if required:
                self.error(key, None, "is empty; please fill it in")
            return ""
        if len(value) > limit:
            self.error(key, value, f"is {len(value)} characters long; at most {limit} are allowed")
        unseen = hidden.problem(value)
        if unseen is not None:
            self.error(key, value, unseen)
        return value.strip()

    def visible(self, key: str, value: str) -> str:
        """Prose without its invisible characters, with a notice when there were any."""
        unix = normalize_newlines(value)
        cleaned = plain(unix)
        if len(cleaned) != len(unix):
            self.notices.append(
                f"{inline(self.label(key))}: invisible characters (zero-width, bidi controls or "
                "similar) were removed."
            )
        return cleaned

    def choice(self, key: str, options: Sequence[str]) -> str | None:
        value = self.text(key)
        if value and value not in options:
            suggestion = closest(value, options)
            self.error(key, value, "is not one of the options", options, suggestion)
            return None
        return value or None

    def confirmed(self) -> None:
        ticked = self.fields.get("confirm") or []
        if CONFIRMATION not in ticked:
            self.error(
                "confirm",
                None,
                "is not ticked; please confirm you read the sources yourself",
                (CONFIRMATION,),
            )

    def links(self, key: str, lines: Iterable[str]) -> tuple[str, ...]:
        links = tuple(word for line in lines for word in line.split())
        for link in links:
            if len(link) > MAX_URL or not is_https_url(link):
                self.error(
                    key,
                    link,
                    f"is not a well-formed https:// link (at most {MAX_URL} characters, an "
                    "ASCII host name, no spaces or invisible characters); only https sources "
                    "are accepted",
                )
        if len(links) > MAX_LINKS:
            self.error(key, None, f"has {len(links)} links; at most {MAX_LINKS} are allowed")
        return links

    def result(self, change: Change | None) -> Validation:
        if self.errors:
            return Validation(errors=tuple(self.errors), notices=tuple(self.notices))
        return Validation(change=change, notices=tuple(self.notices))


def registry_choice(check: Checker) -> Registry | None:
    names = {r.name: r for r in check.dataset.registries}
    chosen = check.choice("registry", sorted(names, key=str.lower))
    return names.get(chosen) if chosen else None


def needs_evidence(check: Checker, key: str, status: Status, links: tuple[str, ...]) -> None:
    if status in STATUS_NEEDS_EVIDENCE and not links:
        check.error(
            key, None, f"is empty, but status '{status.value}' needs at least one https:// source"
        )


def na_needs_reason(
    check: Checker, target: str, status: Status, links: tuple[str, ...], notes: str
) -> None:
    """``n/a`` claims there is no such surface: like the data files, it needs a source or a
    note saying why (one line of Evidence or Notes for ``target``)."""
    if status is Status.NA and not links and not notes.strip():
        check.error(
            "evidence",
            None,
            f"has no line for {target}: 'n/a' needs a source or a note saying why there is no "
            "such surface",
        )


def note_no_change(check: Checker, registry: Registry, rating: Rating) -> None:
    if before(registry, rating) is rating.status:
        title = check.label(rating.control)
        check.notices.append(
            f"{inline(title)} is already `{rating.status.value}` for {inline(registry.name)}: "
            "no change of status; the evidence, notes and verified date will be refreshed."
        )


_LINE = re.compile(r"\s*`?([a-z0-9-]+)`?\s*:\s*(.*)")


def per_control_lines(
    check: Checker, key: str, limit: int, ids: Sequence[str] = (), example: str = ""
) -> dict[str, str]:
    """Lines ``id: text`` of a textarea, by id (control ids unless ``ids`` says otherwise)."""
    found: dict[str, str] = {}
    ids = ids or check.dataset.catalog.ids()
    noun, example = ("a capability id", example) if example else ("a control id", "mfa-to-push")
    for line in filter(str.strip, check.text(key, required=False, limit=limit).splitlines()):
        match = _LINE.fullmatch(line)
        if not match or match.group(1) not in ids:
            word = match.group(1) if match else line
            check.error(
                key,
                line,
                f"each line must start with {noun} and a colon, e.g. `{example}: https://...`",
                (),
                closest(word, ids),
            )
            continue
        found[match.group(1)] = f"{found.get(match.group(1), '')} {match.group(2)}".strip()
    return found
