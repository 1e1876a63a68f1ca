"""The ``packman`` command line: the same pipeline as the GitHub Action, offline.

Exit codes: 0 ok; 1 invalid input or stale generated files (one line per
problem on stderr), or a dead evidence link (``packman links``); 2 usage error;
3 internal error (a bug: please report it); 4 GitHub or git failed (the next run
repairs what is left).
This is the one place that catches :class:`~bot.errors.PackmanError`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from bot.errors import BackendError, PackmanError, StaleError
from bot.suggest import allowed, did_you_mean

if TYPE_CHECKING:
    from bot.data.levels import TrackLevel
    from bot.data.model import Dataset, Registry
    from bot.data.parse_cache import ParseCache
    from bot.data.tiers import TierResult
    from bot.render.output_memo import OutputMemo

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL, EXIT_BACKEND = 0, 1, 2, 3, 4
EXIT_DEAD_LINK = EXIT_INVALID

# Each command imports only what it needs, inside the command: `packman parse` and `packman
# validate` then never load Jinja2, PyGithub, httpx or the bot, and `packman links` loads httpx
# but never Jinja2, PyGithub or the bot (tests hold this); they start fast.


def cmd_render(args: argparse.Namespace) -> int:
    """Write every generated file; print what changed."""
    from bot.data import snapshot
    from bot.render import output_memo

    root: Path = args.root
    parsed, memo = _caches(args)
    changed = output_memo.render(root, snapshot.from_directory(root, snapshot.INPUTS), parsed, memo)
    _save(parsed)
    for path in changed:
        print(f"wrote {path.as_posix()}")
    print(f"{len(changed)} file(s) changed" if changed else "everything is up to date")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    """Validate the data and the forms, and fail when a generated file is stale."""
    from bot.data import snapshot
    from bot.forms.kinds import rendered_problems
    from bot.render import output_memo

    root: Path = args.root
    parsed, memo = _caches(args)
    problems = output_memo.check(root, snapshot.from_directory(root, snapshot.INPUTS), parsed, memo)
    _save(parsed)
    problems += rendered_problems(root)
    if problems:
        raise StaleError(problems)
    print("ok: data valid, generated files up to date")
    return EXIT_OK


def _caches(args: argparse.Namespace) -> tuple[ParseCache | None, OutputMemo]:
    """The parse cache and the output memo under --root (neither with --no-cache)."""
    from bot.data.parse_cache import ParseCache
    from bot.render.output_memo import OutputMemo

    if args.no_cache:
        return None, OutputMemo(None)
    return ParseCache.at(args.root), OutputMemo.at(args.root)


def _parse_cache(args: argparse.Namespace) -> ParseCache | None:
    from bot.data.parse_cache import ParseCache

    return None if args.no_cache else ParseCache.at(args.root)


def _save(parsed: ParseCache | None) -> None:
    if parsed is not None:
        parsed.save()


def cmd_tiers(args: argparse.Namespace) -> int:
    """Print tier, reasons and gap for one or every registry."""
    from bot.data import store, tiers

    dataset = store.load_dataset(args.root)
    chosen = _chosen(dataset, args.registry)
    results = [(r, tiers.compute(r, dataset.policy, dataset.catalog)) for r in chosen]
    if args.json:
        print(json.dumps([_tier_json(r.id, t) for r, t in results], indent=2))
        return EXIT_OK
    for registry, result in results:
        print(f"{registry.name}: Tier {result.tier} ({result.title})")
        for gap in result.gap:
            print(f"  - {gap.reason(dataset.catalog)}")
    return EXIT_OK


def _tier_json(registry_id: str, result: TierResult) -> dict[str, object]:
    from bot.data.model import in_order

    return {
        "registry": registry_id,
        "tier": result.tier,
        "title": result.title,
        "next_tier": result.next_tier,
        "gap": [
            {"control": g.control, "status": g.status.value, "needed": in_order(g.needed)}
            for g in result.gap
        ],
    }


def cmd_levels(args: argparse.Namespace) -> int:
    """Print each registry's OpenSSF level per track, and what the next level needs."""
    from bot.data import levels, store

    dataset = store.load_dataset(args.root)
    chosen = _chosen(dataset, args.registry)
    results = [(r, levels.compute(r, dataset.principles)) for r in chosen]
    if args.json:
        print(json.dumps([_levels_json(r.id, found) for r, found in results], indent=2))
        return EXIT_OK
    if not dataset.principles.capabilities:
        raise PackmanError("assessments/openssf.yml is missing: this project rates no capabilities")
    for registry, found in results:
        shown = ", ".join(f"{t.track.title} {t.shown}" for t in found)
        print(f"{registry.name}: {shown}")
        for track in (t for t in found if t.gap):
            missing = "; ".join(
                f"{dataset.principles.get(m.capability).title} is {m.status.value}"
                for m in track.gap
            )
            print(f"  - {track.track.title} level {track.next_level} needs: {missing}")
    return EXIT_OK


