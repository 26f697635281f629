"""The dump cache writes its files in a private folder and leaves nothing behind."""

from __future__ import annotations

import gc
import gzip

from cop_graph.sparql.dumps import DumpCache


def test_a_dump_holds_the_public_data_and_close_removes_its_folder(seeded_store):
    cache = DumpCache()
    path = cache.file(seeded_store, "cop-graph-public.nq.gz")
    assert b"/graph/reference" in gzip.decompress(path.read_bytes())
    cache.close()
    assert not path.parent.exists()


def test_a_forgotten_cache_removes_its_folder():
    cache = DumpCache()
    folder = cache._folder
    assert folder.is_dir()
    del cache
    gc.collect()
    assert not folder.exists()
