"""Slash commands: only a plain line of its own counts."""

from __future__ import annotations

import pytest

from bot.review import commands
from bot.review.commands import Verb


@pytest.mark.parametrize(
    ("case", "body", "verb", "argument"),
    [
        ("plain", "/packman approve", Verb.APPROVE, ""),
        ("after-text", "Looks good.\n\n/packman approve", Verb.APPROVE, ""),
        ("crlf", "ok\r\n/packman approve --allow-downgrade\r\n", Verb.APPROVE, "--allow-downgrade"),
        (
            "reject-reason",
            "/packman reject not an official source",
            Verb.REJECT,
            "not an official source",
        ),
        ("upper-case-verb", "/packman HELP", Verb.HELP, ""),
        ("recheck", "  /packman recheck", Verb.RECHECK, ""),
        ("first-wins", "/packman help\n/packman approve", Verb.HELP, ""),
    ],
)
def test_commands_found(case: str, body: str, verb: Verb, argument: str) -> None:
    """A /packman line outside quotes and code is a command."""
    command = commands.parse(body)

    assert command is not None, case
    assert (command.verb, command.argument) == (verb, argument)


@pytest.mark.parametrize(
    ("case", "body"),
    [
        ("quoted", "> /packman approve\n\nI disagree."),
        ("nested-quote", "> > /packman approve"),
        ("fenced", "```\n/packman approve\n```"),
        ("tilde-fence", "~~~text\n/packman approve\n~~~"),
        ("indented-code", "Example:\n\n    /packman approve"),
        ("inline-mention", "please run /packman approve when ready"),
        ("empty", ""),
        ("null", None),
        ("prefix-only-word", "/packmanapprove"),
    ],
)
def test_not_commands(case: str, body: str | None) -> None:
    """Quoted, fenced, indented or inline text is somebody's words, not a command."""
    assert commands.parse(body) is None, case


def test_unknown_verb_is_reported_as_such() -> None:
    """An unknown word after /packman gives a command with no verb, so the bot can say so."""
    command = commands.parse("/packman aprove")

    assert command is not None
    assert (command.verb, command.word) == (None, "aprove")


def test_allow_downgrade_only_for_approve() -> None:
    """--allow-downgrade is a flag of approve, not a reason text."""
    reject = commands.parse("/packman reject --allow-downgrade")
    approve = commands.parse("/packman approve --allow-downgrade")

    assert reject is not None and approve is not None
    assert (reject.allow_downgrade, approve.allow_downgrade) == (False, True)
