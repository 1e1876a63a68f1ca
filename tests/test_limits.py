"""Every comment and pull request body fits GitHub's 65,536 characters, by construction.

Warnings are capped ("… and N more"); what would still not fit is cut at a line with a
visible mark, and the hidden part (the record, ``Closes #N``, the markers) is always kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from bot import limits, markers
from bot.data.changes import NewRegistry, Rating, RatingChange
from bot.data.model import Dataset, Registry, Status
from bot.forms import answers, kinds, validate
from bot.forms.validate import Validation
from bot.review import preview, rebuild, sticky
from bot.review.backend import FoundBranch
from bot.review.events import Comment, Issue
from tests.helpers import bodies, project

TODAY = dt.date(2026, 12, 2)


def test_text_exactly_at_the_limit_is_kept_whole() -> None:
    """65,536 characters in all is not cut."""
    hidden = "<!-- hidden -->"
    visible = "x" * (limits.MAX_TEXT - len(hidden))

    assert visible + hidden == limits.fit(visible, hidden)


def test_one_character_over_the_limit_is_cut_with_a_mark() -> None:
    """65,537 characters are cut at a line, marked, and the hidden part kept."""
    hidden = "<!-- hidden -->"
    visible = ("line\n" * limits.MAX_TEXT)[: limits.MAX_TEXT - len(hidden) + 1]

    text = limits.fit(visible, hidden)

    assert len(text) <= limits.MAX_TEXT
    assert text.endswith(limits.CUT + hidden)
    assert text.startswith("line\nline\n")


def test_hidden_part_alone_too_long_is_a_bug() -> None:
    """There is no way to keep a hidden part longer than the limit: that is an error."""
    with pytest.raises(ValueError, match="exceeds"):
        limits.fit("", "x" * (limits.MAX_TEXT + 1))


def test_oversized_sticky_keeps_its_record() -> None:
    """A sticky comment whose text would pass the limit still carries a readable record."""
    record = sticky.Record(previewed_sha256=sticky.body_hash("body"))

    body = sticky.write("- ⚠️ a warning line\n" * 5_000, record)

    assert len(body) <= limits.MAX_TEXT
    assert limits.CUT in body
    assert body.startswith(markers.STICKY)
    assert record == sticky.read(_comment(body))


def test_warnings_are_capped() -> None:
    """A hundred contradicting issues give twenty warning lines and one count of the rest."""
    dataset = project.dataset()
    change = RatingChange(
        "packagist",
        (Rating("mfa-to-push", Status.YES, ("https://packagist.org/about",), "n"),),
    )
    warnings = [f"Issue #{n} proposes `no` for MFA To Push Artifacts." for n in range(100)]

    text = preview.comment(dataset, Validation(change=change), warnings, "status")

    assert text.count("- ⚠️ Issue #") == preview.MAX_WARNINGS
    assert f"- … and {100 - preview.MAX_WARNINGS} more" in text


def test_pull_request_body_fits_with_every_closes_line() -> None:
    """Three approvals with notes that escape to four times their length still fit, and every
    issue is still closed by the body."""
    dataset = project.dataset()
    notes = "@a" * 500
    approved = [
        rebuild.Approved(
            Issue(n, "evidence", "body", "casey", (), True),
            RatingChange(
                "packagist",
                tuple(
                    Rating(c.id, Status.PARTIAL, ("https://packagist.org/about",), notes)
                    for c in dataset.catalog.controls
                ),
            ),
            sticky.approval("acme", "body", n, TODAY, True),
        )
        for n in range(1, 4)
    ]

    branch = rebuild.build(project.main_state(project.files(), "0" * 40, TODAY), approved)

    assert len(rebuild.pull_body(branch, "c" * 40)) <= limits.MAX_TEXT
    assert limits.CUT in branch.body
    assert all(f"Closes #{n}\n" in branch.body for n in range(1, 4))
    assert list(range(1, 4)) == markers.read_issues(branch.body)


def test_second_look_alike_proposal_is_left_out_of_the_rebuild() -> None:
    """When "Hex" and "HEX" are both approved, the rebuild adds the first and says why not the
    second (it neither closes it nor writes its file)."""
    dataset = project.dataset()
    approved = [
        rebuild.Approved(
            Issue(n, "proposal", name, "casey", (), True),
            NewRegistry(_registry(dataset, name), "why"),
            sticky.approval("acme", name, n, TODAY, False),
        )
        for n, name in ((1, "Hex"), (2, "HEX"))
    ]

    branch = rebuild.build(project.main_state(project.files(), "0" * 40, TODAY), approved)

    assert [c.message.splitlines()[0] for c in branch.commits] == ["Add Hex to packman (#1)"]
    assert [number for number, _ in branch.refused] == [2]
    assert "- #2: the name “HEX” gives the same id “hex”" in branch.body
    assert markers.read_issues(branch.body) == [1]


def _registry(dataset: Dataset, name: str) -> Registry:
    form = kinds.load(project.root(), "proposal")
    fields = answers.parse_body(form, bodies.proposal(name=name))
    result = validate.validate(kinds.FormKind.PROPOSAL, fields, dataset)
    assert isinstance(result.change, NewRegistry), result.errors
    return result.change.registry


def _comment(body: str) -> Comment:
    return Comment(1, "packman[bot]", body)


def test_the_first_approved_look_alike_wins_whatever_its_number() -> None:
    """ "HEX" (#2) approved before "Hex" (#1): #2 lands and #1 is the one left out."""
    dataset = project.dataset()
    approved = [
        rebuild.Approved(
            Issue(n, "proposal", name, "casey", (), True),
            NewRegistry(_registry(dataset, name), "why"),
            sticky.approval("acme", name, comment_id, TODAY, False),
        )
        for n, name, comment_id in ((1, "Hex", 20), (2, "HEX", 10))
    ]

    branch = rebuild.build(project.main_state(project.files(), "0" * 40, TODAY), approved)

    assert [c.message.splitlines()[0] for c in branch.commits] == ["Add HEX to packman (#2)"]
    assert [number for number, _ in branch.refused] == [1]
    assert "which issue #2 already adds" in dict(branch.refused)[1]


def test_a_look_alike_approved_earlier_rebuilds_from_main() -> None:
    """The bot branch holds "Hex" (#1); "HEX" (#2) turns out approved by an earlier comment (a
    late run), so #2 lands and #1 is refused: the branch's commit for #1 is not kept."""
    dataset = project.dataset()

    def approved(n: int, name: str, comment_id: int) -> rebuild.Approved:
        return rebuild.Approved(
            Issue(n, "proposal", name, "casey", (), True),
            NewRegistry(_registry(dataset, name), "why"),
            sticky.approval("acme", name, comment_id, TODAY, False),
        )

    main = project.main_state(project.files(), "0" * 40, TODAY)
    before = rebuild.build(main, [approved(1, "Hex", 20)])
    found = FoundBranch(rebuild.pull_body(before, "c" * 40), "c" * 40)
    again = rebuild.build(replace(main, pending=found), [approved(1, "Hex", 20)])
    after = rebuild.build(
        replace(main, pending=found), [approved(1, "Hex", 20), approved(2, "HEX", 10)]
    )

    assert (again.kept, again.fingerprint) == (0, before.fingerprint)  # unchanged: nothing kept
    assert (after.kept, after.on) == (0, "")
    assert [c.message.splitlines()[0] for c in after.commits] == ["Add HEX to packman (#2)"]
    assert [number for number, _ in after.refused] == [1]
