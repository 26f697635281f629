"""The network graphs as files other tools open: GraphML, GEXF (Gephi) and CSV edge lists.

GraphML and GEXF hold only plain values (text, numbers, true/false), so lists become text
joined by ``"; "`` and mappings (a link's evidence) become JSON text; labels and weights are
kept as they are, so a picture in Gephi shows the same names and strengths as the web pages.
Every node and link says whether it is ``illustrative`` (invented, or resting on something
invented), so the mark survives the trip into another tool.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Collection

import networkx as nx

from cop_graph.marks import mentions

__all__ = ["FORMATS", "export", "plain"]

#: export formats and their file extensions
FORMATS = {"graphml": "graphml", "gexf": "gexf", "csv": "csv"}


def _plain_value(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        return json.dumps(
            {str(k): list(v) if isinstance(v, tuple) else v for k, v in sorted(value.items())}
        )
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return "; ".join(
            " ".join(map(str, item)) if isinstance(item, tuple) else str(item) for item in items
        )
    return str(value)


def _plain_attributes(data: dict) -> dict:
    return {key: _plain_value(value) for key, value in data.items() if value is not None}


def plain(graph: nx.Graph, invented: Collection[str] = frozenset()) -> nx.Graph:
    """A copy of ``graph`` whose attributes are all text, numbers or true/false.

    Every node and link also says whether it is ``illustrative``: a node that is invented
    (marked so, or one of ``invented``), a link with an invented end or evidence.

    >>> g = nx.Graph()
    >>> g.add_edge("a", "b", practices=("p1", "p2"), evidence={"p1": ("c1",)}, weight=2)
    >>> plain(g, invented={"c1"}).edges["a", "b"]
    {'practices': 'p1; p2', 'evidence': '{"p1": ["c1"]}', 'weight': 2, 'illustrative': True}
    """
    copy = graph.__class__()
    copy.graph.update(
        {k: v for k, v in graph.graph.items() if isinstance(v, bool | int | float | str)}
    )
    # every node says whether it is invented, so the column is whole in Gephi and GraphML
    made_up = {node for node, data in graph.nodes(data=True) if data.get("illustrative")} | set(
        invented
    )
    copy.add_nodes_from(
        (node, {**_plain_attributes(data), "illustrative": node in made_up})
        for node, data in graph.nodes(data=True)
    )

    def link(u, v, data, extra=()) -> dict:
        said = u in made_up or v in made_up or mentions(data, made_up)
        return {**dict(extra), **_plain_attributes(data), "illustrative": said}

    if graph.is_multigraph():
        copy.add_edges_from(
            (u, v, key, link(u, v, data, {"relation": key}))
            for u, v, key, data in graph.edges(keys=True, data=True)
        )
    else:
        copy.add_edges_from((u, v, link(u, v, data)) for u, v, data in graph.edges(data=True))
    return copy


def _edge_csv(graph: nx.Graph, invented: Collection[str]) -> bytes:
    flat = plain(graph, invented)
    edges = [(u, v, data) for u, v, data in flat.edges(data=True)]
    skipped = {"weight", "relation", "illustrative"}
    columns = sorted({key for *_, data in edges for key in data} - skipped)
    lead = ["relation"] if graph.is_multigraph() else []
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    head = ["source", "target", "source_label", "target_label", *lead, "weight", *columns]
    writer.writerow([*head, "illustrative"])
    for u, v, data in edges:
        writer.writerow(
            [
                u,
                v,
                flat.nodes[u].get("label", ""),
                flat.nodes[v].get("label", ""),
                *[data.get(name, "") for name in lead],
                data.get("weight", 1),
                *[data.get(name, "") for name in columns],
                "true" if data["illustrative"] else "false",
            ]
        )
    return out.getvalue().encode("utf-8")


def export(graph: nx.Graph, fmt: str, invented: Collection[str] = frozenset()) -> bytes:
    """``graph`` as a GraphML, GEXF or CSV edge-list file, as bytes; ``invented`` things (and
    links to them or resting on them) are marked ``illustrative``.

    >>> g = nx.Graph()
    >>> g.add_node("a", label="Wigan")
    >>> g.add_node("b", label="Bolton")
    >>> g.add_edge("a", "b", weight=3)
    >>> print(export(g, "csv").decode().strip())
    source,target,source_label,target_label,weight,illustrative
    a,b,Wigan,Bolton,3,false
    """
    if fmt == "csv":
        return _edge_csv(graph, invented)
    out = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(plain(graph, invented), out)
    elif fmt == "gexf":
        nx.write_gexf(plain(graph, invented), out)
    else:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return out.getvalue()
