"""Issue forms: read a form definition (the YAML GitHub renders a form from).

Field ids: the ``id:`` of the form, else one derived from the label the way GitHub's own
``@github/issue-parser`` does: lower case, every run of characters other than ``a-z`` and
``0-9`` becomes one ``_``, no ``_`` at either end ("What happened?" -> ``what_happened``).
A label without an ASCII letter or digit gets ``field_{n}``, n its index in ``body:``.

Errors: a bad form definition raises :class:`bot.errors.FormError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from bot.data.field_reader import FieldReader
from bot.data.strict_yaml import Lazy, loader
from bot.errors import FormError, Problem
from bot.suggest import not_one_of

if TYPE_CHECKING:
    import yaml
else:
    yaml = Lazy("yaml")  # imported only when a form is not in the parse cache

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


def load_form(
    text: str,
    source: str = "<form>",
    read: Callable[[str, str], Any] | None = None,
    *,
    complete: bool = False,
) -> Form:
    """Read a GitHub issue-form YAML; raise FormError listing every problem found (``read``:
    :func:`read_yaml` or a cache of it).

    Parsing a body needs only the ``body:`` fields, so a form without a top-level ``name:``
    (a fragment, a form of another project) is read; ``complete`` also requires the ``name:``
    GitHub needs to offer the form (``packman check`` asks it of packman's own forms).
    """
    problems: list[Problem] = []
    root = FieldReader((read or read_yaml)(text, source), source, "", problems)
    name = _text(root, "name") if complete or "name" in root.data else ""
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


def read_yaml(text: str, source: str) -> dict[str, Any]:
    """A form's YAML as data (PyYAML's safe loader, in C when libyaml is there: the pure-Python
    one took 40 ms per form); FormError when it is not YAML or not a mapping."""
    try:
        data = yaml.load(text, Loader=loader())
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        reason = getattr(error, "problem", None) or "cannot be parsed"
        raise FormError([Problem(source, f"not valid YAML: {where} {reason}".strip())]) from None
    if not isinstance(data, dict):
        raise FormError([Problem(source, "an issue form must be a YAML mapping")])
    return data


def _read_field(item: FieldReader, index: int) -> FormField | None:
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


def _text(fields: FieldReader, key: str) -> str:
    """Non-blank text under ``key`` (a bool or a number there must be quoted in the YAML)."""
    return _nonblank(fields, key, fields.data.get(key))


def _nonblank(fields: FieldReader, where: str, value: object) -> str:
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


def _field_id(item: FieldReader, label: str, index: int) -> str:
    if item.data.get("id") is None:
        return derive_id(label, index)
    given = _text(item, "id")
    if given and not _ID.fullmatch(given):
        item.problem("id", f"{given!r} may only use letters, digits, '-' and '_'")
    return given


def _options(kind: str, attrs: FieldReader) -> tuple[str, ...]:
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


def _check_unique(root: FieldReader, fields: list[FormField]) -> None:
    ids = [f.id for f in fields]
    for duplicate in sorted({i for i in ids if i and ids.count(i) > 1}):
        root.problem("body", f"duplicate id {duplicate!r}; give each field its own `id:`")
    labels = [f.label.strip() for f in fields]
    for duplicate in sorted({lb for lb in labels if lb and labels.count(lb) > 1}):
        root.problem("body", f"duplicate label {duplicate!r}; the body could not be split")
