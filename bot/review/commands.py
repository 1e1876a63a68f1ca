"""Slash commands in issue comments: ``/packman approve [--allow-downgrade]``, ``reject <reason>``,
``recheck`` and ``help``.

A command is a line of its own that starts with ``/packman``, outside code fences,
indented code and block quotes (a quoted command is somebody else's words).
The first such line counts; the rest of the comment is ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.markdown import FENCE, fence_after, split_lines


class Verb(StrEnum):
    """What a maintainer can ask the bot to do."""

    APPROVE = "approve"
    REJECT = "reject"
    RECHECK = "recheck"
    HELP = "help"


@dataclass(frozen=True)
class Command:
    """A parsed command."""

    verb: Verb | None
    """The verb, or None when the word after /packman is not one."""
    argument: str
    """Everything after the verb, stripped (the reject reason, or flags)."""
    word: str
    """The word as typed, for error messages."""

    @property
    def allow_downgrade(self) -> bool:
        """True for ``approve --allow-downgrade``."""
        return self.verb is Verb.APPROVE and "--allow-downgrade" in self.argument.split()


_COMMAND = re.compile(r"/packman(?=\s|$)(?:\s+(\S+))?[ \t]*(.*)")
MAX_REASON = 500


def _visible_lines(body: str) -> list[str]:
    """Lines that are plain text: not in fences, HTML comments or block quotes (with their lazy
    continuation lines), and not indented code. Follows CommonMark's rules for these blocks."""
    lines: list[str] = []
    fence: str | None = None
    in_comment = in_quote = False
    for line in split_lines(body):
        if fence is not None or FENCE.match(line):
            fence = fence_after(fence, line)
            if fence is not None:
                continue
            # a backtick line that cannot open a fence (a backtick in its info string) is text
        if in_comment or line.lstrip().startswith("<!--"):
            in_comment = "-->" not in line
        elif line.lstrip().startswith(">") or (in_quote and line.strip()):
            in_quote = True
        else:
            in_quote = False
            if not line.startswith(("    ", "\t")):
                lines.append(line)
    return lines


def parse(body: str | None) -> Command | None:
    """The first command in a comment body, or None if it has none."""
    for line in _visible_lines(body or ""):
        match = _COMMAND.fullmatch(line.strip())
        if match:
            word = (match.group(1) or "").lower()
            verb = Verb(word) if word in {v.value for v in Verb} else None
            return Command(verb, match.group(2).strip()[:MAX_REASON], word)
    return None


_HELP_ROWS = (
    ("`/packman approve`", "maintainers (write, maintain, admin)",
     "re-checks the issue and adds it to the bot pull request"),
    ("`/packman approve --allow-downgrade`", "maintainers",
     "the same, for a change that lowers a registry's tier"),
    ("`/packman reject <reason>`", "maintainers",
     "closes the issue as not planned, with the reason"),
    ("`/packman recheck`", "anyone", "validates the issue again and refreshes this comment"),
    ("`/packman help`", "anyone", "shows this table"),
)  # fmt: skip
HELP = "\n".join(
    [
        "| command | who | what it does |",
        "|---|---|---|",
        *(f"| {command} | {who} | {what} |" for command, who, what in _HELP_ROWS),
        "",
        "Commands go on a line of their own; quoted or fenced commands are ignored.",
    ]
)
"""The reply to ``/packman help``: every command, who may use it and what it does."""
