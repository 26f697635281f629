"""The framework in the document's order: the lists in code, the ontology, queries and pages.

The reference for every order is the document itself, as copied into ``framework_terms.txt``
(read by :mod:`framework_words`): each step's guiding questions, the question under each of
Wenger's roles, the Getting Started offer, the useful resources and every other list.
"""

from __future__ import annotations

import html
import re

import pyoxigraph as ox
import pytest
from framework_words import document_words, normalise
from rdflib import Graph

from cop_graph import queries, resources
from cop_graph.config import load_settings
from cop_graph.framework import FRAMEWORK_STEPS, STEP_STATUSES, WENGER_ROLES
from cop_graph.namespaces import COP, RDFS, SDO, SKOS
from cop_graph.store.oxigraph import OxigraphStore
from cop_graph.web import create_app

FRAMEWORK_LOCATOR = "Your Community of Purpose Framework, pp. 9–10"


@pytest.fixture(scope="module")
def graph() -> Graph:
    ontology = Graph()
    for path in resources.ontology_files():
        ontology.parse(path)
    return ontology


@pytest.fixture(scope="module")
def words():
    return document_words()


def _ordered(graph: Graph, members, number) -> list:
    return sorted(members, key=lambda thing: int(graph.value(thing, number)))


def _texts(graph: Graph, things, prop) -> list[str]:
    return [normalise(str(graph.value(thing, prop))) for thing in things]


def _questions(graph: Graph, owner) -> list[str]:
    nodes = _ordered(graph, graph.objects(owner, COP.hasGuidingQuestion), SDO.position)
    return [str(graph.value(node, RDFS.label)) for node in nodes]


# -- the lists in code -------------------------------------------------------------------------


def test_the_roles_are_wengers_collection_in_order(graph):
    members = list(graph.objects(COP.WengerRoles, SKOS.member))
    assert list(WENGER_ROLES) == _ordered(graph, members, SKOS.notation)


def test_the_steps_are_the_frameworks_seven_in_order(graph):
    steps = list(graph.subjects(SKOS.inScheme, COP.FrameworkSteps))
    assert list(FRAMEWORK_STEPS) == _ordered(graph, steps, COP.stepNumber)


def test_the_statuses_are_the_schemes_in_order(graph):
    statuses = list(graph.subjects(SKOS.inScheme, COP.StepStatuses))
    assert list(STEP_STATUSES) == _ordered(graph, statuses, SKOS.notation)


# -- the ontology, list by list ----------------------------------------------------------------


def test_the_words_file_holds_every_list_the_tests_read(words):
    for number in range(1, 8):
        assert words.ordered(f"step {number} questions"), number
    assert len(words.ordered("role questions")) == 7
    assert len(words.ordered("useful resources")) == 6
    assert len(words.ordered("the offer")) == 3


@pytest.mark.parametrize("number", range(1, 8))
def test_each_steps_questions_are_the_documents_in_its_order(graph, words, number):
    step = FRAMEWORK_STEPS[number - 1]
    assert _questions(graph, step) == words.ordered(f"step {number} questions")


def test_step_two_opens_with_its_first_question_not_the_alphabets(graph):
    first = _questions(graph, COP.FindAndInviteMembers)[0]
    assert first.startswith("Who are the people who share the passion")


def test_each_roles_question_is_the_documents_in_wengers_order(graph, words):
    assert [q for role in WENGER_ROLES for q in _questions(graph, role)] == words.ordered(
        "role questions"
    )
    assert [str(graph.value(role, SKOS.altLabel)) for role in WENGER_ROLES] == words.ordered(
        "roles"
    )


#: (scheme or collection, the document's list, the property holding the document's words)
LISTS = [
    (COP.FrameworkSteps, "steps", SKOS.prefLabel),
    (COP.DevelopmentSteps, "key steps", SKOS.prefLabel),
    (COP.DevelopmentSteps, "what each key step asks", SKOS.definition),
    (COP.EssentialElements, "elements", SKOS.prefLabel),
    (COP.EssentialElements, "what each element is", SKOS.definition),
    (COP.FairerHealthForAllPrinciples, "principles", SKOS.prefLabel),
    (COP.FairerHealthForAllPrinciples, "what each principle says", SKOS.definition),
    (COP.WheatleyPrinciples, "Wheatley's principles", SKOS.prefLabel),
    (COP.CriticalSuccessFactors, "critical success factors", SKOS.prefLabel),
    (COP.Aims, "aims", SKOS.definition),
    (COP.WengerRoles, "what each role does", SKOS.definition),
    (COP.DeliveryChapters, "the other 5 chapters", SKOS.prefLabel),
    (COP.EnablingChapters, "enabling chapters", SKOS.prefLabel),
]


@pytest.mark.parametrize(("group", "name", "prop"), LISTS)
def test_each_list_keeps_the_documents_order_and_words(graph, words, group, name, prop):
    members = list(graph.subjects(SKOS.inScheme, group)) or list(graph.objects(group, SKOS.member))
    ordered = _ordered(graph, members, SKOS.notation)
    assert _texts(graph, ordered, prop) == [normalise(w) for w in words.ordered(name)]


