"""Issue bodies for packman's forms, written the way GitHub writes them."""

from __future__ import annotations

from bot.forms import CONFIRMATION, NO_CHANGE


def _body(sections: list[tuple[str, str]]) -> str:
    return "\n\n".join(f"### {label}\n\n{value}" for label, value in sections)


def evidence(registry: str = "npm", control: str = "MFA To Push Artifacts", status: str = "yes",
             links: str = "https://docs.npmjs.com/about-two-factor-authentication",
             notes: str = "Every publisher needs a second factor.", confirm: bool = True) -> str:
    """A 'Report control evidence' body."""
    return _body([("Registry", registry), ("Control", control), ("Status", status),
                  ("Evidence", links or "_No response_"), ("What the evidence shows", notes or "_No response_"),
                  ("Confirmation", f"- [{'X' if confirm else ' '}] {CONFIRMATION}")])


def assessment(registry: str, changes: dict[str, str], titles: dict[str, str], links: str = "",
               notes: str = "") -> str:
    """A 'Registry assessment' body; ``changes`` maps control ids to statuses, ``titles`` ids to labels."""
    rows = [(titles[i], changes.get(i, NO_CHANGE)) for i in titles]
    return _body([("Registry", registry), *rows, ("Evidence", links or "_No response_"),
                  ("Notes", notes or "_No response_"), ("Confirmation", f"- [X] {CONFIRMATION}")])


def proposal(name: str = "Hex", languages: str = "Elixir, Erlang", homepage: str = "https://hex.pm/",
             clients: str = "mix, rebar3", why: str = "The package manager of the BEAM ecosystem.") -> str:
    """A 'Propose a package management system' body."""
    return _body([("Name", name), ("Language(s)", languages), ("Homepage", homepage), ("Client(s)", clients),
                  ("Why it matters", why)])
