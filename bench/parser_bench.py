"""Issue-body parsing: packman's parse_body against GitHub's @github/issue-parser, one run.

    .venv/bin/python bench/parser_bench.py [--bodies 3000] [--seed 1] [--repeat 5]

Installs ``@github/issue-parser`` with npm into a temporary directory (Node >= 20), generates
bodies for one packman-like form exactly as GitHub writes them (the idea of ``github_body``
in tests/test_issue_form.py: LF, CRLF typed in text, CRLF everywhere), parses the same
bodies with both parsers and prints, per parser, the share of bodies that come back exactly
as answered and the bodies parsed per second (best of ``--repeat`` timed passes after one
warm-up pass; only parsing is timed). Kinds of bodies: "plain" holds ordinary answers;
"comma" a chosen option that contains ", " (the options are in the form, so a parser can
read it); "hostile" (a third) text typed into textareas that mimics the form: headings of
other fields, a field's own heading inside a code fence, ``### `` lines, ``###`` inside a
line, "None" typed as text.

@github/issue-parser's output is normalised to packman's conventions before comparing, so
only real differences count: a missing key, ``undefined`` or ``""`` is ``None`` (``[]`` for
checkboxes); checkboxes keep ``selected``; a single dropdown's list becomes its only item,
joined back with ", " if it split one (``None`` when empty); a multi-select's empty list is
``None``; the fence GitHub wraps around a ``render:`` answer is removed (an empty fence is
``None``). ``parseIssue`` takes the template as YAML text and parses it on every call, while
``parse_body`` takes a loaded form: so packman is also timed re-reading the form for every
body, and ``parseIssue`` also without a template (its regex split alone, untyped values,
hence no exactness figure).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

sys.path.insert(
    0, str(Path(__file__).resolve().parent.parent)
)  # run as a script: make `tests` importable

from bot.forms.answers import parse_body
from bot.forms.definition import Form, FormField, load_form
from tests.helpers.bodies import github_body

FORM_YAML = """\
name: Report control evidence
description: Tell packman how a registry implements one control.
body:
  - type: markdown
    attributes: {value: "Every field is checked by the bot."}
  - type: dropdown
    id: registry
    attributes:
      label: Registry
      options: [npm, PyPI, RubyGems, Maven Central, Google Maven, NuGet, Docker Hub,
                Go modules, "Packagist/Composer", CocoaPods, SwiftPM, crates.io]
  - type: dropdown
    id: control
    attributes:
      label: Control
      options: [Strong Authentication, MFA for publishing, "Signing, provenance and attestations",
                Trusted publishing, Typosquatting protection, Update notifications,
                Account Level Library Tagging, Security contact, Malware scanning]
  - type: dropdown
    id: status
    attributes: {label: Status, options: ["yes", partial, "no", n/a, unknown]}
  - type: textarea
    id: evidence
    attributes: {label: Evidence}
  - type: dropdown
    id: clients
    attributes:
      label: Clients checked
      multiple: true
      options: [npm, yarn, pnpm, "pip, uv", poetry, bundler, maven, gradle]
  - type: textarea
    id: reproduction
    attributes: {label: How to check it, render: shell}
  - type: input
    id: verified
    attributes: {label: Verified on}
  - type: textarea
    id: notes
    attributes: {label: Notes}
  - type: checkboxes
    id: terms
    attributes:
      label: Submission
      options:
        - label: I linked public documentation
        - label: I am not affiliated with the registry
