"""The command line, run in-process on throw-away copies of the repository."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from bot import git
from bot.cli import main, parser
from bot.data.model import Status
from bot.git import GitError
from tests.helpers.paths import PROJECT


def run(root: Path, *args: str) -> int:
    return main(["--root", str(root), *args])


def test_render_then_check_passes(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """After render, check finds nothing stale and a second render changes nothing."""
    assert run(mini, "render") == 0
    assert run(mini, "check") == 0
    capsys.readouterr()

    assert run(mini, "render") == 0
    assert "everything is up to date" in capsys.readouterr().out


def test_check_fails_on_stale_files_until_render(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Editing a status makes check fail (exit 1, a line per stale file) until render runs."""
    run(mini, "render")
    path = mini / "assessments/registries/beta.yml"
    path.write_text(path.read_text().replace("status: partial", 'status: "yes"', 1))
    capsys.readouterr()

    assert run(mini, "check") == 1
    errors = capsys.readouterr().err.splitlines()
    assert "error: README.md: stale: differs from what `packman render` writes" in errors[0]
    assert {e.split(":")[1].strip() for e in errors} == {
        "README.md",
        "docs/registries/beta.md",
        "docs/matrix.svg",
        "docs/packman.json",
    }

    assert run(mini, "render") == 0
    assert run(mini, "check") == 0


