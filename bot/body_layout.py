"""Where each field's answer sits in an issue body, and what that answer is.

The pure machinery behind :func:`bot.issue_form.parse_body`: split a body into lines, choose
the heading line of every field, read a value out of a field's section. The rules (what
GitHub writes, how heading lines are chosen, the tie-break) are in ``bot.issue_form``.

Choosing headings is a shortest path. A node is a line ``### {label}`` of some field; an edge
goes from one node to a later node of a later field and costs ``(fields skipped, 1 if the
section between them breaks its field's shape, 1 if the next heading is hidden in an open
code fence)``; costs add and compare as tuples. When every field's heading occurs exactly once
and in order (every body GitHub wrote and nobody typed a heading into) the path is that list.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.issue_form import FormField

Value = str | list[str] | None
Span = tuple[int, int]
Node = tuple[int, int]
"""(line number of a heading, index of its field)."""
Cost = tuple[int, int, int]
"""(fields without a heading, sections that break their field's shape, hidden headings)."""

NO_RESPONSE = "_No response_"
NONE = "None"
_CHECKBOX = re.compile(r"\s*[-*+]\s+\[([ xX])\]\s+(.*)")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})(.*)")


def split_lines(body: str | None) -> list[str]:
    """The body's lines, CRLF and a lone CR read as LF; [] for a null or empty body."""
    if not body:
        return []
    return body.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def locate_sections(fields: Sequence[FormField], lines: list[str]) -> list[Span | None]:
    """Each field's answer as a range of lines, or None when its heading is missing."""
    headings = {f"### {field.label.strip()}": n for n, field in enumerate(fields)}
    nodes = [
        (number, headings[line.rstrip()])
        for number, line in enumerate(lines)
        if line.startswith("### ") and line.rstrip() in headings
    ]
    if [field for _, field in nodes] != list(range(len(fields))):
        nodes = _best_path(fields, lines, _trim(nodes, len(fields)))
    spans: list[Span | None] = [None] * len(fields)
    ends = [line for line, _ in nodes[1:]] + [len(lines)]
    for (line, field), end in zip(nodes, ends, strict=False):
        spans[field] = (line + 1, end)
    return spans


def read_value(field: FormField, section: list[str] | None) -> Value:
    """The answer written in a field's section; None ([] for checkboxes) when absent."""
    if section is None:
        return [] if field.type == "checkboxes" else None
    return _read(field, section)[0]


def well_formed(field: FormField, section: list[str]) -> bool:
    """Whether a section has the shape GitHub gives that field's answers."""
    if field.type == "textarea" and field.render is None:
        return _has_text(section)
    return _read(field, section)[1]


def _has_text(lines: list[str]) -> bool:
    return any(line.strip() for line in lines)


def section_text(lines: Sequence[str]) -> str:
    """The lines joined with LF, without leading blank lines or trailing whitespace."""
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    return "\n".join(lines[start:]).rstrip()


def split_choices(text: str, options: Sequence[str]) -> list[str] | None:
    """``text`` read as options joined by ", " in option order (fewest options wins)."""
    table = _split_table(text, options)
    choice = _fewest(table[0], 0)
    chosen, pos, n = [], 0, -1 if choice is None else choice[1]
    while n >= 0:
        chosen.append(options[n])
        pos, n = pos + len(options[n]) + 2, table[pos][n][1]
    return chosen or None


def _split_table(text: str, options: Sequence[str]) -> dict[int, dict[int, tuple[int, int]]]:
    """For each place a choice may start: option -> (options to the end, next option)."""
    table: dict[int, dict[int, tuple[int, int]]] = {}
    for pos in reversed([0, *(m.end() for m in re.finditer(", ", text))]):
        table[pos] = {}
        for n, option in enumerate(options):
            end = pos + len(option)
            if not option or not text.startswith(option, pos):
                continue
            tail = (0, -1) if end == len(text) else None
            if text.startswith(", ", end):
                tail = _fewest(table.get(end + 2, {}), n + 1)
            if tail is not None:
                table[pos][n] = (tail[0] + 1, tail[1])
    return table


def _fewest(row: dict[int, tuple[int, int]], first: int) -> tuple[int, int] | None:
    """(options used, option) of the shortest split from a row, starting at option >= first."""
    return min(((count, n) for n, (count, _) in row.items() if n >= first), default=None)


def _read(field: FormField, section: list[str]) -> tuple[Value, bool]:
    """The value in a section, and whether the section has the field's shape."""
    text = section_text(section)
    if field.type == "checkboxes":
        return _checked(field.options, text)
    if field.type == "dropdown":
        return _chosen(field, text)
    if field.render is not None:
        return _unfenced(text)
    one_line = field.type != "input" or "\n" not in text
    return (None if text in ("", NO_RESPONSE) else text), bool(text) and one_line


