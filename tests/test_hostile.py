"""Hostile submissions: refused with a clear error, or stored as inert text that lands escaped.

Each folder of ``tests/fixtures/hostile/`` is one named case: ``body.md`` (the issue body,
byte for byte) and ``expect.json``:

- ``form``: evidence | assessment | proposal;
- ``outcome``: ``refused`` (``errors``: each ``{field, message}`` must be among the errors) or
  ``inert`` (the change is valid; ``stored``: values the data must hold exactly; ``notices``);
- ``never``: strings that must not appear in any generated Markdown or SVG more often than on
  main; ``body: null`` sends a null body instead of ``body.md``.

Every case runs twice: through the pure pipeline (parse → validate → changes.apply →
outputs.render_all) and through the real offline bot (``packman handle --local`` on a git
repository: issue opened → sticky comment; owner's ``/packman approve`` → bot branch). The
same checks hold for every Markdown output (README, pages, sticky comment, PR body): no new
HTML tags, every table row has its header's cell count, no live mention, issue reference or
autolink, no link target other than https/anchors/pages, no template syntax, no invisible
characters; the SVG parses and holds only SVG elements; the YAML round-trips through the store.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot import escape
from bot.backends.local import BOT_LOGIN
from bot.cli import main
from bot.data import changes, codec, snapshot, store, strict_yaml
from bot.data.changes import NewRegistry, RatingChange
from bot.data.model import Dataset, Registry
from bot.errors import Problem
from bot.forms import answers, definition, kinds, validate
from bot.forms.kinds import FormKind
from bot.forms.validate import Validation
from bot.render import matrix, outputs, pages
from bot.review import preview
from bot.review.plan import BOT_BRANCH
from tests.helpers import bodies, project
from tests.helpers.paths import FIXTURES
from tests.helpers.properties import heavy

HOSTILE = FIXTURES / "hostile"
CASES = sorted(p.name for p in HOSTILE.iterdir() if (p / "expect.json").exists())
OWNER = "acme"
REPO = {"full_name": f"{OWNER}/packman", "owner": {"login": OWNER}}
GITHUB_COMMENT_LIMIT = 65_536
APPROVAL = changes.Approval(1, "casey", OWNER, dt.date.today())
"""The approval the offline bot records for issue 1, so both runs of a case must give the same files."""


@dataclass(frozen=True)
class Case:
    """One fixture folder."""

    name: str
    kind: FormKind
    body: str | None
    expect: dict[str, Any]

    @property
    def inert(self) -> bool:
        return bool(self.expect["outcome"] == "inert")


def load_case(name: str) -> Case:
    folder = HOSTILE / name
    expect = json.loads((folder / "expect.json").read_text(encoding="utf-8"))
    body: str | None = (folder / "body.md").read_bytes().decode("utf-8")
    if "body" in expect:
        body = expect["body"]
    return Case(name, FormKind(expect["form"]), body, expect)


# --- what must hold for every output ----------------------------------------------------------

_TAG = re.compile(r"<(/?[A-Za-z][\w-]*|!--)")
_ALLOWED_TAGS = {"a", "/a", "br", "code", "/code", "!--"}
_ANCHOR = re.compile(r'<a id="[a-z0-9-]+"></a>')
_LINK_TARGET = re.compile(r"(?<!\\)((?:\\\\)*)\]\(([^)]*)\)")
_SAFE_TARGET = re.compile(
    r"https://\S+|#[a-z0-9-]+|(?:\.\./)?(?:docs/)?(?:registries/)?[a-z0-9-]+\.md|\.\./README\.md#[a-z0-9-]+"
)
_MENTION = re.compile(r"(?<!\w)@[A-Za-z0-9]")
_REFERENCE = re.compile(r"#\d|(?i:\bGH-\d)")
_AUTOLINK = re.compile(r"(?i)(?:^|(?<=[\s*_~(]))(?:https?://|www\.)")
_TEMPLATE = ("{{", "{%", "{#", "${")
_CODE_SPAN = re.compile(r"(?<!\\)`[^`\n]*(?<!\\)`")
"""The bot's own code spans (user text cannot open one: its backticks are escaped)."""


def invisible(text: str) -> int:
    """How many control, format, private-use or unassigned characters ``text`` holds (tab, LF aside)."""
    return sum(1 for c in _SUSPECT.findall(text) if unicodedata.category(c)[0] == "C")


