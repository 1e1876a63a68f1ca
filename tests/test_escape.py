"""Escaping for Markdown cells and links: hostile text stays inert."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import escape


@pytest.mark.parametrize(
    ("case", "text", "expected"),
    [
        ("script", "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("onerror", '<img src=x onerror="x()">', '&lt;img src=x onerror="x()"&gt;'),
        ("table-break", "a | b\nc", "a \\| b c"),
        ("mention", "thanks @octocat and @org/team", "thanks @&#8203;octocat and @&#8203;org/team"),
        ("reference", "see #123", "see #&#8203;123"),
        ("email-like", "a@b.c", "a@&#8203;b.c"),
        ("template", "{{ 7*7 }} {% if %}", "&#123;&#123; 7\\*7 &#125;&#125; &#123;% if %&#125;"),
        ("link", "[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
        ("bidi", "abc\u202edef\u200b", "abcdef"),
        ("code", "`rm -rf`", "\\`rm -rf\\`"),
    ],
)
def test_inline(case: str, text: str, expected: str) -> None:
    """Each hostile pattern is neutralised for a Markdown table cell."""
    assert escape.inline(text) == expected, case


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("https://x.example/a(b)c d", "https://x.example/a%28b%29c%20d"),
        ("javascript:alert(1)", "#"),
        ("http://x.example/", "#"),
        ("https://x.example/<script>", "https://x.example/%3Cscript%3E"),
    ],
)
def test_url(link: str, expected: str) -> None:
    """Only https links survive; characters that end a Markdown link are encoded."""
    assert escape.url(link) == expected


@given(st.text())
def test_inline_output_is_inert(text: str) -> None:
    """No output of inline can open HTML, break a table row, ping a user or reference an issue."""
    out = escape.inline(text)

    assert "<" not in out and ">" not in out
    assert "\n" not in out and "\r" not in out
    assert re.search(r"(?<!\\)\|", out) is None
    assert re.search(r"@[A-Za-z0-9]", out) is None
    assert re.search(r"(?<!&)#\d", out) is None


@given(st.text())
def test_url_output_cannot_leave_the_link(text: str) -> None:
    """A rendered link target never contains a space, parenthesis, quote or angle bracket."""
    out = escape.url("https://x.example/" + text)

    assert not set(out) & set(' ()<>"\n')


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_strip_invisible_ascii_path_removes_what_the_general_one_does(text: str) -> None:
    """The fast path for ASCII text keeps exactly the characters the per-character rule keeps."""
    expected = "".join(c for c in text if c in "\n\t" or escape._visible(c))

    assert escape.strip_invisible(text) == expected
