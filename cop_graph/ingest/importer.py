"""Importing a coordinator's workbook: read it, map it to RDF, check it, save it as one graph.

Either everything in the workbook is saved, in one atomic commit as its own named graph
with who/when/which file, or nothing is and every problem is reported by sheet, row and
column. The graph's name comes from the workbook (its "Workbook name" setting, or else its
file name without "(1)", "copy" or "v2"), so importing a corrected version replaces the
earlier one instead of adding to it; and each community the workbook describes has its
record replaced wherever else it was (another workbook, a form: see
:mod:`cop_graph.ingest.records`). Every import is recorded in the history and can be undone.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from cop_graph.collector import collector_paused
from cop_graph.ids import slugify
from cop_graph.ingest.context import context_of
from cop_graph.ingest.history import default_who
from cop_graph.ingest.records import plan_replacement, replace_records
from cop_graph.namespaces import RDFS
from cop_graph.progress import SILENT, Progress
from cop_graph.queries.catalogue import graph_iri
from cop_graph.scope import private_graph_of
from cop_graph.validate import ValidationReport, validate
from cop_graph.workbook.mapping import Mapped, map_workbook
from cop_graph.workbook.read import read_workbook
from cop_graph.workbook.report import ERROR, ImportRejected, Problem, from_validation
from cop_graph.workbook.tables import Workbook

__all__ = ["ImportResult", "check", "graph_name", "import_tables", "import_workbook"]

#: every import's graph is called ``import/<name>``
PREFIX = "import/"
_COPY_MARKS = re.compile(
    r"(?:[\s_-]*(?:\(\d+\)|-?\s*copy(?:\s*\d+)?|v\d+|version\s*\d+|final|latest))+$", re.I
)


@dataclass(frozen=True)
class ImportResult:
    """What an import saved (or, for a dry run, would save), and advice on the data."""

    graph: URIRef
    rows: int
    triples: int
    private_triples: int
    dry_run: bool
    advice: list[Problem] = field(default_factory=list)
    #: facts added and removed across the store (or that would be, for a dry run)
    added: int = 0
    removed: int = 0
    #: per community (its IRI): what changed, in short lines ("added practice Health walks")
    lines: dict[URIRef, list[str]] = field(default_factory=dict)
    #: the history's id of the change (None for a dry run or when nothing changed)
    change_id: str | None = None
    #: the names of the communities in :attr:`lines`
    names: dict[URIRef, str] = field(default_factory=dict)

    def summary(self) -> str:
        """ "3 facts added, 1 removed", "would add 3 facts, remove 1" or "no changes"."""
        if not self.added and not self.removed:
            return "no changes"
        facts = "fact" if self.added == 1 else "facts"
        if self.dry_run:
            return f"would add {self.added} {facts}, remove {self.removed}"
        return f"{self.added} {facts} added, {self.removed} removed"

    def readable(self) -> list[str]:
        """Every line of :attr:`lines`, in order."""
        return [line for lines in self.lines.values() for line in lines]


def graph_name(workbook: Workbook, filename: str | None = None) -> str:
    """The graph name for ``workbook``: its "Workbook name" setting, else its file name.

    >>> graph_name(Workbook("Bolton walks v2 (1).xlsx"))
    'import/bolton-walks'
    >>> graph_name(Workbook("x.xlsx", settings={"workbook name": "Wigan Walkers"}))
    'import/wigan-walkers'
    """
    given = workbook.settings.get("workbook name", "").strip()
    stem = given or Path(filename or workbook.source).stem
    slug = slugify(_COPY_MARKS.sub("", stem) or stem)
    return PREFIX + (slug or "workbook")


@collector_paused()
def import_workbook(
    store,
    source: Path | str | bytes,
    *,
    filename: str | None = None,
    who: str | None = None,
    dry_run: bool = False,
    name: str | None = None,
    max_bytes: int = 20 * 1024 * 1024,
    progress: Progress = SILENT,
) -> ImportResult:
    """Import ``source`` (a file, a folder of CSV files, or an upload's bytes) into ``store``.

    ``name`` overrides the graph name taken from the workbook. Raises
    :class:`ImportRejected` (nothing written) listing every problem found.
    """
    display = filename or (Path(source).name if not isinstance(source, bytes) else "upload")
    progress.step(f"Reading {display}")
    workbook = read_workbook(source, filename=display, max_bytes=max_bytes)
    return import_tables(
        store,
        workbook,
        name=name or graph_name(workbook, display),
        who=who,
        dry_run=dry_run,
        title=f"Workbook {workbook.settings.get('workbook name') or display}",
        checksum=_checksum(source),
        progress=progress,
    )


@collector_paused()
def import_tables(
    store,
    workbook: Workbook,
    *,
    name: str,
    who: str | None = None,
    dry_run: bool = False,
    kind: str = "import",
    title: str | None = None,
    checksum: str | None = None,
    beyond=(),
    progress: Progress = SILENT,
) -> ImportResult:
    """Save the rows of ``workbook`` (read from a file, or made by a form) as the graph
    ``name``, replacing the records of the communities they describe.

    ``beyond`` holds facts of the old record that no column holds (the form passes them on):
    each is saved with the rows while the thing it is about is still in them, so saving a
    form never drops what it could not show.

    The one path from rows to the store, so a form and an upload are checked by the same
    rules and replace in the same way. Raises :class:`ImportRejected` (nothing written)
    listing every problem found, by sheet, row and column.
    """
    display = workbook.source
    graph = graph_iri(name)
    replacing = [graph, private_graph_of(graph)]
    problems = list(workbook.problems)
    if not workbook.row_count and not _errors(problems):
        problems.append(
            Problem("there are no rows to import: fill in at least one sheet below its headings")
        )
    if _errors(problems):
        raise ImportRejected(problems, source=display)
    # people's IRIs are kept apart per graph (an import's keep their older, shorter form)
    people_prefix = name.removeprefix(PREFIX) if name.startswith(PREFIX) else name.replace("/", "-")
    progress.step(f"Turning {workbook.row_count} rows into facts")
    mapped = map_workbook(workbook, store, people_prefix=people_prefix, exclude=replacing)
    problems += mapped.problems
    data = mapped.facts
    if beyond:  # a form's (an upload has none: no pass over its facts for nothing)
        described = {s for s, _, _ in data}
        data.update(triple for triple in beyond if triple[0] in described)
    if _errors(problems):
        raise ImportRejected(problems, source=display)
    plan = plan_replacement(store, data, graph)
    progress.step("Checking against the data rules")
    report = validate(data, context=plan.context)
    problems += from_validation(report.results, mapped.cells, mapped.rows, _namer(mapped))
    if _errors(problems):
        raise ImportRejected(problems, source=display)
    advice = [p for p in problems if p.severity != ERROR]
    progress.step("Comparing with what is recorded" if dry_run else "Saving")
    # already checked above, with the same context the save reads: checking once gives the
    # full report (advice placed in rows, dry runs) at the cost of one validation
    change = replace_records(
        store,
        data,
        name=name,
        who=who or default_who(),
        title=title or f"Workbook {display}",
        kind=kind,
        sources=[display],
        checksum=checksum,
        illustrative=mapped.illustrative,
        dry_run=dry_run,
        check=False,
        plan=plan,
    )
    triples = len(data) if dry_run else change.triples
    private = 0 if dry_run else change.private_triples
    return ImportResult(
        graph, workbook.row_count, triples, private, dry_run, advice,
        change.added, change.removed, change.lines, change.change_id, change.names,
    )  # fmt: skip


def _errors(problems) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


def check(store, data: Graph, replacing) -> ValidationReport:
    """Validate ``data`` with what it links to, as the store holds it now.

    The same reading of the store as :func:`cop_graph.ingest.load.save_graph` does (see
    :func:`cop_graph.ingest.load.context_of`); the graphs being replaced are left out.
    """
    return validate(data, context=context_of(store, data, replacing))


def _namer(mapped: Mapped):
    label = RDFS.label
    labels = {s: o for s, p, o in mapped.facts if p == label}

    def name(thing) -> str:
        label = labels.get(thing)
        return str(label) if label is not None else str(thing)

    return name


def _checksum(source) -> str | None:
    if isinstance(source, bytes):
        return hashlib.sha256(source).hexdigest()
    path = Path(source)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
