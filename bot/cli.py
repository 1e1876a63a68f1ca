"""The ``packman`` command line: the same pipeline as the GitHub Action, offline.

Exit codes: 0 ok; 1 invalid input or stale generated files (one line per
problem on stderr); 2 usage error; 3 internal error (a bug: please report it).
This is the one place that catches :class:`~bot.errors.PackmanError`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from bot import export, outputs, store, tiers
from bot.errors import PackmanError, StaleError
from bot.suggest import allowed, did_you_mean

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def cmd_render(args: argparse.Namespace) -> int:
    """Write every generated file; print what changed."""
    root: Path = args.root
    changed = outputs.write(root, outputs.expected(root, store.load_dataset(root)))
    for path in changed:
        print(f"wrote {path.as_posix()}")
    print(f"{len(changed)} file(s) changed" if changed else "everything is up to date")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    """Validate the data and fail when a generated file is stale."""
    root: Path = args.root
    problems = outputs.stale(root, outputs.expected(root, store.load_dataset(root)))
    if problems:
        raise StaleError(problems)
    print("ok: data valid, generated files up to date")
    return EXIT_OK


def cmd_tiers(args: argparse.Namespace) -> int:
    """Print tier, reasons and gap for one or every registry."""
    dataset = store.load_dataset(args.root)
    ids = [r.id for r in dataset.registries]
    if args.registry and args.registry not in ids:
        raise PackmanError(f"no registry {args.registry!r}{did_you_mean(args.registry, ids)}; {allowed(ids)}")
    chosen = [dataset.registry(args.registry)] if args.registry else list(dataset.registries)
    results = [(r, tiers.compute(r, dataset.policy, dataset.catalog)) for r in chosen]
    if args.json:
        print(json.dumps([_tier_json(r.id, t) for r, t in results], indent=2))
        return EXIT_OK
    for registry, result in results:
        print(f"{registry.name}: Tier {result.tier} ({result.title})")
        for gap in result.gap:
            print(f"  - {gap.reason(dataset.catalog)}")
    return EXIT_OK


def _tier_json(registry_id: str, result: tiers.TierResult) -> dict[str, object]:
    return {
        "registry": registry_id,
        "tier": result.tier,
        "title": result.title,
        "next_tier": result.next_tier,
        "gap": [{"control": g.control, "status": g.status.value, "needed": sorted(s.value for s in g.needed)}
                for g in result.gap],
    }


def cmd_export(args: argparse.Namespace) -> int:
    """Print the machine-readable export (docs/export.md)."""
    print(json.dumps(export.build(store.load_dataset(args.root)), indent=2, ensure_ascii=False))
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    main_parser = argparse.ArgumentParser(prog="packman", description=__doc__.splitlines()[0] if __doc__ else "")
    main_parser.add_argument("--root", type=Path, default=Path(), help="repository root (default: .)")
    commands = main_parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add(commands, "render", cmd_render)
    _add(commands, "check", cmd_check)
    tier_parser = _add(commands, "tiers", cmd_tiers)
    tier_parser.add_argument("registry", nargs="?", help="a registry id (default: all)")
    tier_parser.add_argument("--json", action="store_true", help="print JSON")
    _add(commands, "export", cmd_export)
    return main_parser


def _add(commands: argparse._SubParsersAction[argparse.ArgumentParser], name: str,
         handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    doc = (handler.__doc__ or "").strip()
    sub = commands.add_parser(name, help=doc, description=doc)
    sub.set_defaults(handler=handler)
    return sub


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; map errors to the documented exit codes."""
    args = parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except PackmanError as exc:
        for line in exc.diagnostics():
            print(f"error: {line}", file=sys.stderr)
        return EXIT_INVALID
    except Exception:
        traceback.print_exc()
        print("internal error: this is a bug in packman; please report it with the text above", file=sys.stderr)
        return EXIT_INTERNAL
    return code


if __name__ == "__main__":
    sys.exit(main())
