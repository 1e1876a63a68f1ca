"""``packman site``: every page, feed, badge and data file, built from the frozen fixture project.

Expectations come from the fixture's dataset (the shared view-models), never from the live data.
The browser tests (``test_site_browser.py``) drive the same site in Chromium.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import re
import threading
import urllib.request
from collections import Counter
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.cli import main
from bot.data import tiers
from bot.errors import PackmanError
from bot.render import export, tables
from bot.render.site import build, markdown_html, serve, source, urls
from tests.helpers import project, site
from tests.helpers.paths import PROJECT
from tests.helpers.properties import heavy

ATOM = "{http://www.w3.org/2005/Atom}"
SCHEMA = json.loads((PROJECT / "schemas" / "export.schema.json").read_text())


def test_home_lists_every_registry_with_its_tier() -> None:
    """The matrix has one row per registry, in table order, each linking to its page."""
    home = site.parse(site.built() / urls.HOME)
    rows = tables.rows(project.dataset())

    assert len(home.rows) == len(rows)
    for shown, row in zip(home.rows, rows, strict=True):
        assert row.registry.name.lower() in shown
    assert {urls.registry(r.registry.id) for r in rows} <= set(home.targets)


def test_there_is_a_page_per_registry_control_and_capability() -> None:
    """Every registry, control and OpenSSF capability of the data has its page."""
    dataset = project.dataset()
    expected = {urls.registry(r.id) for r in dataset.registries}
    expected |= {urls.control(c) for c in dataset.catalog.ids()}
    expected |= {urls.capability(c) for c in dataset.principles.ids()}
    found = {p.relative_to(site.built()).as_posix() for p in site.pages(site.built())}

    assert expected <= found
    assert {urls.HOME, urls.CONTROLS, urls.METHODOLOGY, urls.CHANGES, urls.DATA} <= found


def test_every_internal_link_and_anchor_resolves() -> None:
    """Each relative href/src of every page names a file of the site, and an id in it."""
    root, broken = site.built(), []
    for page in site.pages(root):
        for target in site.parse(page).targets:
            found = site.internal(root, page, target)
            if found is None:
                continue
            path, fragment = found
            if not path.is_file():
                broken.append(f"{page.name}: {target}")
            elif fragment and path.suffix == ".html" and fragment not in site.parse(path).ids:
                broken.append(f"{page.name}: {target} (no such id)")

    assert broken == []


def test_links_are_relative_or_outside_https() -> None:
    """No page links to an absolute path of the host: the site works under /packman/."""
    for page in site.pages(site.built()):
        for target in site.parse(page).targets:
            assert not target.startswith("/"), (page, target)
            assert not target.startswith("http://"), (page, target)


def test_status_is_shown_as_a_word_and_a_symbol() -> None:
    """Every status cell carries its word beside a symbol, never a colour alone."""
    text = (site.built() / urls.registry(project.dataset().registries[0].id)).read_text()
    shown = 0
    for word, symbol in (
        ("yes", "✓"),
        ("partial", "◐"),
        ("no", "✗"),
        ("na", "–"),
        ("unknown", "?"),
    ):
        cells = text.count(f'<span class="status status-{word}">')
        marked = f'status-{word}"><span class="symbol" aria-hidden="true">{symbol}</span> '
        assert text.count(marked) == cells
        shown += cells
    assert shown > 0


def test_stale_evidence_is_flagged_against_the_data_date(tmp_path: Path) -> None:
    """A registry page marks exactly the controls ``tiers.stale`` finds, judged on the data's
    date; ten years on, every dated rating is stale."""
    dataset = project.dataset()
    registry = dataset.registries[0]
    later = dt.date(2036, 1, 1)
    loaded = source.load(project.root(), later)
    page = build.build(loaded)[urls.registry(registry.id)].decode()
    stale_controls = tiers.stale(registry, dataset.policy, later)

    assert stale_controls
    for control, _ in stale_controls:
        row = page.split(f'id="control-{control}"', 1)[1].split("</tr>", 1)[0]
        assert "stale</span>" in row


def test_two_builds_of_one_commit_give_the_same_bytes(tmp_path: Path) -> None:
    """The data's date comes from git and nothing reads the clock: the same commit, the same
    site, file for file and byte for byte."""
    root = project.repository(tmp_path / "project")
    first, second = tmp_path / "one", tmp_path / "two"
    assert main(["--root", str(root), "site", str(first)]) == 0
    assert main(["--root", str(root), "site", str(second)]) == 0

    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


def test_the_export_carries_its_date_and_catalog_version() -> None:
    """The site's export: the commit date from git, the catalog's digest, the format version."""
    document = json.loads((site.built() / urls.EXPORT).read_text())
    committed = project.GIT_ENV["GIT_COMMITTER_DATE"][:10]

    assert (document["format"], document["version"]) == (export.FORMAT, export.VERSION)
    assert document["data_date"] == committed
    assert document["catalog_version"].startswith("sha256:")
    expected = export.build(project.dataset(), data_date=dt.date.fromisoformat(committed))
    assert document == json.loads(export.dumps(expected))


def test_the_catalog_version_changes_with_the_catalog_only() -> None:
    """Ratings do not move the catalog version; a changed control title does."""
    dataset = project.dataset()
    before = export.build(dataset)["catalog_version"]
    fewer = replace(dataset, registries=dataset.registries[:1])
    first = dataset.catalog.controls[0]
    renamed = replace(first, title=first.title + " (new)")
    catalog = replace(dataset.catalog, controls=(renamed, *dataset.catalog.controls[1:]))

    assert export.build(fewer)["catalog_version"] == before
    assert export.build(replace(dataset, catalog=catalog))["catalog_version"] != before


@pytest.mark.parametrize("path", [urls.EXPORT, "committed"])
def test_the_export_matches_its_schema(path: str) -> None:
    """The export (the site's copy and the committed one) is valid against the schema."""
    if path == "committed":
        document = json.loads((project.root() / "docs" / "packman.json").read_text())
    else:
        document = json.loads((site.built() / path).read_text())

    jsonschema.validate(document, SCHEMA)


def test_each_registry_document_matches_the_schema_and_the_export() -> None:
    """data/registries/<id>.json is the export's entry for it, with the export's dates."""
    document = json.loads((site.built() / urls.EXPORT).read_text())
    for entry in document["registries"]:
        single = json.loads((site.built() / urls.registry_data(entry["id"])).read_text())
        jsonschema.validate(single, SCHEMA)
        assert single["registry"] == entry
        assert single["format"] == export.REGISTRY_FORMAT
        assert single["data_date"] == document["data_date"]


def test_the_schema_refuses_a_wrong_status() -> None:
    """The schema holds: a status outside the five words is invalid."""
    document = json.loads((site.built() / urls.EXPORT).read_text())
    registry = document["registries"][0]
    control = next(iter(registry["controls"]))
    registry["controls"][control]["status"] = "maybe"

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, SCHEMA)


