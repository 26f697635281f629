"""The coordinator's pages pass axe-core's serious and critical rules and fit a phone.

A coordinator signs in through the browser and visits each page of :data:`SIGNED_IN_PAGES`;
an anonymous visitor visits each of :data:`VISITOR_PAGES`. On every page axe-core runs (its
full result kept as ``var/test-artefacts/browser/axe-<name>.json``), and at 375 px, the width
of a small phone, the page must not scroll sideways (a full-page screenshot is kept as
``phone-<name>.png``). The coordinator has imported a workbook, so its community's page shows
its change list and the imports page a removable import.

To check a new page, add a ``(name, path)`` pair to one of the lists; a path may use
``{graph}`` (the coordinator's import) and ``{slug}`` (its community).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from live_server import live_server
from workbooks import GOOD, xlsx

from cop_graph.config import load_settings
from cop_graph.ingest.importer import PREFIX, import_workbook
from cop_graph.store.accounts import Accounts
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.web import create_app

from .axe_check import assert_accessible

COORDINATOR = "cora"
PASSWORD = "a long enough secret"
#: the demo community the coordinator also coordinates (its page is shown to visitors below)
DEMO_COMMUNITY = "bolton-health-walks-network"
#: the community of the coordinator's import (GOOD's "Halliwell walkers")
IMPORTED = "halliwell-walkers"
PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True}

#: pages seen signed in as the coordinator: (name for reports and screenshots, path)
SIGNED_IN_PAGES = [
    ("imports", "/imports"),
    ("imported-community", "/id/community/{slug}"),
    ("remove-import", "/imports/remove?graph={graph}"),
    ("self-assessment", "/assessment/{slug}"),
    ("my-communities", "/my-communities"),
    ("new-community", "/communities/new"),
    ("edit-community", "/communities/{slug}/edit"),
    ("edit-demo-community", f"/communities/{DEMO_COMMUNITY}/edit"),
]
#: pages seen by a visitor who is not signed in
VISITOR_PAGES = [
    ("sign-in", "/sign-in"),
    ("home", "/"),
    ("demo-community", f"/id/community/{DEMO_COMMUNITY}"),
]


@pytest.fixture(scope="module")
def site(demo_nquads, tmp_path_factory):
    """The app over the demo data with one coordinator, who has imported GOOD's workbook."""
    store = OxigraphStore(None)
    store.native.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    accounts = Accounts(tmp_path_factory.mktemp("coordinator") / "accounts.sqlite3")
    accounts.add(COORDINATOR, PASSWORD, role="coordinator")
    accounts.add_coordinator(
        COORDINATOR, f"https://w3id.org/cop-graph/id/community/{DEMO_COMMUNITY}"
    )
    imported = import_workbook(store, xlsx(GOOD), filename="halliwell.xlsx", who=COORDINATOR)
    accounts.claim(COORDINATOR, imported.lines)  # as an upload through the web does
    assert [str(c).rsplit("/", 1)[1] for c in imported.lines] == [IMPORTED]
    settings = load_settings({}, store="memory:", accounts=str(accounts.path))
    app = create_app({"STORE": store, "SETTINGS": settings})
    with live_server(app) as base:
        yield {"base": base, "graph": PREFIX + "halliwell", "slug": IMPORTED}
    store.close()


@pytest.fixture(scope="module")
def signed_in(site, browser):
    """The coordinator's cookies, after signing in through the sign-in form."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(site["base"] + "/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("User name").fill(COORDINATOR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("button", name=f"Sign out ({COORDINATOR})").is_visible()
    state = context.storage_state()
    context.close()
    return state


def check_page(open_page, shot, url: str, name: str, storage_state=None) -> None:
    """axe-core at desktop width, then again at phone width, where the page must not scroll
    sideways; ``open_page`` fails the test if the console reported errors."""
    for size, options in (("desktop", {"viewport": {"width": 1100, "height": 900}}),
                          ("phone", PHONE)):  # fmt: skip
        page = open_page(storage_state=storage_state, **options)
        response = page.goto(url)
        assert response is not None and response.ok, f"{name}: {url} did not answer 200"
        if size == "desktop":
            assert_accessible(page, name)
            continue
        assert_accessible(page, f"{name}-phone")
        width = page.evaluate("document.documentElement.scrollWidth")
        shot(page, f"phone-{name}")
        assert width <= 375, f"{name} ({url}) is {width} px wide on a 375 px phone"


@pytest.mark.parametrize(("name", "path"), SIGNED_IN_PAGES, ids=[n for n, _ in SIGNED_IN_PAGES])
def test_a_signed_in_coordinators_page_is_accessible_and_fits_a_phone(
    site, signed_in, open_page, shot, name, path
):
    url = site["base"] + path.format(**site)
    check_page(open_page, shot, url, name, storage_state=signed_in)


@pytest.mark.parametrize(("name", "path"), VISITOR_PAGES, ids=[n for n, _ in VISITOR_PAGES])
def test_a_visitors_page_is_accessible_and_fits_a_phone(site, open_page, shot, name, path):
    check_page(open_page, shot, site["base"] + path, name)


def test_the_coordinators_pages_show_the_change_list_and_the_import(site, signed_in, open_page):
    """The signed-in pages checked above are the ones meant: what they show is really there."""
    page = open_page(storage_state=signed_in)
    page.goto(site["base"] + f"/id/community/{IMPORTED}")
    changes = page.locator("section", has=page.get_by_role("heading", name="Recent changes"))
    assert COORDINATOR in changes.inner_text()
    page.goto(site["base"] + "/imports")
    assert page.locator("#imports tbody tr").count() == 1
