"""The one exception base of packman, and its family.

Every error a user can cause derives from :class:`PackmanError` and explains
itself through :meth:`PackmanError.diagnostics`: one line per problem, naming
where (file, field), what was found and what is allowed. The CLI catches
``PackmanError`` in exactly one place and prints those lines; anything else is
an internal error.

    PackmanError
    ├── DataError        assessments/ files that are malformed or invalid
    ├── FormError        issue-form definitions that cannot be used
    ├── StaleError       generated files that differ from what render would write
    └── BackendError     a backend could not carry out a plan (GitHub, git)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong, located precisely enough for a person to fix it."""

    where: str
    """File and field, e.g. ``assessments/registries/npm.yml: controls.mfa-to-push.status``."""
    message: str
    """What is wrong and what is allowed instead."""

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class PackmanError(Exception):
    """Base of every error packman reports to a user."""

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("", problems)]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def diagnostics(self) -> list[str]:
        """One line per problem, ready to print."""
        return [str(p) for p in self.problems]


class DataError(PackmanError):
    """A file under assessments/ is malformed or breaks a rule of the catalog."""


class FormError(PackmanError):
    """An issue-form definition cannot be read or used."""


class StaleError(PackmanError):
    """A generated file differs from what ``packman render`` would write."""


class BackendError(PackmanError):
    """A backend could not carry out a plan."""
