"""Hand-edited data: `packman check` refuses hostile or broken YAML with a clear, located message.

Every case edits one file of a copy of this project and runs ``packman check``: exit 1, a
message naming ``file:line`` (and the field, when one is at fault), no traceback, and nothing
executed or expanded: a ``!!python/...`` tag never runs (its marker file is never created),
an alias bomb is refused at its first alias.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.data import strict_yaml
from tests.helpers import project

R = "assessments/registries/npm.yml"
C = "assessments/controls.yml"
T = "assessments/tiers.yml"
SOURCE_TEXT = (project.SOURCE / R).read_text(encoding="utf-8")
KEY = strict_yaml.key_lines(SOURCE_TEXT)
"""The line of every key of the fixture's npm.yml: expected messages locate problems by line, and
those lines are computed from the file's text, so the fixture may change without touching this."""
END = SOURCE_TEXT.count("\n") + 1
"""The first line after the file's end, where appended text begins."""


MARKER = "@MARKER@"
"""Replaced by the path of a file that must never be created."""

Edit = Callable[[str], str]


def replace(old: str, new: str) -> Edit:
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return edit


def first_value(prefix: str, value: str) -> Edit:
    """Set the value of the first line that starts with ``prefix``."""

    def edit(text: str) -> str:
        return re.sub(f"(?m)^{re.escape(prefix)}.*$", prefix + value, text, count=1)

    return edit


def append(extra: str) -> Edit:
    return lambda text: text + extra


def whole(new: str) -> Edit:
    return lambda _text: new


BOMB = "l0: &l0 [lol]\n" + "".join(
    f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" for n in range(1, 12)
)
STATUS = "  strong-authentication:\n    status: partial\n"

