"""A coordinator keeps a community's record in a real browser, over a few weeks of changes.

Signs in, records a new community, adds a practice, removes a member, reads the change
list, undoes the removal, downloads the workbook and uploads it unchanged ("no changes");
a second coordinator may neither edit the community nor remove its import; an edit with no
domain is refused beside the field and the store keeps every fact. The edit form and the
change list pass axe-core's serious and critical rules and fit a phone.
"""

from __future__ import annotations

import io
import re

import openpyxl
import pyoxigraph as ox
import pytest
from live_server import live_server

from cop_graph.config import load_settings
from cop_graph.ids import mint
from cop_graph.namespaces import ORG
from cop_graph.store.accounts import Accounts
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.web import create_app

from .axe_check import assert_accessible

PASSWORD = "a long enough secret"
SLUG = "halliwell-walking-group"
COMMUNITY = mint("community", SLUG)
#: a demo community sam coordinates too, for the checks that need one already recorded
DEMO = "bolton-health-walks-network"
PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True}


@pytest.fixture(scope="module")
def site(demo_nquads, tmp_path_factory):
    store = OxigraphStore(None)
    store.native.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    accounts = Accounts(tmp_path_factory.mktemp("editing") / "accounts.sqlite3")
    accounts.add("sam", PASSWORD)
    accounts.add("alex", PASSWORD)
    accounts.add_coordinator("sam", str(mint("community", DEMO)))
    settings = load_settings({}, store="memory:", accounts=str(accounts.path))
    app = create_app({"STORE": store, "SETTINGS": settings})
    with live_server(app) as base:
        yield {"base": base, "store": store}
    store.close()


@pytest.fixture
def open_page(browser, request):
    """``open_page(**context_options)``: a page in a context of its own; the test fails if a
    script error or console error appeared, except the browser's note of each refused
    answer (403, 422), which this journey provokes on purpose."""
    contexts, errors = [], []

    def opened(**options):
        context = browser.new_context(accept_downloads=True, **options)
        contexts.append(context)
        new = context.new_page()
        new.on("pageerror", lambda error: errors.append(f"script error: {error}"))
        new.on("console", lambda message: message.type == "error"
               and not message.text.startswith("Failed to load resource")
               and errors.append(message.text))  # fmt: skip
        return new

    yield opened
    for context in contexts:
        context.close()
    assert errors == [], f"the browser console reported errors in {request.node.name}"


@pytest.fixture
def page(open_page):
    return open_page(viewport={"width": 1100, "height": 900})


def sign_in(page, base: str, name: str) -> None:
    page.goto(base + "/sign-in")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def memberships(store) -> int:
    """How many memberships the store records for the community, in any graph."""
    pattern = (None, ox.NamedNode(str(ORG.organization)), ox.NamedNode(str(COMMUNITY)))
    return len({quad.subject for quad in store.native.quads_for_pattern(*pattern)})


