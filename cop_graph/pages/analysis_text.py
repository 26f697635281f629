"""An analysis's answer as ``cop-graph analyse`` prints it: one function for both printers.

The command line prints the answer it works out itself; while ``cop-graph serve`` holds the
store it prints the text the running site sends instead (``/_store/analysis/…``). Both come
from :func:`answer_text`, so the two cannot drift apart: the same table, CSV or JSON.
"""

from __future__ import annotations

import json

from cop_graph.analysis.reports import Result
from cop_graph.analysis.tables import as_select
from cop_graph.collector import collector_paused
from cop_graph.pages.formatting import FORMATS, render_select

__all__ = ["FORMATS", "answer_text"]


def answer_text(result: Result, fmt: str) -> str:
    """``result`` as ``fmt`` (``table``, ``csv`` or ``json``), ending with a new line.

    JSON is the whole answer (its lists and evidence), the other formats its table.
    """
    with collector_paused():  # a table of 10k rows: 3 s with the collector, 0.8 s without
        if fmt == "json":
            text = json.dumps(result.data, indent=2, ensure_ascii=False)
        else:
            text = render_select(as_select(result.columns, result.rows), fmt)
    return text + "\n"
