"""The downloads page: CSV tables of each kind of thing, TriG and JSON-LD files of the whole
public dataset, and the licences and attribution of the data.

N-Quads and Turtle files of the dataset are made by the SPARQL endpoint's dump cache
(:mod:`cop_graph.sparql.dumps`); this module adds the other two formats, and a
spreadsheet-friendly table per kind of thing built from the same search index and lists as
the pages, so a table never holds a name or a link that the pages would not show.
"""

from __future__ import annotations

import csv
import gzip
import io

import pyoxigraph as ox

from cop_graph import queries
from cop_graph.namespaces import PREFIXES
from cop_graph.pages.display import thing
from cop_graph.pages.facets import Item
from cop_graph.pages.lists import LISTS, build_list
from cop_graph.pages.public import PublicData
from cop_graph.pages.search import SearchIndex
from cop_graph.scope import Scope

__all__ = ["DATASET_FILES", "TABLES", "csv_table", "dataset_file", "licences"]

#: whole-dataset files made here: name → (pyoxigraph format, what it is)
DATASET_FILES = {
    "cop-graph-public.trig.gz": (ox.RdfFormat.TRIG, "TriG, every public graph with its name"),
    "cop-graph-public.jsonld.gz": (ox.RdfFormat.JSON_LD, "JSON-LD, every public graph"),
}

_COP = "https://w3id.org/cop-graph/ontology#"
#: the CSV tables: name → (what it holds, the kinds of thing in it; None = a list's items)
TABLES = {
    "communities": ("Communities with their localities, domains, practices and principles", None),
    "organisations": ("Organisations with their kind and locality", None),
    "places": ("Places with their kind and locality", None),
    "practices": ("Practices", {_COP + "Practice"}),
    "domains": ("Domains", {_COP + "Domain"}),
    "resources": ("Resources in communities' shared repertoires", {_COP + "Resource"}),
    "events": ("Events", {_COP + "Event"}),
    "people": ("People who agreed to be named", {"http://xmlns.com/foaf/0.1/Person"}),
}


def csv_table(data: PublicData, index: SearchIndex, name: str) -> str:
    """The CSV table ``name`` (a key of :data:`TABLES`): one row per thing, IRIs in full, the
    last column ("Illustrative") saying "yes" for an invented thing and "no" for a real one."""
    kinds = TABLES[name][1]
    if kinds is None:
        spec = LISTS[name]
        items = build_list(data, index, spec)
        facets = spec.facets
    else:
        items = sorted(
            (entry.item for entry in index.entries if kinds & entry.item.facets["kind"].keys()),
            key=lambda item: item.label.lower(),
        )
        facets = {"kind": "Kind", "locality": "Locality"}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["IRI", "Name", "Description", *facets.values(), "Illustrative"])
    for item in items:
        joined = [_joined(item, f) for f in facets]
        made_up = "yes" if item.illustrative else "no"
        writer.writerow([item.iri, item.label, item.description, *joined, made_up])
    return out.getvalue()


def dataset_file(store, name: str) -> bytes:
    """The gzipped file ``name`` (a key of :data:`DATASET_FILES`): every fact of the public
    graphs (those the SPARQL endpoint serves), without links to non-web addresses."""
    fmt = DATASET_FILES[name][0]
    # the engine's own terms go straight to its serialiser: rdflib terms in between cost
    # several times the query on a whole dataset
    rows = queries.run(store, "list_public_quads", scope=Scope.public(store), raw=True)
    quads = (ox.Quad(row[0], row[1], row[2], row[3]) for row in rows)
    return gzip.compress(ox.serialize(quads, format=fmt, prefixes=PREFIXES), mtime=0)


def licences(data: PublicData) -> list[dict]:
    """The datasets described in the public graphs, each with its licences and attribution;
    the sources a dataset was built from are listed under it (``sources``)."""
    found: dict[str, dict] = {}
    parent_of: dict[str, str] = {}
    for row in data.rows("page_dataset_licences"):
        dataset = found.setdefault(
            str(row["dataset"]),
            {
                **thing(row["dataset"], row.get("label")),
                "description": str(row.get("description", "")),
                "rights": str(row.get("rights", "")),
                "licences": {},
                "sources": [],
            },
        )
        if "licence" in row:
            dataset["licences"][str(row["licence"])] = thing(
                row["licence"], row.get("licenceLabel") or _licence_name(str(row["licence"]))
            )
        if "partOf" in row:
            parent_of[str(row["dataset"])] = str(row["partOf"])
    for dataset in found.values():
        dataset["licences"] = list(dataset["licences"].values())
    for child, parent in parent_of.items():
        if parent in found and child in found:
            found[parent]["sources"].append(found[child])
    top = [d for iri, d in found.items() if iri not in parent_of or parent_of[iri] not in found]
    return sorted(top, key=lambda d: d["label"].lower())


def _joined(item: Item, facet: str) -> str:
    return "; ".join(sorted(item.facets.get(facet, {}).values()))


def _licence_name(iri: str) -> str:
    if "open-government-licence" in iri:
        return "Open Government Licence v3.0"
    if "creativecommons.org/licenses/by/4.0" in iri:
        return "Creative Commons Attribution 4.0"
    return iri
