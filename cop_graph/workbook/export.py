"""From the store back to a workbook that imports to the same graph.

Each thing becomes a row of its sheet with its ID, so its IRI survives the round trip;
links (memberships, outcomes, progress) become rows from which the importer makes the same
IRIs again. A reference is written as the thing's name when the importer would find that
very thing by that name, and as its ID otherwise (two wards called "Brooklands", two people
with the same name), so the workbook reads naturally and still means exactly one thing.

After writing, the rows are mapped back to RDF in memory and compared with the source:
anything the workbook cannot hold (a fact no column is for) is listed, not silently lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef

from cop_graph.ids import slugify
from cop_graph.namespaces import COP, DCTERMS, ID, ORG, RDF, RDFS
from cop_graph.workbook import sheets as S
from cop_graph.workbook.lookup import Resolver, Thing, kinds_of
from cop_graph.workbook.tables import Workbook
from cop_graph.workbook.values import CellProblem
from cop_graph.workbook.vocabulary import choices

__all__ = ["Exported", "export_rows"]


@dataclass
class Exported:
    """The rows of each sheet, the About settings, and the facts no cell could hold."""

    rows: dict[str, list[list[str]]] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)
    left_out: Graph = field(default_factory=Graph)


def export_rows(
    store,
    graphs: Iterable[URIRef],
    *,
    name: str,
    data: Graph | None = None,
    people_names: bool = True,
) -> Exported:
    """Rows for the things in ``graphs`` (public and private parts, as the caller chooses).

    ``data``, when given, is written instead of the whole of ``graphs`` (one community's
    record); ``people_names`` False writes a person the rows do not describe by their ID,
    never by a name looked up in the store, for readers who may not see people's names.
    """
    graphs = list(graphs)
    if data is None:
        data = Graph()
        for graph in graphs:
            data += store.graph(graph)
    writer = _Writer(data, Resolver(store, exclude=graphs), people_names=people_names)
    exported = Exported(settings={"workbook name": name})
    typed = set(data.subjects(RDF.type, None))
    made_up = bool(typed) and all((t, COP.illustrative, Literal(True)) in data for t in typed)
    exported.settings["made-up examples"] = "yes" if made_up else "no"
    things = {sheet.name: writer.things_of(sheet) for sheet in S.SHEETS if sheet.has_ids}
    for sheet_name, subjects in things.items():
        sheet = S.find_sheet(sheet_name)
        for subject in subjects:
            writer.register(sheet, subject)
    for sheet in S.SHEETS:
        if sheet.has_ids:
            exported.rows[sheet.name] = [writer.thing_row(sheet, s) for s in things[sheet.name]]
    exported.rows[S.MEMBERSHIPS.name] = writer.memberships()
    exported.rows[S.OUTCOMES.name] = writer.outcomes()
    exported.rows[S.PROGRESS.name] = writer.progress()
    exported.left_out = _left_out(store, graphs, data, exported)
    return exported


class _Writer:
    def __init__(self, data: Graph, resolver: Resolver, *, people_names: bool = True):
        self.data = data
        self.resolver = resolver
        self.people_names = people_names
        self.ids: dict[URIRef, str] = {}

    # -- things ---------------------------------------------------------------------------

    def things_of(self, sheet: S.Sheet) -> list[URIRef]:
        if sheet.classes:
            found = set(self.data.subjects(RDF.type, sheet.classes[0]))
        else:
            offered = {c.iri for c in choices(sheet.column("type").targets[0])}
            found = {s for s, cls in self.data.subject_objects(RDF.type) if cls in offered}
            if sheet is S.ORGANISATIONS:
                found = {s for s in found if (s, RDF.type, COP.CommunityOfPurpose) not in self.data}
        return sorted(s for s in found if isinstance(s, URIRef))

    def register(self, sheet: S.Sheet, subject: URIRef) -> None:
        prefix = f"{ID}{sheet.kind}/"
        rest = str(subject).removeprefix(prefix)
        self.ids[subject] = rest if str(subject) != rest and slugify(rest) == rest else str(subject)
        kinds = kinds_of(self.data.objects(subject, RDF.type)) | {sheet.kind}
        self.resolver.add_local(Thing(subject, self._label(subject), kinds), self.ids[subject])

    def thing_row(self, sheet: S.Sheet, subject: URIRef) -> list[str]:
        row = []
        for column in sheet.columns:
            if column.value == S.ID:
                row.append(self.ids[subject])
            elif column.value == S.NAME:
                row.append(self._label(subject))
            elif column.predicate is None:  # the Type column of organisations and places
                types = set(self.data.objects(subject, RDF.type))
                row.append(self._choice_cell(column, types))
            else:
                row.append(self.cell(column, self.data.objects(subject, column.predicate)))
        return row

    # -- cells ----------------------------------------------------------------------------

    def cell(self, column: S.Column, values: Iterable) -> str:
        values = list(values)
        if column.value == S.REF:
            texts = [self.reference(v, column.targets) for v in values]
        elif column.value == S.CHOICE:
            return self._choice_cell(column, values)
        elif column.value == S.YES_NO:
            texts = ["yes" if v.toPython() is True else "no" for v in values]
        elif column.value == S.EMAIL:
            texts = [str(v).removeprefix("mailto:") for v in values]
        else:
            texts = [str(v) for v in values]
        return "; ".join(sorted(texts)) if column.several else (texts[0] if texts else "")

    def _choice_cell(self, column: S.Column, values) -> str:
        labels = {c.iri: c.label for c in choices(column.targets[0])}
        found = sorted(labels[v] for v in values if v in labels)
        if column.targets[0] == "organisation type" and len(found) > 1:
            found.remove("Other organisation")  # every organisation is an org:Organization
        return "; ".join(found) if column.several else (found[0] if found else "")

    def reference(self, thing: URIRef, targets: tuple[str, ...]) -> str:
        """The thing's name if that finds this very thing, else its ID."""
        local = self.resolver.local(thing)
        name = local.label if local else self._stored_label(thing)
        if not local and not self.people_names and self._is_person(thing):
            name = None  # the store's name for a person may be private
        if name:
            try:
                if self.resolver.find(name, targets).iri == thing:
                    return name
            except CellProblem:
                pass
        if thing in self.ids:
            return self.ids[thing]
        rest = str(thing).rsplit("/", 1)[-1]
        return rest if str(thing).startswith(str(ID)) and slugify(rest) == rest else str(thing)

    def _is_person(self, thing: URIRef) -> bool:
        found = self.resolver.recorded(thing)
        return found is not None and "person" in found.kinds

    def _stored_label(self, thing: URIRef) -> str | None:
        found = self.resolver.recorded(thing)
        return found.label if found else None

    def _label(self, subject: URIRef) -> str:
        label = self.data.value(subject, RDFS.label)
        return str(label) if label is not None else ""

    # -- links ----------------------------------------------------------------------------

    def memberships(self) -> list[list[str]]:
        rows = []
        for membership in sorted(self.data.subjects(RDF.type, ORG.Membership)):
            value = self.data.value
            rows.append([
                self.reference(value(membership, ORG.organization), ("community",)),
                self.reference(value(membership, ORG.member), ("person", "organisation")),
                self._choice_cell(S.MEMBERSHIPS.column("role"), [value(membership, ORG.role)]),
                *(str(value(membership, S.MEMBERSHIPS.column(k).predicate) or "")
                  for k in ("from", "to")),
            ])  # fmt: skip
        return rows

    def outcomes(self) -> list[list[str]]:
        rows = []
        for outcome in sorted(self.data.subjects(RDF.type, COP.Outcome)):
            community = self.data.value(outcome, COP.outcomeOf)
            head = [self.reference(community, ("community",)), self._label(outcome)]
            indicators = sorted(self.data.objects(outcome, COP.measuredBy))
            if not indicators:
                rows.append([*head, "", "", ""])
            for indicator in indicators:
                name = self.reference(indicator, ("indicator",))
                observations = sorted(
                    o for o in self.data.subjects(COP.indicator, indicator)
                    if (o, COP.observedFor, community) in self.data
                )  # fmt: skip
                if not observations:
                    rows.append([*head, name, "", ""])
                for observation in observations:
                    value = self.data.value(observation, COP.value)
                    when = self.data.value(observation, DCTERMS.date)
                    rows.append([*head, name, str(value or ""), str(when or "")])
        return rows

    def progress(self) -> list[list[str]]:
        rows = []
        step_column, status_column = S.PROGRESS.column("step"), S.PROGRESS.column("status")
        for assessment in sorted(self.data.subjects(RDF.type, COP.StepAssessment)):
            value = self.data.value
            rows.append([
                self.reference(value(assessment, COP.assessedCommunity), ("community",)),
                self._choice_cell(step_column, [value(assessment, COP.assessedStep)]),
                self._choice_cell(status_column, [value(assessment, COP.stepStatus)]),
                str(value(assessment, DCTERMS.date) or ""),
                str(value(assessment, DCTERMS.description) or ""),
            ])  # fmt: skip
        return rows


