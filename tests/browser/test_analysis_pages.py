"""The analysis pages in real Chromium: each answer leads to its evidence and on to the pages
of the things in it; pictures can be kept; every page passes axe-core's serious and critical
rules and fits a 375 px phone without scrolling sideways.

Screenshots (``analysis-*.png``, ``phone-analysis-*.png``) and axe-core's full results are kept
in ``var/test-artefacts/browser/`` for people to look at.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from live_server import live_server

from cop_graph.config import load_settings
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.web import create_app

from .axe_check import assert_accessible

ID = "https://w3id.org/cop-graph/id/"
PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1100, "height": 900}}
HEALTH_WALKS = ID + "practice/health-walks"
COMMUNITY = ID + "community/bolton-health-walks-network"

#: every analysis page (with the options that make it show an answer): (name, path)
PAGES = [
    ("index", "/analysis/"),
    ("shared-practice", "/analysis/shared-practice"),
    (
        "shared-practice-chosen",
        "/analysis/shared-practice?" + urlencode({"level": "locality", "practice": HEALTH_WALKS}),
    ),
    ("network", "/analysis/network"),
    ("paths", "/analysis/paths?" + urlencode({"from": ID + "place/wigan", "to": COMMUNITY})),
    ("gaps", "/analysis/gaps"),
    ("gaps-filtered", "/analysis/gaps?" + urlencode({"level": "locality"})),
    ("brokers", "/analysis/brokers"),
    ("roles", "/analysis/roles"),
    ("progress", "/analysis/progress"),
    ("learn-from", "/analysis/learn-from?" + urlencode({"community": COMMUNITY})),
    ("resilience", "/analysis/resilience"),
]


@pytest.fixture(scope="module")
def site(demo_nquads):
    """The app over the demo data, served by waitress on a free port of 127.0.0.1."""
    store = OxigraphStore(None)
    store.native.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    app = create_app({"STORE": store, "SETTINGS": load_settings({}, store="memory:")})
    with live_server(app) as base:
        yield base
    store.close()


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_an_analysis_page_is_accessible_and_fits_a_phone(site, open_page, shot, name, path):
    desktop = open_page(**DESKTOP)
    response = desktop.goto(site + path)
    assert response is not None and response.ok, f"{path} answered {response and response.status}"
    # the answers behind disclosures are checked too, opened
    desktop.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert_accessible(desktop, f"analysis-{name}")
    phone = open_page(**PHONE)
    phone.goto(site + path)
    assert_accessible(phone, f"analysis-{name}-phone")
    width = phone.evaluate("document.documentElement.scrollWidth")
    shot(phone, f"phone-analysis-{name}")
    assert width <= 375, f"{path} is {width} px wide on a 375 px phone"


def test_from_a_shared_practice_row_to_its_evidence_and_on_to_the_community(site, page, shot):
    page.goto(site + "/analysis/shared-practice?" + urlencode({"level": "locality"}))
    page.get_by_label("Practice (optional)").fill(HEALTH_WALKS)
    page.get_by_role("button", name="Show").click()
    rows = page.locator("table.evidence-table").first.locator("tbody tr")
    assert rows.count() > 0
    row = rows.first
    # the row links its places and its practice to their pages
    assert (
        row.get_by_role("link", name="Health walks")
        .get_attribute("href")
        .endswith("/id/practice/health-walks")
    )
    evidence = row.locator("details.evidence")
    assert not evidence.locator("ul").is_visible()
    evidence.locator("summary").click()  # one click to the evidence …
    first = evidence.get_by_role("link").first
    assert first.is_visible()
    community = first.inner_text()
    shot(page, "analysis-shared-practice-evidence")
    first.click()  # … and one more to the community
    assert "/id/community/" in page.url
    assert page.get_by_role("heading", level=1).inner_text() == community


def test_a_broker_shows_the_ties_that_make_it_one(site, page):
    page.goto(site + "/analysis/brokers")
    row = page.locator("table.evidence-table tbody tr").first
    row.locator("details.evidence summary").click()
    ties = row.locator("details.evidence li")
    assert ties.count() > 0
    assert "shares" in ties.first.inner_text()
    assert ties.first.get_by_role("link").first.get_attribute("href").startswith("/id/community/")


def test_a_picture_downloads_as_svg_png_and_csv(site, page, tmp_path):
    page.goto(site + "/analysis/roles")
    figure = page.locator("figure#picture-roles-filled")
    assert figure.locator("svg").bounding_box()["width"] > 600  # full width, not a thumbnail
    with page.expect_download() as svg_download:
        figure.get_by_role("link", name="Download the picture (SVG)").click()
    svg = Path(svg_download.value.path()).read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "Community keeper" in svg and "number of communities" in svg
    with page.expect_download() as png_download:
        figure.get_by_role("button", name="Download the picture (PNG)").click()
    assert png_download.value.suggested_filename.endswith(".png")
    png = Path(png_download.value.path()).read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 2000
    with page.expect_download() as csv_download:
        figure.get_by_role("link", name="Download the numbers (CSV)").click()
    text = Path(csv_download.value.path()).read_text(encoding="utf-8")
    assert text.splitlines()[0] == "Role,Communities"
    figure.locator("summary").click()
    assert figure.locator("table tbody tr").count() == 7  # the seven roles, beside the picture


def test_the_gaps_page_filters_without_script(site, browser):
    context = browser.new_context(java_script_enabled=False, **DESKTOP)
    page = context.new_page()
    try:
        page.goto(site + "/analysis/gaps")
        assert page.locator("svg.gm-map").count() == 1
        page.get_by_label("In the locality").select_option(label="Wigan")
        page.get_by_label("Missing the domain").select_option(index=1)
        page.get_by_role("button", name="Show").click()
        assert "locality=" in page.url and "domain=" in page.url
        matrix = page.locator("table.gap-matrix")
        assert matrix.locator("thead th.domain").count() == 1  # only the chosen domain
        rows = matrix.locator("tbody tr")
        assert rows.count() > 0
        assert all(
            cell == "none"
            for cell in matrix.locator("tbody td.gap, tbody td.covered").all_inner_texts()
        )
        assert not page.locator("details.gap-list table").is_visible()  # the list is behind it
    finally:
        context.close()