_SUSPECT = re.compile(r"[^\x20-\x7e\n\t]")


def unbackslash(text: str) -> str:
    """Markdown's backslash escapes resolved."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def visible(markdown: str) -> str:
    """The text a reader (and GitHub's mention and autolink filters) sees, link targets removed."""
    return html.unescape(unbackslash(_LINK_TARGET.sub(r"\1]", markdown)))


def cells(row: str) -> int:
    """The cells of one table row: pipes not escaped by an odd run of backslashes."""
    pipes = [m for m in re.finditer(r"(\\*)\|", row) if len(m.group(1)) % 2 == 0]
    inner = len(pipes) - row.strip().startswith("|") - row.strip().endswith("|")
    return inner + 1


def table_problems(text: str) -> list[str]:
    """Rows whose cell count differs from their table's header."""
    problems, header = [], None
    lines = text.split("\n")
    for n, line in enumerate(lines):
        if (
            header is None
            and line.startswith("|")
            and n + 1 < len(lines)
            and re.match(r"\|[-:|]+\|?\s*$", lines[n + 1])
        ):
            header = cells(line)
        elif header is not None and line.startswith("|"):
            if cells(line) != header:
                problems.append(f"table row has {cells(line)} cells, header {header}: {line[:120]}")
        else:
            header = None
    return problems


@lru_cache(maxsize=256)
def counted(text: str) -> dict[str, int]:
    """Occurrences of everything that must not grow in a Markdown output."""
    seen = visible(text)
    tags = _TAG.findall(_CODE_SPAN.sub("", text))
    targets = [t for _, t in _LINK_TARGET.findall(text) if not _SAFE_TARGET.fullmatch(t)]
    return {
        **{f"link target {t}": targets.count(t) for t in set(targets)},
        "mention": len(_MENTION.findall(seen)),
        "reference": len(_REFERENCE.findall(seen)),
        "autolink": len(_AUTOLINK.findall(seen)),
        "invisible": invisible(text),
        **{f"template {t}": text.count(t) for t in _TEMPLATE},
        **{f"tag <{t}": tags.count(t) for t in set(tags)},
    }


def markdown_problems(text: str, baseline: str = "", never: tuple[str, ...] = ()) -> list[str]:
    """Everything hostile that a Markdown output holds and its baseline does not."""
    before, after = counted(baseline), counted(text)
    problems = [
        f"{key}: {before.get(key, 0)} -> {n}"
        for key, n in after.items()
        if n > before.get(key, 0) and not (key.startswith("tag <") and key[5:] in _ALLOWED_TAGS)
    ]
    problems += [f"raw {s!r}" for s in never if text.count(s) > baseline.count(s)]
    problems += [
        f"anchor {a!r}" for a in re.findall(r"<a [^>]*>", text) if not _ANCHOR.fullmatch(a + "</a>")
    ]
    return problems + table_problems(text)


def svg_problems(text: str, baseline: str = "") -> list[str]:
    """An SVG that does not parse, holds a non-SVG element, an event handler or invisible characters."""
    root = ET.fromstring(text)
    tags = {element.tag.split("}")[-1] for element in root.iter()}
    problems = [f"element {t}" for t in tags - {"svg", "title", "desc", "rect", "text", "g"}]
    problems += [
        f"attribute {k}" for e in root.iter() for k in e.attrib if k.lower().startswith("on")
    ]
    return problems + (["invisible"] if invisible(text) > invisible(baseline) else [])


def output_problems(
    files: dict[PurePosixPath, str], baseline: dict[PurePosixPath, str], never: tuple[str, ...] = ()
) -> list[str]:
    """Every problem of every generated file, named by path."""
    problems = []
    for path, text in files.items():
        old = baseline.get(path, "")
        if path.suffix == ".md":
            found = markdown_problems(text, old, never)
        elif path.suffix == ".svg":
            found = svg_problems(text, old) + [
                f"raw {s!r}" for s in never if text.count(s) > old.count(s)
            ]
        else:
            found = ["invisible"] if invisible(text) > invisible(old) else []
        problems += [f"{path}: {p}" for p in found]
    return problems


# --- the pure pipeline ------------------------------------------------------------------------

FILES = project.files()
DATASET = store.dataset_from(FILES)
BASELINE = outputs.render_all(FILES, DATASET)


def validated(kind: FormKind, body: str | None, dataset: Dataset = DATASET) -> Validation:
    return validate.validate(
        kind, answers.parse_body(kinds.load(project.root(), kind.value), body), dataset
    )


def reread(files: dict[PurePosixPath, str], dataset: Dataset, registry: str) -> Registry:
    """The registry as the store reads back the file it wrote (the store round trip of one file)."""
    path = store.registry_path(registry)
    problems: list[Problem] = []
    again = codec.registry_from_data(
        strict_yaml.load(files[path], str(path)),
        str(path),
        dataset.catalog,
        dataset.principles,
        problems,
    )
    assert problems == []
    assert store.dump_registry(again) == files[path]
    return again


def registry_id(change: validate.Change) -> str:
    return change.registry.id if isinstance(change, NewRegistry) else change.registry


def stored_problems(case: Case, after: Dataset, change: validate.Change) -> list[str]:
    """Values the data must hold exactly, per ``expect.json`` ``stored``."""
    registry = after.registry(registry_id(change))
    got: dict[str, Any] = {
        "name": registry.name,
        "languages": list(registry.languages),
        "clients": list(registry.clients),
        "registry": registry.id,
    }
    if isinstance(change, RatingChange):
        rating = change.ratings[0]
        got.update(notes=registry.controls[rating.control].notes, status=rating.status.value)
    return [
        f"stored {k}: {got[k]!r} != {v!r}"
        for k, v in case.expect.get("stored", {}).items()
        if got[k] != v
    ]


def landed_problems(
    after: Dataset, change: validate.Change, files: dict[PurePosixPath, str]
) -> list[str]:
    """The hostile values appear in the outputs exactly as escape makes them."""
    registry = after.registry(registry_id(change))
    page = files[pages.PAGES / f"{registry.id}.md"]
    wanted = [escape.inline(registry.name)]
    if isinstance(change, RatingChange):
        wanted += [escape.inline(registry.controls[r.control].notes) for r in change.ratings]
    problems = [f"page lacks {w!r}" for w in wanted if w not in page]
    names = [e.text for e in ET.fromstring(files[matrix.MATRIX]).iter() if e.tag.endswith("text")]
    return problems + ([] if registry.name in names else [f"SVG has no text {registry.name!r}"])


def comment_problems(text: str, case: Case) -> list[str]:
    problems = markdown_problems(text, never=("<script", *case.expect["never"]))
    return problems + (
        [f"comment has {len(text)} characters"] if len(text) >= GITHUB_COMMENT_LIMIT else []
    )


def error_problems(case: Case, result: Validation, comment: str) -> list[str]:
    """Each expected error is among the errors, and the sticky comment shows it in the table."""
    problems = []
    for wanted in case.expect["errors"]:
        found = [
            e
            for e in result.errors
            if e.field == wanted["field"] and wanted["message"] in e.message
        ]
        if not found:
            problems.append(f"no error {wanted} in {[(e.field, e.message) for e in result.errors]}")
        elif (
            f"| {escape.inline(wanted['field'])} |" not in comment
            or escape.inline(wanted["message"]) not in comment
        ):
            problems.append(f"the sticky comment does not show {wanted}")
    return problems


@dataclass(frozen=True)
class Run:
    """A case through the pure pipeline."""

    case: Case
    result: Validation
    after: Dataset | None = None
    files: dict[PurePosixPath, str] | None = None


@cache
def pipeline(name: str) -> Run:
    """parse → validate → (when valid) changes.apply → outputs.expected, once per case."""
    case = load_case(name)
    result = validated(case.kind, case.body)
    if result.change is None:
        return Run(case, result)
    after = changes.apply(DATASET, result.change, APPROVAL)
    return Run(case, result, after, outputs.render_all(FILES, after))


@pytest.mark.parametrize("name", CASES)
def test_pipeline(name: str) -> None:
    """parse → validate → (apply → every generated file): refused clearly, or inert wherever it lands."""
    run = pipeline(name)
    case, result = run.case, run.result
    comment = preview.comment(DATASET, result, [], "status")

    assert result.ok is case.inert, [(e.field, e.message) for e in result.errors]
    assert comment_problems(comment, case) == []
    if not case.inert:
        assert result.change is None
        assert error_problems(case, result, comment) == []
        return
    assert result.change is not None and run.after is not None and run.files is not None
    assert all(
        any(n in notice for notice in result.notices) for n in case.expect.get("notices", [])
    )
    after, files = run.after, run.files
    changed = {p: t for p, t in files.items() if BASELINE.get(p) != t}
    assert output_problems(changed, BASELINE, tuple(case.expect["never"])) == []
    assert stored_problems(case, after, result.change) == []
    assert landed_problems(after, result.change, files) == []
    assert reread(files, after, registry_id(result.change)) == after.registry(
        registry_id(result.change)
    )


def test_corpus_covers_every_threat() -> None:
    """The corpus names a case for each threat of DESIGN §7 and issue 6, refused or inert as decided."""
    outcomes = {name: load_case(name).expect["outcome"] for name in CASES}
    for prefix in (
        "notes-script",
        "notes-img-onerror",
        "notes-table-break",
        "notes-template",
        "notes-mentions",
        "notes-issue-references",
        "notes-bidi",
        "proposal-hostile",
    ):
        assert any(n.startswith(prefix) and o == "inert" for n, o in outcomes.items()), prefix
    for name in (
        "name-cyrillic-lookalike",
        "registry-cyrillic-lookalike",
        "evidence-http",
        "evidence-javascript",
        "homepage-javascript",
        "registry-forged-option",
        "registry-forged-path",
        "body-oversized",
        "body-null",
        "body-no-headings",
        "name-bidi",
        "registry-zero-width",
    ):
        assert outcomes[name] == "refused", name
    assert len(outcomes) >= 50


# --- the real offline bot ---------------------------------------------------------------------


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.fixture(scope="module")
def main_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository holding this project's data on main (refused cases never write to it)."""
    return project.repository(tmp_path_factory.mktemp("hostile") / "repo")


TRY_TO_APPROVE = {
    "registry-forged-path",
    "body-oversized",
    "typed-confirmation-in-notes",
    "name-cyrillic-lookalike",
}
"""Refused cases a maintainer also tries to approve (the others only open the issue)."""


class Bot:
    """Webhook payloads to ``packman handle --local``; issues, comments and pulls read back."""

    def __init__(self, repo: Path, state: Path) -> None:
        self.repo, self.state, self.sent = repo, state, 0
        (state / "issues").mkdir(parents=True)
        (state / "collaborators.json").write_text("{}")

    def send(self, name: str, payload: dict[str, Any]) -> int:
        self.sent += 1
        path = self.state / f"event-{self.sent}.json"
        path.write_text(json.dumps({"repository": REPO, **payload}))
        return main(
            [
                "--root",
                str(self.repo),
                "handle",
                "--event",
                str(path),
                "--event-name",
                name,
                "--local",
                str(self.state),
            ]
        )

    def open(self, case: Case) -> int:
        issue = {
            "number": 1,
            "title": case.name,
            "body": case.body,
            "user": {"login": "casey"},
            "labels": [{"name": case.kind.label.value}],
            "state": "open",
        }
        return self.send(
            "issues", {"action": "opened", "issue": issue, "sender": {"login": "casey"}}
        )

    def approve(self) -> int:
        issue = {k: self.issue()[k] for k in ("number", "title", "body", "user", "labels", "state")}
        comment = {"id": 11, "user": {"login": OWNER}, "body": "/packman approve --allow-downgrade"}
        return self.send(
            "issue_comment",
            {"action": "created", "issue": issue, "comment": comment, "sender": {"login": OWNER}},
        )

    def issue(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.state / "issues" / "1.json").read_text())
        return data

    def comments(self) -> list[str]:
        return [c["body"] for c in self.issue()["comments"] if c["user"]["login"] == BOT_LOGIN]

    def labels(self) -> list[str]:
        return [label["name"] for label in self.issue()["labels"]]

    def pull_body(self) -> str:
        [pull] = [json.loads(p.read_text()) for p in (self.state / "pulls").glob("*.json")]
        return str(pull["body"])

    def has_branch(self) -> bool:
        return bool(git(self.repo, "branch", "--list", BOT_BRANCH))


