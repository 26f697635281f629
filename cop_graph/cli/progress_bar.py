"""The progress bar long commands draw on a terminal, and nothing at all anywhere else.

``load``, ``import``, ``validate``, ``init`` and ``analyse`` can take a minute on a large
graph; a coordinator watching a silent terminal cannot tell working from stuck. The library
reports its steps to a :class:`cop_graph.progress.Progress`; here that becomes one line per
step on stderr (what, how far, how long), wiped when the command ends so that only its
answer stays. When stderr is not a terminal (a pipe, a file, a test) the command gets the
silent reporter, so scripts see exactly the output they always did.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from cop_graph.progress import SILENT, Progress

__all__ = ["TerminalBar", "terminal_progress"]


class TerminalBar:
    """A :class:`~cop_graph.progress.Progress` drawn with rich: a line per step so far."""

    def __init__(self, stream) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self._bars = Progress(
            SpinnerColumn(finished_text="✓"),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(file=stream),
            transient=True,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._current = None

    def __enter__(self) -> TerminalBar:
        self._bars.start()
        return self

    def __exit__(self, *exc) -> None:
        self._bars.stop()

    def step(self, name: str, total: int | None = None) -> None:
        self._end_current()
        self._current = self._bars.add_task(name, total=total)

    def advance(self, amount: int = 1) -> None:
        if self._current is not None:
            self._bars.advance(self._current, amount)

    def _end_current(self) -> None:
        """Mark the step before as done (a step of unknown size becomes one unit, done)."""
        if self._current is not None:
            task = self._bars.tasks[-1]
            total = task.total if task.total is not None else max(task.completed, 1)
            self._bars.update(self._current, total=total, completed=total)
            self._bars.stop_task(self._current)


@contextmanager
def terminal_progress(stream=None) -> Iterator[Progress]:
    """A bar on ``stream`` (default stderr) while the block runs, if it is a terminal."""
    stream = stream or sys.stderr
    if not _is_terminal(stream):
        yield SILENT
        return
    with TerminalBar(stream) as bar:
        yield bar


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
