"""The site in a real browser: Chromium through Playwright, against the fixture project's site.

Marked ``browser``: skipped with a visible reason where Chromium or Playwright is missing, a
failure under ``PACKMAN_CI=1``. Screenshots of the home, a registry and a control page, light
and dark, go to ``$PACKMAN_SCREENSHOTS`` (default: a temporary directory).
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from bot.render import tables
from bot.render.site import serve, urls
from tests.helpers import browser, project, site

pytestmark = pytest.mark.browser

ATOM = "{http://www.w3.org/2005/Atom}"
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    """The fixture project's site, served on 127.0.0.1 for the module."""
    with serve.server(site.built(), 0, quiet=True) as running:
        thread = threading.Thread(target=running.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{running.server_address[1]}/"
        running.shutdown()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only where the group runs

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=browser.executable(), args=["--no-sandbox"]
        )
        yield launched
        launched.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A fresh page whose console errors and uncaught exceptions are collected."""
    context = chromium.new_context()
    opened = context.new_page()
    opened.errors = []
    opened.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: opened.errors.append(str(e)))
    yield opened
    context.close()


def _screenshots() -> Path:
    folder = os.environ.get("PACKMAN_SCREENSHOTS") or tempfile.mkdtemp(prefix="packman-shots-")
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _names(page: Any) -> list[str]:
    """The registry names of the matrix's visible rows, top to bottom."""
    return page.locator("#matrix tbody tr:visible th a").all_inner_texts()


def _tiers(page: Any) -> list[int]:
    return [int(t) for t in page.locator("#matrix tbody tr:visible").evaluate_all(
        "rows => rows.map(r => r.dataset.tier)")]  # fmt: skip


def test_home_lists_every_registry(page: Any, base: str) -> None:
    """Every registry of the data has a visible row, in table order."""
    page.goto(base)

    assert _names(page) == [row.registry.name for row in tables.rows(project.dataset())]
    assert page.errors == []


def test_home_lists_every_registry_without_javascript(chromium: Any, base: str) -> None:
    """With JavaScript off the matrix is complete and the filter form (which needs it) hidden."""
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base)

    assert _names(page) == [row.registry.name for row in tables.rows(project.dataset())]
    assert page.locator("form[data-filters]").is_hidden()
    assert page.locator("#matrix thead button").count() == 0
    context.close()


def test_sorting_by_tier_reorders_rows(page: Any, base: str) -> None:
    """The Tier header's button sorts ascending, then descending, and says so in aria-sort."""
    page.goto(base)
    header = page.locator("#matrix thead th", has_text="Tier")
    before = _tiers(page)

    header.get_by_role("button").click()
    ascending = _tiers(page)
    header.get_by_role("button").click()

    assert len(set(before)) > 1  # the fixture has registries on more than one tier
    assert ascending == sorted(before)
    assert ascending != before
    assert header.get_attribute("aria-sort") == "descending"
    assert _tiers(page) == sorted(before, reverse=True)


def test_sorting_works_from_the_keyboard(page: Any, base: str) -> None:
    """A header button takes focus and Enter sorts by its column."""
    page.goto(base)
    button = page.locator("#matrix thead th", has_text="Registry").get_by_role("button")

    button.focus()
    page.keyboard.press("Enter")

    names = _names(page)
    assert names == sorted(names, key=str.lower)
    assert page.locator("#matrix thead th", has_text="Registry").get_attribute("aria-sort") == (
        "ascending"
    )


def test_search_narrows_rows(page: Any, base: str) -> None:
    """Typing a registry's name keeps the rows whose name, language or client holds it."""
    dataset = project.dataset()
    target = dataset.registries[0]
    query = target.name.lower()
    expected = [
        row.registry.name
        for row in tables.rows(dataset)
        if query in " ".join([row.registry.name, row.registry.id, *row.registry.languages,
                              *row.registry.clients]).lower()
    ]  # fmt: skip
    page.goto(base)

    page.get_by_label("Search").fill(query)

    assert _names(page) == expected
    assert len(expected) < len(dataset.registries)
    assert page.locator("#matrix-count").inner_text().startswith(f"{len(expected)} ")


def test_filters_by_tier_and_language(page: Any, base: str) -> None:
    """The tier and language filters keep exactly the matching rows."""
    rows = tables.rows(project.dataset())
    tier = rows[-1].tier.tier
    language = rows[0].registry.languages[0]
    page.goto(base)

    page.get_by_label("Tier").select_option(str(tier))
    by_tier = _names(page)
    page.get_by_label("Tier").select_option("")
    page.get_by_label("Language").select_option(language.lower())

    assert by_tier == [r.registry.name for r in rows if r.tier.tier == tier]
    assert _names(page) == [r.registry.name for r in rows if language in r.registry.languages]


def test_every_internal_link_resolves_without_console_errors(page: Any, base: str) -> None:
    """From the home page, every page reachable by links loads, every link, stylesheet, image
    and script it names answers 200, and no page logs an error."""
    seen, queue, broken = set(), [base + urls.HOME], []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        if not url.endswith(".html"):  # a feed, a badge, a download: fetched, not shown
            if page.request.get(url).status != 200:
                broken.append(url)
            continue
        answer = page.goto(url)
        if answer is None or answer.status != 200:
            broken.append(url)
            continue
        found = page.eval_on_selector_all(
            "a[href], link[href], img[src], script[src]",
            "els => els.map(e => (e.href || e.src).split('#')[0])",
        )
        queue += [link for link in found if link.startswith(base) and link not in seen]

    assert broken == []
    assert len([u for u in seen if u.endswith(".html")]) >= len(site.pages(site.built()))
    assert page.errors == []


def test_the_feed_parses_as_atom(page: Any, base: str) -> None:
    """The feed the home page announces is Atom, with one entry per history entry."""
    page.goto(base)
    href = page.locator('link[rel="alternate"][type="application/atom+xml"]').first.get_attribute(
        "href"
    )

    answer = page.request.get(base + str(href))
    root = ElementTree.fromstring(answer.body())

    assert answer.headers["content-type"] == "application/atom+xml"
    assert root.tag == f"{ATOM}feed"
    assert len(root.findall(f"{ATOM}entry")) == sum(
        len(r.history) for r in project.dataset().registries
    )


def _pages() -> list[str]:
    dataset = project.dataset()
    return [
        urls.HOME,
        urls.registry(tables.rows(dataset)[0].registry.id),
        urls.control(dataset.catalog.ids()[0]),
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", _pages())
def test_no_serious_accessibility_violation(
    chromium: Any, base: str, path: str, scheme: str
) -> None:
    """axe-core finds no serious or critical violation (contrast included) in either scheme;
    the page is saved as a screenshot."""
    from axe_playwright_python.sync_playwright import Axe  # noqa: PLC0415 - browser group only

    context = chromium.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base + path)
    page.screenshot(
        path=str(_screenshots() / f"{path.replace('/', '_')}-{scheme}.png"), full_page=True
    )

    results = Axe().run(page)
    context.close()

    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]
    assert serious == []


def test_the_skip_link_is_the_first_stop(page: Any, base: str) -> None:
    """Tab first reaches "Skip to content", and following it moves focus to the main content."""
    page.goto(base)

    page.keyboard.press("Tab")
    first = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")

    assert first == "Skip to content"
    assert page.evaluate("document.activeElement.id") == "main"
