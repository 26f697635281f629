"""Someone browsing in real headless Chromium: search, a community, its place, the map and
the connection picture, downloads of the picture; no console errors; keyboard and phone.

Debian's Chromium is driven through Playwright for Python (``executable_path``, no browser
download) against the app served by waitress on 127.0.0.1. Screenshots of every step are
kept in ``var/test-artefacts/browser/`` for people to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from live_server import live_server

from cop_graph.config import load_settings
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.web import create_app

COMMUNITY = "Bolton health walks network (illustrative)"


@pytest.fixture(scope="module")
def site(demo_nquads):
    """The app over the demo data, served by waitress on a free port of 127.0.0.1."""
    store = OxigraphStore(None)
    store.native.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    app = create_app({"STORE": store, "SETTINGS": load_settings({}, store="memory:")})
    with live_server(app) as base:
        yield base
    store.close()


def test_search_a_community_follow_it_to_its_place_and_download_its_picture(
    site, page, tmp_path, shot
):
    page.goto(site + "/")
    assert page.locator("svg.gm-map").is_visible()
    shot(page, "01-home")

    page.get_by_label("Search communities, places, practices").fill("health walks")
    page.get_by_role("button", name="Search").click()
    assert "results for" in page.locator(".result-count").inner_text()
    shot(page, "02-search")

    page.get_by_role("link", name=COMMUNITY, exact=True).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == COMMUNITY
    picture = page.locator("svg.connection-picture")
    assert picture.is_visible()
    assert picture.locator("a").count() > 3  # nodes link to their pages
    assert page.get_by_role("heading", name="Members by role").is_visible()
    shot(page, "03-community")

    with page.expect_download() as svg_download:
        page.get_by_role("link", name="Download the picture (SVG)").click()
    svg = Path(svg_download.value.path()).read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "<svg" in svg and COMMUNITY in svg

    with page.expect_download() as png_download:
        page.get_by_role("button", name="Download the picture (PNG)").click()
    png = Path(png_download.value.path()).read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000
    assert png_download.value.suggested_filename.endswith(".png")

    where = page.locator("section", has=page.get_by_role("heading", name="Where it works"))
    place_name = where.get_by_role("link").first.inner_text()
    where.get_by_role("link").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == place_name
    assert page.locator("svg.gm-map").is_visible()
    assert page.locator("svg.connection-picture").is_visible()
    assert page.get_by_role("link", name=COMMUNITY).first.is_visible()
    shot(page, "04-place")


def test_the_map_links_each_locality_to_its_page(site, page, shot):
    page.goto(site + "/")
    page.locator("svg.gm-map a[aria-label^='Wigan']").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Wigan"
    shot(page, "05-locality")


def test_facets_narrow_the_list_of_communities(site, page, shot):
    page.goto(site + "/communities")
    total = int(page.locator(".result-count").inner_text().split()[3].rstrip("."))
    page.locator(".facet").first.locator("a").first.click()
    shown = int(page.locator(".result-count").inner_text().split()[1])
    assert 0 < shown < total
    shot(page, "06-communities-filtered")


def test_a_keyboard_user_can_skip_to_the_content_and_sees_where_focus_is(site, page):
    page.goto(site + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    # following an in-page link is not instantaneous on a busy machine: wait for it (5 s)
    page.wait_for_url(re.compile(r"#main$"), timeout=5000)
    assert page.url.endswith("#main")


def test_everything_reads_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/id/community/bolton-health-walks-network")
    assert page.get_by_role("heading", name="Progress through the framework").is_visible()
    assert page.locator("svg.connection-picture").is_visible()
    assert page.get_by_role("link", name="Download the picture (SVG)").is_visible()
    assert not page.get_by_role("button", name="Download the picture (PNG)").is_visible()
    context.close()


def test_pages_fit_a_phone_screen(site, browser, shot):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    for path in ("/", "/id/community/bolton-health-walks-network", "/communities"):
        page.goto(site + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width} px wide on a 375 px phone"
    shot(page, "07-phone-community-list")
    context.close()
