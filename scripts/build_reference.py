"""Build the Greater Manchester reference data, ``data/reference/*.ttl``, from ``data/sources/``.

The reference graph holds the real, slow-changing facts every community record points at:
GM, its 10 localities and 215 wards, Trafford's council-defined localities, councils and
GM-wide bodies, the ICB with its 65 PCNs and 406 GP practices, deprivation figures, and the
organisations the framework document names. It is generated, not hand-edited, so that a new
NHS extract or a boundary change is one re-run away; the output is committed so that the app
needs neither shapely nor the source files at run time. Re-running on the same sources gives
the same bytes (``tests/test_reference.py`` checks).

Run with ``.venv/bin/python scripts/build_reference.py`` (or ``make reference``). The work is
split over the ``reference_*.py`` modules beside this one: places, organisations,
deprivation, geometry, and the shared RDF plumbing.
"""

from __future__ import annotations

import io
from pathlib import Path

from rdflib import Graph
from rdflib.plugins.serializers.turtle import TurtleSerializer
from reference_deprivation import build_deprivation
from reference_organisations import build_framework_organisations, build_nhs, build_organisations
from reference_places import build_places
from reference_rdf import Minted, Sources

from cop_graph.namespaces import DCAT, DCTERMS, FOAF

__all__ = ["build", "main", "turtle", "write"]

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "data" / "sources"
OUTPUT = ROOT / "data" / "reference"


class TurtleWithDescriptionFirst(TurtleSerializer):
    """rdflib's Turtle serialiser, with what a file holds on top: the ``dcat:Dataset`` nodes,
    then their publishers and editions' periods.

    Otherwise unchanged: subjects, predicates and objects sorted, so that the same graph
    always gives the same bytes.
    """

    topClasses = [DCAT.Dataset, FOAF.Organization, DCTERMS.PeriodOfTime]


def build(sources: Path) -> dict[str, Graph]:
    """Every reference file's graph by file name, built from the folder ``sources``."""
    files = Sources(sources)
    minted = Minted()  # one for all files: an IRI names one thing across the whole graph
    return {
        "places.ttl": build_places(files, minted),
        "organisations.ttl": build_organisations(files, minted),
        "nhs.ttl": build_nhs(files, minted),
        "framework_organisations.ttl": build_framework_organisations(files, minted),
        "deprivation.ttl": build_deprivation(files),
    }


def turtle(graph: Graph) -> bytes:
    """The graph as UTF-8 Turtle, descriptions first, everything else sorted."""
    stream = io.BytesIO()
    TurtleWithDescriptionFirst(graph).serialize(stream, encoding="utf-8")
    return stream.getvalue()


def write(graphs: dict[str, Graph], folder: Path) -> list[Path]:
    """Write each graph to ``folder/{file name}``; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, graph in graphs.items():
        path = folder / name
        path.write_bytes(turtle(graph))
        written.append(path)
    return written


def main() -> int:
    """Regenerate ``data/reference/`` from ``data/sources/``."""
    for path in write(build(SOURCES), OUTPUT):
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
