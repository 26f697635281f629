"""Search and lists in real headless Chromium: forgiving search (stems, typos, ODS codes), a
list filtered by a short name whose CSV holds the same rows, sorting and paging by links; and
on every search and list page, axe-core and a 375 px phone with no sideways scroll and no word
of a name broken across lines.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from live_server import live_server

from cop_graph.config import load_settings
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.web import create_app

from .axe_check import assert_accessible

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True}
PAGES = {
    "search-walking": "/search?q=walking",
    "communities": "/communities",
    "organisations": "/organisations",
    "places": "/places",
    "practices": "/practices",
    "domains": "/domains",
}
#: for each word of each name link, how many lines it takes (1 unless broken inside)
_BROKEN_WORDS = """(selector) => {
  const broken = [];
  for (const link of [...document.querySelectorAll(selector)].slice(0, 60)) {
    const text = link.firstChild;
    if (!text || text.nodeType !== Node.TEXT_NODE) continue;
    const re = /\\S+/g; let m;
    while ((m = re.exec(text.data))) {
      const range = document.createRange();
      range.setStart(text, m.index); range.setEnd(text, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
  return broken;
}"""


@pytest.fixture(scope="module")
def site(demo_nquads):
    """The app over the demo data, served by waitress on a free port of 127.0.0.1."""
    store = OxigraphStore(None)
    store.native.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    app = create_app({"STORE": store, "SETTINGS": load_settings({}, store="memory:")})
    with live_server(app) as base:
        yield base
    store.close()


def search_for(page, site: str, text: str) -> list[str]:
    page.goto(site + "/search")
    page.get_by_label("Search communities, places, practices").fill(text)
    page.get_by_role("button", name="Search").click()
    page.wait_for_selector(".result-count")
    return page.locator(".result-list .result-title a").all_inner_texts()


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("walking", "Health walks"),  # another form of the word
        ("helth walks", "Health walks"),  # a typo
        ("P82001", "The Dunstan Partnership"),  # a GP practice's ODS code
        ("U79938", "Breightmet & Little Lever PCN"),  # a Primary Care Network's ODS code
    ],
)
def test_search_finds_the_expected_thing_first(site, page, shot, text, first):
    results = search_for(page, site, text)
    assert results and results[0] == first, results[:5]
    shot(page, f"search-{text.replace(' ', '-')}")
    page.get_by_role("link", name=first, exact=True).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == first


def test_a_typo_offers_the_spelling_as_a_link(site, page):
    search_for(page, site, "helth walks")
    page.get_by_role("link", name="health walks", exact=True).click()
    assert page.locator(".result-list .result-title a").first.inner_text() == "Health walks"
    assert not page.locator(".suggestion").count()


def test_wigan_filters_the_communities_and_the_csv_holds_the_same_rows(site, page, shot):
    page.goto(site + "/communities?locality=wigan")
    names = page.locator(".list-table tbody th a").all_inner_texts()
    total = len(api_items(page, site, "/api/communities?locality=wigan"))
    assert 0 < len(names) == total
    shot(page, "communities-wigan")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["Name"] for r in rows] == names
    assert all(r["Locality"] == "Wigan" for r in rows)


def api_items(page, site: str, url: str) -> list[dict]:
    return page.request.get(site + url).json()["items"]


def test_picking_a_filter_sorting_and_paging_by_links(site, page):
    page.goto(site + "/organisations")
    facets = page.get_by_role("navigation", name="Filters")
    facets.get_by_role("link", name="Bolton", exact=True).click()
    assert "locality=bolton" in page.url
    page.get_by_role("link", name="Communities (sort by this)").click()
    header = page.locator("th[aria-sort]")
    assert header.get_attribute("aria-sort") == "ascending" and "Communities" in header.inner_text()
    header.get_by_role("link").click()
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "descending"
    first_page = page.locator(".list-table tbody th a").all_inner_texts()
    page.get_by_role("link", name="Next page").click()
    assert (
        "page=2" in page.url and "sort=-communities" in page.url and "locality=bolton" in page.url
    )
    assert not set(first_page) & set(page.locator(".list-table tbody th a").all_inner_texts())


@pytest.mark.parametrize("name", PAGES)
def test_search_and_lists_are_accessible_and_fit_a_phone(site, page, open_page, shot, name):
    page.goto(site + PAGES[name])
    assert_accessible(page, name)
    phone = open_page(**PHONE)
    phone.goto(site + PAGES[name])
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{name} is {width} px wide on a 375 px phone"
    broken = phone.evaluate(_BROKEN_WORDS, ".list-table tbody th a, .result-title a")
    assert broken == [], f"{name}: words broken across lines: {broken[:5]}"
    assert_accessible(phone, f"{name}-phone")
    shot(phone, f"phone-{name}")
