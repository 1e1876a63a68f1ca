"""The labels packman uses. The values are the exact label names users see on GitHub.

Form labels are added by GitHub when an issue is opened from a form and tell the
bot which form it is. State labels are the bot's own: it adds and removes only
those, and never touches any other label of an issue.
"""

from __future__ import annotations

from enum import StrEnum

from bot.forms.kinds import FormLabel


class StateLabel(StrEnum):
    """Where an issue stands; the bot keeps exactly one of these on each packman issue."""

    NEEDS_CHANGES = "packman: needs changes"
    READY = "packman: ready for review"
    APPROVED = "packman: approved"
    APPLIED = "packman: applied"
    REJECTED = "packman: rejected"


LABEL_COLOURS = {
    FormLabel.EVIDENCE: "0e8a16",
    FormLabel.ASSESSMENT: "0e8a16",
    FormLabel.OPENSSF: "0e8a16",
    FormLabel.PROPOSAL: "0e8a16",
    StateLabel.NEEDS_CHANGES: "d93f0b",
    StateLabel.READY: "fbca04",
    StateLabel.APPROVED: "1d76db",
    StateLabel.APPLIED: "5319e7",
    StateLabel.REJECTED: "b60205",
}
"""Colours used when the bot creates a missing label."""

LABEL_DESCRIPTIONS = {
    StateLabel.NEEDS_CHANGES: "packman: the submission has problems listed in the bot's comment",
    StateLabel.READY: "packman: valid; waiting for a maintainer to approve or reject",
    StateLabel.APPROVED: "packman: approved; part of the bot pull request",
    StateLabel.APPLIED: "packman: merged into main through the bot pull request",
    StateLabel.REJECTED: "packman: rejected by a maintainer",
}
"""Descriptions the bot gives its state labels (GitHub allows 100 characters)."""
