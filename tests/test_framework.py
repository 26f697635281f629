"""The framework's lists in code match the ontology, members and order."""

from __future__ import annotations

from rdflib import Graph

from cop_graph import resources
from cop_graph.framework import FRAMEWORK_STEPS, STEP_STATUSES, WENGER_ROLES
from cop_graph.namespaces import COP, SKOS


def _ontology() -> Graph:
    graph = Graph()
    for path in resources.ontology_files():
        graph.parse(path)
    return graph


def _ordered(graph: Graph, members, number) -> list:
    return sorted(members, key=lambda thing: int(graph.value(thing, number)))


def test_the_roles_are_wengers_collection_in_order():
    graph = _ontology()
    members = list(graph.objects(COP.WengerRoles, SKOS.member))
    assert list(WENGER_ROLES) == _ordered(graph, members, SKOS.notation)


def test_the_steps_are_the_frameworks_seven_in_order():
    graph = _ontology()
    steps = list(graph.subjects(SKOS.inScheme, COP.FrameworkSteps))
    assert list(FRAMEWORK_STEPS) == _ordered(graph, steps, COP.stepNumber)


def test_the_statuses_are_the_schemes_in_order():
    graph = _ontology()
    statuses = list(graph.subjects(SKOS.inScheme, COP.StepStatuses))
    assert list(STEP_STATUSES) == _ordered(graph, statuses, SKOS.notation)
