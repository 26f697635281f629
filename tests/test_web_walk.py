"""Every entity of the demo and reference data, walked once through one app and one store.

Each answers 200 as HTML, Turtle and JSON-LD, and its Turtle parses back to exactly the public
facts about it. The same walk carries planted data that must never show: a person who did not
agree to be named, a community whose name is a ``<script>``, and ``javascript:`` links. The walk
then also covers the lists, search, downloads and pictures, and nothing on any of them may
show the name, the link or unescaped markup.
"""

from __future__ import annotations

import gzip
import json
import re

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from cop_graph.config import load_settings
from cop_graph.files.terms import to_rdflib
from cop_graph.ingest.load import load_files
from cop_graph.namespaces import ID
from cop_graph.queries.catalogue import graph_iri
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.web import create_app

#: a person without consent; their name must appear nowhere public
SECRET_NAME = "Zenobia Quillfeather"
SECRET_EMAIL = "zenobia.q@example.org"
PLANTED = f"""
@prefix cop: <https://w3id.org/cop-graph/ontology#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<https://w3id.org/cop-graph/id/community/planted-script> a cop:CommunityOfPurpose ;
    rdfs:label "<script>alert('planted')</script> walking club" ;
    dcterms:description "A description with <b>markup</b> and <img src=x onerror=alert(1)>." ;
    cop:hasDomain <https://w3id.org/cop-graph/id/domain/planted-domain> ;
    cop:operatesIn <https://w3id.org/cop-graph/id/place/wigan> ;
    cop:sharesPractice <https://w3id.org/cop-graph/id/practice/health-walks> ;
    foaf:homepage <javascript:alert('home')> ;
    rdfs:seeAlso <javascript:alert('see')> , <https://www.nhs.uk/> .

<https://w3id.org/cop-graph/id/domain/planted-domain> a cop:Domain, skos:Concept ;
    rdfs:label "Planted domain" ;
    skos:prefLabel "Planted domain" .

<https://w3id.org/cop-graph/id/person/planted-0001> a foaf:Person ;
    rdfs:label "{SECRET_NAME}" ;
    foaf:name "{SECRET_NAME}" ;
    foaf:mbox <mailto:{SECRET_EMAIL}> ;
    cop:basedIn <https://w3id.org/cop-graph/id/place/wigan> ;
    cop:publicProfile false .

<https://w3id.org/cop-graph/id/membership/planted-0001> a org:Membership ;
    rdfs:label "Member of the planted club" ;
    org:organization <https://w3id.org/cop-graph/id/community/planted-script> ;
    org:member <https://w3id.org/cop-graph/id/person/planted-0001> ;
    org:role cop:CommunityKeeper .
"""
RDF_SUFFIXES = ("ttl", "jsonld")
_SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
#: an event handler attribute inside a real (unescaped) tag
_EVENT_HANDLER = re.compile(r"<[a-z][^<>]*\son[a-z]+\s*=", re.IGNORECASE)
#: whole-dataset dumps written by the SPARQL endpoint (cop_graph.sparql.dumps): the data as
#: stored, links included
_DUMPS = ("/downloads/cop-graph-public.",)


@pytest.fixture(scope="module")
def site(demo_nquads, tmp_path_factory):
    """One store (demo, reference and the planted data) and one app for the whole walk."""
    store = OxigraphStore(None)
    store.native.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    planted = tmp_path_factory.mktemp("planted") / "planted.ttl"
    planted.write_text(PLANTED, encoding="utf-8")
    # check=False: the javascript: home page would be refused by the data rules; the pages
    # must stay safe even when such data reaches the store some other way
    load_files(store, [planted], name="load/planted", who="tests", check=False)
    app = create_app(
        {
            "TESTING": True,
            "STORE": store,
            "SETTINGS": load_settings({}, store="memory:", rate_limits=False),
        }
    )
    yield store, app.test_client()
    store.close()


def _data_graphs(store) -> list[str]:
    """The public graphs holding facts about things: all but the private ones, the catalogue
    of graphs and the data rules (whose records are about graphs and shapes, not things)."""
    records = {str(graph_iri("catalogue")), str(graph_iri("shapes"))}
    return [
        str(g) for g in store.named_graphs() if not g.endswith("/private") and str(g) not in records
    ]


def _entities(store) -> list[str]:
    query = """
        SELECT DISTINCT ?thing WHERE {
          ?thing ?p ?o .
          FILTER (isIRI(?thing) && !CONTAINS(STR(?thing), "#")
                  && STRSTARTS(STR(?thing), "https://w3id.org/cop-graph/id/"))
        }"""
    rows = store.query(query, default_graph=[URIRef(g) for g in _data_graphs(store)]).rows
    return sorted(str(row[0]) for row in rows)


def _expected_facts(store, iri: str) -> set:
    """The public facts about ``iri`` and its ``#`` parts, read straight from the store's
    quads (not through the page code), without links to non-web addresses, as rdflib terms."""
    public = {ox.NamedNode(g) for g in _data_graphs(store)}

    def about(subject: ox.NamedNode) -> list:
        return [
            quad.triple
            for quad in store.native.quads_for_pattern(subject, None, None, None)
            if quad.graph_name in public
        ]

    facts = about(ox.NamedNode(iri))
    parts = {
        t.object
        for t in facts
        if isinstance(t.object, ox.NamedNode) and t.object.value.startswith(iri + "#")
    }
    for part in parts:
        facts += about(part)
    return {
        tuple(to_rdflib(term) for term in (t.subject, t.predicate, t.object))
        for t in facts
        if not any(
            isinstance(term, ox.NamedNode) and not term.value.startswith(("http", "mailto:"))
            for term in (t.subject, t.predicate, t.object)
        )
    }