"""
WORDS = [
    *("npm", "token", "2FA", "MFA", "signing", "provenance", "sigstore", "attestation", "publish"),
    *("Größe", "Überprüfung", "ça", "déjà", "日本語", "検証", "🔐", "☃", "`code`", "*bold*"),
    "https://docs.example.org/a?b=c",
]
NODE_SCRIPT = """\
import { readFileSync, writeFileSync } from 'node:fs'
import { parseIssue } from '@github/issue-parser'
const { template, bodies, repeat } = JSON.parse(readFileSync(process.argv[2], 'utf8'))
function best(parse) {
  parse(bodies[0])
  let seconds = Infinity
  for (let r = 0; r < repeat; r++) {
    const start = process.hrtime.bigint()
    for (const body of bodies) parse(body)
    seconds = Math.min(seconds, Number(process.hrtime.bigint() - start) / 1e9)
  }
  return seconds
}
const results = bodies.map((body) => parseIssue(body, template))
const seconds = best((body) => parseIssue(body, template))
const untyped = best((body) => parseIssue(body))
writeFileSync(process.argv[3], JSON.stringify({ results, seconds, untyped }))
"""


def main() -> int:
    args = _arguments()
    form = load_form(FORM_YAML, "bench form")
    rng = random.Random(args.seed)  # noqa: S311 - reproducible test data, not secrets
    cases = [_case(rng, form) for _ in range(args.bodies)]
    bodies = [case.body for case in cases]
    ours = [parse_body(form, body) for body in bodies]
    rates = {
        "packman parse_body": _rate(bodies, lambda: [parse_body(form, b) for b in bodies], args),
        "  same, form re-read per body": _rate(
            bodies, lambda: [parse_body(load_form(FORM_YAML), b) for b in bodies], args
        ),
    }
    version, theirs, seconds = _run_node(bodies, args.repeat)
    rates[f"@github/issue-parser {version}"] = len(bodies) / seconds["seconds"]
    rates["  same, no template (untyped)"] = len(bodies) / seconds["untyped"]
    _report(cases, [ours, [], [_normalise(form, result) for result in theirs], []], rates)
    return 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bodies", type=int, default=3000, help="bodies to generate")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the generator")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes (best is kept)")
    return parser.parse_args()


def _rate(bodies: list[str], work: Callable[[], object], args: argparse.Namespace) -> float:
    """Bodies per second: the best of ``--repeat`` timed passes after one warm-up pass."""
    work()
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return len(bodies) / min(times)


# -- generating bodies -----------------------------------------------------------------


class Case(NamedTuple):
    body: str
    answers: dict[str, Any]
    kind: str
    """plain; comma (a chosen option contains ", "); hostile (typed text mimics the form)."""


def _case(rng: random.Random, form: Form) -> Case:
    hostile = rng.random() < 1 / 3
    answers = {f.id: _answer(rng, form, f, hostile) for f in form.fields}
    style = rng.choice(["lf", "crlf-in-text", "crlf"])
    body = github_body(form, answers, style, rng.choice("xX"))
    return Case(
        body, answers, "hostile" if hostile else "comma" if _comma(form, answers) else "plain"
    )


def _comma(form: Form, answers: dict[str, Any]) -> bool:
    chosen = [answers[f.id] for f in form.fields if f.type == "dropdown" and answers[f.id]]
    return any(
        ", " in option
        for value in chosen
        for option in ([value] if isinstance(value, str) else value)
    )


def _answer(rng: random.Random, form: Form, field: FormField, hostile: bool) -> Any:
    if field.type == "checkboxes":
        return [o for o in field.options if rng.random() < 0.5]
    if field.type == "dropdown":
        chosen = [o for o in field.options if rng.random() < 0.3]
        if field.multiple:
            return chosen or None
        return rng.choice([None, *field.options])
    if rng.random() < 0.2:
        return None
    if field.type == "input":
        return " ".join(rng.choices(WORDS, k=rng.randint(1, 4)))
    return _text(rng, form, field, hostile)


def _text(rng: random.Random, form: Form, field: FormField, hostile: bool) -> str:
    chunks = [_chunk(rng, form, field, hostile) for _ in range(rng.randint(1, 6))]
    lines = "\n".join(chunks).rstrip().split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines) or "text"


def _chunk(rng: random.Random, form: Form, field: FormField, hostile: bool) -> str:
    """A line or block of typed text; hostile ones look like parts of the form."""
    others = [f.label for f in form.fields if f is not field]
    plain = [
        " ".join(rng.choices(WORDS, k=rng.randint(1, 8))),
        "",
        "- " + rng.choice(WORDS),
        "```\n" + " ".join(rng.choices(WORDS, k=3)) + "\n```",
    ]
    if not hostile:
        return rng.choice(plain)
    own = [] if field.render else ["### " + field.label]  # only inside a fence: unambiguous
    return rng.choice([
        *plain,
        "### " + rng.choice(others),
        "### " + rng.choice(WORDS),
        "C# ### " + rng.choice(WORDS),
        "None",
        "~~~\n" + "\n".join(["### " + rng.choice(others), *own]) + "\n~~~",
    ])  # fmt: skip


# -- the other parser ------------------------------------------------------------------


def _run_node(bodies: list[str], repeat: int) -> tuple[str, list[dict[str, Any]], dict[str, float]]:
    """Install @github/issue-parser in a temporary directory and run it on ``bodies``."""
    with tempfile.TemporaryDirectory(prefix="issue-parser-bench-") as tmp:
        root = Path(tmp)
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                tmp,
                "--no-audit",
                "--no-fund",
                "--silent",
                "@github/issue-parser@2",
            ],
            check=True,
        )
        package = root / "node_modules" / "@github" / "issue-parser" / "package.json"
        version = json.loads(package.read_text(encoding="utf-8"))["version"]
        (root / "bench.mjs").write_text(NODE_SCRIPT, encoding="utf-8")
        data = {"template": FORM_YAML, "bodies": bodies, "repeat": repeat}
        (root / "in.json").write_text(json.dumps(data), encoding="utf-8")
        subprocess.run(["node", "bench.mjs", "in.json", "out.json"], cwd=tmp, check=True)
        out = json.loads((root / "out.json").read_text(encoding="utf-8"))
    return version, out["results"], {"seconds": out["seconds"], "untyped": out["untyped"]}


def _normalise(form: Form, result: dict[str, Any]) -> dict[str, Any]:
    """@github/issue-parser's output in packman's conventions (module docstring)."""
    return {f.id: _their_value(f, result.get(f.id)) for f in form.fields}


def _their_value(field: FormField, value: Any) -> Any:
    if field.type == "checkboxes":
        return list(value["selected"]) if isinstance(value, dict) else []
    if field.type == "dropdown":
        if not value:
            return None
        return list(value) if field.multiple else ", ".join(value)
    if not value:
        return None
    if field.render is not None:
        lines = value.split("\n")
        if len(lines) >= 2 and lines[0].startswith("```") and lines[-1].strip() == "```":
            return "\n".join(lines[1:-1]).strip("\n").rstrip() or None
    return value


# -- report ----------------------------------------------------------------------------


KINDS = ("plain", "comma", "hostile")


def _report(
    cases: list[Case], parsed: list[Sequence[Mapping[str, Any]]], rates: dict[str, float]
) -> None:
    """A table: per parser, the share of exact bodies (all and per kind) and bodies/s."""
    counts = ", ".join(f"{sum(c.kind == k for c in cases)} {k}" for k in KINDS)
    node = subprocess.run(
        ["node", "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    print(f"{len(cases)} bodies ({counts}); Python {sys.version.split()[0]}, Node {node}")
    print(
        f"{'parser':34} {'exact: all':>10} {'plain':>8} {'comma':>8} {'hostile':>8} "
        f"{'bodies/s':>10}"
    )
    for (name, rate), results in zip(rates.items(), parsed, strict=True):
        shares = _exactness(cases, results) if results else ""
        print(f"{name:34} {shares:>37} {rate:>10,.0f}")
    ours, _, theirs, untyped = rates.values()
    print(
        f"throughput packman / @github/issue-parser: {ours / theirs:.2f} typed, "
        f"{ours / untyped:.2f} untyped"
    )


def _share(results: list[bool]) -> float:
    return sum(results) / max(1, len(results))


def _exactness(cases: list[Case], parsed: Sequence[Mapping[str, Any]]) -> str:
    rows = [(case.answers == got, case.kind) for case, got in zip(cases, parsed, strict=True)]
    groups = (KINDS, *((k,) for k in KINDS))
    shares = [_share([ok for ok, kind in rows if kind in kinds]) for kinds in groups]
    return " ".join(f"{share:>{w}.1%}" for share, w in zip(shares, (10, 8, 8, 8), strict=True))


if __name__ == "__main__":
    sys.exit(main())
