"""Reading back the body GitHub wrote from an issue form.

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
- input, dropdown and checkboxes hold no newline a person typed, so their answer ends at a
  ``### `` line after its first line: a heading of a field the form does not have (the issue
  was filed with another version of the form). Those headings are listed in ``foreign``, and
  the text under them belongs to no field.
- checkboxes: the labels of the checked options (``[x]`` or ``[X]``), ``[]`` if none. A line
  whose label differs from the form (the form was edited since) is matched by position when
  the body has one line per option.
- A null or empty body, or one without a single heading of the form: every field ``None``
  (checkboxes ``[]``). The result also carries ``body_chars`` and ``headings`` (how many
  fields had their heading), so validation can refuse a body longer than GitHub's limit
  (``MAX_BODY``) or one with no heading of the form. Values are returned as written even
  when they break the form (a dropdown value that is not an option): judging them is the
  validator's job.

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
fence is read right unless a ``render:`` textarea is anywhere above it: that textarea's fence
is trusted to close, so it and the fields between can each move down onto headings typed in the
fence (found by the property test with three fields: a ``render:`` textarea, an empty input and
a textarea whose fenced text repeats both later headings).

A body never raises: whatever it holds is read, and judging it is validation's job.
"""

from __future__ import annotations

from bot.forms.definition import Form
from bot.forms.layout import Value, foreign_headings, locate_sections, read_value
from bot.markdown import split_lines

__all__ = ["MAX_BODY", "Answers", "Value", "parse_body"]

MAX_BODY = 65_536
"""GitHub's limit on an issue body, in characters; validation refuses a longer body."""


class Answers(dict[str, Value]):
    """What :func:`parse_body` read: each field's value by id, and two facts about the body.

    To every reader it is a plain dict (``json.dumps`` and ``==`` included); only validation
    looks at ``body_chars`` and ``headings``.
    """

    body_chars: int
    """The body's length in characters (0 for a null body)."""
    headings: int
    """How many of the form's fields had their heading in the body."""
    foreign: tuple[str, ...]
    """``### `` lines that ended a single-line answer: headings the form does not have."""

    def __init__(
        self,
        values: dict[str, Value],
        body_chars: int,
        headings: int,
        foreign: tuple[str, ...] = (),
    ) -> None:
        super().__init__(values)
        self.body_chars = body_chars
        self.headings = headings
        self.foreign = foreign


def parse_body(form: Form, body: str | None) -> Answers:
    """Read each field's answer out of an issue body GitHub wrote from ``form``.

    Any body is read (the work is linear in its length); a body longer than
    :data:`MAX_BODY` is refused by validation, which reads ``body_chars``.
    """
    size = len(body or "")
    lines = split_lines(body)
    spans = locate_sections(form.fields, lines)
    sections = [None if span is None else lines[span[0] : span[1]] for span in spans]
    values = {
        field.id: read_value(field, section)
        for field, section in zip(form.fields, sections, strict=True)
    }
    known = {f"### {field.label.strip()}" for field in form.fields}
    foreign = tuple(
        heading
        for field, section in zip(form.fields, sections, strict=True)
        if section is not None
        for heading in foreign_headings(field, section)
        if heading not in known
    )
    return Answers(values, size, sum(span is not None for span in spans), foreign)
