"""Validation of parsed issue forms: answers in, a checked change (or errors to act on) out.

Pure: takes the fields that ``bot.forms.answers.parse_body`` returned and the dataset;
never reads files. Every error names the field by its label as the contributor
saw it, the value given, what is allowed and, when one is close, a suggestion.

Hostile text, field by field (DESIGN §7):

- the body: longer than GitHub's limit (``issue_form.MAX_BODY``) is refused with one error;
  without any heading of the form, an error says so (besides each empty field);
- registry, control, status: only a value of the catalog, character for character;
- links (evidence, homepage): ``https://`` only, ASCII host, no spaces, credentials or
  invisible characters (``bot.data.field_reader.is_https_url``), refused otherwise;
- name of a new registry: it becomes an id, a file name, a dropdown option, a commit
  subject and a page heading, so it is REFUSED unless, after NFKC normalisation (which
  maps full-width letters to ASCII), it uses ASCII letters, digits, spaces and ``.+-()/'&``
  only. That refuses letters of other scripts that look like Latin ones, zero-width and
  bidi characters, ``@``, ``#``, ``|``, ``<`` and template braces; a name that folds to an
  existing one (case, spacing, punctuation, ``0/o``, ``1/l/i``, ``rn/m``, ``vv/w``) is refused;
- languages, clients: REFUSED when they hold invisible characters (they are short names);
  anything visible is kept and escaped where it is rendered;
- notes, why: prose; invisible characters (zero-width, bidi controls, soft hyphens) are
  STRIPPED, with a notice, because text pasted from web pages often carries them and they
  render as nothing; everything else is stored as written and escaped where it is rendered;
- at most ``MAX_ERRORS_PER_FIELD`` errors per field are listed, then one line counts the rest,
  so a hostile body cannot make the sticky comment exceed GitHub's comment size.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from bot.data.changes import Change, NewRegistry, Rating, RatingChange, before
from bot.data.codec import MAX_NOTES
from bot.data.field_reader import MAX_URL, is_https_url
from bot.data.model import (
    STATUS_NEEDS_EVIDENCE,
    UNASSESSED,
    Dataset,
    Identifiers,
    PackageKind,
    Profile,
    Registry,
    Status,
)
from bot.escape import inline, strip_invisible
from bot.forms.answers import MAX_BODY, Answers, Value
from bot.forms.kinds import CONFIRMATION, MAX_LINKS, NO_CHANGE, FormKind, capability_label
from bot.markdown import normalize_newlines
from bot.suggest import closest

AnswerMap = Mapping[str, Value]
"""Each field's answer by field id, as :func:`bot.forms.answers.parse_body` reads them."""
MAX_NAME = 60
MAX_WHY = 2000
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


def validate(kind: FormKind, fields: AnswerMap, dataset: Dataset) -> Validation:
    """Check a parsed submission of form ``kind`` against the catalog and the data."""
    if isinstance(fields, Answers) and fields.body_chars > MAX_BODY:
        return Validation(
            errors=(
                FieldError(
                    BODY,
                    f"{fields.body_chars} characters",
                    (
                        f"is longer than GitHub's limit of {MAX_BODY} characters; "
                        "shorten the notes or split the submission into several issues"
                    ),
                ),
            )
        )
    checks = {
        FormKind.EVIDENCE: _evidence_form,
        FormKind.ASSESSMENT: _assessment_form,
        FormKind.OPENSSF: _openssf_form,
        FormKind.PROPOSAL: _proposal_form,
    }
    check = _Checker(fields, dataset, kind)
    if isinstance(fields, Answers) and fields.headings == 0:
        first = check.label("name" if kind is FormKind.PROPOSAL else "registry")
        what = (
            "is empty"
            if fields.body_chars == 0
            else f"has none of the form's headings (like “### {first}”)"
        )
        check.errors.append(
            FieldError(
                BODY,
                None,
                f"{what}; open the issue from the form, or edit the body back "
                "into the form's layout",
            )
        )
    return checks[kind](check)


class _Checker:
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
        return value.strip()

    def visible(self, key: str, value: str) -> str:
        """Prose without its invisible characters, with a notice when there were any."""
        unix = normalize_newlines(value)
        cleaned = strip_invisible(unix)
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


def _registry(check: _Checker) -> Registry | None:
    names = {r.name: r for r in check.dataset.registries}
    chosen = check.choice("registry", sorted(names, key=str.lower))
    return names.get(chosen) if chosen else None


