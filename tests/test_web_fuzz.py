"""Every route, fed names and options no one should send, answers 4xx at worst, never 5xx.

The routes come from the app's own URL map, so a route added later is fuzzed too. Each
variable of a route gets each bad value in turn (quoted into the address as a browser would),
and each route's query string gets them as the options the pages read; both as a person (HTML)
and as a program (JSON), signed out and signed in. Flask's test mode lets an unexpected
exception escape instead of becoming a 500 page, so a failure shows its trace here.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

import pytest
from test_web_auth import make_app, sign_in

#: the characters that broke pages before: quote, backslash, angle brackets, braces, NUL, a
#: stray percent, newline, spaces, a very long name, an IRI in brackets, a malformed escape
BAD_VALUES = [
    '"',
    "\\",
    "<",
    ">",
    "{",
    "}",
    "\x00",
    "%",
    "\n",
    "two words ",
    "x" * 5000,
    "<http://x>",
    "a%ZZb",
    "ｗｉｄｅ and é",
]
#: the options pages read from the query string
OPTIONS = ["q", "page", "format", "locality", "kind", "practice", "level", "from", "to",
           "community", "place", "example", "query", "next", "download"]  # fmt: skip
ACCEPTS = {"html": "text/html,application/xhtml+xml,*/*;q=0.8", "json": "application/json"}
_VARIABLE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


@pytest.fixture(scope="module")
def clients(demo_nquads, tmp_path_factory):
    """Two clients of one app over the demo data: one signed out, one signed in."""
    import pyoxigraph as ox

    from cop_graph.store.oxigraph import OxigraphStore

    store = OxigraphStore(None)
    store.native.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    app = make_app(store, tmp_path_factory.mktemp("fuzz"), rate_limits=False)
    signed_in = app.test_client()
    sign_in(signed_in)
    yield app, {"signed out": app.test_client(), "signed in": signed_in}
    store.close()


def _routes(app) -> list[tuple[str, list[str]]]:
    """Each rule of the app (its pattern) with the methods it takes."""
    return sorted(
        (rule.rule, sorted(rule.methods - {"HEAD", "OPTIONS"})) for rule in app.url_map.iter_rules()
    )


def _fill(pattern: str, value: str) -> str:
    return _VARIABLE.sub(lambda _: quote(value, safe=""), pattern)


def _server_errors(client, urls: list[str], methods: list[str]) -> list[str]:
    found = []
    for url in urls:
        for method in methods:
            for name, accept in ACCEPTS.items():
                response = client.open(url, method=method, headers={"Accept": accept})
                if response.status_code >= 500:
                    found.append(f"{method} {url[:120]!r} as {name}: {response.status_code}")
    return found


@pytest.mark.parametrize("who", ["signed out", "signed in"])
def test_bad_names_in_addresses_never_answer_5xx(clients, who):
    app, by_who = clients
    client = by_who[who]
    failures, tried = [], 0
    for pattern, methods in _routes(app):
        if not _VARIABLE.search(pattern):
            continue
        urls = [_fill(pattern, value) for value in BAD_VALUES]
        tried += len(urls) * len(methods) * len(ACCEPTS)
        failures += _server_errors(client, urls, methods)
    assert tried > 400  # every route with a variable was reached
    assert failures == []


def _pages_with_options(app) -> list[str]:
    """Every address without variables that answers GET, and every analysis page and twin."""
    from cop_graph.analysis.reports import ANALYSES
    from cop_graph.web.analysis import PAGES

    fixed = [pattern for pattern, methods in _routes(app)
             if not _VARIABLE.search(pattern) and "GET" in methods]  # fmt: skip
    return (
        [url for url in fixed if url not in _IGNORING_OPTIONS]
        + [f"/api/analysis/{name}" for name in ANALYSES]
        + [f"/analysis/{page}" for page in PAGES]
    )


#: files that read no options and take long to make (a workbook): fuzzed by name only
_IGNORING_OPTIONS = {"/imports/template.xlsx", "/imports/template.zip"}


def test_bad_options_never_answer_5xx(clients):
    app, by_who = clients
    client = by_who["signed in"]
    failures, tried = [], 0
    for url in _pages_with_options(app):
        for number, option in enumerate(OPTIONS):
            for turn in range(2):  # each option gets two of the values, in rotation
                value = BAD_VALUES[(number * 2 + turn) % len(BAD_VALUES)]
                accept = list(ACCEPTS.values())[turn % 2]
                response = client.get(f"{url}?{urlencode({option: value})}",
                                      headers={"Accept": accept})  # fmt: skip
                tried += 1
                if response.status_code >= 500:
                    failures.append(f"{url}?{option}={value[:20]!r}: {response.status_code}")
    assert tried > 1000
    assert failures == []


def test_bad_names_are_not_found_in_the_shape_the_client_asked_for(clients):
    _, by_who = clients
    client = by_who["signed out"]
    for url in ("/id/community/%22", "/id/%3Chttp%3A%2F%2Fx%3E", "/ontology/%00",
                "/pictures/%22.svg", "/id/community/a%5Cb.ttl"):  # fmt: skip
        page = client.get(url, headers={"Accept": ACCEPTS["html"]})
        assert page.status_code == 404 and page.mimetype == "text/html", url
        assert "Page not found" in page.get_data(as_text=True)
    answer = client.get("/api/id/place/%5C")
    assert answer.status_code == 404
    assert answer.get_json()["ok"] is False
