"""The data behind the interactive network on ``/analysis/network``, as JSON.

The page draws its picture on the server, so it reads without JavaScript; its script
(``network.js``, with the vendored Cytoscape.js) asks this address for the same network with
what zooming, hovering, clicking and filtering need: each node's name, kind, page, cluster,
domains and localities, placed where the server's picture places it (so the two agree and the
layout costs the browser nothing). Members shared by two or more communities come as nodes
too, so people can see who bridges communities: organisations, and people only when their
record consents to being named (:func:`cop_graph.analysis.network.named`).
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx
from flask import Blueprint

from cop_graph.analysis import reports
from cop_graph.analysis.network import label_of
from cop_graph.errors import UsageError
from cop_graph.web import analysis as analyses
from cop_graph.web.browsing import href
from cop_graph.web.errors import error_response
from cop_graph.web.negotiation import json_response
from cop_graph.web.state import app_state

__all__ = ["blueprint", "network_data"]

blueprint = Blueprint("network_view", __name__)

#: how far (in the picture's units) a shared member sits from the middle of its communities
MEMBER_OFFSET = 28


@blueprint.get("/api/analysis/network/view")
def data():
    """The network page's interactive view: nodes, links, clusters and the filters' choices."""
    graphs = analyses.analysis_graphs()
    try:
        clusters = reports.run(
            app_state().store, "clusters", analyses.analysis_options("clusters"), graphs=graphs
        )
    except UsageError as error:
        return error_response(400, analyses.problem_sentence(error))
    picture = analyses.network_picture(graphs.communities, clusters)
    return json_response(
        {"ok": True, **network_data(graphs.communities, graphs.kg, picture, clusters)}
    )


def network_data(communities: nx.Graph, kg: nx.MultiDiGraph, picture: dict, clusters) -> dict:
    """The view's data from the community graph, the knowledge graph (for names of places),
    the server's picture (positions, colours, the strongest links) and the clusters."""
    at = {node["iri"]: node for node in picture["nodes"]}
    nodes = [_community(communities, node) for node in picture["nodes"]]
    links = [
        {"source": s, "target": t, "weight": w, "kind": "shared"}
        for s, t, w in _drawn_links(communities, at)
    ]
    member_nodes, member_links = _shared_members(communities, kg, at)
    domains, localities = defaultdict(int), defaultdict(int)
    for node in nodes:
        for iri in node["domains"]:
            domains[iri] += 1
        for iri in node["localities"]:
            localities[iri] += 1
    return {
        "title": "Communities linked by shared members, practices and places",
        "width": picture["width"],
        "height": picture["height"],
        "nodes": nodes + member_nodes,
        "links": links + member_links,
        "all_links": picture["all_links"],
        "clusters": [
            {
                "cluster": c["cluster"],
                "label": c["label"],
                "size": c["size"],
                "colour": analyses.cluster_colour(c["cluster"]),
            }
            for c in clusters.data["clusters"]
        ],
        "domains": _choices(kg, domains),
        "localities": _choices(kg, localities),
    }


def _community(communities: nx.Graph, node: dict) -> dict:
    data = communities.nodes[node["iri"]]
    return {
        "id": node["iri"],
        "label": node["label"],
        "kind": "community",
        "link": href(node["iri"]),
        "cluster": node["cluster"],
        "colour": node["colour"],
        "illustrative": node["illustrative"],
        "x": node["x"],
        "y": node["y"],
        "domains": list(data.get("domains", ())),
        "localities": list(data.get("localities", ())),
    }


def _drawn_links(communities: nx.Graph, at: dict) -> list[tuple[str, str, int]]:
    """The links the server's picture draws: the strongest, between communities it places."""
    strongest = sorted(communities.edges(data="weight"), key=lambda e: (-e[2], e[0], e[1]))
    return [(s, t, w) for s, t, w in strongest[: analyses.MAX_LINKS] if s in at and t in at]


def _shared_members(
    communities: nx.Graph, kg: nx.MultiDiGraph, at: dict
) -> tuple[list[dict], list[dict]]:
    """Members of two or more drawn communities who may be named, each placed a little off the
    middle of its communities, and a link from each to each of its communities."""
    described = communities.graph.get("members", {})
    belongs = defaultdict(set)
    for community in at:
        for member, _ in communities.nodes[community].get("members", ()):
            belongs[member].add(community)
    nodes, links = [], []
    for index, member in enumerate(sorted(belongs)):
        about = described.get(member, {})
        if len(belongs[member]) < 2 or not about.get("public"):
            continue  # a person who has not agreed to be named is never a node
        where = sorted(belongs[member])
        turn = index * 2.399963  # the golden angle: neighbours do not sit on each other
        x = sum(at[c]["x"] for c in where) / len(where) + MEMBER_OFFSET * math.cos(turn)
        y = sum(at[c]["y"] for c in where) / len(where) + MEMBER_OFFSET * math.sin(turn)
        nodes.append(
            {
                "id": member,
                "label": about.get("label") or member,
                "kind": about.get("kind", "organisation"),
                "link": href(member),
                "illustrative": bool(kg.nodes[member].get("illustrative"))
                if member in kg
                else False,
                "x": round(x, 1),
                "y": round(y, 1),
                "communities": where,
            }
        )
        links.extend({"source": member, "target": c, "weight": 1, "kind": "member"} for c in where)
    return nodes, links


def _choices(kg: nx.MultiDiGraph, counts: dict[str, int]) -> list[dict]:
    """Filter choices by name, each with how many communities it would show."""
    listed = [
        {"iri": iri, "label": label_of(kg, iri), "communities": n} for iri, n in counts.items()
    ]
    return sorted(listed, key=lambda c: (c["label"].casefold(), c["iri"]))