def _needs_evidence(check: _Checker, key: str, status: Status, links: tuple[str, ...]) -> None:
    if status in STATUS_NEEDS_EVIDENCE and not links:
        check.error(
            key, None, f"is empty, but status '{status.value}' needs at least one https:// source"
        )


def _note_no_change(check: _Checker, registry: Registry, rating: Rating) -> None:
    if before(registry, rating) is rating.status:
        title = check.label(rating.control)
        check.notices.append(
            f"{inline(title)} is already `{rating.status.value}` for {inline(registry.name)}: "
            "no change of status; the evidence, notes and verified date will be refreshed."
        )


@dataclass(frozen=True)
class _Target:
    """What the evidence form's Control dropdown can name: a control or a capability."""

    id: str
    capability: bool
    rubric: Mapping[Status, str]
    where: str
    """Where its rubric is published, for messages."""


def _targets(dataset: Dataset) -> dict[str, _Target]:
    found = {
        c.title: _Target(c.id, False, c.rubric, "the README") for c in dataset.catalog.controls
    }
    for c in dataset.principles.capabilities:
        label = capability_label(c.title, c.level)
        found[label] = _Target(
            c.id, True, _capability_rubric(dataset, c.id, None), "docs/openssf.md"
        )
    return found


def _capability_rubric(
    dataset: Dataset, capability_id: str, registry: Registry | None
) -> dict[Status, str]:
    """A capability's rubric, with n/a added where its track does not apply to ``registry``."""
    capability = dataset.principles.get(capability_id)
    rubric = dict(capability.rubric)
    track = dataset.principles.track(capability.track)
    if registry is not None and not track.applies_to(registry.profile):
        rubric[Status.NA] = "the track does not apply"
    return rubric


def _evidence_form(check: _Checker) -> Validation:
    registry = _registry(check)
    targets = _targets(check.dataset)
    titles = {label: t.id for label, t in targets.items()}
    control = check.choice("control", list(titles))
    status = check.choice("status", [s.value for s in Status])
    links = check.links("evidence", check.text("evidence", required=False, limit=6000).splitlines())
    notes = check.text("notes", limit=MAX_NOTES)
    check.confirmed()
    if status:
        _needs_evidence(check, "evidence", Status(status), links)
    if registry is None or control is None or status is None:
        return check.result(None)
    target = targets[control]
    rubric = (
        _capability_rubric(check.dataset, target.id, registry)
        if target.capability
        else target.rubric
    )
    if Status(status) not in rubric and status != Status.UNKNOWN:
        check.error(
            "status", status, f"is not defined for {control} (see its rubric in {target.where})"
        )
    outside = target.capability and not _applies(check.dataset, target.id, registry.profile)
    if outside and Status(status) is not Status.NA:
        check.error("status", status, _outside_track(check.dataset, target.id))
    rating = Rating(target.id, Status(status), links, " ".join(notes.split()), target.capability)
    _note_no_change(check, registry, rating)
    return check.result(RatingChange(registry.id, (rating,)))


_LINE = re.compile(r"\s*`?([a-z0-9-]+)`?\s*:\s*(.*)")