def _chosen(dataset: Dataset, registry_id: str | None) -> list[Registry]:
    ids = [r.id for r in dataset.registries]
    if registry_id and registry_id not in ids:
        hint = did_you_mean(registry_id, ids)
        raise PackmanError(f"no registry {registry_id!r}{hint}; {allowed(ids)}")
    return [dataset.registry(registry_id)] if registry_id else list(dataset.registries)


def _levels_json(registry_id: str, found: tuple[TrackLevel, ...]) -> dict[str, object]:
    return {
        "registry": registry_id,
        "levels": [
            {
                "track": t.track.id,
                "level": t.level,
                "next_level": t.next_level,
                "gap": [
                    {"capability": m.capability, "level": m.level, "status": m.status.value}
                    for m in t.gap
                ],
            }
            for t in found
        ],
    }


def cmd_export(args: argparse.Namespace) -> int:
    """Print the machine-readable export (docs/export.md)."""
    from bot.data import store
    from bot.render import export

    print(export.dumps(export.build(store.load_dataset(args.root))), end="")
    return EXIT_OK


def cmd_site(args: argparse.Namespace) -> int:
    """Build the reader's static site into DIR (pages, feeds, badges, data); --serve previews it."""
    from bot.render.site import build, serve, source

    site = build.build(source.load(args.root, args.date))
    written = build.write(args.directory, site)
    print(f"wrote {written} files to {args.directory}")
    if args.serve:
        serve.serve(args.directory, args.port)
    return EXIT_OK


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _add_site(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    site = _add(commands, "site", cmd_site)
    site.add_argument("directory", metavar="DIR", type=Path, help="where to write the site")
    site.add_argument(
        "--serve", action="store_true", help="then serve DIR on 127.0.0.1 until Ctrl-C"
    )
    site.add_argument("--port", type=_number(int, 0, "a port number"), default=8000,
                      help="the preview's port (default: 8000; 0 picks a free one)")  # fmt: skip
    site.add_argument(
        "--date",
        type=_date,
        help="the data's date (default: the commit date of the newest commit to assessments/)",
    )


def _body(path: str, what: str = "the body file") -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        with Path(path).open(encoding="utf-8", newline="") as handle:
            return handle.read()
    except OSError as exc:
        raise PackmanError(f"{path}: cannot read {what} ({exc.strerror})") from None


def cmd_parse(args: argparse.Namespace) -> int:
    """Print the fields of an issue body as JSON, read with the given form."""
    from bot.forms import answers, kinds

    form = kinds.load(args.root, args.form, cached=not args.no_cache)
    parsed = answers.parse_body(form, _body(args.body))
    print(json.dumps(parsed, indent=2, ensure_ascii=False))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate an issue body against the catalog; print {"ok", "errors", "change"}."""
    from bot.data import store
    from bot.forms import answers, kinds, validate, validation_json

    stem = kinds.form_path(args.root, args.form).stem
    known = [k.value for k in kinds.FormKind]
    if stem not in known:
        forms = ", ".join(known)
        raise PackmanError(f"validate needs one of packman's forms ({forms}), not {args.form!r}")
    kind = kinds.FormKind(stem)
    form = kinds.load(args.root, args.form, cached=not args.no_cache)
    fields = answers.parse_body(form, _body(args.body))
    parsed = _parse_cache(args)
    dataset = store.load_dataset(args.root, parsed)
    _save(parsed)
    result = validate.validate(kind, fields, dataset)
    print(json.dumps(validation_json.validation(result), indent=2, ensure_ascii=False))
    return EXIT_OK if result.ok else EXIT_INVALID


def cmd_handle(args: argparse.Namespace) -> int:
    """Process one GitHub webhook payload exactly as the Action does (offline with --local)."""
    from bot.backends.handle import handle_event

    name = args.event_name or os.environ.get("GITHUB_EVENT_NAME", "")
    handle_event(
        args.event, name, args.root, local=args.local, base=args.base, dry_run=args.dry_run
    )
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    """Run a whole story offline in a throw-away clone: issue, preview, approval, bot PR, merge."""
    from bot.demo import run

    return run(args.root, keep=args.keep)


def cmd_links(args: argparse.Namespace) -> int:
    """Check every evidence URL and homepage over HTTP; exit 1 when one is dead."""
    from bot.data import store
    from bot.links import checker, report, targets
    from bot.links.settings import Settings

    settings = Settings(
        timeout=args.timeout,
        concurrency=args.concurrency,
        host_delay=args.host_delay,
        retries=args.retries,
    )
    checked = checker.check(targets.gather(store.load_dataset(args.root)), settings)
    if args.json:
        print(report.dumps(checked), end="")
    else:
        print("\n".join(report.lines(checked)))
    return EXIT_DEAD_LINK if checked.any_dead() else EXIT_OK


def cmd_links_issue(args: argparse.Namespace) -> int:
    """Keep the one "Evidence links" issue on GitHub in step with a `links --json` report."""
    from bot.backends.links_issue import keep_from_environment
    from bot.links import report

    checked = report.from_json(_body(args.report, "the report"), args.report)
    print(keep_from_environment(checked, args.repository))
    return EXIT_OK


def _number(kind: type[float] | type[int], least: float, what: str) -> Callable[[str], float]:
    """An argparse type: a number of ``kind`` no smaller than ``least``."""

    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}")
        return value

    return parse


def _add_links(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from bot.links.settings import DEFAULTS

    links = _add(commands, "links", cmd_links)
    links.add_argument("--json", action="store_true", help="print the report as JSON (README)")
    positive = _number(float, 0.001, "a number of seconds above 0")
    options = (
        ("--timeout", positive, DEFAULTS.timeout, "seconds per request in all"),
        ("--concurrency", _number(int, 1, "a whole number from 1"), DEFAULTS.concurrency,
         "requests in flight at once"),
        ("--host-delay", _number(float, 0, "a number of seconds from 0"), DEFAULTS.host_delay,
         "seconds between two requests to the same host"),
        ("--retries", _number(int, 0, "a whole number from 0"), DEFAULTS.retries,
         "further tries after a 403, 429, 5xx or network error"),
    )  # fmt: skip
    for flag, kind, default, text in options:
        links.add_argument(flag, type=kind, default=default, help=f"{text} (default: {default:g})")
    issue = _add(commands, "links-issue", cmd_links_issue)
    issue.add_argument("report", metavar="REPORT_FILE", help="the JSON of `packman links --json`")
    issue.add_argument("--repository", help="OWNER/NAME (default: $GITHUB_REPOSITORY)")


ROOT_HELP = "repository root (default: .)"
CACHE_DIR = ".packman-cache"


def parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    main_parser = argparse.ArgumentParser(
        prog="packman", description=__doc__.splitlines()[0] if __doc__ else ""
    )
    main_parser.add_argument("--root", type=Path, default=Path(), help=ROOT_HELP)
    main_parser.add_argument(
        "--no-cache",
        action="store_true",
        help=f"neither read nor write the caches in ROOT/{CACHE_DIR} (parsed files, outputs)",
    )
    commands = main_parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add(commands, "render", cmd_render)
    _add(commands, "check", cmd_check)
    tier_parser = _add(commands, "tiers", cmd_tiers)
    tier_parser.add_argument("registry", nargs="?", help="a registry id (default: all)")
    tier_parser.add_argument("--json", action="store_true", help="print JSON")
    level_parser = _add(commands, "levels", cmd_levels)
    level_parser.add_argument("registry", nargs="?", help="a registry id (default: all)")
    level_parser.add_argument("--json", action="store_true", help="print JSON")
    _add(commands, "export", cmd_export)
    for name, command in (("parse", cmd_parse), ("validate", cmd_validate)):
        sub = _add(commands, name, command)
        sub.add_argument(
            "--form",
            required=True,
            help="a form id (evidence, assessment, openssf, proposal) or a form YAML path",
        )
        sub.add_argument("body", metavar="BODY_FILE", help="the issue body; - reads standard input")
    handle = _add(commands, "handle", cmd_handle)
    handle.add_argument("--event", type=Path, required=True, help="the webhook payload (JSON)")
    handle.add_argument("--event-name", help="the event name (default: $GITHUB_EVENT_NAME)")
    where = handle.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--local", type=Path, metavar="STATE_DIR", help="offline: issues and PRs as JSON files"
    )
    where.add_argument(
        "--github", action="store_true", help="talk to GitHub (token from $GITHUB_TOKEN)"
    )
    handle.add_argument("--base", default="main", help="the main branch (default: main)")
    handle.add_argument("--dry-run", action="store_true", help="print the plan and change nothing")
    _add_links(commands)
    _add_site(commands)
    demo = _add(commands, "demo", cmd_demo)
    demo.add_argument(
        "--keep", action="store_true", help="keep the throw-away clone and print where it is"
    )
    return main_parser


def _add(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    handler: Callable[[argparse.Namespace], int],
) -> argparse.ArgumentParser:
    doc = (handler.__doc__ or "").strip()
    sub = commands.add_parser(name, help=doc, description=doc)
    # Also after the command (`packman export --root DIR`); SUPPRESS keeps one given before it.
    sub.add_argument("--root", type=Path, default=argparse.SUPPRESS, help=ROOT_HELP)
    sub.set_defaults(handler=handler)
    return sub


@contextmanager
def batch_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for one command.

    A full render builds hundreds of thousands of small objects that live until the
    command ends; the collector would rescan them again and again (measured: loading
    1,000 registries took 3x longer with it on). The data has no reference cycles
    worth collecting within one command.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; map errors to the documented exit codes."""
    args = parser().parse_args(argv)
    try:
        with batch_gc():
            code: int = args.handler(args)
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except PackmanError as exc:
        for line in exc.diagnostics():
            print(f"error: {line}", file=sys.stderr)
        return EXIT_BACKEND if isinstance(exc, BackendError) else EXIT_INVALID
    except Exception:
        import traceback  # only for a bug: not loaded on every start

        traceback.print_exc()
        print(
            "internal error: this is a bug in packman; please report it with the text above",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return code


if __name__ == "__main__":
    sys.exit(main())
