"""Killed with SIGKILL at any point of a write, the store opens again as it was before or after.

Four writes run for real, each in a child process: ``cop-graph load`` of a new file (the
bulk path: new graphs marked as being written in the catalogue), ``cop-graph import`` of a
new workbook (the same path, with the change recorded in the history), a replace (loading a
changed file under the same graph name: staging graphs, then one update that MOVEs them in),
and a web import (``cop-graph serve``; a signed-in coordinator uploads a workbook through the
import form, which imports it in a background job). Each is killed (SIGKILL: no clean-up of
any kind):

- at a chosen point: the child is ``cop-graph`` itself with a hook (:data:`HOOK`) patching
  the store's write steps; at the point it names, it writes a signal file and waits for ever;
- after a random delay within the time a clean run takes (seeded, so a failure can be run
  again).

Then the store is opened again (which removes what the crash left, see
:meth:`cop_graph.store.oxigraph.OxigraphStore._clean_after_crash`) and must hold exactly the
state before the write or exactly the state a clean run left (every quad, with the times of
the change and blank node labels left out of the comparison), with no staging graph, no
"being written" mark, a catalogue naming exactly the data graphs with their true sizes, and
an accounts file that passes SQLite's integrity check and still signs its accounts in.

``benchmarks/bench_crash.py`` runs the same kills many rounds in a row and prints the states
seen and the time the store takes to open again.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from bench_import import workbook  # noqa: E402
from bench_load import reference_nquads, write_synthetic  # noqa: E402

from cop_graph.store.accounts import Accounts  # noqa: E402
from cop_graph.store.base import CATALOGUE, STAGING  # noqa: E402
from cop_graph.store.oxigraph import BEING_WRITTEN, OxigraphStore  # noqa: E402

PASSWORD = "crash-test-password"
#: the accounts every data folder starts with; each must still sign in after a crash
ACCOUNTS = {"sam": "coordinator", "ada": "administrator"}
#: facts in the loaded file (above the store's BULK_FROM, though a load is bulk at any size)
LOAD_FACTS = 6_000
#: rows in each sheet of the imported workbooks (about 6,000 facts: the bulk path)
IMPORT_ROWS = 100
#: how long a child may take to reach its point, or a clean run to end (a loaded machine)
PATIENCE = 180

#: the hook a child runs before ``cop-graph``: with CRASH_POINT set, it stops at that point
#: of the store's write steps (writing the file CRASH_SIGNAL, then waiting for ever); with
#: CRASH_TRACE set, it writes the time it passes each point to that file:
#:
#: - before-mark / after-mark: the update marking new graphs as being written
#: - before-bulk / after-bulk: the bulk write (of new graphs, or of a replace's staging graphs,
#:   or of a loaded file written by the engine while the loader checks it)
#: - mid-bulk: half the bulk write done and flushed to disk, as a crash during it may leave
#:   (pyoxigraph writes in batches of a million quads, so a small write has no middle itself)
#: - before-catalogue: the catalogue records of new graphs written after their bulk write
#: - before-unmark / after-unmark: the update removing the marks (the commit's last step)
#: - before-move / after-move: a replace's one update swapping the staging graphs in
HOOK = f"""
import os, sys, time
from pathlib import Path
from cop_graph.store.oxigraph import OxigraphStore as Store

POINT, SIGNAL = os.environ.get("CRASH_POINT"), os.environ.get("CRASH_SIGNAL")
TRACE = os.environ.get("CRASH_TRACE")
bulk_done = []

def stop(point):
    if TRACE:
        with open(TRACE, "a") as trace:
            trace.write(f"{{point}} {{time.time()}}\\n")
    if point == POINT:
        Path(SIGNAL + ".part").write_text(point)
        os.replace(SIGNAL + ".part", SIGNAL)
        while True:
            time.sleep(60)

def kind(update):
    if "{BEING_WRITTEN}" in update and "DROP" not in update:
        return "mark" if "INSERT DATA" in update else "unmark"
    return "move" if "MOVE" in update else None

real_update, real_bulk, real_insert = Store._update, Store._bulk_insert, Store._insert_native
real_load_file = Store._bulk_load_file