def _chosen(field: FormField, text: str) -> tuple[Value, bool]:
    if text in ("", NO_RESPONSE) or (text == NONE and NONE not in field.options):
        return None, bool(text)
    if not field.multiple:
        return text, text in field.options
    parts = split_choices(text, field.options)
    if parts is not None:
        return parts, True
    parts = text.split(", ")
    if all(part in field.options for part in parts):
        parts.sort(key=field.options.index)
    return parts, False


def _checked(options: Sequence[str], text: str) -> tuple[Value, bool]:
    if text in ("", NO_RESPONSE):
        return [], bool(text)
    rows = [_CHECKBOX.fullmatch(line) for line in text.split("\n") if line.strip()]
    by_position = len(rows) == len(options)
    checked, known = [], all(rows)
    for n, row in enumerate(rows):
        label = row[2].strip() if row else ""
        name = label if label in options else options[n] if by_position else None
        known = known and name is not None
        if row and row[1] != " ":
            checked.append(name or label)
    return checked, known


def _unfenced(text: str) -> tuple[Value, bool]:
    if text == NO_RESPONSE:
        return None, True
    rows = text.split("\n")
    if len(rows) >= 2 and rows[0].startswith("```") and rows[-1].strip() == "```":
        return section_text(rows[1:-1]) or None, True
    return text or None, False


def _best_path(fields: Sequence[FormField], lines: list[str], nodes: list[Node]) -> list[Node]:
    """The cheapest strictly increasing choice of heading lines; on a tie, the latest."""
    chain = [(-1, -1), *nodes, (len(lines), len(fields))]
    best: list[tuple[Cost, int]] = [((0, 0, 0), -1)] * len(chain)
    for i in range(len(chain) - 2, -1, -1):
        best[i] = _best_step(fields, lines, chain, best, i)
    path, i = [], best[0][1]
    while i < len(chain) - 1:
        path.append(chain[i])
        i = best[i][1]
    return path


def _best_step(
    fields: Sequence[FormField],
    lines: list[str],
    chain: list[Node],
    best: list[tuple[Cost, int]],
    i: int,
) -> tuple[Cost, int]:
    """The cheapest way on from node ``i``; ``<=`` keeps the latest of equal choices."""
    hidden = _hidden_headings(lines, chain[i][0] + 1, [line for line, _ in chain[i + 1 : -1]])
    choice: tuple[Cost, int] | None = None
    for k in range(i + 1, len(chain)):
        if chain[k][1] > chain[i][1]:
            step = _step_cost(fields, lines, chain[i], chain[k], chain[k][0] in hidden)
            cost = (step[0] + best[k][0][0], step[1] + best[k][0][1], step[2] + best[k][0][2])
            if choice is None or cost <= choice[0]:
                choice = (cost, k)
    assert choice is not None  # noqa: S101 - the end node always follows
    return choice


def _step_cost(fields: Sequence[FormField], lines: list[str], here: Node, there: Node, hidden: bool) -> Cost:
    (line, field), (end, next_field) = here, there
    section = lines[line + 1 : end]
    # Text before the first heading is never GitHub's: it counts as a broken section.
    broken = not well_formed(fields[field], section) if field >= 0 else _has_text(section)
    # GitHub closes the fence it wraps around a render: answer, whatever fences it holds.
    wrapped = field >= 0 and fields[field].render is not None and not broken
    return next_field - field - 1, int(broken), int(hidden and not wrapped)


def _hidden_headings(lines: list[str], start: int, stops: list[int]) -> set[int]:
    """The lines of ``stops`` inside a code fence opened at or after ``start``."""
    hidden: set[int] = set()
    fence: str | None = None
    wanted = set(stops)
    for number in range(start, max(stops, default=start)):
        fence = _fence_after(fence, lines[number])
        if number + 1 in wanted and fence is not None:
            hidden.add(number + 1)
    return hidden


def _fence_after(fence: str | None, line: str) -> str | None:
    """The open fence after ``line`` (CommonMark's backtick and tilde fences)."""
    match = _FENCE.match(line)
    if match is None:
        return fence
    marker, rest = match[1], match[2]
    if fence is None:
        return None if marker[0] == "`" and "`" in rest else marker
    closes = marker[0] == fence[0] and len(marker) >= len(fence) and not rest.strip()
    return None if closes else fence


def _trim(nodes: list[Node], count: int) -> list[Node]:
    """At most the first and last two heading lines per field, so hostile bodies stay fast."""
    if len(nodes) <= 4 * count + 8:
        return nodes
    by_field: dict[int, list[Node]] = {}
    for node in nodes:
        by_field.setdefault(node[1], []).append(node)
    return sorted({node for group in by_field.values() for node in (*group[:2], *group[-2:])})
