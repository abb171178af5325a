"""The query pool on its own: answers, the time limit, replacement of killed workers, the
per-client limits, fairness, the bounded queue, and the switch to another store; on the
asyncio and the uvloop event loops (the server runs uvloop)."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from tests.store.conftest import alive
from tipkg.store.jobs import ClientLimit, PoolBusy, QueryError, QueryJob, QueryTimeout
from tipkg.store.pool import PoolLimits, QueryPool, _Waiter

uvloop = pytest.importorskip("uvloop")

HEAVY = QueryJob("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
LIGHT = QueryJob("ASK { ?s ?p ?o }")
BIG = QueryJob("SELECT * WHERE { ?s ?p ?o }", results_format="TSV")  # more than a pipe buffer
RUNNERS = [pytest.param(asyncio.run, id="asyncio"), pytest.param(uvloop.run, id="uvloop")]


def with_pool(
    runner: Callable[[Awaitable[None]], None],
    store: Path,
    scenario: Callable[[QueryPool], Awaitable[None]],
    limits: PoolLimits | None = None,
) -> QueryPool:
    """Start a pool on ``store``, play ``scenario`` on the event loop, close the pool."""
    pool = QueryPool(store, limits or PoolLimits(size=1, max_size=1))

    async def main() -> None:
        await pool.start()
        try:
            await scenario(pool)
        finally:
            await pool.close()

    runner(main())
    return pool


async def until(condition: Callable[[], bool], seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        await asyncio.sleep(0.05)
    return False


@pytest.mark.parametrize("runner", RUNNERS)
def test_answers_limits_and_replacement(store_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    async def scenario(pool: QueryPool) -> None:
        result = await pool.run(LIGHT, timeout=10)
        assert (result.kind, result.format) == ("boolean", "JSON")
        assert b"true" in result.body
        # a result bigger than the pipe's buffer arrives whole, and again the same
        body = (await pool.run(BIG, timeout=10)).body
        assert len(body) > 200_000
        assert body == (await pool.run(BIG, timeout=10)).body
        with pytest.raises(QueryError) as bad:
            await pool.run(QueryJob(query="SELECT ?x WHERE {"), timeout=10)
        assert bad.value.code == "bad_query"
        # past the limit the worker is killed (at the deadline) and replaced
        (pid,) = pool.pids()
        started = time.monotonic()
        with pytest.raises(QueryTimeout) as info:
            await pool.run(HEAVY, timeout=0.5)
        assert time.monotonic() - started < 1.0
        assert info.value.pid == pid
        assert await until(lambda: not alive(pid))
        result = await pool.run(LIGHT, timeout=30, wait=30)  # waits for the replacement
        assert b"true" in result.body
        assert pool.pids() != [pid]
        # a cancelled caller does not lose the worker: it comes back once it has answered
        task = asyncio.ensure_future(pool.run(BIG, timeout=10))
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert b"true" in (await pool.run(LIGHT, timeout=30)).body

    pool = with_pool(runner, store_path, scenario)
    assert pool.pids() == []


def test_one_client_holds_its_share_and_others_get_extra_workers(store_path: Path) -> None:
    """Two clients running runaway queries hold one worker each; a third client's light
    query starts an extra worker instead of waiting; a client past its query cap gets
    ClientLimit at once."""
    limits = PoolLimits(size=2, max_size=3, client_workers=1, client_queries=2, max_wait=30)

    async def scenario(pool: QueryPool) -> None:
        runaway = [asyncio.ensure_future(pool.run(HEAVY, timeout=5, client=name)) for name in "ab"]
        await until(lambda: pool.health()["busy"] == 2)
        started = time.monotonic()
        assert b"true" in (await pool.run(LIGHT, timeout=10, client="c")).body
        assert time.monotonic() - started < 5  # not behind the runaway queries
        assert pool.health()["query_workers"] == 3
        # client a may wait for its one worker, but not have more than 2 queries in flight
        queued = asyncio.ensure_future(pool.run(LIGHT, timeout=10, client="a"))
        await asyncio.sleep(0.1)
        assert not queued.done()
        with pytest.raises(ClientLimit):
            await pool.run(LIGHT, timeout=10, client="a")
        for task in runaway:
            with pytest.raises(QueryTimeout):
                await task
        assert b"true" in (await queued).body

    with_pool(asyncio.run, store_path, scenario, limits)


def test_the_queue_is_bounded_in_length_and_in_time(store_path: Path) -> None:
    limits = PoolLimits(size=1, max_size=1, client_workers=1, max_waiting=1, max_wait=0.5)

    async def scenario(pool: QueryPool) -> None:
        running = asyncio.ensure_future(pool.run(HEAVY, timeout=3, client="a"))
        await until(lambda: pool.health()["busy"] == 1)
        waiting = asyncio.ensure_future(pool.run(LIGHT, timeout=3, client="b"))
        await asyncio.sleep(0.05)
        with pytest.raises(PoolBusy, match="already waiting"):
            await pool.run(LIGHT, timeout=3, client="c")
        started = time.monotonic()
        with pytest.raises(PoolBusy, match=r"within 0\.5 s"):
            await waiting
        assert time.monotonic() - started < 1.0
        with pytest.raises(QueryTimeout):
            await running

    with_pool(asyncio.run, store_path, scenario, limits)


def test_a_free_worker_goes_to_the_waiting_client_holding_fewest() -> None:
    """The choice among waiting queries: fewest workers held first, then first come; a
    client at its cap waits even if it came first."""
    pool = QueryPool("unused", PoolLimits(size=2, client_workers=2))
    loop = asyncio.new_event_loop()
    try:
        waiters = [_Waiter(client, loop.create_future()) for client in ("a", "a", "b", "c")]
        pool._waiters.extend(waiters)
        pool._holding.update({"a": 1, "b": 1})
        assert pool._next_waiter() is waiters[3]  # c holds none
        assert pool._next_waiter() is waiters[0]  # a and b hold one: first come
        pool._holding.update({"a": 1})  # a now holds two: at its cap
        assert pool._next_waiter() is waiters[2]
        assert pool._next_waiter() is None  # a's last query must wait for one of its own
        assert list(pool._waiters) == [waiters[1]]
    finally:
        loop.close()


def test_time_spent_waiting_counts_against_the_limit(store_path: Path) -> None:
    """No request outlives its time limit, even after waiting for a worker."""
    limits = PoolLimits(size=1, max_size=1, client_workers=1, max_wait=30)

    async def scenario(pool: QueryPool) -> None:
        running = asyncio.ensure_future(pool.run(HEAVY, timeout=1.5, client="a"))
        await until(lambda: pool.health()["busy"] == 1)
        started = time.monotonic()
        with pytest.raises((PoolBusy, QueryTimeout)):
            await pool.run(HEAVY, timeout=2.0, client="b")
        assert time.monotonic() - started < 2.5
        with pytest.raises(QueryTimeout):
            await running

    with_pool(asyncio.run, store_path, scenario, limits)


def test_a_query_that_kills_its_worker_is_refused_next_time(store_path: Path) -> None:
    async def scenario(pool: QueryPool) -> None:
        (pid,) = pool.pids()
        crash = QueryJob("ASK { ?s ?p ?o }  # the worker is killed while it runs this")
        task = asyncio.ensure_future(pool.run(HEAVY, timeout=10))
        await until(lambda: pool.health()["busy"] == 1)
        import os
        import signal

        os.kill(pid, signal.SIGKILL)  # as a stack overflow or the OOM killer would
        with pytest.raises(QueryError) as crashed:
            await task
        assert crashed.value.code == "query_crashed"
        with pytest.raises(QueryError) as again:
            await pool.run(HEAVY, timeout=10)
        assert again.value.code == "query_crashed"  # refused without running
        assert b"true" in (await pool.run(LIGHT, timeout=30, wait=30)).body
        assert crash.query  # another query is not affected

    with_pool(asyncio.run, store_path, scenario)


def test_switch_moves_new_queries_to_the_new_store(store_path: Path, tmp_path: Path) -> None:
    """A query running on the old store finishes there; new ones go to the new store."""
    other = tmp_path / "other"
    shutil.copytree(store_path, other)
    count = QueryJob("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", results_format="CSV")

    async def scenario(pool: QueryPool) -> None:
        old_pids = set(pool.pids())
        running = asyncio.ensure_future(pool.run(HEAVY, timeout=2, client="a"))
        await until(lambda: pool.health()["busy"] == 1)
        await pool.switch(other, in_memory=False)
        assert pool.store_path == str(other)
        assert pool.stores_in_use() == {str(store_path), str(other)}
        before = (await pool.run(count, timeout=10, client="b")).body
        with pytest.raises(QueryTimeout):
            await running
        assert await until(lambda: not (set(pool.pids()) & old_pids))
        assert pool.stores_in_use() == {str(other)}
        assert (await pool.run(count, timeout=10, client="b")).body == before

    with_pool(asyncio.run, store_path, scenario, PoolLimits(size=2, max_size=2))


def test_a_store_no_worker_can_open_is_an_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-store"
    pool = QueryPool(missing, PoolLimits(size=1, max_size=1))
    with pytest.raises(RuntimeError, match=r"could not open the store .*no-such-store"):
        asyncio.run(pool.start())
    assert pool.error is not None and "no-such-store" in pool.error


def test_switch_to_an_unreadable_store_keeps_the_old_one(store_path: Path, tmp_path: Path) -> None:
    async def scenario(pool: QueryPool) -> None:
        with pytest.raises(RuntimeError, match="could not open"):
            await pool.switch(tmp_path / "missing", in_memory=False)
        assert pool.store_path == str(store_path)
        assert b"true" in (await pool.run(LIGHT, timeout=10)).body

    with_pool(asyncio.run, store_path, scenario)
