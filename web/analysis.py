"""Connection analyses in the browser (``/analysis/…``) and as JSON (``/api/analysis/…``).

Every page and its JSON twin come from :func:`cop_graph.analysis.reports.run`, the same call
the command line makes, so the three ways in cannot disagree. Pictures are SVG drawn on the
server: nothing is fetched from elsewhere and no inline script runs (the page's one helper,
``analysis.js``, only fills the path finder's suggestions as you type).
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import time

import networkx as nx
from flask import Blueprint, Response, current_app, render_template, request, url_for

from cop_graph import queries
from cop_graph.analysis import reports
from cop_graph.analysis.network import LEVELS, label_of, named, things
from cop_graph.analysis.paths import find_things
from cop_graph.analysis.tables import as_select
from cop_graph.errors import UsageError
from cop_graph.marks import mark
from cop_graph.pages.analysis_pictures import pictures
from cop_graph.pages.analysis_text import FORMATS, answer_text
from cop_graph.pages.formatting import render_select
from cop_graph.pages.home import map_counts
from cop_graph.queries.catalogue import list_graphs
from cop_graph.web.browsing import cached, page_url, public_data
from cop_graph.web.errors import error_response
from cop_graph.web.negotiation import json_response
from cop_graph.web.state import app_state

blueprint = Blueprint("analysis", __name__)

#: the pages, in the order the index lists them: page name → (title, what it shows)
PAGES = {
    "shared-practice": ("Shared practice", "Which places share which practices: a heat map of "
                        "places and practices, and for one place, who shares what with it."),
    "network": ("The network", "Communities across Greater Manchester and how they connect, "
                "coloured by cluster."),
    "paths": ("Path finder", "How any two things are connected, in plain sentences."),
    "gaps": ("Gaps", "Places with no community in a domain or Blueprint chapter, the most "
             "deprived first; practices found in one locality only."),
    "brokers": ("Brokers", "Communities, organisations and roles that bridge localities."),
    "roles": ("Role coverage", "Which of Wenger's seven roles each community has filled."),
    "progress": ("Framework progress", "Where communities are on the seven framework steps."),
    "learn-from": ("Who to learn from", "Kindred communities elsewhere that are further along."),
    "resilience": ("Resilience", "Who alone holds places together: single points of failure."),
}  # fmt: skip
#: the analyses each page shows (the first is its main one)
_PAGE_ANALYSES = {
    "shared-practice": ("practice-matrix", "shared-practice", "similarity"),
    "network": ("clusters",),
    "paths": ("paths",),
    "gaps": ("gaps",),
    "brokers": ("brokers",),
    "roles": ("roles",),
    "progress": ("progress",),
    "learn-from": ("learn-from",),
    "resilience": ("resilience",),
}
#: colours of clusters in the network picture (Okabe–Ito, readable by most colour-blind people)
CLUSTER_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
                   "#F0E442", "#000000")  # fmt: skip
#: most links the network picture draws (the strongest), so that the page stays light
MAX_LINKS = 3000
_NEEDS = {"paths": ("from", "to"), "learn-from": ("community",)}
#: how each level reads in a sentence
LEVEL_NAMES = {
    "recorded": "places as recorded",
    "ward": "wards",
    "neighbourhood": "neighbourhoods",
    "pcn": "PCN areas",
    "locality": "localities",
    "region": "Greater Manchester",
}


def analysis_graphs(*, everything_public: bool = False) -> reports.Graphs:
    """The graphs of the store, built once and kept until the catalogue says the data changed.

    Every write to the store updates the catalogue (who, when, how many facts), so its records
    are a cheap fingerprint of the data; building the graphs again costs a full read, so one
    request builds them while others asking at the same time wait for that one.

    Pages read what visitors see (without invented data when the settings hide it);
    ``everything_public`` reads every public graph, invented ones marked, as ``cop-graph
    analyse`` does on its own. With the default settings the two are the same graphs.
    """
    state = app_state()
    stamp = tuple((r.graph, r.when, r.triples) for r in list_graphs(state.store))
    hidden = not everything_public and not state.settings.show_illustrative
    cached = state.analysis
    if cached is None or cached[0] != stamp or hidden not in cached[1]:
        with state.analysis_lock:
            cached = state.analysis
            if cached is None or cached[0] != stamp:
                cached = state.analysis = (stamp, {})
            if hidden not in cached[1]:
                # the graphs pages read: without invented data when the settings hide it
                scope = public_data().scope if hidden else None
                cached[1][hidden] = reports.Graphs(state.store, scope)
    return cached[1][hidden]


def build_graphs_ahead(app) -> float:
    """Build the graphs every analysis reads (the whole knowledge graph and the community
    network), so that neither the first visitor nor the first ``cop-graph analyse`` waits for
    them; ``cop-graph serve`` calls this in the background as it starts. Returns the seconds
    it took."""
    started = time.monotonic()
    with app.app_context():
        graphs = analysis_graphs(everything_public=True)
        with reports.collector_paused():
            graphs.kg  # noqa: B018 - built and kept
            graphs.communities  # noqa: B018
    return time.monotonic() - started


def analysis_result(
    name: str, options: dict[str, str], *, everything_public: bool = False
) -> reports.Result:
    """The answer of the analysis ``name`` for ``options``, from the graphs kept built (see
    :func:`analysis_graphs`). Raises :class:`UsageError` for options it cannot take."""
    graphs = analysis_graphs(everything_public=everything_public)
    return reports.run(app_state().store, name, options, graphs=graphs)


def command_line_answer(name: str, options: dict[str, str], fmt: str) -> bytes:
    """What ``cop-graph analyse NAME`` prints for ``options`` as ``fmt``, gzipped, from the
    graphs this site keeps built (every public graph, as the command reads on its own).

    Remembered until the data changes (:func:`cached`), compressed: brokers' table at 10k
    communities is 16 MB of text (mostly the spaces that align it) and 1.4 MB gzipped, and the
    answer itself, 137 MB of Python objects, is not kept at all.
    """
    if fmt not in FORMATS:
        raise UsageError(f'there is no format "{fmt}"; choose {", ".join(FORMATS)}')
    key = ("analysis-text", name, tuple(sorted(options.items())), fmt)

    def gzipped() -> bytes:
        text = answer_text(analysis_result(name, options, everything_public=True), fmt)
        return gzip.compress(text.encode("utf-8"), compresslevel=1)

    return cached(key, gzipped)


def command_line_graph(name: str, options: dict[str, str], fmt: str) -> bytes:
    """The file ``cop-graph analyse NAME --export FMT`` writes, from the graphs this site keeps
    built (every public graph, as the command reads on its own)."""
    graphs = analysis_graphs(everything_public=True)
    return reports.export_graph(app_state().store, name, fmt, options, graphs=graphs)


def problem_sentence(error: Exception) -> str:
    """An error message as a sentence for people: capital letter, full stop."""
    text = str(error)
    return f"{text[:1].upper()}{text[1:]}."


def analysis_options(name: str) -> dict[str, str]:
    """The request's values for the options the analysis ``name`` takes."""
    return {k: request.args[k] for k in reports.get(name).options if request.args.get(k)}


