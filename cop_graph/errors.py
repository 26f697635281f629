"""One exception hierarchy, so the CLI and web app can map failures to exit codes and statuses.

Every message is one plain-English sentence that says where and what, because the people
reading them keep spreadsheets, not stack traces.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import Graph

    from cop_graph.validate import ValidationReport


class CopGraphError(Exception):
    """Base of every error this package raises on purpose."""

    #: exit code of the command-line interface when this error ends a command
    exit_code = 2


class UsageError(CopGraphError):
    """The caller asked for something that cannot be done (unknown graph, bad option)."""


class LoadError(CopGraphError):
    """A file could not be read or parsed; ``location`` says where (file, line, column)."""

    def __init__(self, message: str, *, location: str | None = None):
        super().__init__(f"{location}: {message}" if location else message)
        self.location = location
        self.reason = message


class StoreError(CopGraphError):
    """The store could not be opened or written (locked, unreachable, corrupt)."""


class QueryError(CopGraphError):
    """A SPARQL query was malformed or refused."""


class ValidationFailed(CopGraphError):
    """Data does not conform to the shapes; ``report`` lists every problem found."""

    exit_code = 1

    def __init__(
        self, report: ValidationReport, *, source: str | None = None, labels: Graph | None = None
    ):
        self.report = report
        self.source = source
        #: where the names of the things in the report can be looked up
        self.labels = labels
        count = len(report.violations)
        where = f"{source}: " if source else ""
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{where}the data has {count} {noun} and was not saved.")

    def lines(self) -> list[str]:
        """One plain-English sentence per problem."""
        from rdflib import Graph

        return self.report.lines(self.labels if self.labels is not None else Graph())
