"""``packman handle``: one webhook payload through the bot, on the local or the GitHub backend.

Kept apart from the CLI so that the other commands never load the bot's modules,
and only ``--github`` loads PyGithub.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

from bot.backends import local as local_backend
from bot.backends.pushed import changed_paths
from bot.errors import PackmanError
from bot.review import events, handler, repair
from bot.review.backend import Backend, RepoState, execute


def handle_event(
    payload_path: Path, name: str, root: Path, *, local: Path | None, base: str, dry_run: bool
) -> None:
    """Read the payload, plan, print the plan and (unless ``dry_run``) carry it out."""
    if not name:
        raise PackmanError(
            "give --event-name (issues, issue_comment, pull_request, push, ...) "
            "or set GITHUB_EVENT_NAME"
        )
    payload = _payload(payload_path)
    event = events.from_payload(name, payload, os.environ.get("GITHUB_REPOSITORY", ""))
    if event.name == "push":
        found = changed_paths(root, event.before, event.after)
        event = event if found is None else replace(event, paths=found)
    if local is not None and not dry_run:
        local_backend.ingest(local, name, payload)
    backend = _backend(event, root, local=local, base=base)
    state = backend.state(event)
    plan = handler.handle(event, state)
    print(plan.describe())
    if dry_run:
        print("dry run: nothing was changed")
        return
    try:
        execute(plan, backend, report=_done)
        repair_commands(event, state, backend)
    finally:
        summary = getattr(backend, "summary", None)
        if callable(summary):
            summary()


def _done(line: str) -> None:
    print(f"done: {line}", flush=True)


def repair_commands(event: events.Event, state: RepoState, backend: Backend) -> None:
    """Answer the commands no earlier run answered (a cancelled run), a few per run."""
    handled = event.comment.id if event.comment is not None else None
    for issue, comment in repair.unanswered(state, backend.recent_comments(), handled):
        late = repair.event_for(event, issue, comment)
        print(f"repair: comment {comment.id} on issue #{issue.number} has no answer yet")
        plan = handler.handle(late, backend.state(late))
        print(plan.describe())
        execute(plan, backend, report=_done)


def _backend(event: events.Event, root: Path, *, local: Path | None, base: str) -> Backend:
    if local is not None:
        return local_backend.LocalBackend(root, local, base=base)
    from bot.backends.github import from_environment  # noqa: PLC0415 - PyGithub only when talking to GitHub

    return from_environment(event, root, base=base)


def _payload(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PackmanError(f"{path}: cannot read the event payload ({exc})") from None
    if not isinstance(data, dict):
        raise PackmanError(f"{path}: the event payload must be a JSON object")
    return data
