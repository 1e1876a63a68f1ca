"""packman's issue forms: their kinds, labels and limits, and reading a rendered form.

``packman render`` writes the forms to ``.github/ISSUE_TEMPLATE/<form>.yml`` (see
``bot.render.issue_forms``); the parser reads that rendered form as its source of truth for
field ids, labels and options.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum
from pathlib import Path, PurePosixPath

from bot.data import parse_cache
from bot.data.parse_cache import ParseCache
from bot.errors import FormError, Problem
from bot.forms import definition
from bot.forms.definition import Form, load_form, read_yaml
from bot.suggest import did_you_mean

SOURCES = PurePosixPath("issue_templates")
RENDERED = PurePosixPath(".github/ISSUE_TEMPLATE")
NO_CHANGE = "no change"
CONFIRMATION = "I read these sources myself, and the notes are in my own words."
MAX_LINKS = 10
CAPABILITY_PREFIX = "OpenSSF: "
"""How a capability is named where it sits beside the controls (the evidence form's dropdown)."""


def capability_label(title: str, level: int) -> str:
    """A capability's label in the forms, e.g. ``OpenSSF: Trusted publishing (OIDC)``."""
    return f"{CAPABILITY_PREFIX}{title}"


class FormLabel(StrEnum):
    """Added by an issue form when an issue is opened from it; names the form."""

    EVIDENCE = "packman: evidence"
    ASSESSMENT = "packman: assessment"
    OPENSSF = "packman: openssf"
    PROPOSAL = "packman: proposal"


class FormKind(StrEnum):
    """The packman forms, by file name stem."""

    EVIDENCE = "evidence"
    ASSESSMENT = "assessment"
    OPENSSF = "openssf"
    PROPOSAL = "proposal"

    @property
    def label(self) -> FormLabel:
        """The label the form adds to its issues."""
        return FormLabel[self.name]


def form_path(root: Path, name: str) -> Path:
    """The rendered form for a form id (``evidence``) or a path to a form YAML file."""
    kinds = [k.value for k in FormKind]
    if name in kinds:
        return root / RENDERED / f"{name}.yml"
    path = Path(name)
    if path.suffix in (".yml", ".yaml") and path.exists():
        return path
    raise FormError(
        f"form {name!r} is neither a form id{did_you_mean(name, kinds)} ({', '.join(kinds)}) "
        "nor an existing .yml file"
    )


def load(root: Path, name: str, *, cached: bool = False) -> Form:
    """Read a rendered form by id or path (``cached``: through the forms' parse cache under
    ``root``, so that an unchanged form is not parsed again and PyYAML is not even imported)."""
    path = form_path(root, name)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FormError(f"{path}: form is missing; run `packman render`") from None
    if not cached:
        return load_form(text, str(path))
    cache = forms_cache(root)
    form = load_form(text, str(path), cache.load)
    cache.save()
    return form


def forms_cache(root: Path) -> ParseCache:
    """The parse cache of issue forms under ``root`` (``.packman-cache/forms.json``)."""
    code = Path(definition.__file__).read_bytes()
    fingerprint = hashlib.sha256(code + parse_cache.yaml_fingerprint().encode()).hexdigest()
    return ParseCache(root / parse_cache.DIRECTORY / "forms.json", read_yaml, fingerprint[:16])


def rendered_problems(root: Path) -> list[Problem]:
    """What keeps GitHub from offering one of the rendered forms in ``root`` (``packman check``
    reads them with the full schema; parsing a body needs only the body fields)."""
    found: list[Problem] = []
    for path in sorted((root / RENDERED).glob("*.yml")):
        if path.name == "config.yml":
            continue
        try:
            load_form(
                path.read_text(encoding="utf-8"), (RENDERED / path.name).as_posix(), complete=True
            )
        except FormError as error:
            found += error.problems
    return found
