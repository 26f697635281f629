"""From a workbook's rows to RDF, remembering which cell every fact came from.

Two passes: the first gives every row that describes a thing (a community, a person, a
place…) its IRI, so rows can refer to each other in any order; the second turns each cell
into facts. Every fact is indexed by (thing, property) → sheet, row and column, so that a
problem the data rules find later can be reported in the coordinator's terms.

IRIs are stable: a row's ID, or else its name, makes the same IRI every time (people are
the exception: their IRIs never contain their names). Links (memberships, outcomes,
assessments) get IRIs from what they link, as in the demo data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from cop_graph.ids import mint, slugify
from cop_graph.namespaces import COP, FOAF, ID, RDF, RDFS, SKOS, XSD
from cop_graph.workbook import sheets as S
from cop_graph.workbook.links import LINK_SHEETS, check_within_cycles
from cop_graph.workbook.lookup import Resolver, Thing
from cop_graph.workbook.report import Problem
from cop_graph.workbook.tables import Origin, Row, Workbook
from cop_graph.workbook.values import (
    CellProblem,
    parse_code,
    parse_date,
    parse_email,
    parse_number,
    parse_web_address,
    parse_yes_no,
    several,
)
from cop_graph.workbook.vocabulary import LISTS, choices, find_choice

__all__ = ["Mapped", "Origin", "map_workbook"]


@dataclass
class Mapped:
    """The workbook as RDF, the problems found on the way, and where each fact came from.

    The facts are a plain set: adding to an rdflib Graph, and each later pass over one,
    costs several times more, and a 1,000-row workbook has 60,000 facts. :attr:`data` gives
    them as a Graph for callers that want to look things up.
    """

    facts: set[tuple[Node, Node, Node]] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    cells: dict[tuple[Node, Node], Origin] = field(default_factory=dict)
    rows: dict[Node, Origin] = field(default_factory=dict)
    illustrative: bool = False

    @property
    def data(self) -> Graph:
        """The facts as a new rdflib Graph."""
        graph = Graph()
        for triple in self.facts:
            graph.add(triple)
        return graph


def map_workbook(
    workbook: Workbook, store, *, people_prefix: str, exclude: Iterable[URIRef] = ()
) -> Mapped:
    """Map every sheet of ``workbook``; ``people_prefix`` keeps people's IRIs apart per workbook.

    ``exclude`` names the graphs the import will replace, whose things references must not find.
    """
    mapper = Mapper(workbook, Resolver(store, exclude), people_prefix)
    mapper.run()
    return mapper.out


class Mapper:
    """The state of one mapping: the resolver, the IRIs of rows, and the output."""

    def __init__(self, workbook: Workbook, resolver: Resolver, people_prefix: str):
        self.workbook = workbook
        self.resolver = resolver
        self.people_prefix = people_prefix
        self.out = Mapped()
        self.iris: dict[tuple[str, int], URIRef] = {}
        self._seen: dict[URIRef, Origin] = {}

    # -- the two passes -------------------------------------------------------------------

    def run(self) -> None:
        self.out.illustrative = self._setting_yes_no("made-up examples")
        tables = [self.workbook.tables[s.name] for s in S.SHEETS if s.name in self.workbook.tables]
        for table in tables:
            if table.sheet.has_ids:
                for row in table.rows:
                    self._register(table.sheet, row)
        self.resolver.prefetch(self._references(tables))
        for table in tables:
            build = LINK_SHEETS.get(table.sheet.name, Mapper.thing_row)
            for row in table.rows:
                build(self, table.sheet, row)
        check_within_cycles(self)

    def _register(self, sheet: S.Sheet, row: Row) -> None:
        name = row.text(sheet.name_key)
        ident = row.text("id")
        if not name:
            return  # reported as a missing required cell in the second pass
        try:
            iri = self._iri_of(sheet, row, ident, name)
        except CellProblem as problem:
            self.problem(str(problem), sheet, row, "ID", ident)
            return
        origin = Origin(
            sheet.name, row.number, "ID" if ident else sheet.column(sheet.name_key).header
        )
        earlier = self._seen.get(iri)
        if earlier is not None:
            what = f'the ID "{ident}"' if ident else f'the name "{name}"'
            self.problem(
                f"{what} is also used in {earlier.sheet} row {earlier.row}: each row needs its "
                "own" + (" ID" if ident else " name, or an ID to tell them apart"),
                sheet,
                row,
                origin.column,
                ident or name,
            )
            return
        self._seen[iri] = origin
        self.iris[(sheet.name, row.number)] = iri
        kinds = {sheet.kind}
        if sheet is S.PLACES and (kind := find_choice("place type", row.text("type"))):
            kinds |= {"ward"} if kind.iri == COP.Ward else set()
        self.resolver.add_local(Thing(iri, name, frozenset(kinds)), ident or None)

    def _iri_of(self, sheet: S.Sheet, row: Row, ident: str, name: str) -> URIRef:
        if ident.startswith(("http://", "https://")):
            if not ident.startswith(str(ID)) or " " in ident:
                raise CellProblem(
                    f'"{ident}" is not an ID this graph can use: write a short ID such as '
                    f'"{slugify(name) or "my-id"}", or a web address starting with {ID}'
                )
            return URIRef(ident)
        if ident:
            if not slugify(ident):
                raise CellProblem(f'"{ident}" cannot be an ID: use letters or digits')
            return mint(sheet.kind, ident)
        if sheet is S.PEOPLE:
            return mint("person", self.people_prefix, f"row-{row.number}")
        if sheet is S.ORGANISATIONS and row.text("ods code"):
            return _mint_from_cells("organisation", row.text("ods code"))
        if sheet is S.EVENTS:
            return _mint_from_cells("event", name, row.text("date"))
        return _mint_from_cells(sheet.kind, name)

    def _references(self, tables) -> list[tuple[str, tuple[str, ...]]]:
        wanted = []
        for table in tables:
            for column in table.sheet.columns:
                if column.value == S.REF:
                    for row in table.rows:
                        wanted += [(text, column.targets) for text in self.texts(row, column)]
        return wanted

    # -- one row describing one thing -----------------------------------------------------

    def thing_row(self, sheet: S.Sheet, row: Row) -> None:
        """Facts of a row of a sheet of things: type, name, then one property per column."""
        self.require(sheet, row)
        iri = self.iris.get((sheet.name, row.number))
        if iri is None:
            return
        name = row.text(sheet.name_key)
        origin = Origin(sheet.name, row.number, sheet.column(sheet.name_key).header, name)
        self.out.rows.setdefault(iri, origin)
        label = Literal(name, lang="en") if sheet.english_names else Literal(name)
        self.add(iri, RDFS.label, label, origin)
        for cls in sheet.classes:
            self.add(iri, RDF.type, cls, origin)
        if SKOS.Concept in sheet.classes:
            self.add(iri, SKOS.prefLabel, label, origin)
        if sheet is S.PEOPLE:
            self.add(iri, FOAF.name, label, origin)
            if not row.text("public profile"):
                self.add(iri, COP.publicProfile, Literal(False), origin)
        type_column = sheet.column("type")
        if type_column is not None and type_column.predicate is None:
            for choice in self.values(sheet, row, type_column):
                self.add(iri, RDF.type, choice.iri, self.origin(sheet, row, type_column))
        if self.out.illustrative:
            self.add(iri, COP.illustrative, Literal(True), origin)
        for column in sheet.columns:
            if column.predicate is not None:
                for value in self.values(sheet, row, column):
                    self.add(
                        iri,
                        column.predicate,
                        self.term(column, value),
                        self.origin(sheet, row, column),
                    )

    # -- cells ----------------------------------------------------------------------------

    def texts(self, row: Row, column: S.Column) -> list[str]:
        text = row.text(column.key)
        if not text:
            return []
        return several(text) if column.several else [text]

    def values(self, sheet: S.Sheet, row: Row, column: S.Column) -> list:
        """The values of a cell, read as its column says; problems are noted, not raised."""
        found = []
        raw = row.cells.get(column.key)
        inputs = [raw] if column.value == S.DATE and not isinstance(raw, str) and raw else []
        for text in inputs or self.texts(row, column):
            try:
                found.append(self.read(column, text))
            except CellProblem as problem:
                self.problem(str(problem), sheet, row, column.header, row.text(column.key))
        return found

    def read(self, column: S.Column, text):
        kind = column.value
        if kind == S.REF:
            return self.resolver.find(text, column.targets)
        if kind == S.CHOICE:
            return self.choice(column.targets[0], text)
        return _READERS.get(kind, str)(text)

    def choice(self, list_name: str, text: str):
        found = find_choice(list_name, text)
        if found is None:
            from cop_graph.workbook.tables import did_you_mean

            noun = LISTS[list_name][0]
            labels = [c.label for c in choices(list_name)]
            hint = did_you_mean(text, labels)
            if hint == ".":
                hint = ". Choose one of: " + ", ".join(labels) + "."
            raise CellProblem(f'"{text}" is not a {noun}{hint}')
        return found

    def term(self, column: S.Column, value) -> Node:
        if isinstance(value, Thing):
            return value.iri
        if hasattr(value, "iri"):
            return value.iri
        kind = column.value
        if kind == S.DATE:
            return Literal(value.isoformat(), datatype=XSD.date)
        if kind == S.WEB:
            return URIRef(value)
        if kind == S.EMAIL:
            return URIRef(f"mailto:{value}")
        if kind in (S.YES_NO, S.NUMBER, S.CODE):
            return Literal(value)
        return Literal(value, lang="en") if column.english else Literal(value)

    def require(self, sheet: S.Sheet, row: Row) -> bool:
        """Note each empty required cell; True when none is empty."""
        missing = [c for c in sheet.columns if c.required and not row.text(c.key)]
        for column in missing:
            self.problem(f'"{column.header}" is required: fill it in', sheet, row, column.header)
        return not missing

    # -- output ---------------------------------------------------------------------------

    def origin(self, sheet: S.Sheet, row: Row, column: S.Column) -> Origin:
        return Origin(sheet.name, row.number, column.header, row.text(column.key) or None)

    def add(self, subject: Node, predicate: Node, obj: Node, origin: Origin) -> None:
        self.out.facts.add((subject, predicate, obj))
        self.out.cells.setdefault((subject, predicate), origin)

    def problem(self, message, sheet, row, column=None, value=None) -> None:
        sheet_name = sheet.name if isinstance(sheet, S.Sheet) else sheet
        number = row.number if isinstance(row, Row) else row
        self.out.problems.append(Problem(message, sheet_name, number, column, value or None))

    def _setting_yes_no(self, key: str) -> bool:
        text = self.workbook.settings.get(key, "")
        if not text:
            return False
        try:
            return parse_yes_no(text)
        except CellProblem as problem:
            self.out.problems.append(Problem(str(problem), S.ABOUT, None, "Value", text))
            return False


#: how a cell of each kind of column is read (any other kind is taken as text)
_READERS = {
    S.DATE: parse_date,
    S.YES_NO: parse_yes_no,
    S.NUMBER: parse_number,
    S.WEB: parse_web_address,
    S.EMAIL: parse_email,
    S.CODE: parse_code,
}


def _mint_from_cells(kind: str, *cells: str) -> URIRef:
    """The IRI made from the text of ``cells``, or the cell's problem when the text holds no
    letter or digit to make one from (a name such as ":" is a coordinator's typo, not a crash)."""
    if not any(slugify(cell) for cell in cells):
        shown = " ".join(cell for cell in cells if cell)
        raise CellProblem(
            f'"{shown}" cannot make an ID: use letters or digits, or give the row an ID'
        )
    return mint(kind, *cells)
