"""A coordinator in a real browser: sign in, upload a workbook with a mistake, fix it, find it.

Runs Chromium (Debian's, through Playwright) against the app served over real HTTP on
127.0.0.1, so cookies, CSRF tokens, the upload form and the report table are exercised as
a person would meet them. Chromium's launch is shared with the other browser tests
(``conftest.py``).
"""

from __future__ import annotations

import threading

import pyoxigraph as ox
import pytest
from workbooks import GOOD, replace_cell, xlsx

from cop_graph.config import load_settings
from cop_graph.store.accounts import Accounts
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.web import create_app

PASSWORD = "a long enough secret"


@pytest.fixture
def server(reference_nquads, tmp_path):
    """The app over a fresh reference store, served on a free port of 127.0.0.1."""
    from werkzeug.serving import make_server

    store = OxigraphStore(None)
    store.native.load(reference_nquads, format=ox.RdfFormat.N_QUADS)
    accounts = Accounts(tmp_path / "accounts.sqlite3")
    accounts.add("sam", PASSWORD)
    settings = load_settings({}, store="memory:", accounts=str(accounts.path))
    app = create_app({"STORE": store, "SETTINGS": settings})
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join()
    store.close()


@pytest.fixture
def page(browser):
    """A fresh page of the offline Chromium (conftest.py); this test watches its own console."""
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_a_coordinator_signs_in_uploads_fixes_a_mistake_and_finds_the_community(
    server, page, tmp_path
):
    mistaken = tmp_path / "halliwell.xlsx"
    mistaken.write_bytes(xlsx(replace_cell(GOOD, "Memberships", 2, "Role", "Agenda activst")))
    errors = []  # script errors and Content-Security-Policy refusals (a missing page is no error)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and errors.append(message.text))  # fmt: skip

    page.goto(server + "/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("User name").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.url == server + "/imports"
    assert page.get_by_role("button", name="Sign out (sam)").is_visible()

    page.get_by_label("Workbook").set_input_files(str(mistaken))
    page.get_by_role("button", name="Upload").click()
    assert (
        "halliwell.xlsx was not imported" in page.locator("#import-problems-summary").inner_text()
    )
    row = page.locator("#import-problems tbody tr")
    assert row.count() == 1
    assert [cell.strip() for cell in row.locator("td").all_inner_texts()] == [
        "Memberships", "2", "Role", "Agenda activst",
        '"Agenda activst" is not a role; did you mean "Agenda activist"?',
    ]  # fmt: skip

    fixed = tmp_path / "halliwell (2).xlsx"  # saved again under a new name: same workbook
    fixed.write_bytes(xlsx(GOOD))
    page.get_by_label("Workbook").set_input_files(str(fixed))
    page.get_by_role("button", name="Upload").click()
    assert "Saved halliwell (2).xlsx" in page.locator("#import-result").inner_text()
    assert page.locator("#imports tbody tr").count() == 1

    # the new community's page, reached from the report
    page.locator("#import-result").get_by_role("link", name="Halliwell walkers").click()
    assert page.url == server + "/id/community/halliwell-walkers"
    assert "Halliwell walkers" in page.get_by_role("heading", level=1).inner_text()
    page.goto(server + "/assessment")
    page.get_by_role("link", name="Halliwell walkers").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Self-assessment: Halliwell walkers"
    assert errors == []
