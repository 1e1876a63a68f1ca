"""A snapshot of the files packman reads, from a directory or a git revision.

Everything downstream (the store, rendering, the bot's plans) works on this
in-memory mapping, so the same code computes outputs for a checkout on disk,
for ``main`` in a local clone, or for an Actions checkout, without writing.
Values are text, or ``None`` for a file that exists but is not UTF-8.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from bot import git

Files = Mapping[PurePosixPath, str | None]

PATTERNS = (
    "assessments/*.yml",
    "assessments/registries/*.yml",
    "issue_templates/*.j2",
    "README.md",
    "pyproject.toml",
    "docs/registries/*.md",
    "docs/matrix.svg",
    "docs/packman.json",
    "docs/openssf.md",
    ".github/ISSUE_TEMPLATE/*.yml",
)
"""What packman reads (data, form sources, the README, settings) and what it generates."""
INPUTS = PATTERNS[:5]
"""What ``packman render`` reads to compute its outputs (not the generated files themselves)."""


def wanted(path: PurePosixPath) -> bool:
    """True for a path packman reads."""
    return any(
        path.match(pattern) and len(path.parts) == len(PurePosixPath(pattern).parts)
        for pattern in PATTERNS
    )


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def from_directory(
    root: Path, patterns: tuple[str, ...] = PATTERNS
) -> dict[PurePosixPath, str | None]:
    """The files packman reads under ``root`` (or those of ``patterns``), as they are on disk."""
    found = (p for pattern in patterns for p in root.glob(pattern) if p.is_file())
    return {PurePosixPath(p.relative_to(root).as_posix()): _decode(p.read_bytes()) for p in found}


def from_git(root: Path, revision: str) -> dict[PurePosixPath, str | None]:
    """The files packman reads at ``revision`` of the repository at ``root``."""
    listing = git.run_bytes(root, "ls-tree", "-r", "-z", "--format=%(objectname) %(path)", revision)
    entries = [line.split(" ", 1) for line in listing.decode().split("\0") if line]
    chosen = [(sha, PurePosixPath(path)) for sha, path in entries if wanted(PurePosixPath(path))]
    blobs = git.run_bytes(
        root, "cat-file", "--batch", stdin="".join(f"{sha}\n" for sha, _ in chosen).encode()
    )
    return dict(zip((path for _, path in chosen), _split_batch(blobs), strict=True))


def _split_batch(output: bytes) -> list[str | None]:
    """Contents from ``git cat-file --batch`` output: a header line, the bytes, a newline, per
    object."""
    contents, position = [], 0
    while position < len(output):
        header_end = output.index(b"\n", position)
        size = int(output[position:header_end].split()[2])
        contents.append(_decode(output[header_end + 1 : header_end + 1 + size]))
        position = header_end + 1 + size + 1
    return contents
