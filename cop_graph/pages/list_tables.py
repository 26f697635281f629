"""A list's downloads: exactly the rows its page shows (same filters, same order), every page.

A coordinator who narrows the communities to Wigan and sorts them by domain expects the
spreadsheet to hold those rows in that order, not the whole graph; and all of them, not just
the fifty on the page. Names come first, each thing's IRI in the next column, so the table
reads well and still links back to the data.
"""

from __future__ import annotations

import csv
import io

from cop_graph.pages.facets import Item
from cop_graph.pages.lists import COLUMNS, ListSpec, cell, shown_items

__all__ = ["list_csv", "list_json"]


def list_csv(
    spec: ListSpec, items: list[Item], chosen: dict[str, list[str]], sort: tuple[str, bool]
) -> str:
    """The rows shown, as CSV: Name, IRI, the list's other columns, Description, and
    Illustrative ("yes" for an invented thing)."""
    columns = [c for c in spec.columns if c != "name"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Name", "IRI", *(COLUMNS[c] for c in columns), "Description", "Illustrative"])
    for item in shown_items(items, chosen, sort):
        writer.writerow(
            [
                item.label,
                item.iri,
                *(cell(item, c) for c in columns),
                item.description,
                "yes" if item.illustrative else "no",
            ]
        )
    return out.getvalue()


def list_json(
    spec: ListSpec, items: list[Item], chosen: dict[str, list[str]], sort: tuple[str, bool]
) -> dict:
    """The rows shown, every page of them, as the JSON download's body."""
    columns = [c for c in spec.columns if c != "name"]
    rows = [
        {
            "label": item.label,
            "iri": item.iri,
            **{c: cell(item, c) for c in columns},
            "description": item.description,
            "illustrative": item.illustrative,
        }
        for item in shown_items(items, chosen, sort)
    ]
    return {
        "list": spec.name,
        "sort": ("-" if sort[1] else "") + sort[0],
        "chosen": chosen,
        "total": len(rows),
        "items": rows,
    }