CASES: list[tuple[str, str, Edit, str]] = [
    # custom tags: never constructed, never run
    (
        "tag-python-apply-os-system",
        R,
        replace("name: npm", f"name: !!python/object/apply:os.system ['touch {MARKER}']"),
        f"{R}:{KEY['name']}: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed; use plain YAML values",
    ),
    (
        "tag-python-apply-open",
        R,
        replace("name: npm", f"name: !!python/object/apply:builtins.open ['{MARKER}', 'w']"),
        f"{R}:{KEY['name']}: tag 'tag:yaml.org,2002:python/object/apply:builtins.open' is not allowed",
    ),
    (
        "tag-python-new-popen",
        R,
        replace("name: npm", f"name: !!python/object/new:subprocess.Popen [[touch, '{MARKER}']]"),
        f"{R}:{KEY['name']}: tag 'tag:yaml.org,2002:python/object/new:subprocess.Popen' is not allowed",
    ),
    (
        "tag-python-name",
        R,
        replace("name: npm", "name: !!python/name:os.system"),
        f"{R}:{KEY['name']}: tag 'tag:yaml.org,2002:python/name:os.system' is not allowed",
    ),
    (
        "tag-python-module",
        R,
        replace("name: npm", "name: !!python/module:os"),
        f"{R}:{KEY['name']}: tag 'tag:yaml.org,2002:python/module:os' is not allowed",
    ),
    (
        "tag-on-whole-document",
        R,
        lambda text: (
            f"--- !!python/object/apply:os.system\nargs: ['touch {MARKER}']\n"
            + text.split("\n", 1)[1]
        ),
        f"{R}:1: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
    ),
    (
        "tag-local",
        R,
        replace("name: npm", "name: !secret npm"),
        f"{R}:{KEY['name']}: tag '!secret' is not allowed",
    ),
    (
        "tag-binary",
        R,
        replace("name: npm", "name: !!binary bnBt"),
        f"{R}:{KEY['name']}: tag 'tag:yaml.org,2002:binary'",
    ),
    (
        "tag-set",
        R,
        replace("name: npm", "name: !!set {npm: null}"),
        f"{R}:{KEY['name']}: tag 'tag:yaml.org,2002:set'",
    ),
    (
        "tag-int-with-text",
        T,
        replace("stale_after_days: 365", "stale_after_days: !!int forever"),
        f"{T}:2: 'forever' is not a valid whole number",
    ),
    # anchors and aliases: refused at the first alias, never expanded
    (
        "alias-bomb",
        R,
        append(BOMB),
        f"{R}:{END}: anchors and aliases are not allowed in data files",
    ),
    (
        "alias",
        R,
        replace('lead: ""\n', 'lead: &base ""\nlead2: *base\n'),
        f"{R}:{KEY['lead']}: anchors and aliases are not allowed in data files",
    ),
    (
        "merge-key",
        R,
        lambda text: replace("  mfa-to-push:\n", "  mfa-to-push:\n    <<: *base\n")(
            replace(STATUS, "  strong-authentication: &base\n    status: partial\n")(text)
        ),
        f"{R}:{KEY['controls.mfa-to-push.status']}: tag 'tag:yaml.org,2002:merge' is not allowed",
    ),
    # duplicate keys: the second is never silently taken
    (
        "duplicate-top-key",
        R,
        replace("name: npm\n", "name: npm\nname: evil\n"),
        f"{R}:{KEY['languages']}: duplicate key 'name'",
    ),
    (
        "duplicate-nested-key",
        R,
        replace(STATUS, STATUS + '    status: "yes"\n'),
        f"{R}:{KEY['controls.strong-authentication.evidence']}: duplicate key 'status'",
    ),
    # size, depth and numbers: bounded before anything is built
    (
        "huge-file",
        R,
        append("# " + "x" * 1_000_000 + "\n"),
        f"{R}: file is larger than 1000000 bytes; refusing it",
    ),
    (
        "deep-nesting",
        R,
        append("deep: " + "[" * 600 + "]" * 600 + "\n"),
        f"{R}:{END}: nested more than 32 levels deep",
    ),
    (
        "deep-nesting-libyaml-limit",
        R,
        append("deep: " + "{a: " * 1200 + "1" + "}" * 1200 + "\n"),
        f"{R}:{END}: malformed YAML",
    ),
    (
        "huge-integer",
        T,
        replace("stale_after_days: 365", "stale_after_days: " + "9" * 5000),
        f"{T}:2: '{'9' * 40}' is not a valid whole number",
    ),
    (
        "large-integer",
        T,
        replace("stale_after_days: 365", "stale_after_days: 99999999999999999999"),
        f"{T}:2: number '99999999999999999999' is too large",
    ),
    (
        "stale-days-overflow",
        T,
        replace("stale_after_days: 365", "stale_after_days: 900000"),
        f"{T}:2: stale_after_days: must be a number of days from 1 to 36500, found 900000",
    ),
    (
        "stale-days-infinite",
        T,
        replace("stale_after_days: 365", "stale_after_days: .inf"),
        f"{T}:2: stale_after_days: expected a whole number, found inf (float)",
    ),
    # malformed text
    (
        "invalid-date",
        R,
        first_value("    verified: ", "2026-02-30"),
        f"{R}:{KEY['controls.strong-authentication.verified']}: '2026-02-30' is not a valid date (YYYY-MM-DD, a day that exists)",
    ),
    (
        "date-and-time",
        R,
        first_value("    verified: ", "2026-11-25 10:00:00"),
        f"{R}:{KEY['controls.strong-authentication.verified']}: use a date (YYYY-MM-DD), not a date and time",
    ),
    (
        "nul-character",
        R,
        replace("name: npm", "name: np\0m"),
        f"{R}:{KEY['name']}: malformed YAML: character U+0000 is not allowed",
    ),
    (
        "escape-character",
        R,
        replace('lead: ""', "lead: \x1b[31mred"),
        f"{R}:{KEY['lead']}: malformed YAML: character U+001B",
    ),
    (
        "tab-indentation",
        R,
        replace("    status: partial", "\tstatus: partial"),
        f"{R}:{KEY['controls.strong-authentication.status']}: malformed YAML",
    ),
    ("two-documents", R, append("---\nid: evil\n"), f"{R}:{END}: malformed YAML"),
    (
        "unclosed-flow",
        R,
        replace("name: npm", "name: [npm"),
        f"{R}:{KEY['languages']}: malformed YAML",
    ),
    ("empty-file", R, whole(""), f"{R}: expected a mapping, found nothing (null)"),
    ("top-level-list", R, whole("- id: npm\n"), f"{R}: expected a mapping, found a list"),
    ("top-level-text", R, whole("rm -rf /\n"), f"{R}: expected a mapping, found 'rm -rf /' (str)"),
    # wrong types and values: located by file, line and field
    (
        "status-number",
        R,
        replace("    status: partial", "    status: 5"),
        f"{R}:{KEY['controls.strong-authentication.status']}: controls.strong-authentication.status: expected text, found 5 (int)",
    ),
    (
        "status-boolean",
        R,
        replace("    status: partial", "    status: yes"),
        f"{R}:{KEY['controls.strong-authentication.status']}: controls.strong-authentication.status: expected text, found true (a boolean; quote it",
    ),
    (
        "evidence-text",
        R,
        replace(
            "    evidence:\n      - https://github.com/npm/documentation/blob/main/content/getting-"
            "started/setting-up-your-npm-user-account/creating-a-strong-password.mdx\n",
            "    evidence: https://docs.npmjs.com/\n    x:\n",
        ),
        f"{R}:{KEY['controls.strong-authentication.evidence']}: controls.strong-authentication.evidence: expected a list, found 'https://docs.npmjs.com/' (str)",
    ),
    (
        "name-list",
        R,
        replace("name: npm", "name: [npm]"),
        f"{R}:{KEY['name']}: name: expected text, found a list",
    ),
    (
        "controls-list",
        R,
        lambda text: (
            text[: text.index("controls:")] + "controls: []\n" + text[text.index("history:") :]
        ),
        f"{R}:{KEY['controls']}: controls: expected a mapping, found a list",
    ),
    ("history-mapping", R, lambda text: text[: text.index("history:")] + "history: {}\n", f"{R}:"),
    (
        "languages-numbers",
        R,
        replace("  - JavaScript", "  - 1"),
        f"{R}:{KEY['languages[0]']}: languages[0]: expected text",
    ),
    (
        "verified-text",
        R,
        first_value("    verified: ", "yesterday"),
        f"{R}:{KEY['controls.strong-authentication.verified']}: controls.strong-authentication.verified: expected date, found 'yesterday' (str)",
    ),
    (
        "stale-days-text",
        T,
        replace("stale_after_days: 365", 'stale_after_days: "365"'),
        f"{T}:2: stale_after_days: expected a whole number, found '365' (str)",
    ),
    (
        "unknown-field",
        R,
        replace('lead: ""\n', 'lead: ""\nrun: rm -rf /\n'),
        f"{R}:{KEY['lead'] + 1}: run: unknown field",
    ),
    (
        "homepage-malformed-host",
        R,
        replace("homepage: https://www.npmjs.com/", "homepage: https://[x"),
        f"{R}:{KEY['homepage']}: homepage: 'https://[x' is not an https:// URL",
    ),
    (
        "homepage-javascript",
        R,
        replace("homepage: https://www.npmjs.com/", "homepage: javascript:alert(1)"),
        f"{R}:{KEY['homepage']}: homepage: 'javascript:alert(1)' is not an https:// URL",
    ),
    (
        "evidence-look-alike-host",
        R,
        replace(
            "      - https://docs.npmjs.com/about-two-factor-authentication",
            "      - https://docs.npmj\u0455.com/about-two-factor-authentication",
        ),
        f"{R}:{KEY['controls.mfa-to-push.evidence[0]']}: controls.mfa-to-push.evidence[0]: ",
    ),
    (
        "control-id-path",
        C,
        replace("  - id: strong-authentication", "  - id: ../../.github/workflows/x"),
        f"{C}:6: controls[0].id: '../../.github/workflows/x' is not a kebab-case id",
    ),
    (
        "registry-id-mismatch",
        R,
        replace("id: npm", "id: evil"),
        f"{R}:{KEY['id']}: id: 'evil' does not match the file name",
    ),
    (
        "bidi-in-name",
        R,
        replace("name: npm", 'name: "np\u202em"'),
        f"{R}: not in canonical form (or edited by hand); run `packman render` to rewrite it",
    ),
]