@blueprint.get("/api/analysis/")
def index_json():
    listed = [
        {
            "name": a.name,
            "title": a.title,
            "summary": a.summary,
            "options": a.options,
            "url": url_for("analysis.analysis_json", name=a.name, _external=False),
        }
        for a in reports.ANALYSES.values()
    ]
    return json_response({"ok": True, "analyses": listed})


@blueprint.get("/api/analysis/things")
def things_json():
    """Things whose name contains ``q``, for the path finder's search as you type."""
    graphs = analysis_graphs()
    found = find_things(graphs.kg, request.args.get("q", ""), limit=20)
    return json_response({"ok": True, "things": mark(found, graphs.invented)})


@blueprint.get("/api/analysis/<name>")
def analysis_json(name: str):
    """The answer as JSON (``?format=csv`` for the same as a table)."""
    if name not in reports.ANALYSES:
        return error_response(404, f'There is no analysis called "{name}".')
    try:
        result = analysis_result(name, analysis_options(name))
    except UsageError as error:
        return error_response(400, problem_sentence(error))
    if request.args.get("format") == "csv":
        text = render_select(as_select(result.columns, result.rows), "csv") + "\n"
        return Response(text, mimetype="text/csv", headers=_attachment(f"{name}.csv"))
    return json_response({"ok": True, **result.data})


