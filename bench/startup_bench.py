"""Whole processes: ``packman parse`` and ``validate`` against node with @github/issue-parser.

    .venv/bin/python bench/startup_bench.py [--runs 20] [--node-dir DIR]

The baseline is what a GitHub workflow would run instead: ``node`` with
``@github/issue-parser`` 2.0.0 reading the same rendered form (``.github/ISSUE_TEMPLATE``)
and the same body, printing the answers as JSON. The module is looked for in ``--node-dir``
(default: ``$ISSUE_PARSER_DIR``, else a ``nodebench`` folder beside the repository); install it
there, outside the repository, with ``npm install --prefix DIR @github/issue-parser@2.0.0``.
Without node or the module, the baseline is skipped with a message.

packman runs as the bot's job runs it: ``python -m bot.cli`` from this checkout, in a virtual
environment that holds only the locked PyYAML (made with uv or pip in a temporary folder, so a
development install's import hooks do not count). ``validate`` is timed with a warm parse cache
(a second run on the same checkout) and with ``--no-cache``. Each command runs ``--runs`` times,
interleaved; the median is kept. The ratios are packman's time over node's (≤ 1.0: no slower).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORM = ROOT / ".github" / "ISSUE_TEMPLATE" / "evidence.yml"
EXAMPLE = ROOT / "examples" / "issue-opened.json"
NODE_SCRIPT = """\
import { readFileSync } from 'node:fs'
import { parseIssue } from '@github/issue-parser'
const [template, body] = process.argv.slice(2)
const parsed = parseIssue(readFileSync(body, 'utf8'), readFileSync(template, 'utf8'))
console.log(JSON.stringify(parsed, null, 2))
"""


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""Bytecode is written and reused, as on a developer's machine (the first, untimed run of each
command writes it)."""


def _node_dir(given: str | None) -> Path:
    return Path(given or os.environ.get("ISSUE_PARSER_DIR") or ROOT.parent / "nodebench")


def _node_command(directory: Path, body: Path) -> list[str] | None:
    package = directory / "node_modules" / "@github" / "issue-parser" / "package.json"
    if shutil.which("node") is None:
        print("node: not found; the baseline is skipped")
        return None
    if not package.exists():
        print(
            f"@github/issue-parser: not in {directory}; the baseline is skipped "
            f"(npm install --prefix {directory} @github/issue-parser@2.0.0)"
        )
        return None
    version = json.loads(package.read_text(encoding="utf-8"))["version"]
    print(f"baseline: node {_version(['node', '--version'])}, @github/issue-parser {version}")
    script = directory / "packman-startup-bench.mjs"
    script.write_text(NODE_SCRIPT, encoding="utf-8")
    return ["node", str(script), str(FORM), str(body)]


def _version(argv: list[str]) -> str:
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.strip()


def _python(scratch: Path) -> str:
    """An interpreter with only the locked PyYAML, or this one when that cannot be made."""
    venv = scratch / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    pyyaml = _locked("pyyaml")
    uv = Path(sys.executable).with_name("uv")
    if pyyaml is None or not uv.exists():
        print("uv or the lock is missing: packman runs in this interpreter")
        return sys.executable
    requirement = scratch / "pyyaml.txt"
    requirement.write_text(pyyaml, encoding="utf-8")
    command = [str(uv), "pip", "install", "--python", str(python), "--require-hashes"]
    command += ["--no-deps", "-r", str(requirement)]
    installed = subprocess.run(command, capture_output=True, check=False)
    if installed.returncode != 0:
        print("could not install PyYAML into a fresh environment: packman runs in this one")
        return sys.executable
    return str(python)


def _locked(name: str) -> str | None:
    """One package's pinned line and its hashes, from requirements/bot.lock."""
    lines = (ROOT / "requirements" / "bot.lock").read_text(encoding="utf-8").splitlines()
    for start, line in enumerate(lines):
        if line.startswith(f"{name}=="):
            end = start
            while lines[end].endswith("\\"):
                end += 1
            return "\n".join(lines[start : end + 1]) + "\n"
    return None


def _time(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs of each command (median kept)")
    parser.add_argument("--node-dir", help="where @github/issue-parser is installed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="packman-startup-") as tmp:
        scratch = Path(tmp)
        body = scratch / "body.md"
        body.write_text(json.loads(EXAMPLE.read_text())["issue"]["body"], encoding="utf-8")
        python = _python(scratch)
        cli = [python, "-m", "bot.cli"]
        commands = {
            "python -c pass": [python, "-c", "pass"],
            "packman parse": [*cli, "parse", "--form", "evidence", str(body)],
            "packman validate": [*cli, "validate", "--form", "evidence", str(body)],
            "packman validate --no-cache": [
                *cli,
                "--no-cache",
                "validate",
                "--form",
                "evidence",
                str(body),
            ],
        }
        node = _node_command(_node_dir(args.node_dir), body)
        if node is not None:
            commands = {"node issue-parser": node, **commands}
        for argv in commands.values():  # bytecode, the parse cache, node's compile cache
            _time(argv)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, argv in commands.items():
                times[name].append(_time(argv))
    medians = {name: statistics.median(found) for name, found in times.items()}
    for name, seconds in medians.items():
        print(f"{name:<30} {seconds * 1000:7.1f} ms (median of {args.runs})")
    base = medians.get("node issue-parser")
    if base is None:
        return 0
    print("\nratios against node issue-parser (goal: ≤ 1.00):")
    for name, seconds in medians.items():
        if name.startswith("packman"):
            print(f"  {name:<28} {seconds / base:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
