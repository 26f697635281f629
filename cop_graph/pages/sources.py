"""The page "Where the data comes from": every dataset, document and graph behind the site.

A reader deciding whether to trust a figure needs to know who published it, which edition it
is, under which licence, and when this project copied it; and needs to know which parts are
invented. All of that is in the graphs (DCAT and Dublin Core terms on each ``dcat:Dataset``,
``prov:wasDerivedFrom`` on each thing, the catalogue's record of each graph), so the page only
reads it, in the public scope, and says plainly where a fact is not recorded.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from rdflib import URIRef

from cop_graph import queries
from cop_graph.ids import slugify
from cop_graph.pages.display import plain_date, thing
from cop_graph.pages.public import PublicData

__all__ = ["FIELDS", "sources_page"]

#: what every dataset entry says, in the order the page shows it
FIELDS = (
    "label",
    "publisher",
    "landing_page",
    "licences",
    "edition",
    "retrieved",
    "things",
)
#: the properties a dataset may leave unrecorded, in words
_UNRECORDED = {
    "http://www.w3.org/ns/dcat#landingPage": "landing page",
    "http://purl.org/dc/terms/issued": "edition date",
    "http://purl.org/dc/terms/modified": "edition date",
    "https://w3id.org/cop-graph/ontology#retrieved": "date copied",
    "http://purl.org/dc/terms/publisher": "publisher",
    "http://purl.org/dc/terms/license": "licence",
}
_GRAPH_KINDS = {
    "ontology": "The ontology and the framework's lists",
    "shapes": "The rules data must follow",
    "reference": "Official and public reference data",
    "demo": "Invented demo data",
    "load": "Added by a coordinator",
}


def sources_page(data: PublicData) -> dict:
    """The page's data: the datasets (each with :data:`FIELDS`), the documents things cite,
    the graphs the site holds, and how many invented things there are."""
    datasets = _datasets(data)
    graphs = _graphs(data)
    return {
        "title": "Where the data comes from",
        "datasets": datasets,
        "documents": _documents(data),
        "graphs": graphs,
        "invented_things": _invented(data),
        "illustrative_graphs": [graph for graph in graphs if graph["illustrative"]],
    }


def _datasets(data: PublicData) -> list[dict]:
    """Every dataset, the ones that are made of others first, each followed by its parts."""
    links = _links(data)
    counts = {
        str(row["dataset"]): (int(row["things"]), int(row["points"]))
        for row in data.rows("page_sources_counts")
    }
    found = {}
    for row in data.rows("page_sources_datasets"):
        iri = str(row["dataset"])
        found[iri] = _dataset(row, links[iri], counts.get(iri, (0, 0)))
    for dataset in found.values():
        parts = [s["iri"] for s in dataset["built_from"] if s["iri"] in found]
        dataset["parts"] = parts
        dataset["built_from"] = [s for s in dataset["built_from"] if s["iri"] not in found]
    parents = [d for d in found.values() if not any(p in found for p in d["part_of"])]
    ordered = []
    for parent in sorted(parents, key=_by_label):
        ordered.append(parent)
        parts = [d for d in found.values() if parent["iri"] in d["part_of"] and d is not parent]
        ordered.extend(sorted(parts, key=_by_label))
    ordered.extend(d for d in sorted(found.values(), key=_by_label) if d not in ordered)
    return ordered


def _dataset(row: dict, links: dict[str, list[dict]], counts: tuple[int, int]) -> dict:
    publisher = None
    if "publisher" in row:
        publisher = {
            **thing(row["publisher"], row.get("publisherName")),
            "homepage": _text(row.get("publisherHomepage")),
        }
    return {
        **thing(row["dataset"], row.get("label")),
        "anchor": slugify(str(row["dataset"]).rsplit("#", 1)[-1].rsplit("/", 1)[-1]),
        "description": _text(row.get("description")) or "",
        "file": _text(row.get("identifier")),
        "publisher": publisher,
        "landing_page": _text(row.get("landingPage")),
        "licences": links["licence"],
        "edition": _edition(row),
        "retrieved": _text(row.get("retrieved")),
        "retrieved_text": _date_text(row.get("retrieved")),
        "things": counts[0],
        "map_points": counts[1],
        "built_from": links["source"],
        "part_of": [link["iri"] for link in links["part of"]],
        "unrecorded": sorted({_UNRECORDED.get(g["iri"], g["label"]) for g in links["unrecorded"]}),
        "unrecorded_note": _text(row.get("note")),
        "illustrative": bool(row.get("illustrative") and row["illustrative"].toPython() is True),
    }


def _edition(row: dict) -> dict | None:
    """Which edition: the publisher's release date, a modification date, or the period it
    covers (as the publisher names it, such as "May 2023"); ``None`` when not recorded."""
    issued, modified = _text(row.get("issued")), _text(row.get("modified"))
    period = None
    if "period" in row or "periodStart" in row:
        period = {
            "label": _text(row.get("periodLabel")) or _text(row.get("periodStart")),
            "start": _text(row.get("periodStart")),
            "end": _text(row.get("periodEnd")),
        }
    if not (issued or modified or period):
        return None
    if issued:
        text = f"Published {_date_text(issued)}"
    elif modified:
        text = f"Updated {_date_text(modified)}"
    else:
        text = period["label"]
    return {"issued": issued, "modified": modified, "period": period, "text": text}


def _links(data: PublicData) -> dict[str, dict[str, list[dict]]]:
    """Each dataset's licences, sources, parents and gaps, by the kind of link."""
    found: dict[str, dict[str, list[dict]]] = defaultdict(
        lambda: {"licence": [], "source": [], "part of": [], "unrecorded": []}
    )
    for row in data.rows("page_sources_links"):
        kind = found[str(row["dataset"])][str(row["link"])]
        target = thing(row["target"], row.get("targetLabel") or _licence_name(row["target"]))
        if target not in kind:
            kind.append(target)
    for kinds in found.values():
        for values in kinds.values():
            values.sort(key=_by_label)
    return found