def sticky_problems(bot: Bot, case: Case) -> list[str]:
    """Exactly one sticky comment with one record, and inert wherever the text came from."""
    [sticky] = [c for c in bot.comments() if "<!-- packman:sticky -->" in c]
    problems = comment_problems(sticky, case)
    counts = (sticky.count("<!-- packman:sticky -->"), sticky.count("<!-- packman:record "))
    return problems + ([f"markers {counts}"] if counts != (1, 1) else [])


def bot_for(case: Case, main_repo: Path, tmp_path: Path) -> Bot:
    """A bot on the shared repository, or on a clone of its own when an approval will write a branch."""
    repo = main_repo
    if case.inert:
        repo = tmp_path / "clone"
        git(tmp_path, "clone", "-q", str(main_repo), str(repo))
    return Bot(repo, tmp_path / "state")


@pytest.mark.parametrize("name", CASES)
def test_offline_bot(name: str, main_repo: Path, tmp_path: Path) -> None:
    """Opened → one inert sticky comment; approved → a bot branch that is inert and round-trips (or refused)."""
    case = load_case(name)
    bot = bot_for(case, main_repo, tmp_path)

    assert bot.open(case) == 0
    assert sticky_problems(bot, case) == []
    assert bot.labels()[-1] == (
        "packman: ready for review" if case.inert else "packman: needs changes"
    )
    if not case.inert:
        if (
            case.name in TRY_TO_APPROVE
        ):  # the handler re-validates with the same code: a few cases show it
            assert bot.approve() == 0
            assert "cannot approve" in bot.comments()[-1]
        assert not bot.has_branch()
        return
    assert bot.approve() == 0
    assert bot.labels()[-1] == "packman: approved"
    assert sticky_problems(bot, case) == []
    run = pipeline(name)
    assert run.files is not None and run.after is not None and run.result.change is not None
    branch = snapshot.from_git(bot.repo, BOT_BRANCH)
    # The branch holds exactly the files of the pure pipeline, which test_pipeline finds inert and whose
    # YAML reads back equal; read the stored registry back from the branch itself all the same.
    assert [p for p, t in run.files.items() if branch.get(p) != t] == []
    registry = registry_id(run.result.change)
    assert reread(
        {p: t for p, t in branch.items() if t is not None}, run.after, registry
    ) == run.after.registry(registry)
    pull = bot.pull_body()
    assert markdown_problems(pull.replace("#1 ", "").replace("Closes #1", "")) == []
    log = git(bot.repo, "log", "--format=%B", f"main..{BOT_BRANCH}").replace("#1", "")
    assert (_MENTION.findall(log), _REFERENCE.findall(log), invisible(log)) == ([], [], 0)