@pytest.mark.parametrize(("case", "path", "edit", "expected"), CASES, ids=[c[0] for c in CASES])
def test_check_refuses_hostile_data(
    fixture_copy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
    path: str,
    edit: Edit,
    expected: str,
) -> None:
    """Exit 1, the problem located as file:line (and field), no traceback, nothing executed."""
    marker = tmp_path / "executed"
    target = fixture_copy / path
    target.write_bytes(
        edit(target.read_text(encoding="utf-8")).replace(MARKER, str(marker)).encode("utf-8")
    )

    code = main(["--root", str(fixture_copy), "check"])

    err = capsys.readouterr().err
    assert code == 1, err
    assert "Traceback" not in err and "internal error" not in err
    assert f"error: {expected}" in err, err
    assert not marker.exists()


def test_not_utf8(fixture_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Bytes that are not UTF-8 are refused with the file's name."""
    (fixture_copy / R).write_bytes(b"id: npm\nname: \xff\xfe\n")

    assert main(["--root", str(fixture_copy), "check"]) == 1
    assert f"error: {R}: file is not UTF-8 text" in capsys.readouterr().err


def test_the_payload_is_live(tmp_path: Path) -> None:
    """The tag payload really runs under an unsafe loader, so the tests above can fail."""
    marker = tmp_path / "executed"

    payload = f"x: !!python/object/apply:builtins.open ['{marker}', 'w']"
    loaded = yaml.load(payload, Loader=yaml.UnsafeLoader)  # noqa: S506 - proves the unsafe loader runs it
    loaded["x"].close()

    assert marker.exists()


def test_one_problem_per_broken_file(
    fixture_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file that cannot be read gives one line, not one per field it then lacks."""
    (fixture_copy / R).write_text("name: [npm\n")

    assert main(["--root", str(fixture_copy), "check"]) == 1
    assert [line for line in capsys.readouterr().err.splitlines() if R in line] == [
        f"error: {R}:2: malformed YAML: did not find expected ',' or ']'"
    ]
