"""SPARQL evaluation in worker processes, with a time limit that really stops the work.

pyoxigraph has no query timeout, and a query running in Rust cannot be interrupted from
another thread. So each query runs in one of a small pool of worker processes; each worker
opens the store read-only once and then serves many queries, returning the result already
serialized by Oxigraph (bytes). The caller waits with a deadline; past it, the worker
process is terminated (SIGTERM, then SIGKILL), a replacement is started in the background
and :class:`QueryTimeout` is raised. Workers are started with the ``spawn`` context, never
``fork``: the web process has threads.

:meth:`QueryPool.run` blocks; call it from a thread (``anyio.to_thread.run_sync``), never
on the event loop. :meth:`QueryPool.run_async` is the same on an asyncio event loop without
a thread hop: it waits for the worker's answer by watching the pipe with ``loop.add_reader``
(the cheap path for light queries, where a hop to a thread costs more than the query).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import queue
import signal
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Literal

log = logging.getLogger(__name__)

ResultKind = Literal["solutions", "boolean", "graph"]
DUMP_FILE = "dataset.nq"  # written by tipkg build beside the store; read by in-memory workers

_START_TIMEOUT = 300.0  # seconds a new worker may take to import pyoxigraph and open the store


@dataclass(frozen=True)
class QueryJob:
    """One query with its dataset and the acceptable output formats.

    ``results_format`` names a ``pyoxigraph.QueryResultsFormat`` (SELECT/ASK) and
    ``graph_format`` a ``pyoxigraph.RdfFormat`` (CONSTRUCT/DESCRIBE); ``None`` means the
    client accepts no format for that kind of result.
    """

    query: str
    base_iri: str | None = None
    default_graph: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    union_default_graph: bool = False
    results_format: str | None = "JSON"
    graph_format: str | None = "TURTLE"
    max_result_bytes: int = 50_000_000


@dataclass(frozen=True)
class QueryResult:
    """A serialized result: which kind of result it is, the format name and the bytes."""

    kind: ResultKind
    format: str
    body: bytes


@dataclass(frozen=True)
class StoreStats:
    """What /health and the service description show about the store."""

    triples: int
    named_graphs: tuple[str, ...] = field(default_factory=tuple)


class QueryError(Exception):
    """The worker could not answer; ``code`` says why (bad_query, bad_request, too_large...)."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


class NotAcceptable(QueryError):
    """The query gives a kind of result for which the client accepts no format."""

    def __init__(self, kind: ResultKind) -> None:
        super().__init__("not_acceptable", f"no acceptable format for a {kind} result")
        self.kind = kind


class QueryTimeout(Exception):
    """The query ran past its time limit; its worker process was killed."""

    def __init__(self, seconds: float, pid: int | None) -> None:
        super().__init__(f"query exceeded the {seconds:g} s time limit and was stopped")
        self.seconds = seconds
        self.pid = pid


class PoolBusy(Exception):
    """No worker became free in time, or the pool is closed."""


# --------------------------------------------------------------------------- worker side


class _LimitedWriter:
    """A file-like sink for pyoxigraph's serializers that stops past ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _TooLarge
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing to flush; pyoxigraph may call it."""


class _TooLarge(Exception):
    pass


def _evaluate(store: object, job: QueryJob) -> tuple[str, object, object, object]:
    """Run one job in the worker; return a picklable outcome tuple."""
    import pyoxigraph as ox

    try:
        kwargs: dict[str, object] = {"base_iri": job.base_iri}
        if job.default_graph is not None or job.named_graphs is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graph or ()]
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or ()]
        elif job.union_default_graph:
            kwargs["use_default_graph_as_union"] = True
        result = store.query(job.query, **kwargs)  # type: ignore[attr-defined]
        if isinstance(result, ox.QueryTriples):
            kind: ResultKind = "graph"
            name = job.graph_format
            fmt: object = getattr(ox.RdfFormat, name) if name else None
        else:
            kind = "boolean" if isinstance(result, ox.QueryBoolean) else "solutions"
            name = job.results_format
            fmt = getattr(ox.QueryResultsFormat, name) if name else None
        if fmt is None or name is None:
            return ("not_acceptable", kind, None, None)
        sink = _LimitedWriter(job.max_result_bytes)
        # Oxigraph serializes (JSON-LD included, natively since pyoxigraph 0.5): no rdflib.
        result.serialize(sink, fmt)
        return ("ok", kind, name, b"".join(sink.parts))
    except SyntaxError as exc:
        return ("error", "bad_query", str(exc), None)
    except _TooLarge:
        limit = job.max_result_bytes
        detail = (
            f"the result is larger than the {limit:,} byte limit; add LIMIT or narrow the query"
        )
        return ("error", "result_too_large", detail, None)
    except ValueError as exc:
        return ("error", "bad_request", str(exc), None)
    except OSError as exc:
        return ("error", "store_error", str(exc), None)
    except Exception as exc:  # never let one query end the worker
        return ("error", "internal", f"{type(exc).__name__}: {exc}", None)


