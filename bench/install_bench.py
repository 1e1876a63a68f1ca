"""The bot job's install step, cold and warm: pip against uv, both from requirements/bot.lock.

    .venv/bin/python bench/install_bench.py [--repeat 2]

Each case installs the locked, hashed requirements (``--require-hashes``, binary wheels only, no
dependency resolution: the lock is complete) into a fresh virtual environment made outside the
timed part, as the Action does with setup-python's interpreter:

- ``cold``: an empty cache directory, so every wheel is downloaded (a first run, or one whose
  cache expired);
- ``warm``: the cache directory a previous case filled (what setup-python's ``cache: pip``, or
  actions/cache for uv, restores).

The restore of the cache itself is not timed here (on Actions it is a download of about the
size of the wheels). uv is taken from PATH or beside this interpreter; the uv cases are skipped
with a message when it is missing. Needs the package index; times depend on the network and the
machine, so compare the cases of one run. Also times ``python -c pass`` (the floor of any step)
and ``python -m bot.cli --help`` from the checkout (no install of packman itself).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "bot.lock"
UV_LOCK = ROOT / "requirements" / "uv.lock"


def _uv() -> str | None:
    beside = Path(sys.executable).with_name("uv")
    return str(beside) if beside.exists() else shutil.which("uv")


def _run(argv: Sequence[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def _venv(where: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    return where / "bin" / "python"


def _clean_env() -> dict[str, str]:
    """The environment without pip settings of this machine (find-links, constraints)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "UV_"))}
    env["PIP_CONFIG_FILE"] = os.devnull
    cert = os.environ.get("PIP_CERT")
    if cert:  # the machine's CA bundle, for a proxy that re-signs TLS
        env["SSL_CERT_FILE"] = cert
        env["PIP_CERT"] = cert
    return env


def pip_install(python: Path, cache: Path, lock: Path = LOCK) -> list[str]:
    return [
        str(python),
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "--no-deps",
        "--require-hashes",
        "--only-binary",
        ":all:",
        "--cache-dir",
        str(cache),
        "-r",
        str(lock),
    ]


def uv_install(uv: str, python: Path, cache: Path) -> list[str]:
    return [
        uv,
        "pip",
        "install",
        "--python",
        str(python),
        "--no-deps",
        "--require-hashes",
        "--only-binary",
        ":all:",
        "--cache-dir",
        str(cache),
        "-r",
        str(LOCK),
    ]


def _cases(scratch: Path, uv: str | None) -> list[tuple[str, list[list[str]]]]:
    """Each case: its name and the commands it times, in a fresh environment each."""
    cases: list[tuple[str, list[list[str]]]] = []
    for label in ("cold", "warm"):
        python = _venv(scratch / f"pip-{label}")
        cases.append((f"pip {label}", [pip_install(python, scratch / "pip-cache")]))
    if uv is None:
        print("uv: not found (pip install uv), uv cases skipped")
        return cases
    for label in ("cold", "warm"):
        python = _venv(scratch / f"uv-{label}")
        cases.append((f"uv {label}", [uv_install(uv, python, scratch / "uv-cache")]))
    # What the workflow does: pip installs the hashed uv wheel (UV_LOCK), then uv the lock;
    # warm: pip's cache (setup-python's `cache: pip`) holds the uv wheel, uv's cache is empty.
    for label in ("cold", "warm"):
        python = _venv(scratch / f"bootstrap-{label}")
        fresh_uv = str(scratch / f"bootstrap-{label}" / "bin" / "uv")
        bootstrap = [
            pip_install(python, scratch / "bootstrap-pip-cache", UV_LOCK),
            uv_install(fresh_uv, python, scratch / f"bootstrap-uv-cache-{label}"),
        ]
        cases.append((f"pip uv, then uv ({label})", bootstrap))
    return cases


def main() -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    env = _clean_env()
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="packman-install-") as tmp:
        scratch = Path(tmp)
        floor = _run([sys.executable, "-c", "pass"])
        cli = _run([sys.executable, "-m", "bot.cli", "--help"])
        print(f"{'python -c pass':<24} {floor:7.2f} s")
        print(f"{'python -m bot.cli --help':<24} {cli:7.2f} s")
        for name, commands in _cases(scratch, _uv()):
            figures[name] = sum(_run(command, env) for command in commands)
            print(f"{name:<24} {figures[name]:7.2f} s")
    base = figures["pip cold"]
    print("\nratios against pip cold (lower is faster):")
    for name, seconds in figures.items():
        print(f"  {name:<24} {seconds:6.2f} s  {seconds / base:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
