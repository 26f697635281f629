"""Python's cycle collector paused while a block builds many objects that all stay alive.

Building hundreds of thousands of objects none of which is garbage (an import's cells, terms
and facts; an analysis's nodes, edges and rows) sets the collector off again and again to walk
them all: measured, a tenth of a 1,000-row import and a quarter of the brokers analysis at 10k
communities. Reference counting still frees everything as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector paused for the block, then left as it was found.

    The collector is the whole process's: another thread (an import beside another) or the
    program may have paused it already, and only whoever paused it starts it again.
    """
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()
