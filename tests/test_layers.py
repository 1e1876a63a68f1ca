"""The layout holds: each stage imports only the stages below it, and offline commands stay light.

Stages, lowest first (ARCHITECTURE.md): the base modules at the top of ``bot/`` (errors, escape,
suggest, markers, markdown, git), then ``data``, ``links`` (the link check: data only below it),
``forms``, ``render``, ``review``, ``backends``, and the entry points ``cli`` and ``demo``. A
module may import its own stage and any stage below it, never one above. Jinja2 is imported only
by ``render``, PyGithub only by ``backends/github.py``, httpx only by ``links``. ``packman parse``
and ``packman validate`` never load Jinja2, PyGithub, httpx, the review stage or the backends
(they start fast and work without them); ``packman links`` loads neither Jinja2 nor PyGithub.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import links, project
from tests.helpers.paths import EXAMPLES, PROJECT

BOT = PROJECT / "bot"
STAGES = ("base", "data", "links", "forms", "render", "review", "backends", "entry")
ENTRY = {"bot.cli", "bot.demo"}


def _module(path: Path) -> str:
    parts = path.relative_to(PROJECT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _stage(module: str) -> str:
    if module in ENTRY:
        return "entry"
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in STAGES else "base"


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


MODULES = sorted(BOT.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=_module)
def test_each_stage_imports_only_stages_below_it(path: Path) -> None:
    """No module reaches up: data never imports forms, forms never render, and so on."""
    me = STAGES.index(_stage(_module(path)))
    above = sorted(
        name
        for name in _imports(path)
        if name.startswith("bot.") and _is_module(name) and STAGES.index(_stage(name)) > me
    )

    assert above == []


def _is_module(name: str) -> bool:
    relative = Path(*name.split("."))
    return (PROJECT / relative).with_suffix(".py").exists() or (PROJECT / relative).is_dir()


@pytest.mark.parametrize(
    ("library", "allowed"),
    [
        ("jinja2", ("bot.render.",)),
        ("github", ("bot.backends.github",)),
        ("httpx", ("bot.links.checker",)),
    ],
)
def test_third_party_libraries_stay_in_their_stage(library: str, allowed: tuple[str, ...]) -> None:
    """Jinja2 only in render, PyGithub only in the GitHub backend, httpx only in the checker."""
    users = sorted(
        _module(path)
        for path in MODULES
        if any(name == library or name.startswith(f"{library}.") for name in _imports(path))
    )

    assert [user for user in users if not user.startswith(allowed)] == []


def _loaded_by(*argv: str) -> set[str]:
    probe = (
        "import sys, json; from bot.cli import main; code = main(json.loads(sys.argv[1])); "
        "print(json.dumps(sorted(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, json.dumps(list(argv))],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("command", ["parse", "validate"])
def test_parse_and_validate_load_no_renderer_github_or_bot(command: str, tmp_path: Path) -> None:
    """The body commands never import Jinja2, PyGithub, the review stage or a backend."""
    body = tmp_path / "body.md"
    body.write_text(json.loads((EXAMPLES / "issue-opened.json").read_text())["issue"]["body"])
    root = str(project.root())

    loaded = _loaded_by("--root", root, command, "--form", "evidence", str(body))
    heavy = {"jinja2", "github", "httpx", "bot.review", "bot.backends", "bot.render"}

    assert set() == {m for m in loaded if m in heavy or m.split(".")[0] in {"jinja2", "github"}}


def test_links_loads_no_renderer_github_or_bot(mini: Path, sites: links.Sites) -> None:
    """packman links needs the data and httpx only: no Jinja2, PyGithub, review stage or backend."""
    for path in (mini / "assessments" / "registries").glob("*.yml"):  # every URL refused at once
        refused = f"https://127.0.0.1:{sites.refused}/"
        path.write_text(path.read_text().replace("https://", refused))

    loaded = _loaded_by("--root", str(mini), "links", "--retries", "0", "--host-delay", "0")
    heavy = {"jinja2", "github", "bot.review", "bot.backends", "bot.render"}

    assert "httpx" in loaded
    assert set() == {m for m in loaded for h in heavy if m == h or m.startswith(f"{h}.")}


def test_offline_commands_never_load_pygithub(tmp_path: Path) -> None:
    """check and render on a checkout run without PyGithub (it is only for --github)."""
    root = str(project.copy_project(tmp_path / "copy"))

    loaded = _loaded_by("--root", root, "check") | _loaded_by("--root", root, "render")

    assert "github" not in loaded
