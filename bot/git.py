"""The one way packman runs git: an argument list (never a shell), errors as one clear line.

Every caller (reading a revision's files, building the bot branch, the demo, the tests) goes
through :func:`run` or :func:`run_bytes`, so a failing git command always reads the same way:
which command, in which repository, and what git said.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from bot.errors import BackendError


class GitError(BackendError):
    """A git command failed; the message names the command, the repository and git's own words."""


def run_bytes(
    root: Path, *args: str, stdin: bytes | None = None, env: Mapping[str, str] | None = None
) -> bytes:
    """Run ``git -C root ARGS`` and return its standard output as bytes."""
    command = ["git", "-C", str(root), *args]
    try:
        done = subprocess.run(
            command,
            input=stdin,
            capture_output=True,
            check=True,
            env={**os.environ, **env} if env else None,
        )
    except subprocess.CalledProcessError as exc:
        said = exc.stderr.decode("utf-8", "replace").strip() or f"exit status {exc.returncode}"
        raise GitError(f"git {' '.join(args[:3])} failed in {root}: {said}") from None
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH); packman needs it") from None
    return done.stdout


def run(
    root: Path, *args: str, stdin: str | None = None, env: Mapping[str, str] | None = None
) -> str:
    """Run ``git -C root ARGS`` and return its standard output as text (UTF-8)."""
    data = None if stdin is None else stdin.encode("utf-8")
    return run_bytes(root, *args, stdin=data, env=env).decode("utf-8")