@pytest.fixture(scope="module")
def walk(site):
    """Every entity page in HTML, Turtle and JSON-LD, and every list, search, download and
    picture: url → (status, content type, body text)."""
    store, client = site
    answers = {}

    def get(url, **kwargs):
        response = client.get(url, **kwargs)
        body = response.data
        if body[:2] == b"\x1f\x8b":
            body = gzip.decompress(body)
        answers[url] = (response.status_code, response.content_type, body.decode("utf-8"))
        return response

    for iri in _entities(store):
        path = "/id/" + iri[len(str(ID)) :]
        get(path)
        for suffix in RDF_SUFFIXES:
            get(f"{path}.{suffix}")
    for name in ("PeoplePower", "CommunityKeeper", "IdentifyPurposeAndScope", "Prevention"):
        get(f"/ontology/{name}")
    for url in (
        "/",
        "/api/",
        "/communities",
        "/api/communities",
        "/organisations",
        "/places",
        "/places?locality=https://w3id.org/cop-graph/id/place/wigan",
        "/ontology",
        "/ontology.ttl",
        "/downloads",
        "/api/downloads",
        f"/search?q={SECRET_NAME}",
        f"/api/search?q={SECRET_NAME.split()[1]}",
        "/search?q=script",
        "/api/search?q=planted",
        "/search?q=javascript",
        "/pictures/community/planted-script.svg",
        "/pictures/place/wigan.svg",
        "/api/id/community/planted-script",
        "/api/id/person/planted-0001",
        "/api/id/membership/planted-0001",
    ):
        get(url)
    for download in json.loads(answers["/api/downloads"][2])["tables"]:
        get(download["url"])
    for download in json.loads(answers["/api/downloads"][2])["dumps"]:
        get(download["url"])
    return answers


def test_every_entity_answers_in_html_turtle_and_json_ld(walk, site):
    store, _ = site
    entities = _entities(store)
    assert len(entities) > 1500  # the demo and reference data, not an empty store
    for iri in entities:
        path = "/id/" + iri[len(str(ID)) :]
        status, content_type, _ = walk[path]
        assert status == 200 and content_type.startswith("text/html"), path
        assert walk[path + ".ttl"][:2] == (200, "text/turtle; charset=utf-8"), path
        status, content_type, body = walk[path + ".jsonld"]
        assert (status, content_type) == (200, "application/ld+json"), path
        assert json.loads(body), path


def test_turtle_parses_back_to_the_entitys_public_facts(walk, site):
    store, _ = site
    for iri in _entities(store):
        turtle = walk["/id/" + iri[len(str(ID)) :] + ".ttl"][2]
        # compared as rdflib terms, which write a value one way (``Z`` and ``+00:00``
        # name the same time zone)
        parsed = set(Graph().parse(data=turtle, format="turtle"))
        assert parsed == _expected_facts(store, iri), iri


def test_a_person_without_consent_is_never_named(walk):
    for url, (_, _, body) in walk.items():
        if "?q=" in url:
            continue  # the search page repeats what was typed; its results are checked below
        assert SECRET_NAME not in body, url
        assert SECRET_NAME.split()[1] not in body, url
        assert SECRET_EMAIL not in body, url


def test_searching_for_the_person_finds_nothing(walk):
    for url in (f"/search?q={SECRET_NAME}", f"/api/search?q={SECRET_NAME.split()[1]}"):
        body = walk[url][2]
        assert "0 results" in body or json.loads(body)["total"] == 0, url


def test_the_person_is_shown_by_role_only(walk):
    page = walk["/id/community/planted-script"][2]
    assert "1 community keeper whose name is not shown" in page
    person = walk["/id/person/planted-0001"][2]
    assert "A person (name not shown)" in person


def test_javascript_links_never_show(walk):
    for url, (_, _, body) in walk.items():
        if url.startswith(_DUMPS):
            continue  # see the next test
        assert "javascript:" not in body.lower(), url
    # the safe link beside them is kept
    assert 'href="https://www.nhs.uk/"' in walk["/id/community/planted-script"][2]


def test_dataset_dumps_leave_out_javascript_links(walk):
    dumps = [url for url in walk if url.startswith(_DUMPS)]
    assert dumps
    for url in dumps:
        assert "javascript:" not in walk[url][2].lower(), url


def test_markup_in_names_is_escaped_everywhere(walk):
    for url, (_, content_type, body) in walk.items():
        if content_type.startswith(("text/html", "image/svg", "application/json")):
            assert "<script>alert" not in body, url
            assert "<b>markup</b>" not in body, url
            assert "<img src=x" not in body, url
        else:
            # files of data may hold the name as it is, but never as something a browser runs
            assert not content_type.startswith("text/html"), url
    page = walk["/id/community/planted-script"][2]
    assert "&lt;script&gt;alert(" in page
    assert json.loads(walk["/api/id/community/planted-script"][2])["label"].startswith("<script>")


def test_pages_carry_no_inline_script(walk):
    for url, (_, content_type, body) in walk.items():
        if content_type.startswith("text/html"):
            for attributes in _SCRIPT_TAG.findall(body):
                assert 'src="/static/' in attributes, url
            assert not _EVENT_HANDLER.search(body), url


def test_the_planted_community_is_found_by_search_and_listed(walk):
    results = json.loads(walk["/api/search?q=planted"][2])["results"]
    assert any(r["iri"].endswith("community/planted-script") for r in results)
    assert "planted-script" in walk["/communities"][2]