@blueprint.get("/api/analysis/<name>/graph.<fmt>")
def graph_file(name: str, fmt: str):
    """The graph the analysis works on, as GraphML, GEXF (for Gephi) or a CSV edge list."""
    if name not in reports.ANALYSES:
        return error_response(404, f'There is no analysis called "{name}".')
    try:
        data = reports.export_graph(
            app_state().store, name, fmt, analysis_options(name), graphs=analysis_graphs()
        )
    except UsageError as error:
        return error_response(400, problem_sentence(error))
    kinds = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml"}
    mimetype = kinds.get(fmt, "text/csv")
    return Response(data, mimetype=mimetype, headers=_attachment(f"{name}.{fmt}"))


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="cop-graph-{filename}"'}


@blueprint.get("/analysis/")
def index():
    return render_template("analysis_index.html", pages=PAGES, **_common())


def _page_results(page: str) -> tuple[dict, str | None]:
    """The answers a page shows for this request's options, and the error if one is wrong
    (nothing is run until the options a page needs are given)."""
    results = {}
    main = _PAGE_ANALYSES[page][0]
    if all(request.args.get(option) for option in _NEEDS.get(main, ())):
        try:
            for name in _PAGE_ANALYSES[page]:
                results[name] = analysis_result(name, analysis_options(name))
        except UsageError as error:
            return {}, problem_sentence(error)
    return results, None


def _pictures(page: str, results: dict) -> list:
    """The page's pictures; the gaps map places areas by their ONS codes."""
    codes = None
    if page == "gaps":
        by_code = cached("map-counts", lambda: map_counts(public_data()))
        codes = {about["iri"]: {"code": code, **about} for code, about in by_code.items()}
    return pictures(page, results, codes=codes, link=page_url)


@blueprint.get("/analysis/<page>/pictures/<picture>.<fmt>")
def picture_file(page: str, picture: str, fmt: str):
    """One picture of an analysis page as SVG, or the numbers it is drawn from as CSV, for the
    same options as the page (the address carries them)."""
    if page not in PAGES or fmt not in ("svg", "csv"):
        return error_response(404, f'There is no analysis picture "{picture}.{fmt}" here.')
    results, error = _page_results(page)
    if error:
        return error_response(400, error)
    found = [p for p in _pictures(page, results) if p.name == picture]
    if not found:
        return error_response(404, f'The {PAGES[page][0]} page has no picture "{picture}".')
    headers = _attachment(f"{page}-{picture}.{fmt}")
    if fmt == "svg":
        text = '<?xml version="1.0" encoding="UTF-8"?>\n' + found[0].svg
        return Response(text, mimetype="image/svg+xml", headers=headers)
    return Response(_csv(found[0].columns, found[0].rows), mimetype="text/csv", headers=headers)


