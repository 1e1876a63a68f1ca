"""``packman links`` end to end: the data's URLs from the store, checked over real HTTPS.

The mini fixture's URLs are pointed at the test servers on 127.0.0.1; the command trusts the
test CA through ``SSL_CERT_FILE``, as it would trust any system store. One test runs the
command in a network namespace of its own, where there is no network at all.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.errors import PackmanError
from bot.links import report as link_report
from bot.links.report import Report, Result
from bot.links.targets import Citation, Target
from bot.links.verdicts import Outcome, Verdict
from tests.helpers import project
from tests.helpers.links import Sites
from tests.helpers.paths import PROJECT

ALPHA, BETA = "assessments/registries/alpha.yml", "assessments/registries/beta.yml"
QUICK = ("--host-delay", "0", "--retries", "0")
"""No pauses: these tests are about what is reported, not about politeness."""


def point_at(root: Path, urls: dict[str, str]) -> None:
    """Rewrite the mini fixture's URLs (whole YAML values) to the given ones."""
    for path in (root / ALPHA, root / BETA):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        for old, new in urls.items():
            lines = [line.replace(f" {old}\n", f" {new}\n") for line in lines]
        path.write_text("".join(lines), encoding="utf-8")


@pytest.fixture
def served(mini: Path, sites: Sites, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The mini fixture citing the test server: an ok page (three times), a moved, a dead and a
    refused one; the command trusts the test CA."""
    point_at(
        mini,
        {
            "https://alpha.example/": sites.url("/ok"),
            "https://alpha.example/docs/mfa": sites.url("/old"),
            "https://alpha.example/docs/signing": sites.url("/gone"),
            "https://alpha.example/docs/tags": sites.url("/ok"),
            "https://beta.example/": sites.url("/ok"),
            "https://beta.example/mfa": sites.url("/forbidden"),
        },
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(sites.ca_file))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    return mini


def test_one_line_per_problem_and_a_summary_and_exit_1_for_a_dead_url(
    served: Path, sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    """Moved, dead and refused each get a line naming file, control, URL and verdict."""
    code = main(["--root", str(served), "links", *QUICK])

    assert capsys.readouterr().out.splitlines() == [
        f"{ALPHA}: mfa: {sites.url('/old')}: moved → {sites.url('/new')}",
        f"{ALPHA}: signing: {sites.url('/gone')}: dead (HTTP 404)",
        f"{BETA}: mfa: {sites.url('/forbidden')}: refused (HTTP 403)",
        "checked 4 URL(s) (cited 6 times): 1 ok, 1 moved, 1 dead, 1 refused, 0 unreachable",
    ]
    assert code == 1
    assert sites.requests("/ok") == 1


def test_json_lists_every_url_with_every_citation_and_exit_0_without_dead(
    served: Path, sites: Sites, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without a dead URL the command exits 0; --json gives the documented shape."""
    point_at(served, {sites.url("/gone"): sites.url("/temporary")})

    code = main(["--root", str(served), "links", "--json", *QUICK])

    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(data) == {"format", "settings", "counts", "links"}
    assert data["counts"] == {"ok": 2, "moved": 1, "dead": 0, "refused": 1, "unreachable": 0}
    ok = next(link for link in data["links"] if link["url"] == sites.url("/ok"))
    assert ok["cited"] == [
        {"file": ALPHA, "control": None},
        {"file": ALPHA, "control": "tagging"},
        {"file": BETA, "control": None},
    ]
    moved = next(link for link in data["links"] if link["verdict"] == "moved")
    assert (moved["url"], moved["new_url"], moved["status"]) == (
        sites.url("/old"),
        sites.url("/new"),
        200,
    )


def test_invalid_data_is_exit_1_with_the_store_s_diagnostics(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The URLs come from the store: data it refuses is reported, and nothing is fetched."""
    point_at(mini, {"https://beta.example/mfa": "http://beta.example/mfa"})

    code = main(["--root", str(mini), "links"])

    assert code == 1
    assert "is not an https:// URL" in capsys.readouterr().err


@pytest.mark.parametrize(
    "option",
    [
        ("--timeout", "0"),
        ("--timeout", "soon"),
        ("--concurrency", "0"),
        ("--concurrency", "1.5"),
        ("--host-delay", "-1"),
        ("--retries", "-1"),
    ],
)
def test_bad_options_are_usage_errors(option: tuple[str, str], mini: Path) -> None:
    """A timeout or concurrency that cannot work is refused before anything runs (exit 2)."""
    with pytest.raises(SystemExit) as stopped:
        main(["--root", str(mini), "links", *option])

    assert stopped.value.code == 2


def test_the_json_report_reads_back_as_the_same_report() -> None:
    """links-issue reads what links --json wrote: every field survives the round trip."""
    citations = (Citation(ALPHA, None), Citation(BETA, "mfa"))
    report = Report(
        (
            Result(Target("https://a.example/", citations), Outcome(Verdict.OK, "HTTP 200", 200)),
            Result(
                Target("https://a.example/old", citations[1:]),
                Outcome(Verdict.MOVED, "HTTP 301 → HTTP 200", 200, "https://a.example/new"),
            ),
            Result(
                Target("https://b.example/", citations[:1]),
                Outcome(Verdict.UNREACHABLE, "connection refused, 3 tries", None, None, 3),
            ),
        )
    )

    assert link_report.from_json(link_report.dumps(report), "report.json") == report


@pytest.mark.parametrize(
    "text", ["", "[]", '{"format": 2, "links": []}', '{"format": 1, "links": [{}]}']
)
def test_a_file_that_is_not_a_report_is_refused(text: str) -> None:
    """A wrong or truncated file is a PackmanError naming the file, never a traceback."""
    with pytest.raises(PackmanError, match=r"report\.json"):
        link_report.from_json(text, "report.json")


def _isolated() -> bool:
    """True where this machine can make a network namespace (with no interface but loopback)."""
    try:
        done = subprocess.run(["unshare", "-rn", "true"], capture_output=True, check=False)
    except OSError:
        return False
    return done.returncode == 0


@pytest.mark.skipif(not _isolated(), reason="cannot create a network namespace (unshare -rn)")
def test_without_a_network_every_url_is_unreachable_and_none_dead(tmp_path: Path) -> None:
    """In a namespace with no network the fixture's real URLs are all unreachable, exit 0."""
    root = project.copy_project(tmp_path / "project")
    command = [sys.executable, "-m", "bot.cli", "--root", str(root), "links", "--json"]

    done = subprocess.run(
        ["unshare", "-rn", *command, "--host-delay", "0", "--retries", "1", "--timeout", "5"],
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT,
    )

    data = json.loads(done.stdout)
    assert done.returncode == 0, done.stderr
    assert data["counts"]["unreachable"] == len(data["links"]) > 0
    assert {link["tries"] for link in data["links"]} == {2}
    assert all(link["detail"].startswith("DNS: ") for link in data["links"])
