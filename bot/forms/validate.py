"""Validation of parsed issue forms: answers in, a checked change (or errors to act on) out.

Pure: takes the fields that ``bot.forms.answers.parse_body`` returned and the dataset;
never reads files. This module is the entry point; each form's checks live in a module named
after it (``ratings``: evidence and assessment, ``capabilities``: OpenSSF, ``proposal``, with
``names``), on the shared ``checker``. Every error names the field by its label as the contributor
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

from bot.data.changes import Change, NewRegistry, Rating, RatingChange
from bot.data.model import Dataset
from bot.escape import inline
from bot.forms.answers import MAX_BODY, Answers
from bot.forms.capabilities import PROFILE, openssf_form
from bot.forms.checker import BODY, AnswerMap, Checker, FieldError, Validation
from bot.forms.kinds import FormKind
from bot.forms.names import MAX_NAME, slug
from bot.forms.proposal import MAX_WHY, proposal_form
from bot.forms.ratings import assessment_form, evidence_form

__all__ = [
    "MAX_NAME",
    "MAX_WHY",
    "PROFILE",
    "Change",
    "FieldError",
    "NewRegistry",
    "Rating",
    "RatingChange",
    "Validation",
    "slug",
    "validate",
]


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
        FormKind.EVIDENCE: evidence_form,
        FormKind.ASSESSMENT: assessment_form,
        FormKind.OPENSSF: openssf_form,
        FormKind.PROPOSAL: proposal_form,
    }
    check = Checker(fields, dataset, kind)
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
    if isinstance(fields, Answers) and fields.foreign:
        check.notices.append(_foreign(fields.foreign))
    return checks[kind](check)


MAX_FOREIGN = 5
"""Headings a notice names; it counts the rest."""


def _foreign(headings: tuple[str, ...]) -> str:
    """The notice for headings the form does not have (an older or newer version of it)."""
    named = ", ".join(f"“{inline(h.removeprefix('### '))}”" for h in headings[:MAX_FOREIGN])
    more = f" and {len(headings) - MAX_FOREIGN} more" if len(headings) > MAX_FOREIGN else ""
    return (
        f"The body has headings this form does not have: {named}{more}. The issue was "
        "probably opened from another version of the form; what is under them was not read. "
        "Move anything still needed into the form's fields."
    )
