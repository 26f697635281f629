"""Uploading in a real browser: the page answers at once, lists the import's steps as they
are done, then shows the report; without JavaScript, "Check again" gets there too.

Both states of the page pass axe-core's serious and critical rules. The app is served in
this process, so the test can hold the import at its last step (the store's commit waits for
a signal) and look at the page while the import is still running.
"""

from __future__ import annotations

import threading

import pyoxigraph as ox
import pytest
from workbooks import GOOD, xlsx

from cop_graph.config import load_settings
from cop_graph.store.accounts import Accounts
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.web import create_app

from .axe_check import assert_accessible

PASSWORD = "a long enough secret"


@pytest.fixture
def served(reference_nquads, tmp_path):
    """(address, store) of the app over a fresh reference store on 127.0.0.1."""
    from werkzeug.serving import make_server

    store = OxigraphStore(None)
    store.native.load(reference_nquads, format=ox.RdfFormat.N_QUADS)
    accounts = Accounts(tmp_path / "accounts.sqlite3")
    accounts.add("sam", PASSWORD)
    settings = load_settings({}, store="memory:", accounts=str(accounts.path))
    httpd = make_server("127.0.0.1", 0, create_app({"STORE": store, "SETTINGS": settings}),
                        threaded=True)  # fmt: skip
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", store
    httpd.shutdown()
    thread.join()
    store.close()


def _held_at_saving(store) -> threading.Event:
    """Make the store's next commit wait until the returned event is set."""
    release = threading.Event()
    commit = store.commit

    def waiting_commit(change):
        release.wait(60)
        return commit(change)

    store.commit = waiting_commit
    return release


def _sign_in_and_upload(page, base: str, workbook) -> None:
    page.goto(base + "/sign-in?next=/imports")
    page.get_by_label("User name").fill("sam")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Workbook").set_input_files(str(workbook))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url("**/imports/jobs/*")  # the answer is the job's page, once it has come


def test_uploading_shows_the_steps_then_the_report(served, page, tmp_path, shot):
    base, store = served
    workbook = tmp_path / "halliwell.xlsx"
    workbook.write_bytes(xlsx(GOOD))
    release = _held_at_saving(store)

    _sign_in_and_upload(page, base, workbook)
    assert "/imports/jobs/" in page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Importing halliwell.xlsx"
    steps = page.locator("#import-steps")
    assert steps.get_attribute("aria-live") == "polite"
    # the script writes each step into the list as the import reaches it
    steps.locator("li", has_text="Saving: working").wait_for()
    assert "Checking against the data rules: done" in steps.inner_text()
    assert "Reading halliwell.xlsx: done" in steps.inner_text()
    assert not page.get_by_role("link", name="Check again").is_visible()  # the script checks
    shot(page, "import-progress-running")
    assert_accessible(page, "import-progress-running")

    release.set()
    result = page.locator("#import-result")
    result.wait_for()
    assert "Saved halliwell.xlsx" in result.inner_text()
    assert "Saving: done" in page.locator("#import-steps").inner_text()
    assert page.locator("#imports tbody tr").count() == 1
    shot(page, "import-progress-done")
    assert_accessible(page, "import-progress-done")


def test_without_javascript_check_again_shows_the_report(served, open_page, tmp_path):
    base, store = served
    page = open_page(java_script_enabled=False)
    workbook = tmp_path / "halliwell.xlsx"
    workbook.write_bytes(xlsx(GOOD))
    release = _held_at_saving(store)

    _sign_in_and_upload(page, base, workbook)
    again = page.get_by_role("link", name="Check again")
    assert again.is_visible()
    again.click()
    assert page.locator("#import-result").count() == 0  # still saving
    assert "/imports/jobs/" in page.url

    release.set()
    for _ in range(100):
        page.get_by_role("link", name="Check again").click()
        if page.locator("#import-result").count():
            break
        page.wait_for_timeout(100)
    assert "Saved halliwell.xlsx" in page.locator("#import-result").inner_text()
