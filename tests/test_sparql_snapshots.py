"""Snapshots of the on-disk store for the endpoint's workers survive RocksDB's housekeeping."""

from __future__ import annotations

import os

from cop_graph.sparql import runner
from cop_graph.store.oxigraph import OxigraphStore


class _VanishedFile:
    """A directory entry whose file a compaction removed after the folder was listed."""

    name = "000014.sst"

    def is_file(self):
        return True

    def stat(self):
        raise FileNotFoundError(2, "No such file or directory", self.name)


def test_a_file_removed_while_the_store_is_listed_is_left_out(tmp_path, monkeypatch):
    store = OxigraphStore(tmp_path / "store")
    snapshots = runner._Snapshots(store.native, store.location)
    real_scandir = os.scandir

    def scandir_with_a_vanished_file(path, *args):
        if path != snapshots._primary:
            return real_scandir(path, *args)
        return [*real_scandir(path), _VanishedFile()]

    monkeypatch.setattr(runner.os, "scandir", scandir_with_a_vanished_file)
    names = [name for name, _, _ in snapshots._files()]
    assert names and "000014.sst" not in names
    assert os.path.isdir(snapshots.current(set))
    snapshots.close()
    store.close()
