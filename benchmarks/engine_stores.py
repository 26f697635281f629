"""The three engines of ``bench_engines.py``: each made ready with the standard graphs, loaded
with its own bulk loader and through ``cop-graph load``, with its memory and disk measured.

- **embedded**: pyoxigraph on disk in a folder; its bulk loader is ``Store.bulk_load``, run in a
  child process here so that its memory and time limit are its own.
- **Oxigraph server**: the ``oxigraph`` program from PyPI (``tests/oxigraph_server.py`` starts
  it). Its bulk path is ``oxigraph load`` into the server's folder before the server starts:
  the same bulk loader as ``bulk_load``, reading the file in parallel, where a POST to the
  running server's ``/store`` goes through one transaction held in memory.
- **Virtuoso**: Debian's ``virtuoso-t`` (``tests/virtuoso_server.py``), loaded with its bulk
  loader through ``isql`` (``ld_dir``, ``rdf_loader_run``, ``checkpoint``).

Each load goes into a fresh store that holds the standard graphs (``seed.nq``: what
``cop-graph init --no-demo`` leaves), put there by the same engine's bulk loader, untimed. The
store loaded through ``cop-graph load`` is the one that then answers questions: it holds what
the app would hold (the catalogue record, the public and private graphs).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from oxigraph_server import find_oxigraph, running_oxigraph  # noqa: E402
from virtuoso_server import find_virtuoso, running_virtuoso  # noqa: E402

__all__ = ["ENGINES", "Measured", "disk_mb", "peak_mb", "run_measured"]

COP_GRAPH = Path(sys.executable).parent / "cop-graph"
#: the graph the bulk loaders load the generated facts into
BULK_GRAPH = "https://w3id.org/cop-graph/id/graph/load/synthetic"


@dataclass
class Measured:
    """One step's outcome: its seconds and peak memory, or why there are none."""

    seconds: float | None = None
    peak_mb: float | None = None
    failure: str | None = None


def run_measured(command: list[str], timeout: float, env: dict | None = None) -> Measured:
    """Run ``command``: its wall time and peak memory (from the kernel's accounting of this
    one child), or a failure saying it passed ``timeout`` seconds or exited with an error."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout:
                process.kill()
                os.wait4(process.pid, 0)
                process.returncode = -9
                return Measured(failure=f"stopped at the {timeout:g} s limit")
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        said = output.read().decode(errors="replace")
    if process.returncode != 0:
        lines = said.strip().splitlines()
        # a Rust program's error comes first, before its backtrace; Python's comes last
        errors = [line for line in lines if line.startswith("Error")] or lines[-3:]
        return Measured(
            failure=f"{Path(command[0]).name} exited {process.returncode}: {' / '.join(errors)}"
        )
    return Measured(seconds, usage.ru_maxrss / 1024)


def peak_mb(pid: int) -> float | None:
    """The most memory process ``pid`` has held so far (VmHWM), in MB; None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def disk_mb(folder: Path) -> float:
    """The disk space the files under ``folder`` take (blocks used, as ``du`` counts)."""
    used = sum(path.lstat().st_blocks * 512 for path in folder.rglob("*") if path.is_file())
    return used / 1e6


def _checked_load(location: str, data: Path, timeout: float, work: Path, engine: str = ""):
    """``cop-graph load`` as a user runs it on the store at ``location``."""
    env = {**os.environ, "COP_GRAPH_DATA": str(work / "data-folder")}
    env.pop("COP_GRAPH_STORE", None)
    if engine:
        env["COP_GRAPH_STORE_ENGINE"] = engine
    command = [str(COP_GRAPH), "--store", location, "load", str(data)]
    return run_measured(command, timeout, env)


class Embedded:
    """pyoxigraph on disk, in this machine's folders: the project's default store."""

    name = "embedded"
    engine = ""

    def __init__(self, work: Path, seed: Path, buffers: tuple[int, int]):
        self.work, self.seed = work / "embedded", seed
        self.work.mkdir()
        self.serving_pid: int | None = None  # the process answering is the timing worker
        self.disk: dict[str, float] = {}

    def bulk_load(self, data: Path, timeout: float) -> Measured:
        folder = self.work / "bulk"
        self._seeded(folder, timeout)
        command = [sys.executable, __file__, "bulk-load", str(folder), str(data)]
        measured = run_measured(command, timeout)
        self.disk["bulk"] = disk_mb(folder)
        return measured

    def checked_load(self, data: Path, timeout: float) -> Measured:
        self.location = str(self.work / "checked")
        self._seeded(Path(self.location), timeout)
        measured = _checked_load(self.location, data, timeout, self.work)
        self.disk["checked"] = disk_mb(Path(self.location))
        return measured

    def _seeded(self, folder: Path, timeout: float) -> None:
        command = [sys.executable, __file__, "bulk-load", str(folder), str(self.seed)]
        seeded = run_measured(command, timeout)
        if seeded.failure:
            raise RuntimeError(f"could not put the standard graphs in: {seeded.failure}")

    def close(self) -> None:
        pass


