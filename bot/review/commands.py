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
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
MAX_REASON = 500


def _visible_lines(body: str) -> list[str]:
    """Lines that are plain text: not in fences, HTML comments or block quotes (with their lazy
    continuation lines), and not indented code. Follows CommonMark's rules for these blocks."""
    lines: list[str] = []
    fence, in_comment, in_quote = "", False, False
    for line in body.replace("\r\n", "\n").split("\n"):
        if fence:
            fence = "" if _closes(line, fence) else fence
        elif in_comment:
            in_comment = "-->" not in line
        elif opened := _FENCE.match(line):
            fence = opened.group(1)
        elif line.lstrip().startswith("<!--"):
            in_comment = "-->" not in line
        elif line.lstrip().startswith(">") or (in_quote and line.strip()):
            in_quote = True
        else:
            in_quote = False
            if not line.startswith(("    ", "\t")):
                lines.append(line)
    return lines


def _closes(line: str, fence: str) -> bool:
    """A closing fence: the same character, at least as long, and nothing after it but spaces."""
    match = _FENCE.match(line)
    if match is None:
        return False
    marker = match.group(1)
    return marker[0] == fence[0] and len(marker) >= len(fence) and not line[match.end() :].strip()


def parse(body: str | None) -> Command | None:
    """The first command in a comment body, or None if it has none."""
    for line in _visible_lines(body or ""):
        match = _COMMAND.fullmatch(line.strip())
        if match:
            word = (match.group(1) or "").lower()
            verb = Verb(word) if word in {v.value for v in Verb} else None
            return Command(verb, match.group(2).strip()[:MAX_REASON], word)
    return None


HELP = """\
| command | who | what it does |
|---|---|---|
| `/packman approve` | maintainers (write, maintain, admin) | re-checks the issue and adds it to the bot pull request |
| `/packman approve --allow-downgrade` | maintainers | the same, for a change that lowers a registry's tier |
| `/packman reject <reason>` | maintainers | closes the issue as not planned, with the reason |
| `/packman recheck` | anyone | validates the issue again and refreshes this comment |
| `/packman help` | anyone | shows this table |

Commands go on a line of their own; quoted or fenced commands are ignored."""
