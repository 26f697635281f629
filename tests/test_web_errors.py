"""One error shape, one rule for JSON, one web state: what programs and people get on a failure.

Programs get ``{"ok": false, "status", "title", "error"}`` with the status in the body too;
people get the house-styled page. Which one is decided by
:func:`cop_graph.web.negotiation.wants_json` alone, tested here as a table.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from flask import Flask

from cop_graph.errors import StoreError
from cop_graph.web.negotiation import wants_json

WEB = Path(__file__).parents[1] / "web"
SHAPE = {"ok", "status", "title", "error"}


def assert_error_shape(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) >= SHAPE, body
    assert body["ok"] is False and body["status"] == status
    assert body["title"] and body["error"].endswith("."), body
    assert "Traceback" not in body["error"]
    return body


def assert_styled_page(response, status: int) -> str:
    assert response.status_code == status
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert 'class="site-header"' in page and "/static/style.css" in page, page[:300]
    assert f"Error {status}" in page
    return page


# -- the shape ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url", "status", "options"),
    [
        ("GET", "/api/analysis/paths?from=Wigan", 400, {}),
        ("GET", "/sparql?query=", 400, {}),
        ("GET", "/sparql?query=SELEC%20nothing", 400, {}),
        ("GET", "/sparql?update=CLEAR%20ALL", 403, {}),
        ("GET", "/api/nope", 404, {}),
        ("GET", "/api/id/community/%22", 404, {}),
        ("GET", "/api/analysis/bridges", 404, {}),
        ("GET", "/downloads/nothing.nq.gz", 404, {"headers": {"Accept": "application/json"}}),
        ("POST", "/api/search", 405, {}),
        ("PUT", "/sparql", 405, {}),
        ("DELETE", "/api/communities", 405, {}),
        (
            "POST",
            "/sparql",
            413,
            {"data": "ASK {}" + " " * 300_000, "content_type": "application/sparql-query"},
        ),
    ],  # fmt: skip
)
def test_programs_get_one_json_error_shape(client, method, url, status, options):
    body = assert_error_shape(client.open(url, method=method, **options), status)
    assert set(body) == SHAPE


def test_a_method_not_taken_says_which_are(client):
    response = client.post("/api/search")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_errors_of_the_endpoint_can_be_read_from_other_sites(client):
    response = client.get("/sparql?query=SELEC")
    assert_error_shape(response, 400)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_an_import_over_the_limit_is_the_error_shape_with_its_problems(seeded_store, tmp_path):
    from test_web_auth import make_app, sign_in, token

    client = make_app(seeded_store, tmp_path, max_upload_bytes=20_000).test_client()
    sign_in(client)
    workbook = (io.BytesIO(b"PK" + b"\0" * 50_000), "a.xlsx")
    form = {"csrf_token": token(client, "/imports"), "workbook": workbook}
    response = client.post("/imports?format=json", data=form, content_type="multipart/form-data")
    body = assert_error_shape(response, 413)
    assert body["problems"][0]["message"].startswith("the file is larger than")


def test_a_form_without_its_token_is_refused_in_the_shape_the_client_wants(seeded_store, tmp_path):
    from test_web_auth import make_app, sign_in

    client = make_app(seeded_store, tmp_path).test_client()
    sign_in(client)
    body = assert_error_shape(client.post("/imports?format=json"), 400)
    assert "security token" in body["error"]
    page = client.post("/imports")
    assert page.status_code == 400 and "Please try again" in page.get_data(as_text=True)


# -- pages for people --------------------------------------------------------------------------


def test_an_unknown_address_is_the_house_styled_page(client):
    page = assert_styled_page(client.get("/nope"), 404)
    assert "Page not found" in page
    assert len(page) > 1000  # the whole layout, not Flask's 207-byte page


@pytest.mark.parametrize(
    ("url", "status"),
    [("/id/community/%22", 404), ("/analysis/bridges", 404), ("/api-nope/x", 404)],
)
def test_browsers_get_pages_for_errors(client, url, status):
    assert_styled_page(client.get(url, headers={"Accept": "text/html,*/*;q=0.8"}), status)


def test_the_query_page_shows_a_refused_query_to_browsers(client):
    response = client.get("/sparql?query=SELEC", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert "<textarea" in response.get_data(as_text=True)


@pytest.fixture
def failing_app(demo_store):
    """The app as it runs for real (not in test mode), with one page that always breaks."""
    from cop_graph.config import load_settings
    from cop_graph.web import create_app

    app = create_app({"STORE": demo_store, "SETTINGS": load_settings({}, store="memory:")})

    def broken():
        raise RuntimeError("the inside of the program, never to be shown")

    def store_failed():
        raise StoreError(
            "the SPARQL server at http://127.0.0.1:1/sparql cut its answer short at its limit"
        )

    app.add_url_rule("/broken", "broken", broken)
    app.add_url_rule("/api/broken", "broken_json", broken)
    app.add_url_rule("/store-failed", "store_failed", store_failed)
    app.add_url_rule("/api/store-failed", "store_failed_json", store_failed)
    app.logger.disabled = True
    return app


def test_an_unexpected_failure_is_a_500_in_the_shape_without_its_inside(failing_app):
    client = failing_app.test_client()
    page = assert_styled_page(client.get("/broken"), 500)
    body = assert_error_shape(client.get("/api/broken"), 500)
    for text in (page, str(body)):
        assert "inside of the program" not in text and "RuntimeError" not in text


def test_a_store_that_cannot_answer_is_a_503_that_says_so_and_is_logged(failing_app, caplog):
    """A server cutting an answer short at its row cap (Virtuoso's 1,048,576 rows over HTTP) or
    not answering is no 500: the page says the store failed, the log says why."""
    failing_app.logger.disabled = False
    client = failing_app.test_client()
    with caplog.at_level("ERROR"):
        page = assert_styled_page(client.get("/store-failed"), 503)
        body = assert_error_shape(client.get("/api/store-failed"), 503)
    assert body["title"] == "The data store could not answer"
    assert "data store could not give what this page needs" in page
    for text in (page, str(body)):
        assert "127.0.0.1" not in text and "StoreError" not in text
    logged = [r.getMessage() for r in caplog.records if "store could not answer" in r.getMessage()]
    assert len(logged) == 2 and "/api/store-failed" in logged[1]
    assert "cut its answer short" in logged[0]


# -- the one rule for JSON ---------------------------------------------------------------------

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.mark.parametrize(
    ("path", "accept", "expected"),
    [
        ("/api/search", BROWSER, True),  # /api/ is for programs, whatever the header
        ("/search", BROWSER, False),
        ("/search", None, False),  # a page by default
        ("/search", "*/*", False),
        ("/search", "application/json", True),
        ("/id/x", "application/ld+json", True),  # any +json type counts as JSON
        ("/search?format=json", BROWSER, True),  # the format option wins over the header
        ("/search?format=html", "application/json", False),
        ("/sparql", None, True),  # addresses for programs answer JSON by default
        ("/sparql", "*/*", True),
        ("/sparql", "text/csv", True),
        ("/sparql", BROWSER, False),  # unless HTML is preferred
        ("/.well-known/void", None, True),
    ],
)
def test_one_rule_decides_whether_a_client_wants_json(path, accept, expected):
    app = Flask(__name__)
    headers = {"Accept": accept} if accept else {}
    with app.test_request_context(path, headers=headers):
        assert wants_json() is expected


# -- one place per decision --------------------------------------------------------------------


def _web_sources() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in WEB.glob("*.py")}


@pytest.mark.parametrize(
    ("pattern", "only_in"),
    [
        (r"extensions\[|extensions\.get", {"state.py"}),  # the web state
        (r"def _store\b", set()),  # one way to the store: app_state().store
        (r"accept_mimetypes", {"negotiation.py"}),  # one rule for content negotiation
        (r"htmlsafe_json_dumps|jsonify", {"negotiation.py"}),  # one JSON writer
        (r'"ok": False|ok=False', {"errors.py"}),  # one error builder
        (r"register_error_handler|app_errorhandler", {"errors.py", "auth.py"}),
        (r"threading\.(R?Lock)\(", set()),  # locks live in the state, made per app
    ],
)
def test_each_decision_of_the_web_layer_is_made_in_one_module(pattern, only_in):
    found = {name for name, text in _web_sources().items() if re.search(pattern, text)}
    assert found <= only_in, f"{pattern} is also decided in {sorted(found - only_in)}"
