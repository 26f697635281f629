"""The interactive network on /analysis/network in real headless Chromium: zoom, hover, filter,
click through; the page without JavaScript; axe-core and phone width.

The demo data are served by waitress (see ``test_browsing.py``); screenshots of each step are
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

from .axe_check import assert_accessible

COMMUNITY = "Bolton health walks network (illustrative)"


@pytest.fixture(scope="module")
def site(demo_nquads):
    """The app over the demo data, served on a free port of 127.0.0.1."""
    store = OxigraphStore(None)
    store.native.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    app = create_app({"STORE": store, "SETTINGS": load_settings({}, store="memory:")})
    with live_server(app) as base:
        yield base
    store.close()


def _open_network(page, site):
    page.goto(site + "/analysis/network")
    page.locator("#network-canvas canvas").first.wait_for()
    page.wait_for_function("() => window.copGraphNetwork && window.copGraphNetwork.nodes().length")


def _node_on_screen(page, label: str) -> tuple[float, float]:
    """Where the node named ``label`` is drawn, in page coordinates."""
    at = page.evaluate(
        """(label) => {
            const node = window.copGraphNetwork.nodes().filter(n => n.data('label') === label);
            return node.renderedPosition();
        }""",
        label,
    )
    box = page.locator("#network-canvas").bounding_box()
    return box["x"] + at["x"], box["y"] + at["y"]


def _choose(page, select: str, name: str) -> None:
    """Pick the choice named ``name`` (its label ends with a count) in the ``select``."""
    option = page.locator(f"{select} option").filter(has_text=re.compile(rf"^{name} \(\d+\)$"))
    page.locator(select).select_option(option.get_attribute("value"))


def _shown(page) -> int:
    return page.evaluate(
        "() => window.copGraphNetwork.nodes('[kind = \"community\"]')"
        ".filter(n => n.visible()).length"
    )


def test_zoom_hover_filter_and_click_through_to_a_community(site, page, shot):
    _open_network(page, site)
    assert page.locator("#network-picture").is_hidden()  # the interactive view replaces it
    assert page.locator("#network-key li").count() >= 2  # a key to the cluster colours
    total = _shown(page)
    assert total > 10
    assert page.locator("#network-status").inner_text() == (
        f"Showing {total} of {total} communities."
    )
    shot(page, "network-01-view")

    # zoom: by the wheel over the picture, and by the button
    zoom = page.evaluate("() => window.copGraphNetwork.zoom()")
    page.locator("#network-canvas").scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # Cytoscape.js ignores the wheel while the page scrolls
    box = page.locator("#network-canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -400)
    page.wait_for_function(f"() => window.copGraphNetwork.zoom() > {zoom}")
    zoomed = page.evaluate("() => window.copGraphNetwork.zoom()")
    page.get_by_role("button", name="Zoom in").click()
    assert page.evaluate("() => window.copGraphNetwork.zoom()") > zoomed
    assert page.locator("#network-zoom-level").inner_text() != "Zoom 100%"
    page.get_by_role("button", name="Fit to view").click()
    assert page.locator("#network-zoom-level").inner_text() == "Zoom 100%"

    # hover: the name and kind show beside the pointer
    page.mouse.move(*_node_on_screen(page, COMMUNITY))
    tooltip = page.locator("#network-tooltip")
    tooltip.wait_for(state="visible")
    assert COMMUNITY in tooltip.inner_text() and "Community" in tooltip.inner_text()
    shot(page, "network-02-hover")
    page.mouse.move(box["x"] + 2, box["y"] + 2)

    # filter by a domain, then also by a place: fewer communities each time
    _choose(page, "#network-domain", "Physical activity")
    by_domain = _shown(page)
    assert 0 < by_domain < total
    assert page.locator("#network-status").inner_text().startswith(f"Showing {by_domain} of")
    _choose(page, "#network-place", "Bolton")
    by_both = _shown(page)
    assert 0 < by_both < by_domain
    shot(page, "network-03-filtered")

    # shared members appear on request, never more than the communities' own
    page.get_by_label("Show members shared by communities").check()
    assert "shared members" in page.locator("#network-status").inner_text()

    # the view as it is now, as a picture to keep
    with page.expect_download() as png_download:
        page.get_by_role("button", name="Download this view (PNG)").click()
    png = Path(png_download.value.path()).read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5_000
    assert png_download.value.suggested_filename == "cop-graph-network.png"

    # click: the node opens its page
    page.get_by_label("Show members shared by communities").uncheck()
    page.mouse.click(*_node_on_screen(page, COMMUNITY))
    page.wait_for_url(re.compile(r"/id/community/bolton-health-walks-network$"))
    assert page.get_by_role("heading", level=1).inner_text() == COMMUNITY


def test_without_javascript_the_picture_and_the_table_stay(browser, site):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site + "/analysis/network")
        assert page.locator("#network-picture svg").is_visible()
        assert page.locator("#network-view").is_hidden()
        table = page.locator("table.network-table")
        assert table.is_visible()
        link = table.get_by_role("link", name=COMMUNITY)
        assert link.get_attribute("href") == "/id/community/bolton-health-walks-network"
        # the picture's dots link to the same pages
        assert (
            page.locator(
                "#network-picture a[href='/id/community/bolton-health-walks-network']"
            ).count()
            == 1
        )
    finally:
        context.close()


def test_the_network_page_is_accessible_and_fits_a_phone(site, open_page, shot):
    page = open_page(viewport={"width": 375, "height": 800})
    _open_network(page, site)
    shot(page, "network-04-phone")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert_accessible(page, "analysis-network-phone")


def test_the_network_page_is_accessible_at_desktop_width(site, page):
    _open_network(page, site)
    page.get_by_label("Show members shared by communities").check()
    assert_accessible(page, "analysis-network")


def test_the_keyboard_goes_from_node_to_node_and_opens_one(site, page):
    _open_network(page, site)
    first = page.evaluate(
        "() => window.copGraphNetwork.nodes(':visible').map(n => n.data('label'))"
        ".sort((a, b) => a.localeCompare(b))[0]"
    )
    canvas = page.get_by_role("application", name="Communities and their links")
    canvas.focus()
    canvas.press("ArrowRight")
    assert page.locator("#network-announce").inner_text().startswith(f"{first} (Community")
    assert page.locator("#network-tooltip").inner_text().startswith(first)
    canvas.press("ArrowRight")
    canvas.press("ArrowLeft")
    zoom = page.evaluate("() => window.copGraphNetwork.zoom()")
    canvas.press("+")
    assert page.evaluate("() => window.copGraphNetwork.zoom()") > zoom
    canvas.press("Enter")
    page.wait_for_url(re.compile(r"/id/community/"))
    assert page.get_by_role("heading", level=1).inner_text() == first
