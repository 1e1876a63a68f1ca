"""Line endings, fences and the hidden markers: one reading, shared by every parser."""

from __future__ import annotations

import pytest

from bot import markers
from bot.markdown import fence_after, normalize_newlines, split_lines
from bot.review import commands, sticky

FENCES = [
    # (lines, fence open after the last line)
    (["```"], "```"),
    (["~~~~"], "~~~~"),
    (["   ```python"], "```"),
    (["    ```"], None),  # four spaces: indented code, not a fence
    (["``` has ` inside"], None),  # a backtick fence may not hold a backtick in its info string
    (["~~~ has ` inside"], "~~~"),
    (["````", "```"], "````"),  # a shorter marker does not close
    (["```", "~~~"], "```"),  # the other character does not close
    (["```", "```` "], None),
    (["```", "``` x"], "```"),  # text after a closing marker: not a close
]


@pytest.mark.parametrize(("lines", "expected"), FENCES)
def test_fences_follow_commonmark(lines: list[str], expected: str | None) -> None:
    """Opening and closing fences as CommonMark reads them."""
    fence = None
    for line in lines:
        fence = fence_after(fence, line)

    assert expected == fence


@pytest.mark.parametrize("text", ["a\r\nb\rc\nd", "a\nb\nc\nd", "a\r\nb\r\nc\r\nd"])
def test_every_line_ending_reads_alike(text: str) -> None:
    """CRLF, a lone CR and LF all end a line, for the body parser and the approval hash."""
    assert split_lines(text) == ["a", "b", "c", "d"]
    assert sticky.body_hash(text) == sticky.body_hash(normalize_newlines(text))


@pytest.mark.parametrize(("lines", "open_after"), FENCES)
def test_a_command_counts_only_outside_a_fence(lines: list[str], open_after: str | None) -> None:
    """The command parser reads fences with the same rule: a command inside one is quoted code."""
    comment = "\n".join([*lines, "/packman help"])

    seen = commands.parse(comment) is not None

    assert seen == (open_after is None)


def test_markers_read_back_what_they_wrote() -> None:
    """Each marker kind written is found again by its reader."""
    record = {"approval": None, "note": "a -- b -->"}
    text = f"intro\n{markers.record(record)}\n{markers.issues([3, 1, 20])}"

    assert markers.read_issues(text) == [3, 1, 20]
    assert markers.read_record(text) is not None
    assert "-->" not in markers.read_record(text)  # type: ignore[operator]
    assert markers.reply(5) != markers.applied(5)
    assert markers.begin("x").startswith(markers.PREFIX)
