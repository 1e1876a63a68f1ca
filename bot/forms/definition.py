"""Issue forms: read a form definition, and read back the body GitHub wrote from it.

GitHub turns a submitted issue form into Markdown, one block per field, in form order::

    ### {label}

    {value}

blocks joined by a blank line; markdown elements write nothing. ``{value}`` is what the
person typed (a browser sends typed text with CRLF line endings), ``_No response_`` for an
empty input or textarea, ``None`` for a dropdown left unselected, the selected options joined
by ``", "`` for a multi-select dropdown, one ``- [X] label`` / ``- [ ] label`` line per
checkbox option (``[x]`` in newer bodies), and for a textarea with ``render: lang`` the typed
text wrapped in a fence (```` ```lang ````), an empty fence when nothing was typed. A body
saved again through the web editor has CRLF everywhere. :func:`parse_body` accepts all of it.

Values (``parse_body``), keyed by field id:

- input, textarea, single dropdown: a string with LF line endings, blank lines around it and
  whitespace at its end removed, everything else kept; a ``render:`` textarea loses the fence
  GitHub added. ``None`` for an empty answer: ``_No response_``, an empty fence, ``None`` for
  a dropdown that has no option called "None".
- multi-select dropdown: the selected options in option order, or ``None``. The ``", "``
  join is split with the known options, so an option containing ``", "`` survives; when two
  splits are possible the one with fewer options wins (options "a", "b", "a, b" read "a, b"
  as the single option "a, b").
- checkboxes: the labels of the checked options (``[x]`` or ``[X]``), ``[]`` if none. A line
  whose label differs from the form (the form was edited since) is matched by position when
  the body has one line per option.
- A null or empty body, or one without a single heading of the form: every field ``None``
  (checkboxes ``[]``). The result also carries ``body_chars`` and ``headings`` (how many
  fields had their heading), so validation can refuse a body longer than GitHub's limit
  (``MAX_BODY``) or one with no heading of the form. Values are returned as written even
  when they break the form (a dropdown value that is not an option): judging them is the
  validator's job.

Field ids: the ``id:`` of the form, else one derived from the label the way GitHub's own
``@github/issue-parser`` does: lower case, every run of characters other than ``a-z`` and
``0-9`` becomes one ``_``, no ``_`` at either end ("What happened?" -> ``what_happened``).
A label without an ASCII letter or digit gets ``field_{n}``, n its index in ``body:``.

Where each field starts (``bot.forms.layout``). A ``### {label}`` line may also be typed by
the person inside a textarea, so the parser chooses the heading lines itself: one per field,
in form order, strictly increasing. Among all choices it prefers, in this order:

1. the fewest fields without a heading (GitHub writes every heading, even for empty fields);
2. the fewest sections that break their field's shape: an input or dropdown is one line, a
   dropdown value is an option or ``None``, checkbox sections are checkbox lines, a
   ``render:`` textarea opens with a fence and ends with a closing fence, no section is empty,
   no text comes before the first heading;
3. the fewest headings hidden inside a code fence left open by the text above them (a reader
   of the rendered issue sees those as code, not as headings); the fence GitHub wraps
   around a ``render:`` answer is trusted to close, whatever fences the answer holds;
4. then, deciding fields in form order, each heading as LATE as possible: a duplicate
   heading line is taken as text typed into the field above it.

Rule 4 keeps any other field's label typed into a textarea as text, wherever it is typed.
Its one known ambiguous case: a person types a field's OWN heading ``### B`` into B's answer,
outside a code fence, and the fields above B can each move down to a later heading line and
keep their shape. In practice that is a textarea A directly above B: the bytes are then the
same as ``### B`` typed at the end of A, and the parser reads them that way (A gets the text
up to the second ``### B``). Rarer shapes need more typed copies (the text before ``### B``
also repeats the heading and a valid answer of the field above), or a ``render:`` textarea A
and B's text before the line ending with a fence line. A field's own heading inside a code
fence is read right unless the field above is a ``render:`` textarea.

Errors: a bad form definition raises :class:`bot.errors.FormError`; a body never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

import yaml

from bot.data.field_reader import Fields
from bot.errors import FormError, Problem
from bot.forms.layout import Value, locate_sections, read_value, split_lines
from bot.suggest import not_one_of

__all__ = [
    "FIELD_TYPES",
    "MAX_BODY",
    "FieldType",
    "Form",
    "FormField",
    "Parsed",
    "Value",
    "derive_id",
    "load_form",
    "parse_body",
]

FieldType = Literal["input", "textarea", "dropdown", "checkboxes"]
FIELD_TYPES: tuple[FieldType, ...] = ("input", "textarea", "dropdown", "checkboxes")
_TYPES: dict[str, FieldType] = {kind: kind for kind in FIELD_TYPES}
_ID = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class FormField:
    """One answerable element of an issue form (markdown elements are not fields)."""

    id: str
    """The form's ``id:``, or one derived from the label (see the module docstring)."""
    type: FieldType
    """The element type, exactly as written in the form."""
    label: str
    """The label; GitHub writes it as the heading ``### {label}``."""
    options: tuple[str, ...] = ()
    """Dropdown options, or checkbox option labels, in form order; empty otherwise."""
    multiple: bool = False
    """A dropdown that accepts several options."""
    render: str | None = None
    """The ``render:`` language of a textarea; GitHub then wraps the answer in a fence."""
    required: bool = False
    """``validations.required``; GitHub enforces it only in public repositories."""


