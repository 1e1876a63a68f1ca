"""Benchmark: CPU time of offline commands, and proof that they never import PyGithub.

Run: .venv/bin/python bench/offline_cpu.py [--repeat N]

Each command runs N times in a fresh interpreter (cold start, as in a CI step or a
pre-commit hook); the CPU time (user + system) of the child processes is read from
getrusage, so the number does not depend on how busy the machine is the way wall time
does. A last run of each command reports whether the `github` package was imported.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import sys; from bot.cli import main; code = main(sys.argv[1:]); "
    "print('IMPORTED_GITHUB=' + str('github' in sys.modules)); sys.exit(code)"
)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(args: list[str], repeat: int) -> tuple[float, bool]:
    before = _cpu()
    for _ in range(repeat):
        subprocess.run(
            [sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True, check=False
        )
    per_run = (_cpu() - before) / repeat
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return per_run, "IMPORTED_GITHUB=True" in out.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    body = json.loads((ROOT / "examples/issue-opened.json").read_text())["issue"]["body"]
    with tempfile.TemporaryDirectory() as scratch:
        body_file = Path(scratch) / "body.md"
        body_file.write_text(body)
        commands = {
            "python -c pass (interpreter alone)": None,
            "packman validate --form evidence": ["validate", "--form", "evidence", str(body_file)],
            "packman parse --form evidence": ["parse", "--form", "evidence", str(body_file)],
            "packman tiers": ["tiers"],
            "packman check": ["check"],
        }
        print(f"{'command':<40} {'CPU per run':>12}  imports PyGithub")
        for name, argv in commands.items():
            if argv is None:
                before = _cpu()
                for _ in range(args.repeat):
                    subprocess.run([sys.executable, "-c", "pass"], check=True)
                print(f"{name:<40} {(_cpu() - before) / args.repeat * 1000:>9.0f} ms  -")
                continue
            cpu, imported = measure(argv, args.repeat)
            print(f"{name:<40} {cpu * 1000:>9.0f} ms  {'YES' if imported else 'no'}")


if __name__ == "__main__":
    main()
