"""``packman demo``: the bot's whole story, offline, in a throw-away clone of this checkout.

It runs the real pipeline (``packman handle --local``) on the example payloads in
``examples/``: a contributor opens an evidence report, somebody without write
access tries to approve it, the owner approves, the same delivery arrives twice,
and the bot pull request is merged. After each step it shows what changed: the
sticky comment, labels, the bot branch and the pull request. The demo data is
marked as such and never leaves the temporary directory.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import tempfile
import textwrap
from pathlib import Path
from typing import Any

from bot import git
from bot.review.plan import BOT_BRANCH

EXAMPLES = Path("examples")


def _git(repo: Path, *args: str) -> str:
    return git.run(repo, *args)


def _handle(repo: Path, state: Path, payload: Path, name: str) -> list[str]:
    from bot.cli import main  # noqa: PLC0415 - the CLI imports this module

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(
            [
                "--root",
                str(repo),
                "handle",
                "--event",
                str(payload),
                "--event-name",
                name,
                "--local",
                str(state),
            ]
        )
    if code != 0:
        raise SystemExit(f"demo: handle {payload.name} failed with exit code {code}")
    return [line for line in out.getvalue().splitlines() if line.startswith(("done:", "note:"))]


def _issue(state: Path, number: int) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((state / "issues" / f"{number}.json").read_text())
    return data


def _show_issue(state: Path, number: int) -> None:
    issue = _issue(state, number)
    labels = ", ".join(label["name"] for label in issue.get("labels", []))
    print(f"   issue #{number} is {issue['state']}; labels: {labels}")
    for comment in issue.get("comments", []):
        print(f"   comment {comment['id']} by {comment['user']['login']}:")
        text = "\n".join(
            line for line in comment["body"].splitlines() if not line.startswith("<!-- packman")
        )
        print(textwrap.indent(text.strip(), "   | ", lambda _line: True))


def _step(title: str, lines: list[str]) -> None:
    print(f"\n== {title}")
    for line in lines:
        print(f"   {line}")


def _setup(root: Path, scratch: Path) -> tuple[Path, Path]:
    repo, state = scratch / "repo", scratch / "state"
    git.run(root, "clone", "-q", ".", str(repo))
    _git(repo, "checkout", "-q", "-B", "main")
    for sub in ("issues", "pulls"):
        (state / sub).mkdir(parents=True)
    (state / "collaborators.json").write_text(json.dumps({"triager-tess": "triage"}) + "\n")
    return repo, state


def story(root: Path, scratch: Path) -> None:
    """Run the story in ``scratch`` and print it."""
    repo, state = _setup(root, scratch)
    examples = root / EXAMPLES
    print(
        f"packman demo: a throw-away clone of {root.resolve()} "
        f"at {_git(repo, 'rev-parse', '--short', 'HEAD')}"
    )
    _step(
        "1. contributor-casey opens an evidence report (issues/opened)",
        _handle(repo, state, examples / "issue-opened.json", "issues"),
    )
    _show_issue(state, 1)
    _step(
        "2. drive-by-dana, who has no write access, comments /packman approve",
        _handle(repo, state, examples / "comment-approve-not-allowed.json", "issue_comment"),
    )
    _step(
        "3. the repository owner comments /packman approve",
        _handle(repo, state, examples / "comment-approve.json", "issue_comment"),
    )
    _show_issue(state, 1)
    print(f"   bot branch {BOT_BRANCH}:")
    print(
        textwrap.indent(
            _git(repo, "log", "--stat", "--format=%h %s", f"main..{BOT_BRANCH}").strip(),
            "   | ",
            lambda _line: True,
        )
    )
    pull = json.loads((state / "pulls" / "2.json").read_text())
    print(f"   pull request #{pull['number']} ({pull['state']}): {pull['title']}")
    print(textwrap.indent(pull["body"].strip(), "   | ", lambda _line: True))
    _step(
        "4. GitHub delivers the same approval again: nothing changes",
        _handle(repo, state, examples / "comment-approve.json", "issue_comment"),
    )
    _merge(repo, state, examples, pull)


def _merge(repo: Path, state: Path, examples: Path, pull: dict[str, Any]) -> None:
    _git(repo, "merge", "-q", "--ff-only", BOT_BRANCH)
    payload = json.loads((examples / "pull-request-merged.json").read_text())
    payload["pull_request"].update(number=pull["number"], body=pull["body"], title=pull["title"])
    merged = state / "merged.json"
    merged.write_text(json.dumps(payload))
    _step(
        f"5. a maintainer merges pull request #{pull['number']} into main",
        _handle(repo, state, merged, "pull_request"),
    )
    _show_issue(state, 1)
    row = next(
        line
        for line in (repo / "README.md").read_text().splitlines()
        if "docs/registries/packagist.md" in line
    )
    print(f"   README row on main now: {row}")


def run(root: Path, *, keep: bool = False) -> int:
    """Run the demo; remove the scratch directory unless ``keep``."""
    scratch = Path(tempfile.mkdtemp(prefix="packman-demo-"))
    try:
        story(root, scratch)
    finally:
        if keep:
            print(f"\nkept: {scratch} (repo/ is the clone, state/ the issues and pull requests)")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    print(
        "\ndemo finished: the same pipeline runs in GitHub Actions with --github instead of --local"
    )
    return 0