@dataclass(frozen=True)
class Form:
    """An issue form as the parser needs it."""

    name: str
    """The form's ``name:``."""
    fields: tuple[FormField, ...]
    """The answerable fields, in template order."""


MAX_BODY = 65_536
"""GitHub's limit on an issue body, in characters; validation refuses a longer body."""


class Parsed(dict[str, Value]):
    """What :func:`parse_body` read: each field's value by id, and two facts about the body.

    To every reader it is a plain dict (``json.dumps`` and ``==`` included); only validation
    looks at ``body_chars`` and ``headings``.
    """

    body_chars: int
    """The body's length in characters (0 for a null body)."""
    headings: int
    """How many of the form's fields had their heading in the body."""

    def __init__(self, values: dict[str, Value], body_chars: int, headings: int) -> None:
        super().__init__(values)
        self.body_chars = body_chars
        self.headings = headings


def parse_body(form: Form, body: str | None) -> Parsed:
    """Read each field's answer out of an issue body GitHub wrote from ``form``.

    Any body is read (the work is linear in its length); a body longer than
    :data:`MAX_BODY` is refused by validation, which reads ``body_chars``.
    """
    size = len(body or "")
    lines = split_lines(body)
    spans = locate_sections(form.fields, lines)
    values = {
        field.id: read_value(field, None if span is None else lines[span[0] : span[1]])
        for field, span in zip(form.fields, spans, strict=True)
    }
    return Parsed(values, size, sum(span is not None for span in spans))


def load_form(text: str, source: str = "<form>") -> Form:
    """Read a GitHub issue-form YAML; raise FormError listing every problem found."""
    problems: list[Problem] = []
    root = Fields(_read_yaml(text, source), source, "", problems)
    name = _text(root, "name")
    items = root.items("body", required=True)
    fields = [field for n, item in enumerate(items) if (field := _read_field(item, n))]
    if not fields and not problems:
        root.problem("body", "has no input, textarea, dropdown or checkboxes element")
    _check_unique(root, fields)
    if problems:
        raise FormError(problems)
    return Form(name=name, fields=tuple(fields))


def derive_id(label: str, index: int) -> str:
    """The id of a field whose form gives none (see the module docstring)."""
    slug = re.sub(r"[^a-z0-9]+", "_", label.strip().lower()).strip("_")
    return slug or f"field_{index}"


def _read_yaml(text: str, source: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        reason = getattr(error, "problem", None) or "cannot be parsed"
        raise FormError([Problem(source, f"not valid YAML: {where} {reason}".strip())]) from None
    if not isinstance(data, dict):
        raise FormError([Problem(source, "an issue form must be a YAML mapping")])
    return data


def _read_field(item: Fields, index: int) -> FormField | None:
    kind = item.typed("type", str, "")
    if kind == "markdown":
        return None
    if kind not in _TYPES:
        if kind:
            item.problem("type", not_one_of(kind, ("markdown", *FIELD_TYPES)))
        return None
    attrs = item.sub("attributes")
    label = _text(attrs, "label")
    return FormField(
        id=_field_id(item, label, index),
        type=_TYPES[kind],
        label=label,
        options=_options(kind, attrs),
        multiple=kind == "dropdown" and attrs.typed("multiple", bool, False, required=False),
        render=_text(attrs, "render") if kind == "textarea" and "render" in attrs.data else None,
        required=item.sub("validations").typed("required", bool, False, required=False),
    )


def _text(fields: Fields, key: str) -> str:
    """Non-blank text under ``key`` (a bool or a number there must be quoted in the YAML)."""
    return _nonblank(fields, key, fields.data.get(key))


def _nonblank(fields: Fields, where: str, value: object) -> str:
    if isinstance(value, str) and value.strip():
        return value
    if value is None:
        message = "missing; expected text"
    elif isinstance(value, str):
        message = "is empty; expected text"
    elif isinstance(value, bool | int | float):
        message = f"expected text, found {value!r}; quote it in the YAML"
    else:
        message = f"expected text, found a {type(value).__name__}"
    fields.problem(where, message)
    return ""


def _field_id(item: Fields, label: str, index: int) -> str:
    if item.data.get("id") is None:
        return derive_id(label, index)
    given = _text(item, "id")
    if given and not _ID.fullmatch(given):
        item.problem("id", f"{given!r} may only use letters, digits, '-' and '_'")
    return given


def _options(kind: str, attrs: Fields) -> tuple[str, ...]:
    if kind not in ("dropdown", "checkboxes"):
        return ()
    if kind == "dropdown":
        raw = attrs.typed("options", list, [])
        options = [_nonblank(attrs, f"options[{n}]", o) for n, o in enumerate(raw)]
    else:
        options = [_text(option, "label") for option in attrs.items("options", required=True)]
    if not options and "options" in attrs.data:
        attrs.problem("options", f"a {kind} needs at least one option")
    for duplicate in sorted({o for o in options if o and options.count(o) > 1}):
        attrs.problem("options", f"option {duplicate!r} appears more than once")
    return tuple(options)


def _check_unique(root: Fields, fields: list[FormField]) -> None:
    ids = [f.id for f in fields]
    for duplicate in sorted({i for i in ids if i and ids.count(i) > 1}):
        root.problem("body", f"duplicate id {duplicate!r}; give each field its own `id:`")
    labels = [f.label.strip() for f in fields]
    for duplicate in sorted({lb for lb in labels if lb and labels.count(lb) > 1}):
        root.problem("body", f"duplicate label {duplicate!r}; the body could not be split")
