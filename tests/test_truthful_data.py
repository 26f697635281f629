"""Invented data touches only invented things, and its mark travels everywhere it goes.

The demo (``data/demo``) is invented; the reference data (``data/reference``, which holds the
seed document's organisations too) is real. A real organisation said to be a member or a
partner of an invented thing would be a false statement about it, whatever banner the site
shows; and an invented thing shown without its mark would pass for a real one. So one walk
over every entity page and its JSON twin, the lists, search, home page, analyses (pages, JSON
and CSV), pictures, CSV downloads and whole-dataset dumps checks that:

- no real organisation is linked as member or partner to anything invented;
- wherever an invented thing appears, its mark does: the "illustrative" tag (or a name ending
  "(illustrative)") beside its link in HTML, ``"illustrative": true`` on its JSON object, yes or
  true in the CSV's illustrative column, and ``cop:illustrative true`` in the dumps, people
  whose names are private included.

Then: the setting that hides invented data from the site, and ``cop-graph demo --remove``
taking it out of a store the server is using.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest
import requests
from rdflib import Graph, Literal, URIRef

from cop_graph.analysis import reports
from cop_graph.config import load_settings
from cop_graph.marks import mark, mark_rows, mentions
from cop_graph.namespaces import COP, ID, ORG, RDF
from cop_graph.store.owner import read_owner
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.web import create_app

REPO = Path(__file__).resolve().parents[1]
DEMO_FILE = REPO / "data" / "demo" / "demo.ttl"
REFERENCE = sorted((REPO / "data" / "reference").glob("*.ttl"))
BIN = Path(sys.executable).parent
_ORGANISATION_KINDS = {
    ORG.Organization,
    COP.PrimaryCareNetwork,
    COP.GPPractice,
    COP.VCSEOrganisation,
    COP.LocalAuthority,
    COP.CombinedAuthority,
    COP.NHSBody,
}
#: keys under which a JSON object names the thing it is about
_SUBJECT_KEYS = ("iri", "community", "node", "place", "practice", "membership")
#: a link to an entity page, the text of the link, and what follows it
_LINK = re.compile(r'<a href="(/id/[^".?#"]+)">([^<]*)</a>(.{0,80})', re.S)
#: a node of a connection picture: its link and its tooltip
_PICTURE_NODE = re.compile(r'<a href="(?:https?://[^/"]+)?(/id/[^"]+)"><title>([^<]*)</title>')
_TAG = '<span class="tag illustrative-tag"'
_MARKED_NAME = "(illustrative)"


def _things_of(files, classes=None) -> set[URIRef]:
    graph = Graph()
    for path in files:
        graph.parse(path)
    if classes is None:
        return {s for s in graph.subjects(COP.illustrative, Literal(True))}
    return {s for cls in classes for s in graph.subjects(RDF.type, cls)}


#: every invented thing, read from the demo file itself (not through the code under test)
INVENTED = {str(s) for s in _things_of([DEMO_FILE])}
#: every real organisation: the reference data's and the seed's
REAL_ORGANISATIONS = {str(s) for s in _things_of(REFERENCE, _ORGANISATION_KINDS)}


def test_the_reference_data_holds_real_organisations_and_the_demo_invents_things():
    assert len(REAL_ORGANISATIONS) > 400  # PCNs, GP practices, councils, NHS bodies, VCSE
    assert len(INVENTED) > 1000
    assert not INVENTED & REAL_ORGANISATIONS


# -- no real organisation is linked to an invented thing ---------------------------------------


@pytest.fixture(scope="module")
def store(demo_nquads):
    opened = OxigraphStore(None)
    opened.native.load(demo_nquads, format=ox.RdfFormat.N_QUADS)
    yield opened
    opened.close()


def _invented_in(store) -> set[str]:
    rows = store.query("SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s cop:illustrative true } }").rows
    return {str(row[0]) for row in rows}


def test_no_real_organisation_is_member_or_partner_of_anything_invented(store):
    invented = _invented_in(store)
    memberships = store.query(
        """SELECT ?membership ?member ?organisation WHERE { GRAPH ?g {
             ?membership org:member ?member ; org:organization ?organisation } }"""
    ).rows
    claims = [
        (str(membership), str(member), str(organisation))
        for membership, member, organisation in memberships
        if {str(membership), str(organisation), str(member)} & invented
    ]
    assert claims, "the demo has memberships"
    for membership, member, organisation in claims:
        assert member not in REAL_ORGANISATIONS, (membership, member)
        assert organisation not in REAL_ORGANISATIONS, (membership, organisation)
    partners = store.query("SELECT ?p ?o WHERE { GRAPH ?g { ?p cop:partner ?o } }").rows
    invented_partners = [(str(p), str(o)) for p, o in partners if str(p) in invented]
    assert invented_partners, "the demo has partnerships"
    assert not [pair for pair in invented_partners if pair[1] in REAL_ORGANISATIONS]
    direct = store.query("SELECT ?a ?b WHERE { GRAPH ?g { ?a org:memberOf ?b } }").rows
    for a, b in direct:
        if {str(a), str(b)} & invented:
            assert not {str(a), str(b)} & REAL_ORGANISATIONS, (a, b)


def test_a_real_pcn_page_ties_it_to_nothing_invented(client):
    """Its own facts, links, memberships and places above and below it name nothing invented.
    Like every place page, it lists the communities working in the area it serves (issue 15),
    invented ones included: that says nothing about the network, and each carries its mark."""
    pcn = next(iri for iri in sorted(REAL_ORGANISATIONS) if "/organisation/u" in iri)
    data = client.get("/api/id/" + pcn[len(str(ID)) :]).get_json()
    own = json.dumps([data[key] for key in ("facts", "linked_from", "memberships", "hierarchy")])
    assert not [iri for iri in INVENTED if iri in own]
    for community in data["communities"] + data["wider_communities"]:
        assert bool(community.get("illustrative")) == (community["iri"] in INVENTED), community


# -- the walk ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(store):
    settings = load_settings({}, store="memory:", rate_limits=False)
    return create_app({"TESTING": True, "STORE": store, "SETTINGS": settings}).test_client()


def _entities(store) -> list[str]:
    rows = store.query(
        """SELECT DISTINCT ?thing WHERE { GRAPH ?g { ?thing ?p ?o }
             FILTER (isIRI(?thing) && !CONTAINS(STR(?thing), "#")
                     && STRSTARTS(STR(?thing), "https://w3id.org/cop-graph/id/")
                     && !STRENDS(STR(?g), "/private")
                     && !STRSTARTS(STR(?thing), "https://w3id.org/cop-graph/id/graph/")) }"""
    ).rows
    return sorted(str(row[0]) for row in rows)


def _analysis_urls() -> list[str]:
    options = {
        "paths": "from=Wigan&to=Bolton",
        "learn-from": "community=" + quote(str(ID) + "community/bolton-health-walks-network"),
    }
    urls = []
    for name in reports.ANALYSES:
        query = options.get(name, "")
        urls += [f"/api/analysis/{name}?{query}", f"/api/analysis/{name}?format=csv&{query}"]
        urls.append(f"/api/analysis/{name}/graph.csv?{query}")
    for page in ("shared-practice", "network", "gaps", "brokers", "roles", "progress"):
        urls.append(f"/analysis/{page}")
    urls += [
        "/analysis/shared-practice?place=Bolton",
        "/analysis/resilience",
        "/analysis/paths?" + options["paths"],
        "/analysis/learn-from?" + options["learn-from"],
    ]
    return urls


@pytest.fixture(scope="module")
def walk(store, client):
    """url → (status, content type, text) for every page, twin, table, picture and dump."""
    answers = {}

    def get(url):
        response = client.get(url)
        body = response.data
        if body[:2] == b"\x1f\x8b":
            body = gzip.decompress(body)
        answers[url] = (response.status_code, response.content_type, body.decode("utf-8"))

    for iri in _entities(store):
        rest = iri[len(str(ID)) :]
        get("/id/" + rest)
        get("/api/id/" + rest)
    for url in (
        "/",
        "/api/",
        *(f"{api}/{name}" for api in ("", "/api") for name in LISTS),
        "/communities?locality=" + quote(str(ID) + "place/wigan"),
        "/api/organisations?locality=" + quote(str(ID) + "place/bolton"),
        *(f"{api}/search?q={q}" for api in ("", "/api") for q in SEARCHES),
        "/downloads",
        "/api/downloads",
        "/pictures/community/bolton-health-walks-network.svg",
        "/pictures/place/bolton.svg",
        "/pictures/place/wigan-pemberton.svg",
        *_analysis_urls(),
    ):
        get(url)
    downloads = json.loads(answers["/api/downloads"][2])
    for download in downloads["tables"] + downloads["dumps"]:
        get(download["url"])
    return answers


LISTS = ("communities", "organisations", "places")
SEARCHES = ("walk", "example", "pcn", "bolton", "health", "a")


def test_the_walk_answers_everything(walk):
    failed = {url: status for url, (status, _, _) in walk.items() if status != 200}
    assert not failed
    assert len(walk) > 3000


def test_html_marks_every_invented_thing_beside_its_name(walk):
    checked = 0
    for url, (_, content_type, body) in walk.items():
        if not content_type.startswith("text/html"):
            continue
        for path, label, after in _LINK.findall(body):
            if str(ID) + path[len("/id/") :] in INVENTED and label.strip():
                checked += 1
                marked = label.strip().endswith(_MARKED_NAME) or after.startswith(" " + _TAG)
                assert marked, f"{url}: {label!r} ({path}) is shown without its mark"
    assert checked > 1000


def test_every_invented_page_says_so_at_the_top(walk):
    for iri in INVENTED:
        status, _, body = walk.get("/id/" + iri[len(str(ID)) :], (404, "", ""))
        if status == 200:  # memberships of people who keep their names private have no page
            assert "Illustrative – invented for the demo" in body, iri


def test_analysis_pages_tag_rows_resting_on_invented_data_and_say_what_the_tag_means(walk):
    pages = [url for url in walk if url.startswith("/analysis/")]
    assert len(pages) >= 8
    for url in pages:
        body = walk[url][2]
        # the demo's communities are all invented: every answer rests on them
        assert "come from invented example data" in body, url
        marks = body.count(_TAG) + body.count(_MARKED_NAME)
        assert marks >= 3, url  # the note and at least one row


def test_pictures_mark_every_invented_node_and_explain_the_mark(walk):
    checked = 0
    for url, (_, content_type, body) in walk.items():
        if "svg" not in content_type and "connection-picture" not in body:
            continue
        for path, title in _PICTURE_NODE.findall(body):
            if str(ID) + path[len("/id/") :] in INVENTED:
                checked += 1
                assert "(illustrative" in title, (url, title)
                assert "Illustrative (invented)</text>" in body, url
    assert checked > 10


def _json_objects(value):
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _json_objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_objects(item)


def test_every_json_object_about_an_invented_thing_says_illustrative(walk):
    checked = 0
    for url, (_, content_type, body) in walk.items():
        if not content_type.startswith("application/json"):
            continue
        for item in _json_objects(json.loads(body)):
            about = [item.get(key) for key in _SUBJECT_KEYS]
            if any(isinstance(iri, str) and iri in INVENTED for iri in about):
                checked += 1
                assert item.get("illustrative") is True, f"{url}: {item}"
    assert checked > 5000


def test_json_rows_of_lists_search_and_analyses_always_say_whether_they_are_invented(walk):
    for url, (_, content_type, body) in walk.items():
        answer = json.loads(body) if content_type.startswith("application/json") else {}
        for key in ("items", "results") if url.startswith(("/api/search", "/api/c")) else ():
            assert all(isinstance(row["illustrative"], bool) for row in answer.get(key, ())), url
        if url.startswith("/api/analysis/") and "format=csv" not in url:
            for value in answer.values():
                rows = value if isinstance(value, list) else []
                for row in (r for r in rows if isinstance(r, dict)):
                    invented = mentions(row, INVENTED)
                    assert row.get("illustrative") is invented, f"{url}: {row}"


def _csv(body: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body)))


def test_every_csv_has_an_illustrative_column_that_says_so(walk):
    tables = 0
    for url, (_, content_type, body) in walk.items():
        if not content_type.startswith("text/csv"):
            continue
        tables += 1
        rows = _csv(body)
        header = {name.lower(): name for name in (rows[0] if rows else {})}
        assert "illustrative" in header, url
        column = header["illustrative"]
        for row in rows:
            says = row[column] in ("yes", "true")
            named = [value for value in row.values() if value in INVENTED]
            if named or any(_MARKED_NAME in value for value in row.values()):
                assert says, f"{url}: {row}"
            elif url.startswith("/downloads/csv/"):
                assert not says, f"{url}: {row}"
    assert tables >= len(reports.ANALYSES) * 2 + 8


def test_dumps_mark_every_invented_thing_people_included(walk):
    dumps = [url for url in walk if url.startswith("/downloads/") and ".gz" in url]
    assert len(dumps) >= 4
    formats = {
        ".nq": ox.RdfFormat.N_QUADS,
        ".ttl": ox.RdfFormat.TURTLE,
        ".trig": ox.RdfFormat.TRIG,
        ".jsonld": ox.RdfFormat.JSON_LD,
    }
    the_mark = (str(COP.illustrative), ox.Literal(True))
    for url in dumps:
        fmt = next(name for suffix, name in formats.items() if suffix + ".gz" in url)
        facts = [
            (fact.subject.value, fact.predicate.value, fact.object)
            for fact in ox.parse(walk[url][2].encode("utf-8"), format=fmt)
        ]
        marked = {s for s, p, o in facts if (p, o) == the_mark}
        described = {s for s, _, _ in facts if s in INVENTED}
        assert described, url
        assert described <= marked, (url, sorted(described - marked)[:5])
        people = {s for s in described if "/person/" in s}
        assert len(people) == 120, url  # every invented person, named or not


def test_the_sparql_endpoint_serves_the_mark(client):
    query = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s cop:illustrative true }"
    response = client.get(
        "/sparql", query_string={"query": query}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 200
    count = int(response.get_json()["results"]["bindings"][0]["n"]["value"])
    assert count >= len([iri for iri in INVENTED if "/person/" in iri]) + 31


# -- the mark itself ----------------------------------------------------------------------------


def test_mark_copies_and_marks_only_what_is_about_an_invented_thing():
    page = {"iri": "real", "links": [{"iri": "made-up", "label": "M"}, {"iri": "real"}]}
    marked = mark(page, {"made-up"})
    assert "illustrative" not in marked and "illustrative" not in marked["links"][1]
    assert marked["links"][0]["illustrative"] is True
    assert "illustrative" not in page["links"][0]  # the cached original is left alone
    rows = mark_rows([{"places": ["a", "b"]}, {"counts": {"made-up": 1}}], {"made-up"})
    assert [row["illustrative"] for row in rows] == [False, True]


# -- hiding invented data, and removing it ------------------------------------------------------


def test_a_deployment_can_hide_invented_data_from_every_page(store):
    settings = load_settings({"COP_GRAPH_SHOW_ILLUSTRATIVE": "false"}, store="memory:")
    hidden = create_app({"TESTING": True, "STORE": store, "SETTINGS": settings}).test_client()
    home = hidden.get("/api/").get_json()
    assert home["counts"]["communities"] == 0 and home["counts"]["people"] == 0
    assert home["illustrative"] is False
    assert 'class="banner"' not in hidden.get("/").get_data(as_text=True)
    urls = [
        "/api/",
        "/api/communities",
        "/api/organisations",
        "/api/places",
        "/api/search?q=walk",
        "/api/search?q=example",
        "/downloads/csv/communities.csv",
        "/downloads/csv/organisations.csv",
        "/api/analysis/roles",
        "/api/analysis/brokers",
        "/api/analysis/shared-practice",
        "/api/id/place/bolton",
        "/pictures/place/bolton.svg",
    ]
    for url in urls:
        response = hidden.get(url)
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        assert not [iri for iri in INVENTED if iri in text], url
    assert hidden.get("/id/community/bolton-health-walks-network").status_code == 404
    # the organisations and places that are real are all still there
    assert hidden.get("/api/organisations").get_json()["total"] >= len(REAL_ORGANISATIONS) - 5


def _environment(folder: Path) -> dict:
    env = {**os.environ, "COP_GRAPH_ACCOUNTS": str(folder / "accounts.sqlite3")}
    env["COP_GRAPH_STORE_WAIT"] = "10"
    for name in ("COP_GRAPH_STORE", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        env.pop(name, None)
    return env


def _run(env, store, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "cop-graph"), "--store", str(store), *args],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip


def test_the_demo_is_loaded_and_removed_while_the_server_runs(tmp_path, seeded_store_path):
    env, store = _environment(tmp_path), seeded_store_path
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "cop-graph"), "--store", str(store), "serve", "--port", "0"],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )  # fmt: skip
    try:
        base = _wait_for(server, store, tmp_path / "serve.log")

        def communities() -> int:
            return requests.get(base + "/api/", timeout=60).json()["counts"]["communities"]

        assert communities() == 0
        loaded = _run(env, store, "demo")
        assert loaded.returncode == 0, loaded.stderr
        assert "working through it" in loaded.stderr
        assert communities() == 31
        page = requests.get(base + "/id/community/bolton-health-walks-network", timeout=60)
        assert page.status_code == 200 and 'class="banner"' in page.text

        removed = _run(env, store, "demo", "--remove")
        assert removed.returncode == 0, removed.stderr
        assert "Removed https://w3id.org/cop-graph/id/graph/demo\n" in removed.stdout
        assert communities() == 0
        gone = requests.get(base + "/id/community/bolton-health-walks-network", timeout=60)
        assert gone.status_code == 404
        assert 'class="banner"' not in requests.get(base + "/", timeout=60).text
        again = _run(env, store, "demo", "--remove")
        assert again.returncode == 0 and "nothing to remove" in again.stdout
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()


def _wait_for(server: subprocess.Popen, store: Path, log: Path) -> str:
    """The address of the server once it is listening on ``store``."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()
        owner = read_owner(store)
        if owner is not None and owner.pid == server.pid and owner.api:
            return owner.api.removesuffix("/_store/query")
        time.sleep(0.1)
    raise AssertionError(f"the server did not start: {log.read_text()}")