def _csv(columns: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


@blueprint.get("/analysis/<page>")
def page(page: str):
    if page not in PAGES:
        return error_response(404, f'There is no analysis page called "{page}".')
    graphs = analysis_graphs()
    context = {
        "page": page,
        "title": PAGES[page][0],
        "lead": PAGES[page][1],
        "name": lambda iri: label_of(graphs.kg, iri),
        # a link only to those whose record lets them be named (see cop_graph.scope)
        "linkable": lambda iri: named(graphs.kg.nodes[iri]) if iri in graphs.kg else True,
        "invented_things": graphs.invented,
    }
    status = 200
    context["results"], context["error"] = _page_results(page)
    if context["error"]:
        status = 400
    context["pictures"] = _pictures(page, context["results"])
    # the picture's address carries the options its page's analyses take, and no others
    takes = {o for name in _PAGE_ANALYSES[page] for o in reports.get(name).options}
    options = {k: v for k, v in request.args.items() if k in takes and v}
    context["picture_link"] = lambda picture, fmt: url_for(
        "analysis.picture_file", page=page, picture=picture, fmt=fmt, **options
    )
    # the last column of every analysis table says whether the row shows anything invented
    context["invented_rows"] = sum(
        1 for result in context["results"].values() for row in result.rows if row[-1]
    )
    if page == "network" and "clusters" in context["results"]:
        context["picture"] = network_picture(graphs.communities, context["results"]["clusters"])
    if page == "learn-from":
        kg = graphs.kg
        context["communities"] = sorted((kg.nodes[c]["label"], c) for c in things(kg, "community"))
    return render_template(
        f"analysis_{page.replace('-', '_')}.html", **context, **_common()
    ), status


def _common() -> dict:
    """What every analysis page needs besides its answer."""
    args = request.args.to_dict()
    return {
        "args": args,
        "levels": LEVELS,
        "level_name": lambda level: LEVEL_NAMES.get(level, level),
        "pages_menu": PAGES,
        "illustrative": public_data().shows_invented(),
        "sparql_link": _sparql_link,
        "csv_link": lambda name: url_for(
            "analysis.analysis_json", name=name, format="csv", **_only(name, args)
        ),  # fmt: skip
        "json_link": lambda name: url_for("analysis.analysis_json", name=name, **_only(name, args)),
        "graph_link": lambda name, fmt: url_for(
            "analysis.graph_file", name=name, fmt=fmt, **_only(name, args)
        ),  # fmt: skip
        "analyses": reports.ANALYSES,
    }


def _only(name: str, args: dict) -> dict:
    return {k: v for k, v in args.items() if k in reports.get(name).options and v}


def _sparql_link(query_name: str) -> dict:
    """Title, text and a link that runs an example query on the SPARQL page (when there is one)."""
    query = queries.get(query_name)
    runs = "sparql.endpoint" in current_app.view_functions
    return {
        "title": query.title or query.summary,
        "text": query.text,
        "url": url_for("sparql.endpoint", query=query.text) if runs else None,
    }


def network_picture(graph: nx.Graph, clusters, width: int = 1200, height: int = 800) -> dict:
    """Where to draw each community and link: each cluster as a ring of its communities, the
    rings around a circle, largest first, so the clusters read at a glance (pure Python, no
    randomness). At most :data:`MAX_LINKS` links are drawn, the strongest."""
    groups = [[m["community"] for m in c["communities"]] for c in clusters.data["clusters"]]
    total = sum(len(group) for group in groups) or 1
    centre_x, centre_y = width / 2, height / 2
    reach = min(width - 520, height) / 2 - 20  # 260 pixels each side for the names
    nodes, at, angle = [], {}, 0.0
    for number, group in enumerate(groups, start=1):
        share = len(group) / total
        middle = angle + share * math.pi
        angle += share * 2 * math.pi
        away = reach * 0.6 if len(groups) > 1 else 0.0
        ring = min(reach * 0.4, away * math.sin(math.pi * share) * 0.85) if away else reach * 0.8
        gx, gy = centre_x + away * math.cos(middle), centre_y + away * math.sin(middle)
        for index, node in enumerate(group):
            turn = middle + 2 * math.pi * index / len(group)
            radius = ring if len(group) > 1 else 0
            x = round(gx + radius * math.cos(turn), 1)
            y = round(gy + radius * math.sin(turn), 1)
            at[node] = (x, y)
            nodes.append(
                {
                    "iri": node,
                    "label": graph.nodes[node]["label"],
                    "illustrative": bool(graph.nodes[node].get("illustrative")),
                    "x": x,
                    "y": y,
                    "cluster": number,
                    "colour": _colour(number),
                    "anchor": "start" if x >= centre_x else "end",
                }
            )
    strongest = sorted(graph.edges(data="weight"), key=lambda e: (-e[2], e[0], e[1]))[:MAX_LINKS]
    links = [
        {"x1": at[u][0], "y1": at[u][1], "x2": at[v][0], "y2": at[v][1], "weight": w}
        for u, v, w in strongest
    ]
    return {
        "width": width,
        "height": height,
        "nodes": nodes,
        "links": links,
        "all_links": graph.number_of_edges(),
    }


def _colour(cluster: int) -> str:
    if 1 <= cluster <= len(CLUSTER_COLOURS):
        return CLUSTER_COLOURS[cluster - 1]
    return "#8a8a8a"


@blueprint.app_template_global()
def cluster_colour(cluster: int) -> str:
    """The colour of a cluster, for legends."""
    return _colour(cluster)