def test_the_site_publishes_the_schema() -> None:
    """The schema in the site is the repository's own."""
    assert json.loads((site.built() / urls.SCHEMA).read_text()) == SCHEMA


def test_the_csv_has_one_row_per_registry() -> None:
    """matrix.csv: a header, then each registry in table order with tier, counts and statuses."""
    dataset = project.dataset()
    records = list(csv.DictReader(io.StringIO((site.built() / urls.CSV).read_text())))
    rows = tables.rows(dataset)

    assert [r["id"] for r in records] == [row.registry.id for row in rows]
    for record, row in zip(records, rows, strict=True):
        assert int(record["tier"]) == row.tier.tier
        assert int(record["controls_met"]) == row.met
        assert record["purl"] == (row.registry.identifiers.purl or "")
        for control in dataset.catalog.ids():
            assert record[control] == row.registry.status(control).value


def _feed(path: str) -> ElementTree.Element:
    return ElementTree.parse(site.built() / path).getroot()


def test_the_feeds_are_atom_with_dates_from_history() -> None:
    """Every feed parses as Atom; each entry's date is a history entry's date; ids are unique."""
    dataset = project.dataset()
    everything = _feed(urls.FEED)
    entries = everything.findall(f"{ATOM}entry")
    days = {e.date.isoformat() for r in dataset.registries for e in r.history}

    assert everything.tag == f"{ATOM}feed"
    assert len(entries) == sum(len(r.history) for r in dataset.registries)
    assert all(e.findtext(f"{ATOM}updated", "")[:10] in days for e in entries)
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    assert everything.findtext(f"{ATOM}updated", "")[:10] == max(days)
    for registry in dataset.registries:
        own = _feed(urls.feed(registry.id)).findall(f"{ATOM}entry")
        assert len(own) == len(registry.history)
        assert {e.findtext(f"{ATOM}id") for e in own} <= set(ids)