def test_resource_types_are_the_documents_six_then_the_projects_document(graph, words):
    types = _ordered(graph, graph.subjects(SKOS.inScheme, COP.ResourceTypes), SKOS.notation)
    document = words.ordered("resources, tools, methods, stories, experiences, and insights")
    assert [str(graph.value(t, SKOS.altLabel)) for t in types[:6]] == document
    assert types[6] == COP.Document
    assert graph.value(COP.Document, SKOS.altLabel) is None


def test_useful_resources_are_the_documents_in_its_order(graph, words):
    listed = list(graph.items(graph.value(COP.UsefulResources, SKOS.memberList)))
    assert [str(graph.value(r, RDFS.label)) for r in listed] == words.ordered("useful resources")
    assert _ordered(graph, listed, SDO.position) == listed


def test_the_getting_started_offer_is_the_documents_in_its_order(graph, words):
    items = _ordered(graph, graph.objects(COP.GettingStartedOffer, SDO.itemOffered), SDO.position)
    assert [str(graph.value(i, RDFS.label)) for i in items] == words.ordered("the offer")


# -- the example query -------------------------------------------------------------------------


def test_the_example_query_lists_each_steps_questions_in_the_documents_order(seeded_store, words):
    by_step: dict[int, list[str]] = {}
    for row in queries.run(seeded_store, "examples/list_guiding_questions").dicts():
        by_step.setdefault(int(row["stepNumber"]), []).append(str(row["question"]))
    assert list(by_step) == list(range(1, 8))
    for number, questions in by_step.items():
        assert questions == words.ordered(f"step {number} questions"), number


# -- pages and their JSON twins ----------------------------------------------------------------


@pytest.fixture(scope="module")
def client(reference_nquads):
    store = OxigraphStore(None)
    store.native.load(reference_nquads, format=ox.RdfFormat.N_QUADS)
    app = create_app(
        {"TESTING": True, "STORE": store, "SETTINGS": load_settings({}, store="memory:")}
    )
    yield app.test_client()
    store.close()


def _page_questions(client, name: str) -> tuple[list[str], list[str]]:
    """The guiding questions on a concept's page and in its JSON twin, as shown."""
    response = client.get(f"/ontology/{name}")
    assert response.status_code == 200, name
    listed = re.search(r'<ol class="questions">(.*?)</ol>', response.get_data(as_text=True), re.S)
    shown = [html.unescape(q) for q in re.findall(r"<li>(.*?)</li>", listed.group(1), re.S)]
    data = client.get(f"/api/ontology/{name}").get_json()
    return shown, [q["text"] for q in data["questions"]]


@pytest.mark.parametrize("number", range(1, 8))
def test_a_steps_page_and_json_list_its_questions_in_the_documents_order(client, words, number):
    name = FRAMEWORK_STEPS[number - 1].split("#")[-1]
    shown, data = _page_questions(client, name)
    assert shown == data == words.ordered(f"step {number} questions")


def test_each_roles_page_and_json_show_its_question(client, words):
    shown = [_page_questions(client, role.split("#")[-1]) for role in WENGER_ROLES]
    assert [page for page, _ in shown] == [[q] for q in words.ordered("role questions")]
    assert [data for _, data in shown] == [[q] for q in words.ordered("role questions")]


def test_pages_say_whose_words_a_term_is(client):
    step = client.get("/api/ontology/FindAndInviteMembers").get_json()
    assert step["provenance"] == {"source": "document", "locator": FRAMEWORK_LOCATOR}
    status = client.get("/api/ontology/InProgress").get_json()
    assert status["provenance"]["source"] == "project"
    page = client.get("/ontology/InProgress").get_data(as_text=True)
    assert "Added by the cop-graph project" in page


def test_the_ontology_page_says_which_lists_are_the_documents_and_which_the_projects(client):
    schemes = {s["iri"]: s for s in client.get("/api/ontology").get_json()["schemes"]}
    steps = schemes[str(COP.FrameworkSteps)]
    assert (steps["source"], steps["locator"]) == ("document", FRAMEWORK_LOCATOR)
    assert schemes[str(COP.StepStatuses)]["source"] == "project"
    types = {c["iri"]: c for c in schemes[str(COP.ResourceTypes)]["concepts"]}
    assert types[str(COP.Document)]["by_project"] and not types[str(COP.Tool)]["by_project"]
    page = client.get("/ontology").get_data(as_text=True)
    assert "Added by the cop-graph project: not in the framework document." in page


def test_core20plus5_is_reached_from_the_core20_figures(client):
    concept = client.get("/api/ontology/Core20Plus5").get_json()
    assert concept["provenance"]["source"] == "document"
    mentioned = {v["iri"] for g in concept["linked_from"] for v in g["values"]}
    assert {str(COP.core20LsoaCount), str(COP.core20Share)} <= mentioned
