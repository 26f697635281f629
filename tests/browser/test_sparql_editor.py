"""The SPARQL page in Chromium: the vendored editor highlights and completes, "Add PREFIX
lines" writes the missing declarations, and a GROUP BY answer becomes a bar chart; the page
passes axe-core and fits a phone's width. The console must stay clean throughout (the
fixtures fail on any error), which also proves the editor's styles pass the page's CSP."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from live_server import live_server

from cop_graph.config import load_settings
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.web import create_app

from .axe_check import assert_accessible

GROUP_BY = (
    "SELECT ?practiceName (COUNT(DISTINCT ?community) AS ?communities) WHERE {\n"
    "  ?community a cop:CommunityOfPurpose ; cop:sharesPractice ?practice .\n"
    "  ?practice rdfs:label ?practiceName .\n"
    "}\nGROUP BY ?practiceName\nORDER BY DESC(?communities) ?practiceName\n"
)


@pytest.fixture(scope="module")
def site(demo_nquads):
    """The app over the demo data, served by waitress on a free port of 127.0.0.1."""
    store = OxigraphStore(None)
    store.native.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    app = create_app({"STORE": store, "SETTINGS": load_settings({}, store="memory:")})
    with live_server(app) as base:
        yield base
    store.close()


@pytest.fixture
def refused_page(browser, request):
    """A page like the shared ``page``, except that a refused query's own 400 status (which
    Chromium logs as "Failed to load resource") is expected; script errors and CSP refusals
    still fail the test."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    errors: list[str] = []
    opened = context.new_page()
    opened.on("pageerror", lambda error: errors.append(f"script error: {error}"))
    opened.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and errors.append(message.text)
        ),
    )
    yield opened
    context.close()
    assert errors == [], f"the browser console reported errors in {request.node.name}"


def _editor(page):
    """The editor's editable area, once the bundle has loaded and replaced the textarea."""
    content = page.locator(".cm-editor .cm-content")
    content.wait_for()
    return content


def test_editor_highlights_and_completes_a_cop_term(site, page, shot):
    page.goto(site + "/sparql")
    content = _editor(page)
    assert page.locator("#query").is_hidden()  # kept for the form, behind the editor
    assert content.locator(".tok-keyword", has_text="SELECT").count() >= 1
    assert content.locator(".tok-variableName").count() >= 2
    assert content.locator(".tok-atom", has_text="cop:CommunityOfPurpose").count() == 1

    content.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\n?x a cop:Comm")
    option = page.locator(".cm-tooltip-autocomplete li[aria-selected]")
    option.wait_for()
    assert option.inner_text().startswith("cop:CommunityOfPurpose")
    page.keyboard.press("Enter")
    assert page.locator("#query").input_value().rstrip().endswith("\n?x a cop:CommunityOfPurpose")
    shot(page, "sparql-01-completion")


def test_add_prefix_lines_declares_what_the_query_uses(site, page):
    page.goto(site + "/sparql")
    _editor(page)
    page.get_by_role("button", name="Add PREFIX lines").click()
    text = page.locator("#query").input_value()
    assert text.startswith(
        "PREFIX cop: <https://w3id.org/cop-graph/ontology#>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT"
    )
    assert "Added 2 PREFIX lines" in page.locator("#editor-status").inner_text()
    page.get_by_role("button", name="Add PREFIX lines").click()  # nothing more to add
    assert page.locator("#query").input_value() == text
    assert "already declared" in page.locator("#editor-status").inner_text()


def test_group_by_answer_draws_one_bar_per_row(site, page, shot):
    page.goto(site + "/sparql")
    content = _editor(page)
    content.click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.locator("#query").evaluate("(t, q) => { t.value = q; }", GROUP_BY)  # what is sent
    page.get_by_role("button", name="Run query").click()
    page.wait_for_load_state()
    rows = page.locator("#result-table tbody tr").count()
    assert rows > 1
    page.get_by_role("button", name="Bar chart").click()
    chart = page.locator("svg.bar-chart")
    assert chart.is_visible()
    assert chart.locator("rect.bar").count() == rows
    assert page.locator("#result-table").is_hidden()
    shot(page, "sparql-02-bar-chart")
    assert_accessible(page, "sparql-bar-chart")
    page.get_by_role("button", name="Map").click()
    assert "No map for these results" in page.locator(".view-map").inner_text()


def test_construct_answer_draws_a_graph_and_places_a_map(site, page, shot):
    query = (
        "CONSTRUCT { ?c a cop:CommunityOfPurpose ; rdfs:label ?n ; cop:operatesIn ?p . "
        "?p rdfs:label ?pn } WHERE { ?c a cop:CommunityOfPurpose ; rdfs:label ?n ; "
        "cop:operatesIn ?p . ?p rdfs:label ?pn } LIMIT 60"
    )
    page.goto(site + "/sparql?" + _encode(query))
    page.get_by_role("button", name="Graph").click()
    graph = page.locator("svg.graph-view")
    assert graph.is_visible() and graph.locator("circle").count() > 2
    assert graph.locator("line.graph-edge").count() > 1
    shot(page, "sparql-03-graph")
    assert_accessible(page, "sparql-graph")
    page.get_by_role("button", name="Map").click()
    assert page.locator(".view-map svg.gm-map").is_visible()
    assert_accessible(page, "sparql-map")


def test_sparql_page_is_accessible_and_fits_a_phone(site, open_page, shot):
    page = open_page(viewport={"width": 375, "height": 800})
    page.goto(site + "/sparql?" + _encode(GROUP_BY))
    _editor(page)
    assert_accessible(page, "sparql")
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= 375, f"the page is {scroll} px wide at 375 px"
    page.get_by_role("button", name="Bar chart").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "sparql-04-phone")


def _encode(query: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"query": query})


def test_an_example_asks_for_its_parameters_and_answers_with_them(site, refused_page, shot):
    page = refused_page
    page.goto(site + "/sparql")
    _editor(page)
    page.get_by_label("Example questions").select_option("ask_practice_in_locality")
    practice = page.get_by_label("practice (required)")
    practice.wait_for()
    assert page.locator("#query").input_value().startswith("# title: Is a practice shared")
    page.get_by_role("button", name="Run query").click()
    page.wait_for_load_state()
    assert "needs the parameters practice" in page.get_by_role("alert").inner_text()
    page.get_by_label("practice (required)").fill("id:practice/health-walks")
    page.get_by_label("locality (required)").fill("id:place/bolton")
    page.get_by_role("button", name="Run query").click()
    page.wait_for_load_state()
    assert page.locator("p.boolean").inner_text() == "Yes"
    assert page.get_by_label("locality (required)").input_value() == "id:place/bolton"
    _editor(page)
    assert_accessible(page, "sparql-example")
    shot(page, "sparql-05-example-parameters")