def test_feed_entry_ids_survive_a_new_history_entry(tmp_path: Path) -> None:
    """Appending to a registry's history adds one entry and keeps every other id."""
    root = project.copy_project(tmp_path / "project")
    before = build.build(source.load(root, dt.date(2026, 12, 2)))[urls.FEED]
    registry = project.dataset().registries[0]
    path = root / "assessments" / "registries" / f"{registry.id}.yml"
    path.write_text(
        path.read_text()
        + "  - date: 2026-12-03\n    summary: A later entry.\n    issue: null\n    by: null\n    changes: []\n"
    )
    after = build.build(source.load(root, dt.date(2026, 12, 3)))[urls.FEED]

    ids = [
        {e.findtext(f"{ATOM}id") for e in ElementTree.fromstring(text).findall(f"{ATOM}entry")}
        for text in (before, after)
    ]
    assert ids[0] < ids[1]
    assert len(ids[1] - ids[0]) == 1


def test_pages_announce_their_feeds() -> None:
    """Every page links the feed of all changes; a registry page also its own."""
    registry = project.dataset().registries[0].id
    page = (site.built() / urls.registry(registry)).read_text()

    assert 'rel="alternate" type="application/atom+xml"' in (site.built() / urls.HOME).read_text()
    assert f'href="../{urls.feed(registry)}"' in page


def test_badges_say_the_tier() -> None:
    """The endpoint JSON follows shields.io's schema; the SVG says the same with a title."""
    for row in tables.rows(project.dataset()):
        endpoint = json.loads((site.built() / urls.badge(row.registry.id, "json")).read_text())
        picture = ElementTree.parse(site.built() / urls.badge(row.registry.id, "svg")).getroot()

        assert endpoint["schemaVersion"] == 1
        assert endpoint["label"] == "packman"
        assert endpoint["message"] == f"tier {row.tier.tier}"
        assert endpoint["color"] in {"red", "yellow", "brightgreen"}
        assert f"tier {row.tier.tier}" in (
            picture.findtext("{http://www.w3.org/2000/svg}title") or ""
        )


def test_each_registry_page_has_the_badge_snippet() -> None:
    """The snippet points shields.io at the registry's endpoint on the Pages site."""
    dataset = project.dataset()
    repository = source.load(project.root()).repository
    for registry in dataset.registries:
        page = (site.built() / urls.registry(registry.id)).read_text()
        endpoint = urls.site_url(repository) + urls.badge(registry.id, "json")
        assert f"https://img.shields.io/endpoint?url={endpoint}" in page


def test_text_from_the_data_is_escaped(tmp_path: Path) -> None:
    """A note holding markup shows as text on every page and feed (the JSON keeps it as data)."""
    root = project.copy_project(tmp_path / "project")
    registry = project.dataset().registries[0]
    path = root / "assessments" / "registries" / f"{registry.id}.yml"
    control = project.dataset().catalog.ids()[0]
    text = path.read_text()
    marker = f"  {control}:\n"
    start = text.index(marker)
    notes = text.index("    notes: ", start)
    end = text.index("\n", notes)
    path.write_text(text[:notes] + '    notes: "<script>alert(1)</script> & <b>"' + text[end:])

    built = build.build(source.load(root, dt.date(2026, 12, 2)))

    page = built[urls.registry(registry.id)].decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;" in page
    marked_up = [path for path in built if path.endswith((".html", ".atom", ".svg"))]
    assert all(b"<script>alert" not in built[path] for path in marked_up)


def test_write_refuses_a_directory_it_did_not_write(tmp_path: Path) -> None:
    """A non-empty directory without the site marker is left alone, with a clear message."""
    (tmp_path / "keep.txt").write_text("mine")

    with pytest.raises(PackmanError, match="not a site written by `packman site`"):
        build.write(tmp_path, {"index.html": b"x"})
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_write_removes_files_a_new_build_no_longer_has(tmp_path: Path) -> None:
    """Rebuilding into the same directory drops pages of registries that are gone."""
    target = tmp_path / "site"
    build.write(target, {build.MARKER: b"", "registries/gone.html": b"old", "index.html": b"1"})
    build.write(target, {build.MARKER: b"", "index.html": b"2"})

    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == [
        build.MARKER,
        "index.html",
    ]


