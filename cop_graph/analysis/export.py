"""The network graphs as files other tools open: GraphML, GEXF (Gephi) and CSV edge lists.

GraphML and GEXF hold only plain values (text, numbers, true/false), so lists become text
joined by ``"; "`` and mappings (a link's evidence) become JSON text; labels and weights are
kept as they are, so a picture in Gephi shows the same names and strengths as the web pages.
"""

from __future__ import annotations

import csv
import io
import json

import networkx as nx

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


def plain(graph: nx.Graph) -> nx.Graph:
    """A copy of ``graph`` whose attributes are all text, numbers or true/false.

    >>> g = nx.Graph()
    >>> g.add_edge("a", "b", practices=("p1", "p2"), evidence={"p1": ("c1",)}, weight=2)
    >>> plain(g).edges["a", "b"]
    {'practices': 'p1; p2', 'evidence': '{"p1": ["c1"]}', 'weight': 2}
    """
    copy = graph.__class__()
    copy.graph.update(
        {k: v for k, v in graph.graph.items() if isinstance(v, bool | int | float | str)}
    )
    # every node says whether it is invented, so the column is whole in Gephi and GraphML
    copy.add_nodes_from(
        (node, {**_plain_attributes(data), "illustrative": bool(data.get("illustrative"))})
        for node, data in graph.nodes(data=True)
    )
    if graph.is_multigraph():
        copy.add_edges_from(
            (u, v, key, {"relation": key, **_plain_attributes(data)})
            for u, v, key, data in graph.edges(keys=True, data=True)
        )
    else:
        copy.add_edges_from(
            (u, v, _plain_attributes(data)) for u, v, data in graph.edges(data=True)
        )
    return copy


def _edge_csv(graph: nx.Graph) -> bytes:
    flat = plain(graph)
    edges = [(u, v, data) for u, v, data in flat.edges(data=True)]
    columns = sorted({key for *_, data in edges for key in data} - {"weight", "relation"})
    lead = ["relation"] if graph.is_multigraph() else []
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    head = ["source", "target", "source_label", "target_label", *lead, "weight", *columns]
    writer.writerow([*head, "illustrative"])
    for u, v, data in edges:
        # a link to or from an invented thing is invented too
        invented = flat.nodes[u]["illustrative"] or flat.nodes[v]["illustrative"]
        writer.writerow(
            [
                u,
                v,
                flat.nodes[u].get("label", ""),
                flat.nodes[v].get("label", ""),
                *[data.get(name, "") for name in lead],
                data.get("weight", 1),
                *[data.get(name, "") for name in columns],
                "true" if invented else "false",
            ]
        )
    return out.getvalue().encode("utf-8")


def export(graph: nx.Graph, fmt: str) -> bytes:
    """``graph`` as a GraphML, GEXF or CSV edge-list file, as bytes.

    >>> g = nx.Graph()
    >>> g.add_node("a", label="Wigan")
    >>> g.add_node("b", label="Bolton")
    >>> g.add_edge("a", "b", weight=3)
    >>> print(export(g, "csv").decode().strip())
    source,target,source_label,target_label,weight,illustrative
    a,b,Wigan,Bolton,3,false
    """
    if fmt == "csv":
        return _edge_csv(graph)
    out = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(plain(graph), out)
    elif fmt == "gexf":
        nx.write_gexf(plain(graph), out)
    else:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return out.getvalue()