def test_a_coordinator_keeps_a_community_current(site, page, open_page, shot, tmp_path):
    base, store = site["base"], site["store"]
    sign_in(page, base, "sam")

    # record a new community
    page.goto(base + "/my-communities")
    page.get_by_role("link", name="New community").click()
    page.locator("#f-community-name").fill("Halliwell walking group")
    page.locator("#f-community-domains").fill("Physical activity")
    page.locator("#f-community-operates-in").fill("Halliwell")
    page.locator("#f-community-practices").fill("Health walks")
    page.locator("#f-people-0-name").fill("Jo Bloggs")
    page.locator("#f-people-1-name").fill("Kim Lee")
    page.locator("#f-memberships-0-member").fill("Jo Bloggs")
    page.locator("#f-memberships-0-role").select_option(label="Community keeper")
    page.locator("#f-memberships-1-member").fill("Kim Lee")
    page.locator("#f-memberships-1-role").select_option(label="Member")
    page.get_by_role("button", name="Check changes").click()
    assert (
        "Added community Halliwell walking group" in page.locator("#changes-preview").inner_text()
    )
    page.get_by_role("button", name="Save changes").click()
    assert page.url == f"{base}/id/community/{SLUG}"
    assert "Saved:" in page.locator("#undo-result").inner_text()
    assert memberships(store) == 2

    # add a practice, then remove a member: two changes
    page.get_by_role("link", name="change it here in the browser").click()
    page.locator("#f-community-practices-2").fill("Peer support")
    page.get_by_role("button", name="Save changes").click()
    assert "Saved: 1 fact added, 0 removed." in page.locator("#undo-result").inner_text()
    page.get_by_role("link", name="change it here in the browser").click()
    kim = page.locator("fieldset.row", has_text="Kim Lee").filter(has=page.locator("select"))
    kim.get_by_label("Remove this member").check()
    page.get_by_role("button", name="Check changes").click()
    assert "Removed a member (Member)" in page.locator("#changes-preview").inner_text()
    assert_accessible(page, "edit-form-checked")
    page.get_by_role("button", name="Save changes").click()
    assert memberships(store) == 1

    # the change list, newest first; undo the removal only
    changes = page.locator("#change-list > li")
    assert "removed a member (Member)" in changes.nth(0).inner_text()
    assert "added practice Peer support" in changes.nth(1).inner_text()
    assert_accessible(page, "change-list")
    shot(page, "edit-01-change-list")
    changes.nth(0).get_by_role("button", name=re.compile("^Undo change")).click()
    assert "Undone" in page.locator("#undo-result").inner_text()
    assert memberships(store) == 2
    assert "Peer support" in page.locator("main").inner_text()

    # download the workbook, upload it unchanged: no changes
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel workbook (.xlsx)").click()
    workbook = tmp_path / "halliwell-walking-group.xlsx"
    download.value.save_as(workbook)
    before = len(store.native)
    page.goto(base + "/imports")
    page.get_by_label("Workbook").set_input_files(str(workbook))
    page.get_by_role("button", name="Upload").click()
    assert "has no changes" in page.locator("#import-result").inner_text()
    assert len(store.native) == before

    # a changed copy becomes sam's import
    book = openpyxl.load_workbook(workbook)
    sheet = book["Communities"]
    headers = [cell.value for cell in sheet[1]]
    sheet.cell(2, headers.index("Purpose") + 1, "Walk together, weekly.")
    changed = tmp_path / "halliwell-changed.xlsx"
    out = io.BytesIO()
    book.save(out)
    changed.write_bytes(out.getvalue())
    page.get_by_label("Workbook").set_input_files(str(changed))
    page.get_by_role("button", name="Upload").click()
    # the upload runs in the background: its job page shows the report when it is done
    assert "1 fact added" in page.locator("#import-result").inner_text()

    # a second coordinator may neither edit it nor remove its import
    other = open_page()
    sign_in(other, base, "alex")
    refused = other.goto(f"{base}/communities/{SLUG}/edit")
    assert refused.status == 403
    assert "Ask sam to change this community" in other.locator("main").inner_text()
    other.goto(base + "/imports")
    row = other.locator("#imports tr", has_text="halliwell-changed.xlsx")
    assert row.count() == 1 and row.get_by_role("link", name=re.compile("Remove")).count() == 0
    other.goto(base + f"/imports/remove?graph=import/{SLUG}")
    assert "Only sam, who imported it, or an administrator" in other.locator("main").inner_text()
    assert other.get_by_role("button", name="Remove this import").count() == 0

    # an edit with no domain: the message beside the field, nothing written
    page.goto(f"{base}/communities/{SLUG}/edit")
    facts = len(store.native)
    for box in page.locator("input[name='community.domains']").all():
        box.fill("")
    page.get_by_role("button", name="Save changes").click()
    error = page.locator("#f-community-domains-error")
    assert "Domains" in error.inner_text() and "required" in error.inner_text()
    assert page.locator("#f-community-domains").get_attribute("aria-invalid") == "true"
    page.locator("#problem-summary a").first.click()
    assert len(store.native) == facts
    assert_accessible(page, "edit-form-with-errors")


def test_the_edit_form_and_change_list_fit_a_phone(site, open_page, shot):
    base = site["base"]
    phone = open_page(**PHONE)
    sign_in(phone, base, "sam")
    for name, path in (("edit-form", f"/communities/{DEMO}/edit"),
                       ("new-community-form", "/communities/new"),
                       ("community-changes", f"/id/community/{DEMO}")):  # fmt: skip
        response = phone.goto(base + path)
        assert response.status == 200, path
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width} px wide on a 375 px phone"
        shot(phone, f"phone-{name}")
        assert_accessible(phone, f"phone-{name}")


def test_the_basic_form_works_without_a_script(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, site["base"], "sam")
    page.goto(f"{site['base']}/communities/{DEMO}/edit")
    assert page.get_by_role("button", name="Add another member").count() == 0
    page.get_by_role("button", name="Check changes").click()
    assert "No changes to save" in page.locator("#changes-preview").inner_text()
    context.close()
