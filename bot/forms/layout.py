"""Where each field's answer sits in an issue body, and what that answer is.

The pure machinery behind :func:`bot.forms.answers.parse_body`: split a body into lines, choose
the heading line of every field, read a value out of a field's section. The rules (what
GitHub writes, how heading lines are chosen, the tie-break) are in ``bot.forms.answers``.

Choosing headings is a shortest path. A node is a line ``### {label}`` of some field; an edge
goes from one node to a later node of a later field and costs ``(fields skipped, 1 if the
section between them breaks its field's shape, 1 if the next heading is hidden in an open
code fence)``; costs add and compare as tuples. When every field's heading occurs exactly once
and in order (every body GitHub wrote and nobody typed a heading into) the path is that list.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from itertools import islice, pairwise
from typing import TYPE_CHECKING

from bot.markdown import FENCE, fence_after

if TYPE_CHECKING:
    from bot.forms.definition import FormField

Value = str | list[str] | None
Span = tuple[int, int]
Node = tuple[int, int]
"""(line number of a heading, index of its field)."""
Cost = tuple[int, int, int]
"""(fields without a heading, sections that break their field's shape, hidden headings)."""

NO_RESPONSE = "_No response_"
NONE = "None"
_CHECKBOX = re.compile(r"\s*[-*+]\s+\[([ xX])\]\s+(.*)")


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
    return _read(field, _answer_lines(field, section))[0]


def well_formed(field: FormField, section: list[str]) -> bool:
    """Whether a section has the shape GitHub gives that field's answers."""
    if field.type == "textarea" and field.render is None:
        return _has_text(section)
    if field.type in ("input", "dropdown"):
        # One line at most: stop reading a long section at its second line.
        return len(list(islice(filter(str.strip, section), 2))) < 2 and _read(field, section)[1]
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
    if not any(", " in option for option in options):
        return _split_simply(text, options)
    table = _split_table(text, options)
    choice = _fewest(table[0], 0)
    chosen, pos, n = [], 0, -1 if choice is None else choice[1]
    while n >= 0:
        chosen.append(options[n])
        pos, n = pos + len(options[n]) + 2, table[pos][n][1]
    return chosen or None


def _split_simply(text: str, options: Sequence[str]) -> list[str] | None:
    """The only possible split when no option contains ", ": at every ", "."""
    index = {option: n for n, option in enumerate(options)}
    places = [index.get(part, -1) for part in text.split(", ")]
    in_order = places[0] >= 0 and all(a < b for a, b in pairwise(places))
    return [options[n] for n in places] if in_order else None


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


SINGLE_LINE = frozenset({"input", "dropdown", "checkboxes"})
"""Fields whose answer GitHub writes itself, on lines that never hold a newline typed by a
person: a ``### `` line after their first line is a heading GitHub wrote."""


def foreign_headings(field: FormField, section: list[str]) -> list[str]:
    """The ``### `` lines that end a single-line field's answer: headings of fields the form
    does not have (the issue was filed with another version of it)."""
    if field.type not in SINGLE_LINE:
        return []
    start = _first_text(section)
    return [line.rstrip() for line in section[start + 1 :] if line.startswith("### ")]


def _answer_lines(field: FormField, section: list[str]) -> list[str]:
    """A section up to where its field's answer ends: for a single-line field, the first
    ``### `` line after its first line of text."""
    if field.type not in SINGLE_LINE:
        return section
    start = _first_text(section)
    for number in range(start + 1, len(section)):
        if section[number].startswith("### "):
            return section[:number]
    return section


def _first_text(section: list[str]) -> int:
    return next((n for n, line in enumerate(section) if line.strip()), len(section))


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
    return _Search(fields, lines, nodes).cheapest()


class _Search:
    """The shortest path of the module docstring over one body's heading lines."""

    def __init__(self, fields: Sequence[FormField], lines: list[str], nodes: list[Node]) -> None:
        self.fields, self.lines = fields, lines
        self.chain = [(-1, -1), *nodes, (len(lines), len(fields))]
        self.fences = [number for number, line in enumerate(lines) if FENCE.match(line)]
        self.best: list[tuple[Cost, int]] = [((0, 0, 0), -1)] * len(self.chain)
        self.floor = self._fewest_missing()

    def _fewest_missing(self) -> list[int]:
        """For each node, the fewest fields any way on from it leaves without a heading.

        That count weighs most, so a way on that misses more is never priced at all.
        """
        floor = [0] * len(self.chain)
        for i in range(len(self.chain) - 2, -1, -1):
            field = self.chain[i][1]
            floor[i] = min(
                f - field - 1 + floor[k]
                for k, (_, f) in enumerate(self.chain)
                if k > i and f > field
            )
        return floor

    def cheapest(self) -> list[Node]:
        for i in range(len(self.chain) - 2, -1, -1):
            self.best[i] = self._step(i)
        path, i = [], self.best[0][1]
        while i < len(self.chain) - 1:
            path.append(self.chain[i])
            i = self.best[i][1]
        return path

    def _step(self, i: int) -> tuple[Cost, int]:
        """The cheapest way on from node ``i``; ``<=`` keeps the latest of equal choices."""
        here = self.chain[i]
        hidden = self._hidden(here[0] + 1, [line for line, _ in self.chain[i + 1 : -1]])
        choice: tuple[Cost, int] | None = None
        for k in range(i + 1, len(self.chain)):
            there, rest = self.chain[k], self.best[k][0]
            if there[1] > here[1] and there[1] - here[1] - 1 + self.floor[k] == self.floor[i]:
                step = self._cost(here, there, there[0] in hidden)
                cost = (step[0] + rest[0], step[1] + rest[1], step[2] + rest[2])
                if choice is None or cost <= choice[0]:
                    choice = (cost, k)
        assert choice is not None  # noqa: S101 - the end node always follows
        return choice

    def _cost(self, here: Node, there: Node, hidden: bool) -> Cost:
        (line, field), (end, next_field) = here, there
        section = self.lines[line + 1 : end]
        # Text before the first heading is never GitHub's: it counts as a broken section.
        broken = not well_formed(self.fields[field], section) if field >= 0 else _has_text(section)
        # GitHub closes the fence it wraps around a render: answer, whatever fences it holds.
        wrapped = field >= 0 and self.fields[field].render is not None and not broken
        return next_field - field - 1, int(broken), int(hidden and not wrapped)

    def _hidden(self, start: int, stops: list[int]) -> set[int]:
        """The (sorted) ``stops`` inside a code fence opened at or after line ``start``."""
        hidden: set[int] = set()
        fence: str | None = None
        marks = iter(self.fences[bisect_left(self.fences, start) :])  # only these change it
        mark = next(marks, len(self.lines))
        for stop in stops:
            while mark < stop:
                fence, mark = fence_after(fence, self.lines[mark]), next(marks, len(self.lines))
            if fence is not None:
                hidden.add(stop)
        return hidden


def _trim(nodes: list[Node], count: int) -> list[Node]:
    """At most the first and last two heading lines per field, so hostile bodies stay fast."""
    if len(nodes) <= 4 * count + 8:
        return nodes
    by_field: dict[int, list[Node]] = {}
    for node in nodes:
        by_field.setdefault(node[1], []).append(node)
    return sorted({node for group in by_field.values() for node in (*group[:2], *group[-2:])})
