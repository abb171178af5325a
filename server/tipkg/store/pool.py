"""The embedded store's query pool: SPARQL evaluated in worker processes (:mod:`.worker`)
with a time limit that really stops the work, workers shared fairly between clients, and a
live switch to each new build of the store.

pyoxigraph has no query timeout, and a query running in Rust cannot be interrupted from
another thread, so each query runs in one of a few worker processes (started with
``spawn``: the web process has threads). A worker opens the store read-only once (or
copies it into memory), cuts itself off from the network (:mod:`tipkg.sandbox`) and
evaluates on a thread with a large stack; it returns each result already serialized.

Everything on the parent's side runs on the asyncio event loop, with no thread that could
starve: a request waits for a worker as a future, its time limit is a loop timer that kills
the worker (SIGKILL) at the deadline, and killed workers are reaped by a private thread.

The scheduling policy (the README's "Fair use" section describes it to users):

* point lookups whose work the store's degrees bound need no time limit: they are
  answered in this process, without a worker (:mod:`.lookups`);
* ``size`` workers are kept running; when every one is busy, a client that holds no worker
  gets an extra one, started on the on-disk store (cheap to start, little memory), up to
  ``max_size``; extra workers stop after a while without work;
* one client holds at most ``client_workers`` workers at once; its other queries wait;
* a free worker goes to the waiting client that holds the fewest workers (then first come);
* at most ``max_waiting`` queries wait, each at most ``max_wait`` seconds (:class:`PoolBusy`);
* a worker that dies is replaced, with a growing delay while workers keep dying or fail to
  start; the query that crashed one is remembered and refused (:class:`QueryError`
  ``query_crashed``) instead of being run again.

:meth:`QueryPool.switch` moves to a new build: new workers start on it while the old ones
answer; then new queries go to the new workers and each old one stops after its query.

The module is over 500 lines for one concern: the scheduling, the time limit and the
workers' life cycle share the pool's state (idle, busy, starting, waiting) and each of
their steps changes it; split apart, every piece would reach into the others' state.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import multiprocessing
import os
import signal
import time
from collections import Counter, OrderedDict, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from tipkg.store import sandbox
from tipkg.store.jobs import (
    ClientLimit,
    NotAcceptable,
    PoolBusy,
    QueryError,
    QueryJob,
    QueryResult,
    QueryTimeout,
    StoreStats,
)
from tipkg.store.lookups import Degrees, Lookups
from tipkg.store.worker import worker_main

log = logging.getLogger(__name__)

_START_TIMEOUT = 300.0  # seconds a new worker may take to import pyoxigraph and open the store
_EXTRA_IDLE_SECONDS = 30.0  # an extra worker without work for this long is stopped
_MAX_BACKOFF = 30.0
_MIN_RUN_SECONDS = 0.05  # less left of a request's time limit: not worth a worker


@dataclass(eq=False)
class _Worker:
    """The parent's handle on one worker process."""

    process: BaseProcess
    conn: Connection
    store_path: str
    extra: bool
    idle_since: float = 0.0

    @property
    def pid(self) -> int | None:
        return self.process.pid


@dataclass(eq=False)
class _Waiter:
    client: str
    future: asyncio.Future[_Worker]


@dataclass(frozen=True)
class PoolLimits:
    """How many workers run and how they are shared (see the module docstring)."""

    size: int = 2
    max_size: int = 4
    client_workers: int = 1
    client_queries: int = 8
    max_waiting: int = 64
    max_wait: float = 10.0


