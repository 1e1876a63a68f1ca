"""The small Markdown subset docs/methodology.md uses, as HTML: no dependency for one page.

Blocks: ATX headings (with an id from their text), paragraphs, bullet lists (``-``) and numbered
lists (``1.``) whose items may continue on indented lines. Inline: code spans, links, ``**strong**``
and ``*emphasis*``. Everything else is text, escaped: an unknown construct shows as written,
never as markup. Link targets go through a function the caller gives (to map repository paths to
pages of the site).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator

from bot.markdown import normalize_newlines

Links = Callable[[str], str]
"""Maps a Markdown link target to the href the page uses."""

_HEADING = re.compile(r"(#{1,6}) +(.+?) *#* *$")
_BULLET = re.compile(r"[-*] +(.*)")
_NUMBER = re.compile(r"\d{1,9}[.)] +(.*)")
_INLINE = re.compile(
    r"`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)|\*\*(.+?)\*\*|(?<![\w*])\*([^*\s](?:[^*]*[^*\s])?)\*(?!\w)"
)
_SLUG_DROP = re.compile(r"[^\w\- ]")


def slug(text: str) -> str:
    """The anchor id of a heading, as GitHub makes it: lower case, punctuation dropped."""
    plain = re.sub(r"[`*]", "", text)
    return _SLUG_DROP.sub("", plain.lower()).strip().replace(" ", "-")


def inline(text: str, links: Links) -> str:
    """One run of text with its inline Markdown as HTML, everything else escaped."""
    out, position = [], 0
    for match in _INLINE.finditer(text):
        out.append(html.escape(text[position : match.start()], quote=False))
        code, label, target, strong, emphasis = match.groups()
        if code is not None:
            out.append(f"<code>{html.escape(code, quote=False)}</code>")
        elif label is not None:
            out.append(f'<a href="{html.escape(links(target))}">{inline(label, links)}</a>')
        elif strong is not None:
            out.append(f"<strong>{inline(strong, links)}</strong>")
        else:
            out.append(f"<em>{inline(emphasis, links)}</em>")
        position = match.end()
    out.append(html.escape(text[position:], quote=False))
    return "".join(out)


def _blocks(text: str) -> Iterator[list[str]]:
    block: list[str] = []
    for line in normalize_newlines(text).split("\n"):
        if line.strip():
            block.append(line)
        elif block:
            yield block
            block = []
    if block:
        yield block


def _items(lines: list[str], marker: re.Pattern[str]) -> list[str] | None:
    """The items of a list block (continuation lines joined), or None if it is not one."""
    items: list[str] = []
    for line in lines:
        match = marker.match(line)
        if match:
            items.append(match.group(1))
        elif items and line.startswith(" "):
            items[-1] += " " + line.strip()
        else:
            return None
    return items


def _headings(lines: list[str], links: Links, parts: list[str]) -> list[str]:
    """Emit the headings that open a block; return the lines after them."""
    while lines and (heading := _HEADING.match(lines[0])):
        level, title = len(heading.group(1)), heading.group(2)
        parts.append(f'<h{level} id="{slug(title)}">{inline(title, links)}</h{level}>')
        lines = lines[1:]
    return lines


def to_html(text: str, links: Links) -> str:
    """The document as HTML (the level-1 heading included)."""
    parts: list[str] = []
    for block in _blocks(text):
        lines = _headings(block, links, parts)
        if not lines:
            continue
        for tag, marker in (("ul", _BULLET), ("ol", _NUMBER)):
            items = _items(lines, marker)
            if items is not None:
                body = "".join(f"<li>{inline(item, links)}</li>" for item in items)
                parts.append(f"<{tag}>{body}</{tag}>")
                break
        else:
            joined = " ".join(line.strip() for line in lines)
            parts.append(f"<p>{inline(joined, links)}</p>")
    return "\n".join(parts) + "\n"
