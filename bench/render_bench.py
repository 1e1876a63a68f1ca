"""Benchmark: full render and check of a synthetic catalog of 1,000 registries x 64 controls.

Run: .venv/bin/python bench/render_bench.py [--registries N] [--controls M]

Builds the synthetic repository in a temporary directory (data files written by the
store, so they are canonical), then measures each step as the CLI runs it (garbage
collector paused): read, load (parse + validate), render (compute every output),
write, a full render and a full check. Each step runs twice: once timed, once under
tracemalloc for its peak memory. ``--profile`` adds where the render time goes.
Times depend on the machine and its load; compare steps within one run.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import pstats
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from bot.cli import batch_gc
from bot.data import snapshot, store, strict_yaml
from bot.data.model import (
    Assessment,
    Catalog,
    Control,
    Dataset,
    HistoryEntry,
    Provenance,
    Registry,
    Status,
)
from bot.data.parse_cache import ParseCache
from bot.render import output_memo, outputs
from bot.render.output_memo import OutputMemo

STATUSES = [Status.YES, Status.PARTIAL, Status.NO, Status.NA, Status.UNKNOWN]


def synthetic(registries: int, controls: int) -> Dataset:
    """A dataset shaped like the real one, scaled up."""
    project = store.load_dataset(Path(__file__).resolve().parent.parent)
    rubric = {s: f"What earns {s.value}." for s in Status if s is not Status.UNKNOWN}
    catalog = Catalog(
        tuple(
            Control(f"control-{c:02d}", f"Control {c}", "A synthetic control.", rubric)
            for c in range(controls)
        )
    )
    rules = tuple(
        rule.__class__(
            rule.tier,
            rule.title,
            rule.summary,
            catalog.ids()[:7] if rule.requires else rule.requires,
            rule.all_except and catalog.ids()[-2:],
            rule.satisfied_by,
        )
        for rule in project.policy.tiers
    )
    policy = project.policy.__class__(rules, project.policy.stale_after_days)
    return Dataset(catalog, policy, tuple(_registry(n, catalog) for n in range(registries)))


def _registry(n: int, catalog: Catalog) -> Registry:
    controls = {}
    for c, control_id in enumerate(catalog.ids()):
        status = STATUSES[(n * 7 + c * 3) % len(STATUSES)]
        evidence = (
            (f"https://docs.registry-{n}.example/security/{control_id}",)
            if status is not Status.UNKNOWN
            else ()
        )
        controls[control_id] = Assessment(
            status,
            evidence,
            f"Synthetic note {n}/{c} with | and <b>.",
            dt.date(2026, 1, 1) if status is not Status.UNKNOWN else None,
            Provenance(n + 1, "contributor", "maintainer"),
        )
    return Registry(
        f"registry-{n:04d}",
        f"Registry {n}",
        ("Lang",),
        ("client",),
        f"https://registry-{n}.example/",
        "",
        controls,
        (HistoryEntry(dt.date(2019, 1, 1), "Seeded.", tier=1),),
    )


def measure(name: str, step: Callable[[], Any], *, keep_time: bool = False) -> Any:
    """Time ``step`` as the CLI runs it (garbage collector paused), then its peak memory in a second
    run; return its result, or its time with ``keep_time`` (and for the cache steps)."""
    with batch_gc():
        start = time.perf_counter()
        result = step()
        elapsed = time.perf_counter() - start
        tracemalloc.start()
        step()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(f"{name:<32} {elapsed:8.3f} s   peak {peak / 2**20:8.1f} MiB")
    return elapsed if keep_time or result is None or isinstance(result, list) else result


def _render(root: Path, cached: bool | None) -> None:
    """``packman render`` as the CLI runs it, with its caches or with ``--no-cache``."""
    parsed = ParseCache.at(root) if cached else None
    memo = OutputMemo.at(root) if cached else OutputMemo(None)
    output_memo.render(root, snapshot.from_directory(root, snapshot.INPUTS), parsed, memo)
    if parsed is not None:
        parsed.save()


def _check(root: Path, cached: bool | None) -> None:
    """``packman check`` as the CLI runs it."""
    parsed = ParseCache.at(root) if cached else None
    memo = OutputMemo.at(root) if cached else OutputMemo(None)
    output_memo.check(root, snapshot.from_directory(root, snapshot.INPUTS), parsed, memo)
    if parsed is not None:
        parsed.save()


def profile(step: Callable[[], Any], top: int = 12) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(step)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:4000])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registries", type=int, default=1000)
    parser.add_argument("--controls", type=int, default=64)
    parser.add_argument("--profile", action="store_true", help="print where the render time goes")
    args = parser.parse_args()
    project = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        dataset = synthetic(args.registries, args.controls)
        for path, text in store.canonical_files(dataset).items():
            store.write_text(root / path, text)
        (root / "README.md").write_text((project / "README.md").read_text())
        for template in (project / "issue_templates").glob("*.j2"):
            store.write_text(root / "issue_templates" / template.name, template.read_text())
        fast = strict_yaml.loader() is not yaml.SafeLoader
        loader = "libyaml" if fast else "pure Python"
        print(
            f"synthetic repository: {args.registries} registries x {args.controls} controls, "
            f"YAML loader: {loader}"
        )
        files = measure("read files", lambda: snapshot.from_directory(root))
        texts = [t for p, t in files.items() if p.suffix == ".yml" and t]
        baseline = measure(
            "libyaml parse only (baseline)",
            lambda: [yaml.load(t, Loader=yaml.CSafeLoader) for t in texts],
            keep_time=True,
        )
        loaded = measure("load + validate", lambda: store.dataset_from(files))
        rendered = measure("render (compute outputs)", lambda: outputs.render_all(files, loaded))
        measure("write outputs", lambda: outputs.write_changed(root, rendered))
        total = sum(len(t) for t in rendered.values())
        print(f"{'':<32} {len(rendered)} files, {total / 2**20:.1f} MiB generated")
        ratios = {
            "full render, no cache": measure("full render, no cache", lambda: _render(root, None)),
            "full check, no cache": measure("full check, no cache", lambda: _check(root, None)),
        }
        _render(root, True)  # fills the parse cache and the output memo
        ratios["check, unchanged (memo)"] = measure(
            "check, unchanged (memo)", lambda: _check(root, True)
        )
        ratios["render, unchanged (memo)"] = measure(
            "render, unchanged (memo)", lambda: _render(root, True)
        )
        edited = root / store.registry_path("registry-0000")
        original = edited.read_text()
        variants = iter(range(10**6))

        def one_change() -> None:
            edited.write_text(original.replace("Registry 0", f"Registry 0 v{next(variants)}"))
            _render(root, True)

        ratios["render, one registry changed"] = measure("render, one registry changed", one_change)
        ratios["check, after that render"] = measure(
            "check, after that render", lambda: _check(root, True)
        )
        print(f"\nratios against parsing the YAML with libyaml alone ({baseline:.3f} s):")
        for name, seconds in ratios.items():
            print(f"  {name:<32} {seconds / baseline:6.2f}   ({seconds:.3f} s)")
        if args.profile:
            profile(lambda: outputs.render_all(files, loaded))


if __name__ == "__main__":
    main()