class OxigraphServer:
    """The Oxigraph server, loaded offline with ``oxigraph load`` or online by the command."""

    name = "Oxigraph server"
    engine = "oxigraph"

    def __init__(self, work: Path, seed: Path, buffers: tuple[int, int]):
        self.binary = find_oxigraph()
        if self.binary is None:
            raise RuntimeError("the oxigraph program is not installed (pip install oxigraph)")
        self.work, self.seed = work / "oxigraph", seed
        self.work.mkdir()
        self.servers = ExitStack()
        self.disk: dict[str, float] = {}

    def _load(self, folder: Path, data: Path, timeout: float, graph: str | None) -> Measured:
        command = [self.binary, "load", "--location", str(folder), "--file", str(data)]
        return run_measured(command + (["--graph", graph] if graph else []), timeout)

    def bulk_load(self, data: Path, timeout: float) -> Measured:
        folder = self.work / "bulk" / "data"
        self._seeded(folder, timeout)
        measured = self._load(folder, data, timeout, BULK_GRAPH)
        self.disk["bulk"] = disk_mb(folder)
        return measured

    def checked_load(self, data: Path, timeout: float) -> Measured:
        served = self.work / "checked"
        self._seeded(served / "data", timeout)
        server = self.servers.enter_context(running_oxigraph(self.binary, served))
        self.serving_pid, self.location = server.process.pid, server.query_url
        measured = _checked_load(self.location, data, timeout, self.work, self.engine)
        self.disk["checked"] = disk_mb(served / "data")
        return measured

    def _seeded(self, folder: Path, timeout: float) -> None:
        folder.parent.mkdir(parents=True)
        seeded = self._load(folder, self.seed, timeout, None)
        if seeded.failure:
            raise RuntimeError(f"could not put the standard graphs in: {seeded.failure}")

    def close(self) -> None:
        self.servers.close()


class Virtuoso:
    """OpenLink Virtuoso 7, with memory for millions of facts and a row cap above them."""

    name = "Virtuoso"
    engine = "virtuoso"
    #: answers as large as any graph the benchmark loads (see tests/virtuoso_server.py)
    row_cap = 100_000_000

    def __init__(self, work: Path, seed: Path, buffers: tuple[int, int]):
        self.programs = find_virtuoso()
        if self.programs is None:
            raise RuntimeError("Virtuoso is not installed (make virtuoso)")
        self.work, self.seed, self.buffers = work / "virtuoso", seed, buffers
        self.work.mkdir()
        self.servers = ExitStack()
        self.disk: dict[str, float] = {}

    def _started(self, folder: Path):
        folder.mkdir()
        return running_virtuoso(
            self.programs,
            folder,
            self.row_cap,
            buffers=self.buffers,
            more_dirs=(self.seed.parent,),
        )

    def bulk_load(self, data: Path, timeout: float) -> Measured:
        with self._started(self.work / "bulk") as server:
            server.bulk_load(self.seed, BULK_GRAPH)
            start = time.perf_counter()
            try:
                server.bulk_load(data, BULK_GRAPH, timeout=timeout)
            except subprocess.TimeoutExpired:
                return Measured(failure=f"stopped at the {timeout:g} s limit")
            except RuntimeError as error:
                return Measured(failure=str(error)[:300])
            seconds = time.perf_counter() - start
            measured = Measured(seconds, peak_mb(server.process.pid))
            self.disk["bulk"] = disk_mb(server.folder / "db")
        return measured

    def checked_load(self, data: Path, timeout: float) -> Measured:
        server = self.servers.enter_context(self._started(self.work / "checked"))
        server.bulk_load(self.seed, BULK_GRAPH)
        self.serving_pid, self.location = server.process.pid, server.query_url
        measured = _checked_load(self.location, data, timeout, self.work, self.engine)
        server.sql("checkpoint;", timeout=timeout)  # as the bulk load ends: all on disk
        self.disk["checked"] = disk_mb(server.folder / "db")
        return measured

    def close(self) -> None:
        self.servers.close()


#: every engine by the name ``--engines`` gives it
ENGINES = {"embedded": Embedded, "oxigraph": OxigraphServer, "virtuoso": Virtuoso}


def _bulk_load_embedded(folder: str, data: str) -> None:
    """The embedded bulk loader in a process of its own (how ``Embedded`` runs it)."""
    import pyoxigraph as ox

    store = ox.Store(folder)
    quads = data.endswith(".nq")
    store.bulk_load(
        path=data,
        format=ox.RdfFormat.N_QUADS if quads else ox.RdfFormat.N_TRIPLES,
        to_graph=None if quads else ox.NamedNode(BULK_GRAPH),
    )
    store.flush()


if __name__ == "__main__" and sys.argv[1:2] == ["bulk-load"]:
    _bulk_load_embedded(sys.argv[2], sys.argv[3])
