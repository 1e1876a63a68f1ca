"""Names of new registries: the id a name gives, what a name may be made of, look-alikes.

A name becomes an id, a file name, a dropdown option, a commit subject and a page heading, so
it is REFUSED unless, after NFKC normalisation (which maps full-width letters to ASCII), it uses
ASCII letters, digits, spaces and ``.+-()/'&`` only; a name that folds to an existing one
(case, spacing, punctuation, ``0/o``, ``1/l/i``, ``rn/m``, ``vv/w``) is refused.
"""

from __future__ import annotations

import re
import unicodedata

from bot.forms.checker import Checker

MAX_NAME = 60


_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")
"""A trailing qualifier in parentheses: the client or owner, as in ``crates.io (Cargo)``."""


def slug(name: str) -> str:
    """A kebab-case id made from a display name, without a trailing qualifier in parentheses
    (``Packagist (Composer)`` gives ``packagist``, like the seed's ids)."""
    words = _QUALIFIER.sub("", name) or name
    return re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")[:64].strip("-")


_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .+()/'&-]*")
"""What a registry name may be made of (after NFKC): see the module docstring."""
_LOOK_ALIKE = str.maketrans({"0": "o", "1": "l", "i": "l"})
_REFERENCE = re.compile(r"(?i)\bGH-\d")


def check_name(check: Checker, name: str) -> None:
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
        if slug(name) == registry.id or fold(name) in (fold(registry.name), fold(registry.id)):
            check.error("name", name, f"packman already rates this registry as '{registry.name}'")


def fold(text: str) -> str:
    """Case-, spacing- and look-alike-insensitive form of a name (``PyPl``, ``Py-P1`` and ``pypi``
    agree)."""
    kept = "".join(c for c in unicodedata.normalize("NFKC", text).casefold() if c.isalnum())
    return kept.replace("rn", "m").replace("vv", "w").translate(_LOOK_ALIKE)


def same(name: str, other: str) -> bool:
    """True when two names give the same id or fold to the same text (``Hex`` and ``HEX``)."""
    return slug(name) == slug(other) or fold(name) == fold(other)