def _stats(store: object) -> tuple[str, object, object, object]:
    """Count the store's quads and list its named graphs."""
    graphs = tuple(sorted(g.value for g in store.named_graphs()))  # type: ignore[attr-defined]
    return ("stats", len(store), graphs, None)  # type: ignore[arg-type]


def _worker_main(store_path: str, conn: Connection, in_memory: bool = False) -> None:
    """Worker process: open the store read-only once (or copy it into memory, where heavy
    queries run several times faster), then answer jobs until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the web process to handle
    try:
        import pyoxigraph as ox

        store = ox.Store.read_only(store_path)
        if in_memory:
            store = _in_memory_copy(ox, store, store_path)
    except Exception as exc:
        conn.send(("failed", f"{type(exc).__name__}: {exc}", None, None))
        return
    conn.send(("ready", os.getpid(), None, None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        outcome = _stats(store) if job == "stats" else _evaluate(store, job)
        try:
            conn.send(outcome)
        except (BrokenPipeError, OSError):
            return


def _in_memory_copy(ox: Any, on_disk: Any, store_path: str) -> Any:
    """Load the store's quads into an in-memory store, from the N-Quads dump that
    ``tipkg build`` writes beside it when there is one (streamed from the file)."""
    memory = ox.Store()
    dump = os.path.join(store_path, DUMP_FILE)
    if os.path.exists(dump):
        memory.bulk_load(path=dump, format=ox.RdfFormat.N_QUADS)
    else:
        memory.bulk_load(on_disk.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    return memory


# --------------------------------------------------------------------------- parent side


class _Worker:
    """The parent's handle on one worker process."""

    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def kill(self) -> None:
        """Terminate, then kill if needed, and reap the process."""
        with contextlib.suppress(Exception):
            self.conn.close()
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(1.0)
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5.0)

    def stop(self) -> None:
        """Ask the worker to exit, then make sure it did."""
        with contextlib.suppress(Exception):
            self.conn.send(None)
        self.process.join(1.0)
        self.kill()