def test_hand_edit_of_generated_page_is_caught(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hand edit of a generated page fails check; render puts it back."""
    run(mini, "render")
    page = mini / "docs/registries/alpha.md"
    page.write_text(page.read_text() + "hand edit\n")

    assert run(mini, "check") == 1
    assert "docs/registries/alpha.md: stale" in capsys.readouterr().err


def test_non_canonical_data_file_is_caught_and_rewritten(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A valid but non-canonical data file fails check; render rewrites it canonically."""
    run(mini, "render")
    path = mini / "assessments/registries/alpha.yml"
    canonical = path.read_text()
    path.write_text(canonical.replace('name: "Alpha | Pipes"', "name: 'Alpha | Pipes'"))

    assert run(mini, "check") == 1
    assert "alpha.yml: not in canonical form" in capsys.readouterr().err
    run(mini, "render")
    assert path.read_text() == canonical


def test_orphan_page_is_removed(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The page of a deleted registry fails check and is removed by render."""
    run(mini, "render")
    (mini / "assessments/registries/beta.yml").unlink()

    assert run(mini, "check") == 1
    assert (
        "docs/registries/beta.md: generated page of a registry that no longer exists"
        in capsys.readouterr().err
    )
    run(mini, "render")
    assert not (mini / "docs/registries/beta.md").exists()


def test_invalid_data_exits_1_without_traceback(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad data gives exit 1 and one line per problem, never a traceback."""
    path = mini / "assessments/registries/alpha.yml"
    path.write_text(path.read_text().replace('status: "yes"', "status: yess", 1))

    assert run(mini, "check") == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip() == (
        "error: assessments/registries/alpha.yml:12: controls.mfa.status: 'yess' is not allowed; "
        "did you mean 'yes'?; allowed: yes, partial, no, n/a, unknown"
    )


def test_usage_error_exits_2(mini: Path) -> None:
    """An unknown command is a usage error."""
    with pytest.raises(SystemExit) as caught:
        run(mini, "frobnicate")

    assert caught.value.code == 2


def test_tiers_text_and_json(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """tiers prints each registry's tier and gap; --json gives the same as data."""
    assert run(mini, "tiers", "beta") == 0
    assert capsys.readouterr().out.splitlines() == [
        "Beta: Tier 2 (Basic)",
        "  - MFA is partial; Tier 3 needs yes or n/a",
        "  - Signing is unknown; Tier 3 needs yes or n/a",
    ]

    assert run(mini, "tiers", "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert [(d["registry"], d["tier"], d["next_tier"]) for d in data] == [
        ("alpha", 3, None),
        ("beta", 2, 3),
    ]


def test_tiers_unknown_registry(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown registry id is an input error with a suggestion."""
    assert run(mini, "tiers", "betta") == 1
    assert "no registry 'betta'; did you mean 'beta'?" in capsys.readouterr().err


def test_export_prints_the_documented_shape(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """export prints controls and registries with id, name, tier and per-control status."""
    assert run(mini, "export") == 0
    data = json.loads(capsys.readouterr().out)

    assert {"id", "title", "definition", "rubric"} <= set(data["controls"][0])
    alpha = data["registries"][0]
    assert (alpha["id"], alpha["name"], alpha["tier"]) == ("alpha", "Alpha | Pipes", 3)
    assert alpha["controls"]["mfa"]["evidence"] == ["https://alpha.example/docs/mfa"]


def test_exit_codes_are_documented() -> None:
    """The README documents every exit code the CLI uses."""
    readme = (PROJECT / "README.md").read_text()
    for code in ("0", "1", "2", "3"):
        assert re.search(rf"\| `{code}` \|", readme), code


def test_every_command_is_in_the_readme_table() -> None:
    """Each subcommand of the parser has a row of its own in the README's Command line table."""
    readme = (PROJECT / "README.md").read_text()
    commands = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))

    missing = [name for name in commands.choices if f"| `packman {name}" not in readme]

    assert missing == []


@pytest.mark.parametrize("command", ["render", "check", "tiers", "export"])
def test_root_is_accepted_after_the_command(
    command: str, mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`packman COMMAND --root DIR` works as `packman --root DIR COMMAND` does."""
    main(["--root", str(mini), "render"])
    capsys.readouterr()
    before = main(["--root", str(mini), command]), capsys.readouterr().out

    after = main([command, "--root", str(mini)]), capsys.readouterr().out

    assert before == after


def test_a_root_given_before_the_command_is_kept(mini: Path) -> None:
    """A --root before the command is not reset by the command's own default."""
    assert main(["--root", str(mini), "render"]) == 0
    assert main(["--root", str(mini), "check"]) == 0


def test_tiers_json_lists_statuses_in_the_catalog_order(
    fixture_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The statuses that would meet a gap appear in one order everywhere: yes, partial, no, n/a."""
    assert main(["--root", str(fixture_copy), "tiers", "--json"]) == 0
    order = [s.value for s in Status]

    needed = [g["needed"] for r in json.loads(capsys.readouterr().out) for g in r["gap"]]

    assert needed
    assert all(n == sorted(n, key=order.index) for n in needed)


def test_a_failing_git_command_is_one_clear_line(tmp_path: Path) -> None:
    """The one git runner names the command, the repository and what git said."""
    with pytest.raises(GitError) as caught:
        git.run(tmp_path, "rev-parse", "--verify", "no-such-branch")

    [line] = caught.value.diagnostics()
    assert line.startswith(f"git rev-parse --verify no-such-branch failed in {tmp_path}: ")
    assert "\n" not in line


def test_parse_reads_a_form_without_a_name(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`packman parse --form FILE` needs only the body fields; `name:` is not asked for."""
    case = PROJECT / "tests" / "fixtures" / "issue_bodies" / "input-ends-at-foreign-heading"

    code = run(mini, "parse", "--form", str(case / "form.yml"), str(case / "body.md"))

    assert code == 0
    assert json.loads(capsys.readouterr().out)["version"] == "1.2.3"


def test_check_requires_the_name_of_packmans_own_forms(
    fixture_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A rendered packman form without `name:` cannot be offered by GitHub: check fails."""
    source = fixture_copy / "issue_templates" / "evidence.yml.j2"
    text = source.read_text(encoding="utf-8")
    source.write_text(re.sub(r"(?m)^name:.*\n", "", text, count=1), encoding="utf-8")
    assert run(fixture_copy, "render") == 0
    capsys.readouterr()

    assert run(fixture_copy, "check") == 1
    assert "evidence.yml: name: missing; expected text" in capsys.readouterr().err