# --- property tests ---------------------------------------------------------------------------

TOKENS = [
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "@octocat",
    "@org/team",
    "#123",
    "GH-9",
    "|",
    "\n",
    "\r\n",
    "\r",
    "{{ 7*7 }}",
    "{% if %}",
    "{#",
    "${x}",
    "\u202e",
    "\u2066",
    "\u200b",
    "\ufeff",
    "\u00ad",
    "`",
    "```",
    "~~~",
    "$$",
    "*",
    "_",
    "[x](javascript:alert(1))",
    "![i](https://e.example/i.png)",
    "# ",
    "- ",
    "1. ",
    "> ",
    "---",
    "===",
    "http://evil.example",
    "www.evil.example",
    "&#64;a",
    "&lt;",
    "&",
    "\\",
    "<!--",
    "-->",
    "]]>",
    "\t",
    " ",
    "a",
    "é",
    "\U0001f600",
    "\x00",
    "\x07",
]
hostile_text = st.lists(st.sampled_from(TOKENS) | st.text(max_size=4), max_size=12).map("".join)
any_text = st.text() | hostile_text


def reads_back(markdown: str) -> str:
    """What a reader sees of escaped text: escapes resolved, our zero-width breaks removed."""
    return html.unescape(unbackslash(markdown)).replace("\u200b", "")