class QueryPool:
    """A fixed number of worker processes answering queries over a read-only store."""

    def __init__(
        self, store_path: str | os.PathLike[str], size: int = 2, in_memory: bool = False
    ) -> None:
        self.store_path = str(store_path)
        self.size = size
        self.in_memory = in_memory
        self._ctx = multiprocessing.get_context("spawn")
        # last in, first out: under light load the same worker answers again, its copy of
        # the store still in the CPU caches (alternating two copies made q11 at 1M 1.7x slower)
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False

    # lifecycle
    def start(self) -> None:
        """Start all workers (in parallel) and wait until each has opened the store."""
        starting = [self._launch() for _ in range(self.size)]
        try:
            for process, conn in starting:
                self._idle.put(self._await_ready(process, conn))
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        """Stop every worker; later calls to :meth:`run` raise :class:`PoolBusy`."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.stop()

    def pids(self) -> list[int]:
        """Process ids of the live workers (for tests and /health)."""
        with self._lock:
            return [w.pid for w in self._all if w.pid is not None]

    def _launch(self) -> tuple[BaseProcess, Connection]:
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=_worker_main,
            args=(self.store_path, child, self.in_memory),
            name="tipkg-query",
            daemon=True,
        )
        process.start()
        child.close()
        return process, parent

    def _await_ready(self, process: BaseProcess, conn: Connection) -> _Worker:
        worker = _Worker(process, conn)
        if not conn.poll(_START_TIMEOUT):
            worker.kill()
            raise RuntimeError(f"query worker did not start within {_START_TIMEOUT:g} s")
        try:
            status, info, _, _ = conn.recv()
        except EOFError:
            worker.kill()
            raise RuntimeError("query worker exited while opening the store") from None
        if status != "ready":
            worker.kill()
            raise RuntimeError(f"query worker could not open the store {self.store_path}: {info}")
        with self._lock:
            if self._closed:
                worker.stop()
                raise PoolBusy("the query pool is closed")
            self._all.add(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        """Forget a dead or killed worker and start its replacement in the background."""
        with self._lock:
            self._all.discard(worker)
            if self._closed:
                return

        def launch() -> None:
            try:
                self._idle.put(self._await_ready(*self._launch()))
            except PoolBusy:
                pass
            except Exception:
                log.exception("could not start a replacement query worker")

        threading.Thread(target=launch, name="tipkg-query-respawn", daemon=True).start()

    # work
    def _acquire(self, wait: float) -> _Worker:
        deadline = time.monotonic() + wait
        while True:
            if self._closed:
                raise PoolBusy("the query pool is closed")
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PoolBusy(f"every query worker stayed busy for {wait:g} s; try again later")
            try:
                worker = self._idle.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                continue
            if worker.process.is_alive():
                return worker
            self._replace(worker)

    def _call(self, job: QueryJob | str, timeout: float, wait: float) -> tuple[object, ...]:
        worker = self._acquire(wait)
        try:
            worker.conn.send(job)
            ready = worker.conn.poll(timeout)
        except (BrokenPipeError, EOFError, OSError):
            worker.kill()
            self._replace(worker)
            raise QueryError("worker_crashed", "the query worker stopped unexpectedly") from None
        if not ready:
            pid = worker.pid
            worker.kill()
            self._replace(worker)
            log.warning("query stopped after %g s; killed worker %s", timeout, pid)
            raise QueryTimeout(timeout, pid)
        try:
            outcome = worker.conn.recv()
        except (EOFError, OSError):
            # the worker died while running the query (e.g. out of memory)
            worker.kill()
            self._replace(worker)
            raise QueryError("worker_crashed", "the query worker stopped unexpectedly") from None
        self._idle.put(worker)
        return outcome

    def run(self, job: QueryJob, timeout: float, wait: float | None = None) -> QueryResult:
        """Evaluate ``job`` with a time limit of ``timeout`` seconds (blocking).

        ``wait`` bounds the time spent waiting for a free worker (default: ``timeout``).
        Raises :class:`QueryTimeout`, :class:`QueryError` (incl. :class:`NotAcceptable`)
        or :class:`PoolBusy`.
        """
        return _result(self._call(job, timeout, timeout if wait is None else wait))

    async def run_async(
        self, job: QueryJob, timeout: float, wait: float | None = None
    ) -> QueryResult:
        """:meth:`run` for an asyncio event loop: the same limits, errors and worker
        handling, but the answer is awaited on the loop (``add_reader`` on the worker's
        pipe, a timer for the time limit) instead of in a thread.

        Cancelling the caller does not abandon the worker: the wait goes on in the
        background and the worker goes back to the pool (or is killed past the limit).
        """
        wait = timeout if wait is None else wait
        worker = self._acquire_nowait()
        if worker is None:  # none free right now: wait for one in a thread, as run() does
            import anyio

            worker = await anyio.to_thread.run_sync(self._acquire, wait)
        try:
            worker.conn.send(job)
        except (BrokenPipeError, EOFError, OSError):
            await _kill_in_thread(worker)
            self._replace(worker)
            raise QueryError("worker_crashed", "the query worker stopped unexpectedly") from None
        task = asyncio.get_running_loop().create_task(self._await_answer(worker, timeout))
        task.add_done_callback(_consume_exception)
        return _result(await asyncio.shield(task))

    def _acquire_nowait(self) -> _Worker | None:
        """An idle live worker if there is one now, else ``None``."""
        while True:
            if self._closed:
                raise PoolBusy("the query pool is closed")
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return None
            if worker.process.is_alive():
                return worker
            self._replace(worker)

    async def _await_answer(self, worker: _Worker, timeout: float) -> tuple[object, ...]:
        """Wait (on the event loop) until the worker answers or ``timeout`` passes."""
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[bool] = loop.create_future()

        def settle(value: bool) -> None:
            if not ready.done():
                ready.set_result(value)

        fd = worker.conn.fileno()
        loop.add_reader(fd, settle, True)
        timer = loop.call_later(timeout, settle, False)
        try:
            answered = await ready
        finally:
            timer.cancel()
            loop.remove_reader(fd)
            # uvloop's add_reader makes the fd non-blocking; recv() and run() need it blocking
            with contextlib.suppress(OSError):
                os.set_blocking(fd, True)
        if not answered:
            pid = worker.pid
            await _kill_in_thread(worker)
            self._replace(worker)
            log.warning("query stopped after %g s; killed worker %s", timeout, pid)
            raise QueryTimeout(timeout, pid)
        try:
            # the worker writes its whole answer at once: reading it does not wait on work
            outcome: tuple[object, ...] = worker.conn.recv()
        except (EOFError, OSError):
            # the worker died while running the query (e.g. out of memory)
            await _kill_in_thread(worker)
            self._replace(worker)
            raise QueryError("worker_crashed", "the query worker stopped unexpectedly") from None
        self._idle.put(worker)
        return outcome

    def stats(self, timeout: float = 60.0) -> StoreStats:
        """Count the store's quads and list its named graphs (blocking)."""
        _, triples, graphs, _ = self._call("stats", timeout, timeout)
        return StoreStats(triples=int(triples), named_graphs=tuple(graphs))  # type: ignore[arg-type]


def _result(outcome: tuple[object, ...]) -> QueryResult:
    """Turn a worker's outcome tuple into a result, or raise its error."""
    status, a, b, c = outcome
    if status == "ok":
        return QueryResult(kind=a, format=b, body=c)  # type: ignore[arg-type]
    if status == "not_acceptable":
        raise NotAcceptable(a)  # type: ignore[arg-type]
    raise QueryError(str(a), str(b))


async def _kill_in_thread(worker: _Worker) -> None:
    """Kill a worker without blocking the event loop (kill() joins the process)."""
    import anyio

    await anyio.to_thread.run_sync(worker.kill)


def _consume_exception(task: asyncio.Task[object]) -> None:
    """Retrieve the outcome of a wait whose caller was cancelled (no "never retrieved")."""
    if not task.cancelled():
        task.exception()
