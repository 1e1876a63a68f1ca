"""Pushes are judged by what they changed in the checkout (issue #10 item 15).

Real push payloads in Actions carry no added/modified/removed lists. Before, the path filter
therefore never applied and every push to main rebuilt; now ``git diff before..after`` decides.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from bot.backends.pushed import changed_paths
from bot.cli import main
from bot.review.handler import DATA_PATHS
from tests.helpers.paths import PROJECT
from tests.helpers.project import commit_all, repository

REPO = {"full_name": "acme/packman", "owner": {"login": "acme"}}


def _push(
    root: Path, tmp: Path, before: str, after: str, capsys: pytest.CaptureFixture[str]
) -> str:
    # the shape Actions delivers: no file lists in the commits
    payload = {"ref": "refs/heads/main", "before": before, "after": after, "repository": REPO,
               "commits": [{"id": after, "message": "a change"}], "sender": {"login": "casey"}}  # fmt: skip
    event = tmp / "push.json"
    event.write_text(json.dumps(payload), encoding="utf-8")
    capsys.readouterr()
    args = ["--root", str(root), "handle", "--event", str(event), "--event-name", "push"]
    code = main([*args, "--local", str(tmp / "state"), "--dry-run"])
    assert code == 0
    return capsys.readouterr().out


def test_push_is_judged_by_its_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A push touching only bench/ is ignored (it rebuilt before); one touching docs/ rebuilds."""
    root = repository(tmp_path / "main")
    first = commit_all(root, "start")
    (root / "bench").mkdir(exist_ok=True)
    (root / "bench" / "note.txt").write_text("not data\n", encoding="utf-8")
    second = commit_all(root, "bench only")
    (root / "docs" / "extra.md").write_text("generated?\n", encoding="utf-8")
    third = commit_all(root, "docs")

    assert changed_paths(root, first, second) == ("bench/note.txt",)
    assert "touches no data" in _push(root, tmp_path, first, second, capsys)
    assert "push: rebuild the bot branch" in _push(root, tmp_path, second, third, capsys)
    # a new branch (before all zeros) or an unknown commit: unknown paths, so a rebuild
    assert changed_paths(root, "0" * 40, third) is None
    assert changed_paths(root, "1" * 40, third) is None
    assert "push: rebuild the bot branch" in _push(root, tmp_path, "0" * 40, third, capsys)


def test_workflow_paths_filter_covers_every_data_path() -> None:
    """The workflow's push filter lets through every path the handler rebuilds for (docs/** and
    .github/ISSUE_TEMPLATE/** were missing)."""
    workflow = yaml.safe_load((PROJECT / ".github/workflows/packman.yml").read_text("utf-8"))
    filters = workflow[True]["push"]["paths"]  # YAML 1.1 reads the key `on` as True

    for path in DATA_PATHS:
        wanted = f"{path}**" if path.endswith("/") else path
        assert wanted in filters, path