def _left_out(store, graphs, data: Graph, exported: Exported) -> Graph:
    """The facts of ``data`` that importing the exported rows would not give back."""
    from cop_graph.workbook.mapping import map_workbook

    workbook = Workbook("export", settings=dict(exported.settings))
    for sheet in S.SHEETS:
        header = [c.header for c in sheet.columns]
        workbook.add_sheet(sheet.name, [header, *exported.rows.get(sheet.name, [])])
    mapped = map_workbook(
        workbook, store, people_prefix=exported.settings["workbook name"], exclude=graphs
    )
    left_out = Graph()
    for triple in data:
        if triple not in mapped.facts:
            left_out.add(triple)
    return left_out


def export_workbook(
    store, graphs: Iterable[URIRef] = (), *, include_private: bool = False, fmt: str = "xlsx"
) -> tuple[bytes, Exported]:
    """``graphs`` (default: every import, load and demo graph) as an XLSX file or CSV zip.

    People's names and emails are in the graphs' private parts, included only when asked:
    without them, people's rows have no names and the workbook will not import back.
    """
    from cop_graph.queries.catalogue import DATA_KINDS, list_graphs
    from cop_graph.scope import Scope, private_graph_of
    from cop_graph.workbook.template import to_csv_zip, to_xlsx

    chosen = list(Scope.of(graphs).graphs) or [
        URIRef(r.graph) for r in list_graphs(store) if r.kind in DATA_KINDS
    ]
    readable = Scope.everything(store) if include_private else Scope.public(store)
    parts = [g for g in (*chosen, *map(private_graph_of, chosen)) if g in readable]
    short = [str(g).removeprefix(f"{ID}graph/").removeprefix("import/") for g in chosen]
    exported = export_rows(store, parts, name="-".join(short) or "workbook")
    if fmt == "zip":
        return to_csv_zip(exported.rows, exported.settings), exported
    return to_xlsx(exported.rows, exported.settings, store=store), exported
