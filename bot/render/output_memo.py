"""What ``packman render`` would write, remembered by the hash of everything it reads.

Every owned file's content is a pure function of the input files (the data, the form
sources, the README, the settings: :data:`INPUTS`) and of packman's own code and
templates. So after one full render or check, the sha256 of each output is kept under a
key made of the input files' hashes and a fingerprint of the code. When the next
``packman check`` or ``packman render`` sees the same key, it compares the files on disk
with the remembered hashes and renders nothing, never even loading the renderer. Any
change to an input or to the code gives a new key, and a full render (whose parsing still
reuses unchanged files through :mod:`bot.data.parse_cache`).

The memo is ``.packman-cache/outputs.json`` (git-ignored), a handful of keys at most.
tests/test_output_memo.py shows that answers from the memo equal those of a full render.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from bot.data import store
from bot.data.parse_cache import DIRECTORY, ParseCache, read_entries_file, write_entries_file
from bot.data.snapshot import Files
from bot.errors import Problem

INPUTS = ("assessments/", "issue_templates/", "README.md", "pyproject.toml")
"""Path prefixes of every file ``render_all`` reads (a test records what it reads)."""
KEEP = 4
"""Keys kept in the memo (the newest), so switching between a few states stays fast."""

Hashes = dict[PurePosixPath, str]
"""Path of an owned file → the sha256 of the text it should have."""


def is_input(path: PurePosixPath) -> bool:
    """True for a file whose content can change what ``render_all`` computes."""
    return path.as_posix().startswith(INPUTS)


@cache
def code_fingerprint() -> str:
    """packman's code and templates, and the versions of the libraries that shape output."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2"):
            digest.update(f"\0{path.relative_to(package).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    for library in ("Jinja2", "MarkupSafe"):
        try:
            digest.update(f"\0{library}={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"\0{library}=?".encode())
    digest.update(f"\0PyYAML={yaml.__version__}".encode())
    return digest.hexdigest()


def input_key(files: Files) -> str:
    """The key of a snapshot: its input files (path and text) and the code fingerprint."""
    digest = hashlib.sha256(code_fingerprint().encode())
    for path in sorted(p for p in files if is_input(p)):
        text = files[path]
        digest.update(f"\0{path}\0".encode())
        digest.update(b"\1" if text is None else text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def text_hash(text: str) -> str:
    """The hash kept for one output."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def hashes(outputs: Mapping[PurePosixPath, str]) -> Hashes:
    """The hash of every output."""
    return {path: text_hash(text) for path, text in outputs.items()}


class OutputMemo:
    """Remembered output hashes by input key, kept in one small file between commands."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        """The memo file, or ``None`` to remember nothing."""

    @classmethod
    def at(cls, root: Path) -> OutputMemo:
        """The memo of the repository at ``root``."""
        return cls(root / DIRECTORY / "outputs.json")

    def _entries(self) -> dict[str, dict[str, str]]:
        entries = read_entries_file(self.path).get("entries")
        return entries if isinstance(entries, dict) else {}

    def get(self, key: str) -> Hashes | None:
        """The output hashes remembered for ``key``, if any."""
        found = self._entries().get(key)
        if not isinstance(found, dict):
            return None
        return {PurePosixPath(path): str(digest) for path, digest in found.items()}

    def put(self, key: str, remembered: Hashes) -> None:
        """Remember ``remembered`` under ``key`` (the newest :data:`KEEP` keys stay)."""
        if self.path is None:
            return
        entries = {k: v for k, v in self._entries().items() if k != key}
        entries[key] = {path.as_posix(): digest for path, digest in remembered.items()}
        write_entries_file(self.path, {"entries": dict(list(entries.items())[-KEEP:])})


def read_owned(path: Path) -> str | None:
    """An owned file's text as ``packman check`` compares it (``None``: missing or not UTF-8)."""
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def differing(root: Path, remembered: Hashes) -> list[PurePosixPath]:
    """The owned files whose text on disk is not the one remembered."""
    found = []
    for path, digest in remembered.items():
        text = read_owned(root / path)
        if text is None or text_hash(text) != digest:
            found.append(path)
    return found


PAGES = PurePosixPath("docs/registries")
"""Where the generated registry pages live (``pages.PAGES``; kept here so that a check
answered by the memo never imports the renderer)."""


def orphans(root: Path, owned: Iterable[PurePosixPath]) -> list[PurePosixPath]:
    """Generated pages on disk that no registry produces any more."""
    known = set(owned)
    found = (root / PAGES).glob("*.md")
    relative = (PurePosixPath(p.relative_to(root).as_posix()) for p in found)
    return sorted(p for p in relative if p not in known)


def why(root: Path, path: PurePosixPath) -> str:
    """What is wrong with an owned file whose content differs, and what to do."""
    if not (root / path).exists():
        return "missing; run `packman render`"
    if path.suffix == ".yml" and path.parts[0] == "assessments":
        return "not in canonical form (or edited by hand); run `packman render` to rewrite it"
    return (
        "stale: differs from what `packman render` writes; run `packman render` "
        "(never edit it by hand)"
    )


ORPHAN = "generated page of a registry that no longer exists; run `packman render`"


def problems(
    root: Path, differ: Iterable[PurePosixPath], owned: Iterable[PurePosixPath]
) -> list[Problem]:
    """What ``packman check`` reports: each differing owned file, then each orphaned page."""
    found = [Problem(str(path), why(root, path)) for path in differ]
    return found + [Problem(str(p), ORPHAN) for p in orphans(root, owned)]


def _rendered(files: Files, parsed: ParseCache | None) -> tuple[Any, dict[PurePosixPath, str]]:
    """The renderer's module and every output (imported here: a check or render that the memo
    answers never loads Jinja2 or the renderers)."""
    from bot.render import outputs  # noqa: PLC0415

    return outputs, outputs.render_all(files, store.dataset_from(files, parsed))


def check(root: Path, files: Files, parsed: ParseCache | None, memo: OutputMemo) -> list[Problem]:
    """``outputs.stale(root, render_all(...))``, from the memo when it knows these inputs."""
    key = input_key(files)
    remembered = memo.get(key)
    if remembered is not None:
        return problems(root, differing(root, remembered), remembered)
    outputs, rendered = _rendered(files, parsed)
    memo.put(key, hashes(rendered))
    found: list[Problem] = outputs.stale(root, rendered)
    return found


def render(
    root: Path, files: Files, parsed: ParseCache | None, memo: OutputMemo
) -> list[PurePosixPath]:
    """``outputs.write_changed(root, render_all(...))``; when the memo knows these inputs and
    every owned file already matches, nothing is rendered and only orphaned pages go."""
    key = input_key(files)
    remembered = memo.get(key)
    if remembered is not None and not differing(root, remembered):
        removed = orphans(root, remembered)
        for orphan in removed:
            (root / orphan).unlink()
        return removed
    outputs, rendered = _rendered(files, parsed)
    changed: list[PurePosixPath] = outputs.write_changed(root, rendered)
    remembered = hashes(rendered)
    memo.put(key, remembered)
    # The tree as written is a state of its own (the README and data files are inputs too):
    # rendering it again gives the same outputs (render is idempotent; tests hold it), so the
    # next check of this tree is answered from the memo as well.
    written = {**files, **{path: rendered[path] for path in changed if path in rendered}}
    memo.put(input_key(written), remembered)
    return changed
