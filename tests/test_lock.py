"""The bot's job installs only pinned, hashed packages from the lock files."""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.helpers.paths import PROJECT

LOCKS = PROJECT / "requirements"
WORKFLOW = PROJECT / ".github" / "workflows" / "packman.yml"


def _pins(lock: str) -> dict[str, list[str]]:
    """Each pinned package of a lock file, with its hashes."""
    text = (LOCKS / lock).read_text(encoding="utf-8")
    pins: dict[str, list[str]] = {}
    for block in re.split(r"\n(?=\S)", text):
        head = block.split(" ", 1)[0]
        if "==" in head and not head.startswith("#"):
            pins[head.split("==")[0].lower()] = re.findall(r"--hash=sha256:([0-9a-f]{64})", block)
    return pins


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement, maxsplit=1)[0].lower()


def test_every_dependency_is_locked_with_hashes() -> None:
    """Each runtime dependency of pyproject.toml, and everything in the locks, has a sha256."""
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = {_name(r) for r in project["project"]["dependencies"]}
    pins = {**_pins("bot.lock"), **_pins("uv.lock")}

    assert wanted <= pins.keys()
    assert "uv" in pins
    assert [name for name, hashes in pins.items() if not hashes] == []


def test_the_bot_job_installs_only_from_the_locks() -> None:
    """Every install step requires hashes and reads a lock; none builds packman from source."""
    jobs = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]
    runs = [step["run"] for job in jobs.values() for step in job["steps"] if "run" in step]
    installs = [run for run in runs if " install " in f" {run} "]

    assert len(installs) == 2
    assert all("--require-hashes" in run and "requirements/" in run for run in installs)
    assert not any(re.search(r"install[^\n]* \.(\s|$)", run) for run in runs)