@given(any_text)
def test_inline_is_inert_and_loses_nothing(text: str) -> None:
    """inline: no tag, no table break, no ping or autolink, no template syntax, no block; the text reads back."""
    out = escape.inline(text)

    assert markdown_problems(f"| {out} |\n|---|\n| {out} |") == []
    assert not set(out) & set("<>{}\n\r") and invisible(out) == 0
    assert not re.match(r"[#=+-]|\d+[.)](?: |$)", out)
    assert re.search(r"(?<!\\)\$", out) is None
    assert reads_back(out) == " ".join(escape.strip_invisible(text).split())


@given(any_text)
def test_url_stays_in_its_link(text: str) -> None:
    """url: https links keep every visible character, percent-encoded; anything else becomes '#'."""
    link = "https://x.example/" + text

    out = escape.url(link)

    assert re.fullmatch(r"[A-Za-z0-9:/?&=%#@!$'*+,;~._-]+", out)
    assert unquote(out) == escape.strip_invisible(link)
    assert escape.url(text) == "#" or text.startswith("https://")
    assert markdown_problems(f"[x]({out})") == []


@given(any_text)
def test_xml_reads_back(text: str) -> None:
    """xml: the SVG parses, and text and attribute values read back as written (invisible characters aside)."""
    out = escape.xml(text)

    element = ET.fromstring(
        f'<svg xmlns="http://www.w3.org/2000/svg"><text a="{out}">{out}</text></svg>'
    )

    expected = escape.strip_invisible(text)
    assert (element[0].text or "") == expected
    assert element[0].get("a") == expected


