"""Each kind of place page (locality, ward, neighbourhood, Primary Care Network, GP practice)
in real headless Chromium: no serious or critical axe-core violation, no horizontal scroll at
375 px, and the parts a coordinator looks for are there. Screenshots are kept in
``var/test-artefacts/browser/``.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from live_server import live_server

from cop_graph.config import load_settings
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.web import create_app

from .axe_check import assert_accessible

PLACES = {
    "locality": "/id/place/wigan",
    "ward": "/id/place/wigan-orrell",
    "neighbourhood": "/id/place/trafford-central",
    "pcn": "/id/organisation/u46071",
    "gp-practice": "/id/organisation/p82001",
}
PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True}


@pytest.fixture(scope="module")
def site(demo_nquads):
    """The app over the demo data, served by waitress on a free port of 127.0.0.1."""
    store = OxigraphStore(None)
    store.native.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    app = create_app({"STORE": store, "SETTINGS": load_settings({}, store="memory:")})
    with live_server(app) as base:
        yield base
    store.close()


@pytest.mark.parametrize("kind", PLACES)
def test_place_page_is_accessible_and_has_its_parts(site, page, shot, kind):
    page.goto(site + PLACES[kind])
    assert page.locator("svg.gm-map").is_visible()
    for heading in ("Map", "Deprivation", "Larger and smaller places"):
        assert page.get_by_role("heading", name=heading, exact=True).is_visible(), heading
    assert page.locator("#communities-heading").is_visible()
    assert page.locator("#gp-heading").is_visible()
    shot(page, f"place-{kind}")
    assert_accessible(page, f"place-{kind}")


@pytest.mark.parametrize("kind", PLACES)
def test_place_page_fits_a_phone(site, open_page, shot, kind):
    phone = open_page(**PHONE)
    phone.goto(site + PLACES[kind])
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{kind} ({PLACES[kind]}) is {width} px wide on a 375 px phone"
    shot(phone, f"place-{kind}-phone")


def test_from_a_ward_up_to_its_locality_and_from_a_practice_to_its_network(site, page):
    page.goto(site + PLACES["ward"])
    communities = page.locator("section[aria-labelledby=communities-heading]")
    assert "works across" in communities.inner_text()
    page.locator("section[aria-labelledby=around-heading]").get_by_role(
        "link", name="Wigan", exact=True
    ).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Wigan"
    page.goto(site + PLACES["gp-practice"])
    page.locator("section[aria-labelledby=around-heading]").get_by_role(
        "link", name="Breightmet & Little Lever PCN"
    ).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Breightmet & Little Lever PCN"
    assert page.get_by_role("link", name="The Dunstan Partnership").first.is_visible()