class QueryPool:
    """Worker processes answering queries over a read-only store (see the module docstring).

    Args:
        store_path: the store directory (a build of ``tipkg build``, or any Oxigraph store).
        limits: how many workers, and how they are shared between clients.
        in_memory: whether the kept workers copy the store into memory.
        merged: whether the store's default graph is the merge of all its graphs (as
            ``tipkg build`` makes it); only used to count its triples cheaply.
    """

    def __init__(
        self,
        store_path: str | os.PathLike[str],
        limits: PoolLimits | None = None,
        *,
        in_memory: bool = False,
        merged: bool = True,
    ) -> None:
        self.store_path = str(store_path)
        self.limits = limits or PoolLimits()
        self.in_memory = in_memory
        self.merged = merged
        self.isolation: dict[str, str] = {}
        self.error: str | None = None  # why the last worker could not start, while none runs
        self._ctx = multiprocessing.get_context("spawn")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._idle: list[_Worker] = []  # last in, first out: the warmest store copy answers
        self._busy: set[_Worker] = set()
        self._starting_count = 0
        self._waiters: deque[_Waiter] = deque()
        self._holding: Counter[str] = Counter()
        self._crashed: OrderedDict[bytes, None] = OrderedDict()
        self._failures: deque[float] = deque(maxlen=16)
        self._retry_at = 0.0
        self._closed = False
        self._reaper = ThreadPoolExecutor(1, thread_name_prefix="tipkg-reaper")
        self._lookups = _lookups(self.store_path)
        self._lookups_checked = time.monotonic()

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Start the kept workers (in parallel) and wait until each has opened the store.

        Raises:
            RuntimeError: no worker could open the store (the message says why).
        """
        self._loop = asyncio.get_running_loop()
        results = await asyncio.gather(
            *(self._start_worker(self.store_path, extra=False) for _ in range(self.limits.size)),
            return_exceptions=True,
        )
        failures = [r for r in results if isinstance(r, BaseException)]
        if len(failures) == len(results):
            await self.close()
            raise RuntimeError(str(failures[0]))

    async def switch(self, store_path: str | os.PathLike[str], *, in_memory: bool) -> None:
        """Move to another store: start workers on it, then send new queries there and stop
        each old worker once it is free. Queries already running finish on the old store.

        Raises:
            RuntimeError: no worker could open the new store; the old one stays in service.
        """
        path = str(store_path)
        previous, self.in_memory = self.in_memory, in_memory
        results = await asyncio.gather(
            *(
                self._start_worker(path, extra=False, hand_over=False)
                for _ in range(self.limits.size)
            ),
            return_exceptions=True,
        )
        ready = [r for r in results if isinstance(r, _Worker)]
        if not ready:
            self.in_memory = previous
            raise RuntimeError(str(results[0]))
        old_idle = self._idle
        self.store_path, self._idle = path, []
        self._lookups = _lookups(path)
        for worker in old_idle:
            self._stop(worker)
        for worker in ready:
            self._hand_over(worker)

    def drain(self) -> None:
        """Take no more queries: waiting and later ones get :class:`PoolBusy`; queries that
        are running finish (the server is shutting down)."""
        self._closed = True
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.future.done():
                waiter.future.set_exception(PoolBusy("the server is shutting down"))

    async def close(self) -> None:
        """Stop every worker; waiting and later queries get :class:`PoolBusy`."""
        self.drain()
        idle, self._idle = self._idle, []
        for worker in idle + list(self._busy):
            self._stop(worker)
        self._busy.clear()
        self._reaper.shutdown(wait=False)  # the joins already queued still run

    def stores_in_use(self) -> set[str]:
        """The store directories that live or starting workers use (to keep them leased)."""
        return {self.store_path} | {w.store_path for w in [*self._idle, *self._busy]}

    def pids(self) -> list[int]:
        """Process ids of the live workers (for tests and /health)."""
        return [w.pid for w in [*self._idle, *self._busy] if w.pid is not None]

    def health(self) -> dict[str, object]:
        """The pool's state for /health."""
        return {
            "query_workers": len(self._idle) + len(self._busy),
            "busy": len(self._busy),
            "starting": self._starting_count,
            "waiting": len(self._waiters),
            "in_memory": self.in_memory,
            "lookups": self._lookups is not None,  # point lookups answered without a worker
            "network_isolation": sandbox.describe(self.isolation) if self.isolation else None,
            "error": self.error,
        }

    # ------------------------------------------------------------------ queries

    async def run(
        self, job: QueryJob, timeout: float, client: str = "", wait: float | None = None
    ) -> QueryResult:
        """Evaluate ``job`` for ``client`` within ``timeout`` seconds, counted from now:
        time spent waiting for a worker is part of it, so no request outlives its limit.

        Cancelling the caller does not abandon the worker: the wait goes on in the
        background and the worker goes back to the pool (or is killed past the limit).

        Raises:
            QueryTimeout: past the limit (the worker was killed).
            PoolBusy: no worker within ``wait`` (default: the pool's ``max_wait``) or in time
                to run the query, too many queries waiting, or the pool is closed.
            QueryError: the query's own error (incl. :class:`NotAcceptable`).
        """
        if self._lookups is None and time.monotonic() > self._lookups_checked + 2.0:
            self._lookups = _lookups(self.store_path)  # degrees recorded since?
            self._lookups_checked = time.monotonic()
        if self._lookups is not None and self._lookups.bounded(job):
            if self._closed:
                raise PoolBusy("the server is shutting down")
            return _result(self._lookups.run(job))  # bounded: needs no time limit
        key = _crash_key(job)
        if key in self._crashed:
            raise QueryError(
                "query_crashed",
                "this query stopped a query worker before (it may nest too deep or need too "
                "much memory); simplify it",
            )
        loop = asyncio.get_running_loop()
        started = loop.time()
        wait = min(self.limits.max_wait if wait is None else wait, timeout)
        worker = await self._acquire(client, wait)
        remaining = timeout - (loop.time() - started)
        if remaining < _MIN_RUN_SECONDS:
            self._let_go(client)
            self._release(worker)
            raise PoolBusy(
                f"the query waited for a worker for its whole {timeout:g} s time limit; "
                "try again later"
            )
        task = loop.create_task(self._ask(worker, job, remaining, client, limit=timeout))
        task.add_done_callback(_consume_exception)
        return _result(await asyncio.shield(task))

    async def stats(self, timeout: float = 60.0) -> StoreStats:
        """Count the store's distinct triples and list its named graphs."""
        worker = await self._acquire("", timeout)
        _, triples, graphs, _ = await self._ask(worker, "stats", timeout, "")
        return StoreStats(triples=int(triples), named_graphs=tuple(graphs))  # type: ignore[call-overload]

    async def _ask(
        self,
        worker: _Worker,
        job: QueryJob | str,
        timeout: float,
        client: str,
        limit: float | None = None,
    ) -> tuple[object, ...]:
        """Send ``job`` to ``worker``, wait for the answer, and give the worker back (or
        replace it if it was killed or died); the client's hold ends first, so the worker
        can go to one of its waiting queries."""
        try:
            outcome = await self._exchange(
                worker, job, timeout, timeout if limit is None else limit
            )
        except BaseException:
            self._let_go(client)
            raise
        self._let_go(client)
        self._release(worker)
        return outcome

    async def _exchange(
        self, worker: _Worker, job: QueryJob | str, timeout: float, limit: float
    ) -> tuple[object, ...]:
        """The answer of ``worker`` to ``job``, awaited on the loop for ``timeout`` seconds
        (what is left of the request's time ``limit``)."""
        loop = asyncio.get_running_loop()
        try:
            worker.conn.send(job)
        except (BrokenPipeError, EOFError, OSError):
            self._lost(worker, crashed=False)
            raise QueryError(
                "worker_crashed", "the query worker stopped unexpectedly; try again"
            ) from None
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
            # uvloop's add_reader makes the fd non-blocking; recv() needs it blocking
            with contextlib.suppress(OSError):
                os.set_blocking(fd, True)
        if not answered:
            log.warning("query stopped at its %g s limit; killing worker %s", limit, worker.pid)
            self._lost(worker, crashed=False)
            raise QueryTimeout(limit, worker.pid)
        try:
            # the worker writes its whole answer at once: reading it does not wait on work
            outcome: tuple[object, ...] = worker.conn.recv()
        except (EOFError, OSError):
            # the worker died while running the query (stack overflow, out of memory)
            if isinstance(job, QueryJob):
                self._remember_crash(job)
            self._lost(worker, crashed=True)
            raise QueryError(
                "query_crashed",
                "the query stopped its worker (it may nest too deep or need too much "
                "memory); simplify it",
            ) from None
        return outcome

    # ------------------------------------------------------------------ scheduling

    async def _acquire(self, client: str, wait: float) -> _Worker:
        if self._closed:
            raise PoolBusy("the server is shutting down")
        waiting = sum(1 for w in self._waiters if w.client == client)
        if self._holding[client] + waiting >= self.limits.client_queries:
            raise ClientLimit(
                f"you already have {self.limits.client_queries} queries running or waiting; "
                "wait for their answers before sending more"
            )
        if self._holding[client] < self.limits.client_workers and self._idle:
            return self._assign(self._idle.pop(), client)
        self._maybe_add_extra(client)
        if len(self._waiters) >= self.limits.max_waiting:
            raise PoolBusy(
                f"{len(self._waiters)} queries are already waiting for a worker; try again later"
            )
        waiter = _Waiter(client, asyncio.get_running_loop().create_future())
        self._waiters.append(waiter)
        try:
            # shielded: a worker handed over just as the wait ends must not be lost
            return await asyncio.wait_for(asyncio.shield(waiter.future), wait)
        except BaseException as exc:
            with contextlib.suppress(ValueError):
                self._waiters.remove(waiter)
            if waiter.future.done() and not waiter.future.cancelled():
                if waiter.future.exception() is None:
                    worker = waiter.future.result()
                    self._let_go(client)
                    self._release(worker)
            else:
                waiter.future.cancel()
            if isinstance(exc, TimeoutError):
                raise PoolBusy(
                    f"no query worker became free within {wait:g} s; try again later"
                ) from None
            raise

    def _let_go(self, client: str) -> None:
        """A query of ``client`` no longer holds a worker: an idle worker may now go to one
        of its waiting queries."""
        self._holding[client] -= 1
        if self._holding[client] <= 0:
            del self._holding[client]
        while self._idle and (waiter := self._next_waiter()) is not None:
            self._give(self._idle.pop(), waiter)

    def _assign(self, worker: _Worker, client: str) -> _Worker:
        self._busy.add(worker)
        self._holding[client] += 1
        return worker

    def _maybe_add_extra(self, client: str) -> None:
        """Start an extra worker for a client that holds none while all are busy."""
        live = len(self._idle) + len(self._busy) + self._starting_count
        if self._holding[client] == 0 and live < self.limits.max_size and not self._backing_off():
            self._spawn(self.store_path, extra=True)

    def _release(self, worker: _Worker) -> None:
        """A worker is free: give it to the fairest waiter, keep it idle, or stop it."""
        self._busy.discard(worker)
        if self._closed or worker.store_path != self.store_path:
            self._stop(worker)  # an old build's worker: its query is done
            return
        self._hand_over(worker)

    def _hand_over(self, worker: _Worker) -> None:
        waiter = self._next_waiter()
        if waiter is not None:
            self._give(worker, waiter)
            return
        worker.idle_since = time.monotonic()
        self._idle.append(worker)
        if worker.extra and self._loop is not None:
            self._loop.call_later(_EXTRA_IDLE_SECONDS + 0.1, self._retire_if_idle, worker)

    def _give(self, worker: _Worker, waiter: _Waiter) -> None:
        self._assign(worker, waiter.client)
        waiter.future.set_result(worker)

    def _next_waiter(self) -> _Waiter | None:
        """The waiting client holding the fewest workers (then the first), if any may."""
        best: _Waiter | None = None
        for waiter in self._waiters:
            if waiter.future.done():
                continue
            held = self._holding[waiter.client]
            if held >= self.limits.client_workers:
                continue
            if best is None or held < self._holding[best.client]:
                best = waiter
        if best is not None:
            self._waiters.remove(best)
        return best

    def _retire_if_idle(self, worker: _Worker) -> None:
        if worker in self._idle and time.monotonic() - worker.idle_since >= _EXTRA_IDLE_SECONDS:
            self._idle.remove(worker)
            self._stop(worker)

    # ------------------------------------------------------------------ workers

    def _spawn(self, store_path: str, *, extra: bool) -> None:
        """Start a worker in the background; it joins the pool when ready."""
        task = asyncio.get_running_loop().create_task(self._start_worker(store_path, extra=extra))
        task.add_done_callback(_consume_exception)

    async def _start_worker(
        self, store_path: str, *, extra: bool, hand_over: bool = True
    ) -> _Worker:
        """Start one worker and wait until it has opened the store."""
        in_memory = self.in_memory and not extra
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=worker_main,
            args=(store_path, child, in_memory, self.merged),
            name="tipkg-query",
            daemon=True,
        )
        self._starting_count += 1
        try:
            process.start()
            child.close()
            worker = _Worker(process, parent, store_path, extra)
            message = await self._first_message(worker)
        finally:
            self._starting_count -= 1
        status, info, layers, _ = message
        if status != "ready":
            self._stop(worker)
            raise RuntimeError(
                self._note_failure(f"a query worker could not open the store {store_path}: {info}")
            )
        self.error = None
        self.isolation = dict(layers)  # type: ignore[call-overload]
        off = [name for name, state in self.isolation.items() if state != "on"]
        if off:
            log.warning(
                "query worker %s: network isolation incomplete (%s)",
                worker.pid,
                sandbox.describe(self.isolation),
            )
        if self._closed or (hand_over and store_path != self.store_path):
            self._stop(worker)
            raise PoolBusy("the pool closed or moved to another store while a worker started")
        if hand_over:
            self._hand_over(worker)
        return worker

    async def _first_message(self, worker: _Worker) -> tuple[object, ...]:
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()
        fd = worker.conn.fileno()
        loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
        try:
            await asyncio.wait_for(ready, _START_TIMEOUT)
        except TimeoutError:
            self._stop(worker)
            reason = f"a query worker did not start within {_START_TIMEOUT:g} s"
            raise RuntimeError(self._note_failure(reason)) from None
        finally:
            loop.remove_reader(fd)
            with contextlib.suppress(OSError):
                os.set_blocking(fd, True)
        try:
            return worker.conn.recv()  # type: ignore[no-any-return]
        except (EOFError, OSError):
            self._stop(worker)
            reason = f"a query worker exited while opening {worker.store_path}"
            raise RuntimeError(self._note_failure(reason)) from None

    def _lost(self, worker: _Worker, *, crashed: bool) -> None:
        """A worker was killed or died: forget it and keep the pool at its size."""
        self._busy.discard(worker)
        self._stop(worker)
        if crashed:
            self._failures.append(time.monotonic())
        self._replenish()

    def _replenish(self) -> None:
        """Start workers until ``size`` run, after the back-off delay if workers keep failing."""
        if self._closed or self._loop is None:
            return
        delay = self._retry_at - time.monotonic()
        if delay > 0:
            self._loop.call_later(delay, self._replenish)
            return
        live = len(self._idle) + len(self._busy) + self._starting_count
        for _ in range(self.limits.size - live):
            self._spawn(self.store_path, extra=False)

    def _note_failure(self, reason: str) -> str:
        """Record a failed start: log it with the path, delay the next attempts, and
        return ``reason``."""
        log.error("%s", reason)
        now = time.monotonic()
        self._failures.append(now)
        if not self._idle and not self._busy:
            self.error = reason
        self._replenish_later()
        return reason

    def _replenish_later(self) -> None:
        recent = sum(1 for t in self._failures if time.monotonic() - t < 60)
        self._retry_at = time.monotonic() + min(_MAX_BACKOFF, 0.25 * 2**recent)
        if self._loop is not None and not self._closed:
            self._loop.call_later(self._retry_at - time.monotonic(), self._replenish)

    def _backing_off(self) -> bool:
        return time.monotonic() < self._retry_at

    def _remember_crash(self, job: QueryJob) -> None:
        self._crashed[_crash_key(job)] = None
        while len(self._crashed) > 1024:
            self._crashed.popitem(last=False)
        recent = sum(1 for t in self._failures if time.monotonic() - t < 10)
        if recent >= 3:
            self._replenish_later()

    def _stop(self, worker: _Worker) -> None:
        """Kill the process now (it holds no state worth a graceful exit) and reap it in
        the pool's own thread, never on the loop."""
        with contextlib.suppress(Exception):
            worker.conn.close()
        if worker.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.pid, signal.SIGKILL)
        with contextlib.suppress(RuntimeError):  # the executor is shut down at close
            self._reaper.submit(worker.process.join, 10.0)


def _lookups(store_path: str) -> Lookups | None:
    """Point lookups in this process, for a store whose degrees are known."""
    degrees = Degrees.load(store_path)
    return Lookups(store_path, degrees) if degrees is not None else None


def _crash_key(job: QueryJob) -> bytes:
    return hashlib.sha256(job.query.encode("utf-8", "surrogatepass")).digest()


def _result(outcome: tuple[object, ...]) -> QueryResult:
    """Turn a worker's outcome tuple into a result, or raise its error."""
    status, a, b, c = outcome
    if status == "ok":
        return QueryResult(kind=a, format=b, body=c)  # type: ignore[arg-type]
    if status == "not_acceptable":
        raise NotAcceptable(a)  # type: ignore[arg-type]
    raise QueryError(str(a), str(b))


def _consume_exception(task: asyncio.Task[Any]) -> None:
    """Retrieve the outcome of a task nobody awaits (no "exception never retrieved")."""
    if not task.cancelled():
        task.exception()