def _documents(data: PublicData) -> list[dict]:
    return sorted(
        (
            {
                **thing(row["document"], row.get("label")),
                "description": _text(row.get("description")) or "",
                "creator": _text(row.get("creator")),
                "publisher": _text(row.get("publisherName")) or _text(row.get("publisher")),
                "date": _text(row.get("date")),
                "url": _text(row.get("url")),
                "licence": _text(row.get("license")),
                "cited_by": int(row["citedBy"]),
            }
            for row in data.rows("page_sources_documents")
        ),
        key=_by_label,
    )


def _graphs(data: PublicData) -> list[dict]:
    """The catalogue's public graphs (read in the scope that includes the catalogue)."""
    answer = queries.run(data.store, "page_sources_graphs", scope=data.scope).dicts()
    return [
        {
            "iri": str(row["graph"]),
            "label": str(row["title"]),
            "kind": str(row["kind"]),
            "kind_label": _GRAPH_KINDS.get(str(row["kind"]), str(row["kind"]).capitalize()),
            "loaded": str(row["when"]),
            "statements": int(row["triples"]),
            "illustrative": bool(row.get("illustrative") and row["illustrative"].toPython()),
        }
        for row in answer
        if URIRef(str(row["graph"])) in data.scope
    ]


def _invented(data: PublicData) -> int:
    rows = data.rows("page_sources_invented")
    return int(rows[0]["things"]) if rows else 0


def _licence_name(iri) -> str | None:
    text = str(iri)
    if "open-government-licence" in text:
        return "Open Government Licence v3.0"
    if "creativecommons.org/licenses/by/4.0" in text:
        return "Creative Commons Attribution 4.0"
    return None


def _text(value) -> str | None:
    return None if value is None else str(value)


def _date_text(value) -> str | None:
    """A date (or year, or month) as people write it; anything else as it is.

    >>> _date_text("2025-10-30"), _date_text("2023-05"), _date_text("2021"), _date_text(None)
    ('30 October 2025', 'May 2023', '2021', None)
    """
    if value is None:
        return None
    text = str(value)
    try:
        if len(text) == 10:
            return plain_date(dt.date.fromisoformat(text))
        if len(text) == 7:
            return f"{dt.date.fromisoformat(text + '-01'):%B %Y}"
    except ValueError:
        pass
    return text


def _by_label(item: dict) -> str:
    return item["label"].lower()
