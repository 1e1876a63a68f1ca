"""What a push changed, read from the checkout: ``git diff --name-only before..after``.

Push payloads delivered to Actions carry no added/modified/removed file lists, so the handler's
path filter is fed from git instead. When git cannot say (a new branch, whose ``before`` is all
zeros, or a commit the checkout lacks) the payload's lists are used, and with none of those the
paths are unknown: the handler then rebuilds, which is always safe.
"""

from __future__ import annotations

from pathlib import Path

from bot import git

_NO_COMMIT = frozenset("0")


def changed_paths(root: Path, before: str, after: str) -> tuple[str, ...] | None:
    """Every path changed between ``before`` and ``after`` (both sides of a rename), or None when
    git cannot tell."""
    if not before or not after or set(before) <= _NO_COMMIT:
        return None
    try:
        out = git.run(root, "diff", "--name-only", "--no-renames", "-z", f"{before}..{after}")
    except git.GitError:
        return None
    return tuple(sorted(p for p in out.split("\0") if p))