def _evidence_body(notes: str) -> str:
    return bodies.evidence(
        registry="Packagist (Composer)",
        control="Prevents Credential from Being Published",
        status="partial",
        links="https://packagist.org/about",
        notes=notes,
    )


@settings(heavy(), suppress_health_check=[HealthCheck.filter_too_much])
@given(hostile_text)
def test_hostile_notes_end_to_end(notes: str) -> None:
    """Any notes: refused for their length or emptiness only; otherwise stored flattened and inert everywhere."""
    assume("###" not in notes)
    result = validated(FormKind.EVIDENCE, _evidence_body(notes))
    if not result.ok:
        assert {e.field for e in result.errors} == {"What the evidence shows"}
        return
    assert isinstance(result.change, RatingChange)
    lines = notes.replace("\r\n", "\n").replace(
        "\r", "\n"
    )  # a lone CR ends a line, as in the parser
    assert result.change.ratings[0].notes == " ".join(escape.strip_invisible(lines).split())
    after = changes.apply(DATASET, result.change, APPROVAL)
    files = outputs.render_all(FILES, after)
    changed = {p: t for p, t in files.items() if BASELINE.get(p) != t}
    assert output_problems(changed, BASELINE) == []
    assert landed_problems(after, result.change, files) == []
    assert reread(files, after, registry_id(result.change)) == after.registry(
        registry_id(result.change)
    )


names = (
    st.text(
        alphabet=st.sampled_from("AaBbZz09 .+-()/'&@#<>{}|_\u202e\u200b\u0420\uff21é"),
        min_size=1,
        max_size=30,
    )
    | hostile_text
)


@settings(heavy())
@given(names)
def test_hostile_registry_names(name: str) -> None:
    """A proposed name is refused with an error on Name, or is plain ASCII that reads back from every output."""
    result = validated(FormKind.PROPOSAL, bodies.proposal(name=name))
    comment = preview.comment(DATASET, result, [], "status")

    assert markdown_problems(comment) == []
    if not result.ok:
        assert {e.field for e in result.errors} <= {"Name"}
        return
    assert isinstance(result.change, NewRegistry)
    stored = result.change.registry.name
    assert stored.isascii() and stored.isprintable() and "@" not in stored and "{" not in stored
    after = changes.apply(DATASET, result.change, APPROVAL)
    files = outputs.render_all(FILES, after)
    assert output_problems({p: t for p, t in files.items() if BASELINE.get(p) != t}, BASELINE) == []
    assert landed_problems(after, result.change, files) == []
    form = definition.load_form(files[kinds.RENDERED / "evidence.yml"])
    assert stored in next(f for f in form.fields if f.id == "registry").options


@settings(heavy())
@given(any_text)
def test_forged_dropdown_values(value: str) -> None:
    """Any registry value that is not an option is refused on Registry; the comment stays inert."""
    value = value or "x"
    result = validated(
        FormKind.EVIDENCE, _evidence_body("ok").replace("Packagist (Composer)", value, 1)
    )
    comment = preview.comment(DATASET, result, [], "status")

    assert markdown_problems(comment) == []
    options = {r.name for r in DATASET.registries}
    assert result.ok is (value.strip() in options)
    assert result.ok or "Registry" in {e.field for e in result.errors}
