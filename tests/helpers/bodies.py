"""Issue bodies for packman's forms, written the way GitHub writes them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.forms.definition import Form, FormField
from bot.forms.kinds import CONFIRMATION, NO_CHANGE


def _body(sections: list[tuple[str, str]]) -> str:
    return "\n\n".join(f"### {label}\n\n{value}" for label, value in sections)


def evidence(
    registry: str = "npm",
    control: str = "MFA To Push Artifacts",
    status: str = "yes",
    links: str = "https://docs.npmjs.com/about-two-factor-authentication",
    notes: str = "Every publisher needs a second factor.",
    confirm: bool = True,
) -> str:
    """A 'Report control evidence' body."""
    return _body(
        [
            ("Registry", registry),
            ("Control", control),
            ("Status", status),
            ("Evidence", links or "_No response_"),
            ("What the evidence shows", notes or "_No response_"),
            ("Confirmation", f"- [{'X' if confirm else ' '}] {CONFIRMATION}"),
        ]
    )


def assessment(
    registry: str, changes: dict[str, str], titles: dict[str, str], links: str = "", notes: str = ""
) -> str:
    """A 'Registry assessment' body; ``changes`` maps control ids to statuses, ``titles`` ids to labels."""
    rows = [(titles[i], changes.get(i, NO_CHANGE)) for i in titles]
    return _body(
        [
            ("Registry", registry),
            *rows,
            ("Evidence", links or "_No response_"),
            ("Notes", notes or "_No response_"),
            ("Confirmation", f"- [X] {CONFIRMATION}"),
        ]
    )


def proposal(
    name: str = "Hex",
    languages: str = "Elixir, Erlang",
    homepage: str = "https://hex.pm/",
    clients: str = "mix, rebar3",
    why: str = "The package manager of the BEAM ecosystem.",
    osv: str = "",
) -> str:
    """A 'Propose a package management system' body (``osv`` left unanswered when empty)."""
    return _body(
        [
            ("Name", name),
            ("Language(s)", languages),
            ("Homepage", homepage),
            ("Client(s)", clients),
            ("OSV ecosystem", osv or "_No response_"),
            ("Why it matters", why),
        ]
    )


def github_body(
    form: Form, answers: Mapping[str, Any], newline_style: str = "lf", mark: str = "X"
) -> str:
    """The body GitHub writes for ``answers``; newline_style: lf, crlf-in-text or crlf."""
    typed = "\r\n" if newline_style == "crlf-in-text" else "\n"
    blocks = [f"### {f.label}\n\n{_block(f, answers[f.id], typed, mark)}" for f in form.fields]
    body = "\n\n".join(blocks)
    return body.replace("\n", "\r\n") if newline_style == "crlf" else body


def _block(field: FormField, value: Any, typed: str, mark: str) -> str:
    if field.type == "checkboxes":
        return "\n".join(f"- [{mark if o in value else ' '}] {o}" for o in field.options)
    if field.type == "dropdown":
        return "None" if value is None else ", ".join(value) if field.multiple else str(value)
    if field.render is not None:
        return f"```{field.render}\n{(value or '').replace(chr(10), typed)}\n```"
    if value is None:
        return "_No response_"
    # A browser sends typed text with CRLF, and GitHub keeps its final line break.
    text = str(value).replace("\n", typed)
    return text + typed if typed == "\r\n" and "\n" in value else text
