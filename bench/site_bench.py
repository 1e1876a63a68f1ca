"""Benchmark: ``packman site`` on today's data, against ``packman render`` in the same run.

Run: .venv/bin/python bench/site_bench.py [--root DIR] [--repeat N]

Measures, each as the best of N runs with the garbage collector paused as the CLI does: reading
and validating the YAML (the baseline every command pays), computing every output of
``packman render``, computing the whole site, and writing it. Then the whole command,
``packman site DIR``, in a fresh interpreter (wall time, start-up and imports included), against
``packman render`` the same way. The target is under 2 s for the whole command. Times depend on
the machine and its load; compare the ratios within one run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.cli import batch_gc
from bot.data import snapshot, store
from bot.render import outputs
from bot.render.site import build, source

ROOT = Path(__file__).resolve().parent.parent
TARGET = 2.0
"""Seconds: the issue's bound for ``packman site`` on today's data."""


def best(step: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The shortest of ``repeat`` runs of ``step``, and its result."""
    times, result = [], None
    for _ in range(repeat):
        with batch_gc():
            start = time.perf_counter()
            result = step()
            times.append(time.perf_counter() - start)
    return min(times), result


def command(*argv: str, repeat: int) -> float:
    """The shortest wall time of ``packman ARGV`` in a fresh interpreter."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bot.cli", *argv], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Print each step's time and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project (default: this one)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per step (default: 5)")
    args = parser.parse_args()
    root, repeat = args.root.resolve(), args.repeat

    files = snapshot.from_directory(root)
    load, dataset = best(lambda: store.dataset_from(files), repeat)
    render, _ = best(lambda: outputs.render_all(files, dataset), repeat)
    loaded = source.load(root)
    compute, site = best(lambda: build.build(loaded), repeat)
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "site"
        write, _ = best(lambda: build.write(target, site), repeat)
        whole = command("--root", str(root), "site", str(target), repeat=repeat)
        baseline = command("--root", str(root), "check", repeat=repeat)
    size = sum(len(content) for content in site.values())

    counts = f"{len(dataset.registries)} registries, {len(site)} site files"
    print(f"data: {counts}, {size / 2**20:.1f} MiB")
    print(f"read + validate the YAML      {load:7.3f} s")
    print(f"compute `packman render`      {render:7.3f} s")
    print(f"compute the site              {compute:7.3f} s   {compute / render:5.2f}x render")
    print(f"write the site                {write:7.3f} s")
    print(f"`packman check` (process)     {baseline:7.3f} s")
    print(f"`packman site DIR` (process)  {whole:7.3f} s   {whole / baseline:5.2f}x check")
    verdict = "within" if whole < TARGET else "OVER"
    print(f"target: `packman site` under {TARGET:g} s: {verdict} ({whole:.3f} s)")


if __name__ == "__main__":
    main()
