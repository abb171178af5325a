"""QueryPool.run_async: the answer is awaited on the event loop (no thread), with the same
time limit, worker replacement and results as the blocking QueryPool.run."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.server.conftest import alive
from tipkg.query_pool import QueryError, QueryJob, QueryPool, QueryTimeout

uvloop = pytest.importorskip("uvloop")

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
LIGHT = "ASK { ?s ?p ?o }"
BIG = "SELECT * WHERE { ?s ?p ?o }"  # larger than a pipe buffer


@pytest.mark.parametrize("runner", [asyncio.run, uvloop.run], ids=["asyncio", "uvloop"])
def test_run_async_like_run(store_path: Path, runner) -> None:  # type: ignore[no-untyped-def]
    pool = QueryPool(store_path, size=1)
    pool.start()

    async def scenario() -> None:
        light = QueryJob(query=LIGHT, union_default_graph=True)
        result = await pool.run_async(light, timeout=10)
        assert (result.kind, result.format) == ("boolean", "JSON")
        assert b"true" in result.body
        # a result bigger than the pipe's buffer arrives whole, and is the same as run()'s
        big = QueryJob(query=BIG, union_default_graph=True, results_format="TSV")
        body = (await pool.run_async(big, timeout=10)).body
        assert len(body) > 200_000
        assert body == pool.run(big, timeout=10).body  # the pipe is blocking again for run()
        with pytest.raises(QueryError) as bad:
            await pool.run_async(QueryJob(query="SELECT ?x WHERE {"), timeout=10)
        assert bad.value.code == "bad_query"
        # past the limit the worker is killed and replaced
        (pid,) = pool.pids()
        with pytest.raises(QueryTimeout) as info:
            await pool.run_async(QueryJob(query=HEAVY, union_default_graph=True), timeout=0.5)
        assert info.value.pid == pid
        assert not alive(pid)
        result = await pool.run_async(light, timeout=30)  # waits for the replacement
        assert b"true" in result.body
        assert pool.pids() != [pid]
        # a cancelled caller does not lose the worker: it comes back once it has answered
        task = asyncio.ensure_future(pool.run_async(big, timeout=10))
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        result = await pool.run_async(light, timeout=30)
        assert b"true" in result.body

    try:
        runner(scenario())
    finally:
        pool.close()
    assert pool.pids() == []