def test_serve_previews_on_localhost() -> None:
    """The preview server answers on 127.0.0.1 with the built files and Atom's media type."""
    with serve.server(site.built(), 0, quiet=True) as running:
        thread = threading.Thread(target=running.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{running.server_address[1]}/"
        with urllib.request.urlopen(base) as answer:
            home = answer.read()
        with urllib.request.urlopen(base + urls.FEED) as answer:  # noqa: S310 - http on 127.0.0.1
            kind = answer.headers["Content-Type"]
        running.shutdown()

    assert running.server_address[0] == "127.0.0.1"
    assert home == (site.built() / urls.HOME).read_bytes()
    assert kind == "application/atom+xml"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Title", '<h1 id="title">Title</h1>\n'),
        ("## Two views: tiers", '<h2 id="two-views-tiers">Two views: tiers</h2>\n'),
        ("One\nparagraph.", "<p>One paragraph.</p>\n"),
        ("- a\n- b\n  more", "<ul><li>a</li><li>b more</li></ul>\n"),
        ("1. a\n2. b", "<ol><li>a</li><li>b</li></ol>\n"),
        (
            "**bold** and *em* and `x<y`",
            "<p><strong>bold</strong> and <em>em</em> and <code>x&lt;y</code></p>\n",
        ),
        ("[`a`](b)", '<p><a href="B"><code>a</code></a></p>\n'),
        ("<script>x</script> 2 * 3 * 4", "<p>&lt;script&gt;x&lt;/script&gt; 2 * 3 * 4</p>\n"),
    ],
)
def test_the_markdown_subset(text: str, expected: str) -> None:
    """Headings, paragraphs, lists and inline marks become HTML; anything else stays text."""
    assert markdown_html.to_html(text, str.upper) == expected


def test_the_methodology_page_maps_repository_links() -> None:
    """Links to pages the site has stay on the site; other repository files go to GitHub."""
    page = (site.built() / urls.METHODOLOGY).read_text()
    links = site.parse(site.built() / urls.METHODOLOGY).targets

    assert "<h1" in page
    assert not any(t.endswith(".md") and not t.startswith("https://") for t in links)


def test_the_pages_workflow_builds_and_deploys_with_least_privilege() -> None:
    """pages.yml: built with ``packman site`` on pushes to main, every action pinned to a commit,
    no permission at the top, write access only in the deploy job, no persisted credentials."""
    workflow = yaml.safe_load((PROJECT / ".github" / "workflows" / "pages.yml").read_text())
    jobs = workflow["jobs"]
    steps = [step for job in jobs.values() for step in job["steps"]]
    uses = [step["uses"] for step in steps if "uses" in step]

    assert workflow[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads `on` as True
    assert workflow["permissions"] == {}
    assert all(re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", u) for u in uses), uses
    assert {u.split("@")[0] for u in uses} >= {
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    }
    assert any(step.get("run") == "packman site _site" for step in jobs["build"]["steps"])
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False


TOKENS = ("<script>", "</td>", "</table>", "<img src=x onerror=alert(1)>", "&amp;", '"', "'",
          "{{ x }}", "{% if %}", "javascript:", "\u202e", "\u200b", "\n", "]]>", "<!--", "-->")  # fmt: skip
hostile = st.lists(st.sampled_from(TOKENS) | st.text(max_size=4), max_size=10).map("".join)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: Counter[str] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found[tag] += 1
        self.found.update(f"@{name}" for name, _ in attrs if name.startswith("on"))


def _markup(text: str) -> Counter[str]:
    parser = _Tags()
    parser.feed(text)
    return parser.found


@functools.cache
def _one_registry_site(notes: str, name: str) -> dict[str, bytes]:
    dataset = project.dataset()
    registry = dataset.registries[0]
    control = dataset.catalog.ids()[0]
    rated = replace(registry.controls[control], notes=notes)
    changed = replace(registry, name=name, controls={**registry.controls, control: rated})
    loaded = source.load(project.root(), dt.date(2026, 12, 2))
    return build.build(replace(loaded, dataset=replace(dataset, registries=(changed,))))


@settings(heavy(), deadline=None)
@given(hostile, hostile.filter(lambda t: t.strip() != ""))
def test_hostile_notes_and_names_stay_text(notes: str, name: str) -> None:
    """Whatever a note or a registry name holds, every page has the same elements as with plain
    text, no event handler, and every feed and badge still parses as XML."""
    plain = _one_registry_site("Plain notes.", "Plain name")
    built = _one_registry_site(notes, name)

    for path, content in built.items():
        if path.endswith(".html"):
            assert _markup(content.decode()) == _markup(plain[path].decode()), path
        elif path.endswith((".atom", ".svg")):
            ElementTree.fromstring(content)