def update(self, sparql):
    step = kind(sparql)
    if step:
        stop("before-" + step)
    real_update(self, sparql)
    if step:
        stop("after-" + step)

def bulk_insert(self, quads):
    stop("before-bulk")
    if POINT == "mid-bulk":
        quads = list(quads)
        real_bulk(self, quads[: len(quads) // 2])
        self.native.flush()
        stop("mid-bulk")
    real_bulk(self, quads)
    bulk_done.append(True)
    stop("after-bulk")

def bulk_load_file(self, path, rdf_format, graph):
    import pyoxigraph as ox

    stop("before-bulk")
    if POINT == "mid-bulk":
        parsed = ox.parse(path=str(path), format=rdf_format)
        quads = [ox.Quad(q.subject, q.predicate, q.object, graph) for q in parsed]
        real_bulk(self, quads[: len(quads) // 2])
        self.native.flush()
        stop("mid-bulk")
    real_load_file(self, path, rdf_format, graph)
    bulk_done.append(True)
    stop("after-bulk")

def insert_native(self, quads):
    if bulk_done:
        stop("before-catalogue")
    real_insert(self, quads)

if POINT or TRACE:
    Store._update, Store._bulk_insert, Store._insert_native = update, bulk_insert, insert_native
    Store._bulk_load_file = bulk_load_file
"""

#: a child: the hook, then ``cop-graph`` with the child's arguments
CHILD = HOOK + "\nsys.argv = ['cop-graph', *sys.argv[1:]]\nfrom cop_graph.cli import main\nmain()\n"

#: the points each kind of write passes, in order
NEW_POINTS = [
    "before-mark",
    "after-mark",
    "mid-bulk",
    "after-bulk",
    "before-catalogue",
    "before-unmark",
    "after-unmark",
]
REPLACE_POINTS = ["before-bulk", "mid-bulk", "after-bulk", "before-move", "after-move"]
#: the points after which the write is done: a kill there must leave the state after
DONE_AT = {"after-unmark", "after-move"}
#: the points where part of the write is on disk: opening the store again must remove it
PART_WRITTEN = {"after-mark", "mid-bulk", "after-bulk", "before-catalogue", "before-unmark"}
PART_WRITTEN |= {"before-move"}

_DATETIME = re.compile(r'"[^"]*"\^\^<http://www\.w3\.org/2001/XMLSchema#dateTime>')
_BLANK = re.compile(r"_:[A-Za-z0-9]+")
TRIPLE_COUNT = "https://w3id.org/cop-graph/ontology#tripleCount"
HISTORY = "https://w3id.org/cop-graph/id/graph/history/"
#: holds, in a history record, the N-Quads of the state before the change
RDF_VALUE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value"
#: the graph the workbooks are imported into (their "Workbook name" is Benchmark)
IMPORTED = "https://w3id.org/cop-graph/id/graph/import/benchmark"


# -- what a store holds ------------------------------------------------------------------------


@dataclass
class State:
    """What a store holds, for comparison: a digest of every quad and the facts per graph."""

    digest: str
    counts: dict[str, int]
    #: seconds the store took to open (cleaning what a crash left included)
    reopen: float = 0.0
    #: leftovers and inconsistencies found (none in a sound store)
    problems: list[str] = field(default_factory=list)
    #: what the store said it removed as it opened (a crash's leftovers), if anything
    cleaned: list[str] = field(default_factory=list)

    def same(self, other: State) -> bool:
        return self.digest == other.digest and self.counts == other.counts


def snapshot(store_path: Path) -> State:
    """Open the store at ``store_path`` (timed) and describe what it holds.

    The digest is the sha256 of the sorted N-Quads, with the values of xsd:dateTime literals
    (the time of a change) and blank node labels (new at each parse) left out, and the lines
    of the N-Quads a history record keeps of the state before a change sorted (they come in
    no fixed order): two clean runs of the same write then give the same digest.
    """
    said = _Said()
    logger = logging.getLogger("cop_graph.store.oxigraph")
    logger.addHandler(said)
    try:
        start = time.perf_counter()
        store = OxigraphStore(store_path)
        reopen = time.perf_counter() - start
    finally:
        logger.removeHandler(said)
    try:
        lines, counts = [], Counter()
        for quad in store.native:
            graph = quad.graph_name
            counts[graph.value if isinstance(graph, ox.NamedNode) else ""] += 1
            lines.append(_BLANK.sub("_:b", _DATETIME.sub('"T"^^<dateTime>', _text(quad))))
        problems = _problems(store, counts)
    finally:
        store.close()
    digest = hashlib.sha256("\n".join(sorted(lines)).encode()).hexdigest()
    return State(digest, dict(counts), reopen, problems, said.lines)


def _text(quad: ox.Quad) -> str:
    """``quad`` as N-Quads, a history record's copy of the state before a change sorted."""
    value = quad.object
    if quad.predicate.value == RDF_VALUE and isinstance(value, ox.Literal) and "\n" in value.value:
        ordered = ox.Literal("\n".join(sorted(value.value.splitlines())))
        quad = ox.Quad(quad.subject, quad.predicate, ordered, quad.graph_name)
    return str(quad)


class _Said(logging.Handler):
    """Keeps what the store logs as it opens."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def _problems(store: OxigraphStore, counts: Counter) -> list[str]:
    """Staging graphs, marks and catalogue records left by a crash, or a catalogue that does
    not match the graphs."""
    problems = [f"staging graph left: {name}" for name in counts if name.startswith(STAGING)]
    native = store.native
    marks = list(native.quads_for_pattern(None, ox.NamedNode(BEING_WRITTEN), None, None))
    problems += [f"being-written mark left: {quad}" for quad in marks]
    catalogue = ox.NamedNode(str(CATALOGUE))
    recorded = {
        quad.subject.value: int(quad.object.value)
        for quad in native.quads_for_pattern(None, ox.NamedNode(TRIPLE_COUNT), None, catalogue)
    }
    graphs = {
        name
        for name in counts
        if name and name != str(CATALOGUE) and not name.startswith((HISTORY, STAGING))
    }
    problems += [f"catalogued but missing: {name}" for name in recorded.keys() - graphs]
    problems += [
        f"a graph the catalogue does not list: {name}" for name in graphs - recorded.keys()
    ]
    problems += [
        f"catalogue says {recorded[name]} facts in {name}, it holds {counts[name]}"
        for name in graphs & recorded.keys()
        if recorded[name] != counts[name]
    ]
    return problems


def accounts_problems(data: Path) -> list[str]:
    """What is wrong with the accounts file of the data folder ``data`` (nothing, after a crash)."""
    path = data / "accounts.sqlite3"
    with sqlite3.connect(path) as db:
        verdict = db.execute("PRAGMA integrity_check").fetchall()
    db.close()
    problems = [] if verdict == [("ok",)] else [f"accounts file damaged: {verdict}"]
    accounts = Accounts(path)
    for name, role in ACCOUNTS.items():
        signed_in = accounts.check(name, PASSWORD)
        if signed_in is None or signed_in.role != role:
            problems.append(f"account {name} no longer signs in as {role}")
    return problems


# -- the writes --------------------------------------------------------------------------------


#: the line ``cop-graph serve`` writes once it listens, naming its port
_SERVING = re.compile(r"on http://127\.0\.0\.1:(\d+)/")


@dataclass
class Round:
    """One run of a write in a data folder of its own: the child, and how to drive it."""

    operation: str
    data: Path
    child: subprocess.Popen
    port: int | None = None
    job: str | None = None
    web: requests.Session | None = None

    @property
    def signal_file(self) -> Path:
        return self.data / "crash-point"

    def wait_for_point(self) -> None:
        """Wait until the child says it reached its point; fails if it ends before."""
        deadline = time.monotonic() + PATIENCE
        while not self.signal_file.exists():
            if self.child.poll() is not None:
                raise AssertionError(f"the child ended ({self.child.returncode}): {self.log()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"the child never reached its point: {self.log()}")
            time.sleep(0.02)

    def finish(self) -> None:
        """Wait for a clean run to end: the command to exit, or the web import to be saved."""
        if self.job is None:
            assert self.child.wait(timeout=PATIENCE) == 0, self.log()
            return
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            state = self.web.get(f"{self.url}/api/imports/jobs/{self.job}", timeout=30).json()
            if state["state"] != "running":
                assert state["state"] == "saved", state
                return
            time.sleep(0.1)
        raise AssertionError(f"the web import did not end: {self.log()}")

    def kill(self) -> None:
        """SIGKILL the child (if still running) and reap it."""
        if self.child.poll() is None:
            os.kill(self.child.pid, signal.SIGKILL)
        self.child.wait(timeout=60)
        if self.web is not None:
            self.web.close()

    def stop(self) -> None:
        """End the child the ordinary way (SIGTERM; SIGKILL if it lingers)."""
        if self.child.poll() is None:
            self.child.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.child.wait(timeout=30)
        self.kill()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        text = (self.data / "child.log").read_text(errors="replace")
        return text[-3000:]


class World:
    """The files and starting data folders every round copies, and the states of clean runs."""

    #: each write: the data folder it starts from, and the child's arguments after --data
    OPERATIONS = ("load", "import", "replace", "web-import", "web-reimport")
    #: the writes that upload to ``cop-graph serve``
    WEB = ("web-import", "web-reimport")

    def __init__(self, folder: Path, load_facts: int = LOAD_FACTS):
        self.folder = folder
        seed = reference_nquads()
        self.loaded = folder / "new" / "synthetic.nt"
        self.changed = folder / "changed" / "synthetic.nt"
        self.workbook = folder / "books" / "coordinators.xlsx"
        self.changed_workbook = folder / "changed-books" / "coordinators.xlsx"
        for path in (self.loaded, self.changed, self.workbook, self.changed_workbook):
            path.parent.mkdir(parents=True)
        write_synthetic(seed, load_facts, self.loaded)
        write_synthetic(seed, load_facts * 4 // 5, self.changed)
        self.workbook.write_bytes(workbook(IMPORT_ROWS))
        self.changed_workbook.write_bytes(workbook(IMPORT_ROWS * 4 // 5))
        self.plain = folder / "plain"
        store = OxigraphStore(self.plain / "store")
        store.native.bulk_load(seed, format=ox.RdfFormat.N_QUADS)
        store.close()
        accounts = Accounts(self.plain / "accounts.sqlite3")
        for name, role in ACCOUNTS.items():
            accounts.add(name, PASSWORD, role)
        # a replace starts from a store that holds the file loaded once already
        self.loaded_once = folder / "loaded-once"
        shutil.copytree(self.plain, self.loaded_once)
        first = self.start("load", self.loaded_once)
        try:
            first.finish()
        finally:
            first.kill()
        self._before: dict[str, State] = {}
        #: the data folder each clean run left
        self._cleanly_done: dict[str, Path] = {}
        self._after: dict[str, State] = {}
        self._seconds: dict[str, float] = {}
        self._writing: dict[str, tuple[float, float]] = {}
        self._rounds = 0

    def start_of(self, operation: str) -> Path:
        """The data folder ``operation`` starts from (a web re-import: where a clean web
        import left it, to upload a changed workbook of the same name)."""
        if operation == "web-reimport":
            self.after("web-import")
            return self._cleanly_done["web-import"]
        return self.loaded_once if operation == "replace" else self.plain

    def before(self, operation: str) -> State:
        """The state ``operation`` starts from."""
        if operation not in self._before:
            self._before[operation] = snapshot(self.start_of(operation) / "store")
        return self._before[operation]

    def new_data(self, operation: str) -> Path:
        """A fresh copy of the data folder ``operation`` starts from."""
        self._rounds += 1
        data = self.folder / "rounds" / f"{self._rounds}-{operation}"
        # what a run leaves beside the store (its log, signal and trace) stays behind
        leftovers = shutil.ignore_patterns("child.log", "crash-point*", "trace")
        shutil.copytree(self.start_of(operation), data, ignore=leftovers)
        return data

    def start(
        self,
        operation: str,
        data: Path,
        point: str | None = None,
        trace: Path | None = None,
        upload: bool = True,
    ) -> Round:
        """Start ``operation`` on the data folder ``data``, to stop at ``point`` if given,
        writing when it passes each point to ``trace`` if given (a web import without
        ``upload``: only the server, with the coordinator signed in)."""
        # unbuffered: the server's line naming its port reaches the log at once
        env = {**os.environ, "CRASH_SIGNAL": str(data / "crash-point"), "PYTHONUNBUFFERED": "1"}
        for name in ("CRASH_POINT", "CRASH_TRACE"):
            env.pop(name, None)
        if point:
            env["CRASH_POINT"] = point
        if trace:
            env["CRASH_TRACE"] = str(trace)
        arguments = ["--data", str(data), "--wait", "0"]
        if operation in ("load", "replace"):
            source = self.loaded if operation == "load" else self.changed
            arguments += ["load", str(source)]
        elif operation == "import":
            arguments += ["import", str(self.workbook)]
        else:
            arguments += ["serve", "--port", "0"]  # a free port, named in its log
        with open(data / "child.log", "wb") as log:
            child = subprocess.Popen(
                [sys.executable, "-c", CHILD, *arguments],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        run = Round(operation, data, child)
        if operation in self.WEB:
            try:
                self._sign_in(run)
                if upload:
                    self._upload(run)
            except BaseException:
                run.kill()
                raise
        return run

    def _sign_in(self, run: Round) -> None:
        """Wait for the server to listen, and sign in as a coordinator."""
        deadline = time.monotonic() + PATIENCE
        while run.port is None:
            serving = _SERVING.search(run.log())
            if serving:
                run.port = int(serving.group(1))
            elif run.child.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the server did not start: {run.log()}")
            else:
                time.sleep(0.05)
        web = run.web = requests.Session()
        page = web.get(f"{run.url}/sign-in", timeout=30)
        form = {"csrf_token": _token(page.text), "name": "sam", "password": PASSWORD}
        signed_in = web.post(f"{run.url}/sign-in", data=form, timeout=30, allow_redirects=False)
        assert signed_in.status_code == 302, signed_in.text[-500:]

    def _upload(self, run: Round) -> None:
        """Upload the workbook (changed, for a re-import) through the import form, to import
        in the background."""
        web = run.web
        token = _token(web.get(f"{run.url}/imports", timeout=30).text)
        uploaded = self.changed_workbook if run.operation == "web-reimport" else self.workbook
        with open(uploaded, "rb") as book:
            answer = web.post(
                f"{run.url}/imports",
                data={"csrf_token": token, "in_background": "yes"},
                files={"workbook": (uploaded.name, book)},
                timeout=60,
                allow_redirects=False,
            )
        assert answer.status_code == 303, answer.text[-500:]
        run.job = answer.headers["Location"].rstrip("/").rsplit("/", 1)[1]

    def after(self, operation: str) -> State:
        """The state a clean run of ``operation`` leaves (run once, then remembered)."""
        if operation not in self._after:
            data = self.new_data(operation)
            trace = data / "trace"
            run = self.start(operation, data, trace=trace)
            start, wall = time.perf_counter(), time.time()
            try:
                run.finish()
                self._seconds[operation] = time.perf_counter() - start
            finally:
                run.kill()
            passed = [float(line.split()[1]) - wall for line in trace.read_text().splitlines()]
            self._writing[operation] = (max(0.0, min(passed)), max(passed))
            state = snapshot(data / "store")
            assert not state.problems, state.problems
            assert not state.same(self.before(operation)), "the write changed nothing"
            if operation in self.WEB:  # the check after a crash holds after a clean run
                assert self.restart_problems(data, state) == []
            self._after[operation] = state
            self._cleanly_done[operation] = data
        return self._after[operation]

    def seconds(self, operation: str) -> float:
        """How long a clean run of ``operation`` takes (from its start, or its upload)."""
        self.after(operation)
        return self._seconds[operation]

    def restart_problems(self, data: Path, state: State) -> list[str]:
        """Serve the data folder ``data`` again after a crash: the coordinator signs in, and
        the list of imports shows the workbook's graph with the size it has in ``state`` (or
        not at all, if the graph is not there)."""
        try:
            run = self.start("web-import", data, upload=False)
        except AssertionError as failed:
            return [f"the server does not start again: {failed}"]
        try:
            listed = run.web.get(f"{run.url}/api/imports", timeout=60)
        finally:
            run.stop()
        if listed.status_code != 200:
            return [f"after a restart, the list of imports answers {listed.status_code}"]
        shown = {record["graph"]: record["triples"] for record in listed.json()["imports"]}
        if shown.get(IMPORTED) != state.counts.get(IMPORTED):
            return [
                f"after a restart, the list of imports shows {shown}, where the store holds "
                f"{state.counts.get(IMPORTED)} facts in {IMPORTED}"
            ]
        return []

    def writing(self, operation: str) -> tuple[float, float]:
        """When a clean run of ``operation`` starts and ends writing to the store (seconds
        from its start, as :meth:`seconds`)."""
        self.after(operation)
        return self._writing[operation]

    def crash(self, operation: str, point: str | None = None, delay: float = 0.0) -> Outcome:
        """Run ``operation``, SIGKILL it at ``point`` (or after ``delay`` seconds), reopen."""
        before, after = self.before(operation), self.after(operation)
        data = self.new_data(operation)
        run = self.start(operation, data, point)
        try:
            if point:
                run.wait_for_point()
            else:
                time.sleep(delay)
        finally:
            run.kill()
        state = snapshot(data / "store")
        if state.same(before):
            seen = "before"
        elif state.same(after):
            seen = "after"
        else:
            seen = "neither"
            state.problems.append(_difference(state, before, after))
        problems = state.problems + accounts_problems(data)
        if operation in self.WEB and not problems:
            problems += self.restart_problems(data, state)
        if not problems:
            shutil.rmtree(data)  # kept for a look when something is wrong
        label = point or f"after {delay:.2f} s"
        return Outcome(operation, label, seen, state.reopen, problems, state.cleaned)


@dataclass
class Outcome:
    operation: str
    point: str
    #: "before", "after" or "neither"
    state: str
    reopen: float
    problems: list[str]
    #: what the store said it removed as it opened again
    cleaned: list[str]


def _difference(state: State, before: State, after: State) -> str:
    """Which graphs differ in size from the states before and after."""
    names = sorted(set(state.counts) | set(before.counts) | set(after.counts))
    rows = [
        f"{name}: {before.counts.get(name, 0)} before, {after.counts.get(name, 0)} after, "
        f"{state.counts.get(name, 0)} now"
        for name in names
        if len({before.counts.get(name), after.counts.get(name), state.counts.get(name)}) > 1
    ]
    return "neither the state before nor after: " + ("; ".join(rows) or "same sizes, other facts")


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def random_delay(world: World, operation: str, rng: random.Random, aimed: bool) -> float:
    """A delay within the time a clean run of ``operation`` takes, or (``aimed``) within the
    time it writes to the store, give or take a tenth of a second (the time a start-up
    takes varies more than that on a busy machine, so an aimed kill may land either side)."""
    if not aimed:
        return rng.uniform(0, world.seconds(operation))
    first, last = world.writing(operation)
    return rng.uniform(max(0.0, first - 0.1), last + 0.1)


# -- the tests ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    return World(tmp_path_factory.mktemp("crash"))


#: the chosen points the tests kill at (``bench_crash.py`` kills at every point, many times)
POINTS = [
    *(("load", point) for point in ("mid-bulk", "before-unmark", "after-unmark")),
    ("import", "before-catalogue"),
    *(("replace", point) for point in ("mid-bulk", "before-move", "after-move")),
    ("web-import", "mid-bulk"),
]


@pytest.mark.parametrize(("operation", "point"), POINTS, ids=[f"{o}-{p}" for o, p in POINTS])
def test_a_write_killed_at_a_point_leaves_the_state_before_or_after(world, operation, point):
    outcome = world.crash(operation, point)
    assert outcome.problems == []
    assert outcome.state == ("after" if point in DONE_AT else "before")
    # the kill left part of the write on disk where it should have, and opening removed it
    assert bool(outcome.cleaned) == (point in PART_WRITTEN), outcome.cleaned


@pytest.mark.parametrize("operation", ["load", "replace", "web-import"])
def test_a_write_killed_after_a_random_delay_leaves_the_state_before_or_after(world, operation):
    delay = random_delay(world, operation, random.Random(f"18-{operation}"), aimed=True)
    outcome = world.crash(operation, delay=delay)
    assert outcome.problems == []
    assert outcome.state in ("before", "after")
