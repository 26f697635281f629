"""Store → NetworkX graphs: the knowledge graph from one named query, and its projections.

Why a graph library next to SPARQL: betweenness, communities, shortest paths and cut points
are graph algorithms that SPARQL cannot express. The store is read once, through the named
query ``network_knowledge`` in the public scope (:mod:`cop_graph.scope`), into a
multi-relational graph; the
two projections the analyses need (places linked by shared practice, communities linked by
what they share) are computed from it in memory, so each graph comes from that one query.

Nodes are IRIs as plain strings (ready for JSON, GraphML and GEXF) with a ``kind``
(``community``, ``place``, ``practice``, ``domain``, ``chapter``, ``organisation``,
``person``, ``step``, ``role``, ``status`` or ``thing``) and a ``label``; an invented thing
(``cop:illustrative true``) also has ``illustrative`` true, so answers can mark it. People's
names are kept only when :func:`~cop_graph.scope.may_be_named` allows (their record says
``cop:publicProfile true``); everyone else is shown by role.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

import networkx as nx

from cop_graph import queries
from cop_graph.analysis.areas import LEVELS, AreaIndex
from cop_graph.namespaces import COP, FOAF, ORG, RDF, RDFS
from cop_graph.scope import Scope, gave_consent, may_be_named

__all__ = [
    "FACTS",
    "LEVELS",
    "AreaIndex",
    "PRIVATE_PERSON",
    "add_fact",
    "add_thing",
    "community_graph",
    "knowledge_graph",
    "knowledge_graph_from_rows",
    "label_of",
    "labelled",
    "named",
    "new_knowledge_graph",
    "place_practice_graph",
    "shared_practice_graph",
    "sources",
    "targets",
    "things",
]

#: how a person without a public profile is named
PRIVATE_PERSON = "a person (name not public)"

#: edge keys of the knowledge graph, by the property they come from
RELATIONS = {
    COP.operatesIn: "operates_in",
    COP.sharesPractice: "shares_practice",
    COP.hasDomain: "has_domain",
    COP.alignsWithChapter: "aligns_with_chapter",
    COP.withinPlace: "within",
    COP.comprises: "comprises",
    COP.servesPlace: "serves",
    COP.basedIn: "based_in",
    ORG.memberOf: "member_of",
    COP.assessedStep: "assessed",
}
_KIND_OF_TYPE = {
    COP.CommunityOfPurpose: "community",
    FOAF.Person: "person",
    COP.Place: "place",
    COP.Region: "place",
    COP.Locality: "place",
    COP.Ward: "place",
    COP.Neighbourhood: "place",
    COP.Practice: "practice",
    COP.Domain: "domain",
    COP.BlueprintChapter: "chapter",
    COP.FrameworkStep: "step",
    COP.CommunityRole: "role",
    COP.StepStatus: "status",
    ORG.Organization: "organisation",
    COP.PrimaryCareNetwork: "organisation",
    COP.VCSEOrganisation: "organisation",
    COP.LocalAuthority: "organisation",
    COP.CombinedAuthority: "organisation",
    COP.NHSBody: "organisation",
    COP.GPPractice: "organisation",
}
_KIND_PRIORITY = [
    "community", "person", "place", "practice", "domain", "chapter", "step", "role", "status",
    "organisation",
]  # fmt: skip
#: short names of the types that matter to the analyses (place levels, kinds of organisation)
_TYPE_NAMES = {
    COP.Region: "region",
    COP.Locality: "locality",
    COP.Ward: "ward",
    COP.Neighbourhood: "neighbourhood",
    COP.PrimaryCareNetwork: "pcn",
    COP.VCSEOrganisation: "vcse",
    COP.LocalAuthority: "council",
    COP.CombinedAuthority: "combined_authority",
    COP.NHSBody: "nhs_body",
    COP.GPPractice: "gp_practice",
}


# the same, keyed by text: rows are compared as text (see knowledge_graph_from_rows)
_KIND_OF_TYPE = {str(cls): kind for cls, kind in _KIND_OF_TYPE.items()}
_TYPE_NAMES = {str(cls): name for cls, name in _TYPE_NAMES.items()}
_TYPE, _LABEL = str(RDF.type), str(RDFS.label)
_RELATION_NAMES = {str(prop): name for prop, name in RELATIONS.items()}
#: figures kept on nodes: property → (attribute, how to read its text)
_FIGURES = {
    str(COP.core20Share): ("core20", float),
    str(COP.stepNumber): ("step", int),
    str(COP.publicProfile): ("public", gave_consent),
    str(COP.illustrative): ("illustrative", lambda text: text in ("true", "1")),
}


def new_knowledge_graph() -> nx.MultiDiGraph:
    """An empty knowledge graph (a directed multigraph: one edge per fact, keyed by relation)."""
    return nx.MultiDiGraph()


def add_thing(kg: nx.MultiDiGraph, node: str, kind: str, label: str | None = None, **attributes):
    """Add (or update) a thing; ``types`` (a tuple of short type names) is the usual extra."""
    kg.add_node(node, kind=kind, label=label or _local_name(node), **attributes)
    kg.nodes[node].setdefault("types", ())


def add_fact(kg: nx.MultiDiGraph, source: str, relation: str, target: str, **attributes):
    """Add the fact ``source relation target`` (``relation`` a value of ``RELATIONS``)."""
    for node in (source, target):
        if node not in kg:
            add_thing(kg, node, "thing")
    kg.add_edge(source, target, key=relation, **attributes)


#: the named query each view of the knowledge graph is read with: ``everything``, or only
#: what :func:`community_graph` uses (the same things, without step assessments and chapters)
FACTS = {"everything": "network_knowledge", "communities": "network_community_facts"}


def knowledge_graph(
    store, scope: Scope | None = None, facts: str = "everything"
) -> nx.MultiDiGraph:
    """The knowledge graph of ``store`` (query ``network_knowledge``) in ``scope``, by default
    the public one; ``facts="communities"`` reads only what the community network needs, in
    about half the time on a large store."""
    scope = (scope if scope is not None else Scope.public(store)).about_things()
    rows = queries.run(store, FACTS[facts], scope=scope, as_text=True)
    return knowledge_graph_from_rows(rows)


def named(data: dict) -> bool:
    """Whether the node with ``data`` may be shown by name: the rule of
    :func:`cop_graph.scope.may_be_named`, for a node of the knowledge graph."""
    return may_be_named(data.get("kind") == "person", bool(data.get("public")))


def knowledge_graph_from_rows(rows: Iterable[tuple]) -> nx.MultiDiGraph:
    """Build the graph from ``(source, relation, target, detail, date)`` rows of terms or text.

    Rows are sorted first, so the graph (and every answer drawn from it) is the same however
    the store happened to order them. Facts about things of no known kind (meeting spaces,
    partnerships) are left out: the analyses do not use them. Terms are compared as text,
    which is several times faster than comparing rdflib terms on large graphs.
    """
    rows = list(rows)
    if rows and not _is_text(rows[0]):  # text from Store.select_text is taken as it is
        rows = [_as_text(row) for row in rows]
    rows.sort()
    kinds, types = defaultdict(set), defaultdict(set)
    labels, extras = {}, defaultdict(dict)
    for source, relation, target, _, _ in rows:
        if relation == _TYPE:
            kinds[source].add(_KIND_OF_TYPE[target])
            if target in _TYPE_NAMES:
                types[source].add(_TYPE_NAMES[target])
        elif relation == _LABEL:
            labels.setdefault(source, target)
        elif relation in _FIGURES:
            name, convert = _FIGURES[relation]
            extras[source][name] = convert(target)
    kg = new_knowledge_graph()
    things = []
    for node in sorted(kinds):
        kind = min(kinds[node], key=_KIND_PRIORITY.index)
        label = labels.get(node)
        if not may_be_named(kind == "person", extras[node].get("public", False)):
            label = PRIVATE_PERSON
        data = {"kind": kind, "label": label or _local_name(node)}
        things.append((node, {**data, "types": tuple(sorted(types[node])), **extras[node]}))
    kg.add_nodes_from(things)  # what add_thing does, in one call (a large graph builds faster)
    latest: dict[tuple[str, str], tuple[str, str]] = {}
    roles: dict[tuple[str, str], set[str]] = defaultdict(set)
    facts = []
    for source, relation, target, detail, date in rows:
        name = _RELATION_NAMES.get(relation)
        if name is None or source not in kinds or target not in kinds:
            continue  # facts about things of other kinds (spaces, partnerships) are left out
        if name == "assessed":
            key, value = (source, target), (date, detail)
            latest[key] = max(latest.get(key, value), value)
        elif name == "member_of":
            roles[source, target].add(detail)
        else:
            facts.append((source, target, name, {}))
    kg.add_edges_from(facts)
    for (member, community), held in sorted(roles.items()):
        add_fact(kg, member, "member_of", community, roles=tuple(sorted(held)))
    for (community, step), (date, status) in sorted(latest.items()):
        add_fact(kg, community, "assessed", step, status=status, date=date)
    return kg


def _is_text(row: tuple) -> bool:
    return type(row) is tuple and all(type(term) is str for term in row)


def _as_text(row: Iterable) -> tuple[str, ...]:
    return tuple("" if term is None else str(term) for term in row)


def label_of(graph: nx.Graph, node: str) -> str:
    """What people call ``node`` in ``graph``: its label, else the end of its IRI."""
    if node in graph:
        return graph.nodes[node].get("label") or _local_name(node)
    return graph.graph.get("labels", {}).get(node) or _local_name(node)


def labelled(graph: nx.Graph, nodes: Iterable[str]) -> list[dict]:
    """``nodes`` as ``{"iri", "label"}`` records sorted by label, for answers people read."""
    return [
        {"iri": n, "label": label_of(graph, n)}
        for n in sorted(nodes, key=lambda n: (label_of(graph, n), n))
    ]


def things(kg: nx.MultiDiGraph, kind: str) -> list[str]:
    """The things of ``kind``, sorted."""
    return sorted(node for node, data in kg.nodes(data=True) if data.get("kind") == kind)


def targets(kg: nx.MultiDiGraph, node: str, relation: str) -> list[str]:
    """What ``node`` points to by ``relation``, sorted."""
    return sorted(t for _, t, key in kg.out_edges(node, keys=True) if key == relation)


def sources(kg: nx.MultiDiGraph, node: str, relation: str) -> list[str]:
    """What points to ``node`` by ``relation``, sorted."""
    return sorted(s for s, _, key in kg.in_edges(node, keys=True) if key == relation)


def place_practice_graph(kg: nx.MultiDiGraph, level: str = "recorded") -> nx.Graph:
    """Places at ``level`` and the practices their communities share: the place × practice table.

    A bipartite graph: an edge joins a place and a practice when at least one community working
    in the place shares the practice; its ``communities`` say which (the evidence) and its
    ``weight`` how many; each place counts its ``practices``. A community working in a ward
    also works in the ward's locality, in the neighbourhoods made of that ward and in the area
    of the PCN serving it.
    """
    areas = AreaIndex(kg, level)
    graph = nx.Graph(level=level, labels={})
    evidence: dict[tuple[str, str], set[str]] = defaultdict(set)
    for community in things(kg, "community"):
        graph.graph["labels"][community] = label_of(kg, community)
        for area in areas.of_community(community):
            for practice in targets(kg, community, "shares_practice"):
                evidence[area, practice].add(community)
    for (area, practice), communities in sorted(evidence.items()):
        for node, kind in ((area, "place"), (practice, "practice")):
            if node not in graph:
                graph.add_node(node, kind=kind, label=label_of(kg, node))
                graph.nodes[node].update(_place_details(kg, node) if kind == "place" else {})
        graph.nodes[area]["practices"] = graph.nodes[area].get("practices", 0) + 1
        graph.add_edge(
            area, practice, communities=tuple(sorted(communities)), weight=len(communities)
        )
    return graph


def shared_practice_graph(place_practice: nx.Graph) -> nx.Graph:
    """Places linked when they share a practice; each link lists its evidence.

    ``evidence`` maps each shared practice to the communities in either place that share it;
    ``sides`` maps it to each place's own communities (which place each piece of evidence is
    from); ``weight`` is the number of practices shared, ``practices`` their IRIs.
    """
    graph = nx.Graph(level=place_practice.graph.get("level"), labels={})
    graph.graph["labels"].update(place_practice.graph.get("labels", {}))
    for node, data in place_practice.nodes(data=True):
        if data["kind"] == "place":
            graph.add_node(node, **data)
        else:
            graph.graph["labels"][node] = data["label"]
    for practice in sorted(n for n, d in place_practice.nodes(data=True) if d["kind"] != "place"):
        for first, second in combinations(sorted(place_practice[practice]), 2):
            communities = {
                *place_practice[first][practice]["communities"],
                *place_practice[second][practice]["communities"],
            }
            if not graph.has_edge(first, second):
                graph.add_edge(first, second, evidence={}, sides={})
            graph[first][second]["evidence"][practice] = tuple(sorted(communities))
            graph[first][second]["sides"][practice] = {
                place: place_practice[place][practice]["communities"] for place in (first, second)
            }
    for _, _, data in graph.edges(data=True):
        data["practices"] = tuple(sorted(data["evidence"]))
        data["weight"] = len(data["practices"])
    return graph


def community_graph(kg: nx.MultiDiGraph) -> nx.Graph:
    """Communities linked by the members (people or organisations), practices and places they share.

    Each link lists what is shared under ``members``, ``practices`` and ``places``; its
    ``weight`` counts them all. Each community carries its ``localities``, ``places``,
    ``practices``, ``domains`` and ``members`` (pairs of member and role), and the graph's
    ``members`` attribute says what each member is and how to name them.
    """
    localities = AreaIndex(kg, "locality")
    graph = nx.Graph(labels={}, members={})
    shared_by: dict[tuple[str, str], list[str]] = defaultdict(list)
    for community in things(kg, "community"):
        members = sorted(
            (member, role)
            for member, _, key, data in kg.in_edges(community, keys=True, data=True)
            if key == "member_of"
            for role in data["roles"]
        )
        details = {
            "places": tuple(targets(kg, community, "operates_in")),
            "practices": tuple(targets(kg, community, "shares_practice")),
            "domains": tuple(targets(kg, community, "has_domain")),
        }
        graph.add_node(
            community,
            kind="community",
            label=label_of(kg, community),
            illustrative=bool(kg.nodes[community].get("illustrative")),
            localities=tuple(sorted(localities.of_community(community))),
            members=tuple(members),
            **details,
        )
        for member, _ in members:
            shared_by["members", member].append(community)
            graph.graph["members"][member] = {
                "kind": kg.nodes[member]["kind"],
                "label": label_of(kg, member),
                "public": named(kg.nodes[member]),
            }
        for field in ("places", "practices"):
            for thing in details[field]:
                shared_by[field, thing].append(community)
        wider = graph.nodes[community]["localities"]
        for thing in (*details["places"], *details["practices"], *details["domains"], *wider):
            graph.graph["labels"][thing] = label_of(kg, thing)
    # gathered in plain dicts and added at once: NetworkX's checks per call cost more here
    links: dict[tuple[str, str], dict] = {}
    for (field, thing), communities in sorted(shared_by.items()):
        for pair in combinations(sorted(set(communities)), 2):
            link = links.get(pair)
            if link is None:
                link = links[pair] = {"members": (), "practices": (), "places": ()}
            link[field] = (*link[field], thing)
    for link in links.values():
        link["weight"] = len(link["members"]) + len(link["practices"]) + len(link["places"])
    graph.add_edges_from((first, second, link) for (first, second), link in links.items())
    return graph


def _place_details(kg: nx.MultiDiGraph, node: str) -> dict:
    data = kg.nodes[node] if node in kg else {}
    details = {"types": data.get("types", ())}
    if "core20" in data:
        details["core20"] = data["core20"]
    return details


def _local_name(iri: str) -> str:
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