def _per_control_lines(
    check: _Checker, key: str, limit: int, ids: Sequence[str] = (), example: str = ""
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


def _assessment_form(check: _Checker) -> Validation:
    registry = _registry(check)
    options = [NO_CHANGE, *(s.value for s in Status)]
    chosen = {i: check.choice(i, options) for i in check.dataset.catalog.ids()}
    changed = {i: Status(v) for i, v in chosen.items() if v and v != NO_CHANGE}
    evidence = _per_control_lines(check, "evidence", 20_000)
    notes = _per_control_lines(check, "notes", 20_000)
    check.confirmed()
    for stray in (set(evidence) | set(notes)) - set(changed):
        check.error(
            "evidence" if stray in evidence else "notes",
            stray,
            f"mentions {stray}, but its dropdown says '{NO_CHANGE}'; pick a status or remove "
            "the line",
        )
    ratings = tuple(
        _assessed(check, i, s, evidence.get(i, ""), notes.get(i, "")) for i, s in changed.items()
    )
    if not changed:
        check.error(
            "registry", None, f"every control says '{NO_CHANGE}': there is nothing to change"
        )
    if registry is None:
        return check.result(None)
    for rating in ratings:
        _note_no_change(check, registry, rating)
    return check.result(RatingChange(registry.id, ratings))


def _assessed(check: _Checker, control: str, status: Status, evidence: str, notes: str) -> Rating:
    links = check.links("evidence", [evidence])
    if status in STATUS_NEEDS_EVIDENCE and not links:
        check.error(
            "evidence",
            None,
            f"has no line for {control}, but status '{status.value}' needs an https source",
        )
    if status not in check.dataset.catalog.get(control).rubric and status is not Status.UNKNOWN:
        check.error(
            control, status.value, "is not defined for this control (see its rubric in the README)"
        )
    if len(notes) > MAX_NOTES:
        check.error("notes", notes, f"the note for {control} is longer than {MAX_NOTES} characters")
    return Rating(control, status, links, notes)


def _applies(dataset: Dataset, capability_id: str, profile: Profile | None) -> bool:
    return dataset.principles.track(dataset.principles.get(capability_id).track).applies_to(profile)


def _outside_track(dataset: Dataset, capability_id: str) -> str:
    track = dataset.principles.track(dataset.principles.get(capability_id).track)
    return (
        f"the {track.title} track does not apply to this registry ({track.applies}); "
        "rate it n/a, or change the taxonomy answers"
    )


def _openssf_form(check: _Checker) -> Validation:
    registry = _registry(check)
    principles = check.dataset.principles
    options = [NO_CHANGE, *(s.value for s in Status)]
    chosen = {i: check.choice(i, options) for i in principles.ids()}
    changed = {i: Status(v) for i, v in chosen.items() if v and v != NO_CHANGE}
    ids = (*principles.ids(), PROFILE)
    evidence = _per_control_lines(check, "evidence", 40_000, ids, "trusted-publishing")
    notes = _per_control_lines(check, "notes", 40_000, ids, "trusted-publishing")
    check.confirmed()
    profile = _profile(check, registry, evidence.get(PROFILE, ""), notes.get(PROFILE, ""))
    for stray in (set(evidence) | set(notes)) - set(changed) - {PROFILE}:
        check.error("evidence" if stray in evidence else "notes", stray,
                    f"mentions {stray}, but its dropdown says '{NO_CHANGE}'; pick a status or "
                    "remove the line")  # fmt: skip
    if not changed and profile is None:
        check.error("registry", None, f"everything says '{NO_CHANGE}': there is nothing to change")
    if registry is None:
        return check.result(None)
    effective = profile or registry.profile
    ratings = tuple(
        _capability_rated(check, i, s, evidence.get(i, ""), notes.get(i, ""), profile=effective)
        for i, s in changed.items()
    )
    for rating in ratings:
        _note_no_change(check, registry, rating)
    return check.result(RatingChange(registry.id, ratings, profile))


PROFILE = "profile"
"""The line key, in Evidence and Notes, of the taxonomy answers' sources and reasons."""


def _profile(check: _Checker, registry: Registry | None, links: str, notes: str) -> Profile | None:
    accounts = check.choice("accounts", [NO_CHANGE, "yes", "no"])
    packages = check.choice("packages", [NO_CHANGE, *(k.value for k in PackageKind)])
    if accounts in (None, NO_CHANGE) and packages in (None, NO_CHANGE):
        return None
    current = registry.profile if registry else None
    if current is None and NO_CHANGE in (accounts, packages):
        check.error("accounts" if accounts == NO_CHANGE else "packages", NO_CHANGE,
                    "this registry has no taxonomy yet: answer both questions")  # fmt: skip
        return None
    sources = check.links("evidence", [links])
    if not sources:
        check.error("evidence", None, "has no `profile:` line, but the taxonomy answers need an "
                    "https source")  # fmt: skip
    has_accounts = current.accounts if accounts == NO_CHANGE and current else accounts == "yes"
    kind = current.packages if packages == NO_CHANGE and current else PackageKind(packages or "")
    return Profile(has_accounts, kind, sources, notes)


def _capability_rated(
    check: _Checker, capability: str, status: Status, evidence: str, notes: str,
    *, profile: Profile | None,
) -> Rating:  # fmt: skip
    links = check.links("evidence", [evidence])
    label = check.label(capability)
    if status in STATUS_NEEDS_EVIDENCE and not links:
        check.error("evidence", None, f"has no line for {capability}, but status "
                    f"'{status.value}' needs an https source")  # fmt: skip
    applies = _applies(check.dataset, capability, profile)
    rubric = check.dataset.principles.get(capability).rubric
    if not applies and status not in (Status.NA, Status.UNKNOWN):
        check.error(capability, status.value, _outside_track(check.dataset, capability))
    elif applies and status not in rubric and status is not Status.UNKNOWN:
        check.error(capability, status.value, "is not defined for this capability (see its "
                    "rubric on docs/openssf.md)")  # fmt: skip
    if status is Status.NA and applies and not links and not notes.strip():
        check.error("evidence", None, f"has no line for {capability}: 'n/a' needs a source or a "
                    "note saying why there is no such surface")  # fmt: skip
    if len(notes) > MAX_NOTES:
        check.error("notes", notes, f"the note for {label} is longer than {MAX_NOTES} characters")
    return Rating(capability, status, links, notes, capability=True)


def slug(name: str) -> str:
    """A kebab-case id made from a display name."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:64].strip("-")


def _proposal_form(check: _Checker) -> Validation:
    name = " ".join(unicodedata.normalize("NFKC", check.text("name", limit=MAX_NAME)).split())
    languages = _comma_list(check, "languages")
    clients = _comma_list(check, "clients")
    homepage = check.text("homepage", limit=MAX_URL)
    why = check.text("why", limit=MAX_WHY)
    if homepage and not is_https_url(homepage):
        check.error(
            "homepage",
            homepage,
            "is not a well-formed https:// link (an ASCII host name, no spaces "
            "or invisible characters)",
        )
    _unique_name(check, name)
    identifiers = Identifiers(*(_identifier(check, key) for key in ("purl", "osv", "depsdev")))
    if check.errors:
        return check.result(None)
    catalog = check.dataset.catalog
    registry = Registry(
        id=slug(name),
        name=name,
        languages=languages,
        clients=clients,
        homepage=homepage,
        lead="",
        controls=dict.fromkeys(catalog.ids(), UNASSESSED),
        capabilities=dict.fromkeys(check.dataset.principles.ids(), UNASSESSED),
        identifiers=identifiers,
    )
    return check.result(NewRegistry(registry, " ".join(why.split())))


_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/+-]{0,39}")


def _identifier(check: _Checker, key: str) -> str | None:
    value = check.text(key, required=False, limit=40)
    if value and not _IDENTIFIER.fullmatch(value):
        check.error(key, value, "must be one word of ASCII letters, digits and . _ : / + -")
    return value or None


def _comma_list(check: _Checker, key: str) -> tuple[str, ...]:
    items = tuple(i.strip() for i in check.text(key, limit=300).split(",") if i.strip())
    for item in items:
        if len(item) > 40:
            check.error(key, item, "each entry may have at most 40 characters")
        if strip_invisible(item) != item:
            check.error(
                key,
                item,
                "holds invisible characters (zero-width, bidi controls or similar); "
                "type the name again without them",
            )
    if len(items) > 8:
        check.error(key, None, f"lists {len(items)} entries; at most 8 are allowed")
    return items


_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .+()/'&-]*")
"""What a registry name may be made of (after NFKC): see the module docstring."""
_LOOK_ALIKE = str.maketrans({"0": "o", "1": "l", "i": "l"})
_REFERENCE = re.compile(r"(?i)\bGH-\d")


def _unique_name(check: _Checker, name: str) -> None:
    if not name:
        return
    if not slug(name):
        check.error("name", name, "needs at least one letter or digit")
    if not _NAME.fullmatch(name):
        check.error(
            "name",
            name,
            "must start with a letter or digit and may only use ASCII letters, digits, "
            "spaces and . + - ( ) / ' & (letters of other scripts that look like Latin ones, "
            "and invisible characters, are refused)",
        )
    if _REFERENCE.search(name):
        check.error(
            "name",
            name,
            "looks like a reference to a GitHub issue (GH-123), which would link one "
            "from commit messages; choose another name",
        )
    if name.casefold() == "none":
        check.error(
            "name", name, "is what GitHub writes for an unanswered dropdown; choose another name"
        )
    for registry in check.dataset.registries:
        if slug(name) == registry.id or _fold(name) in (_fold(registry.name), _fold(registry.id)):
            check.error("name", name, f"packman already rates this registry as '{registry.name}'")


def _fold(text: str) -> str:
    """Case-, spacing- and look-alike-insensitive form of a name (``PyPl``, ``Py-P1`` and ``pypi``
    agree)."""
    kept = "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())
    return kept.replace("rn", "m").replace("vv", "w").translate(_LOOK_ALIKE)
