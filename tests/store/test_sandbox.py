"""No query can make the server fetch a URL: the query workers cannot open a network
connection at all, whatever the query says (the query check is tested on its own).

A canary HTTP server on 127.0.0.1 records every request it receives. The control proves the
canary works: pyoxigraph in this (unsandboxed) process does fetch a SERVICE URL. Then a
worker of the pool is handed SERVICE queries directly, bypassing every check, and the
canary sees nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.store.canary import Canary
from tipkg.store import sandbox
from tipkg.store.jobs import QueryError, QueryJob
from tipkg.store.pool import PoolLimits, QueryPool


@pytest.fixture
def canary() -> Iterator[Canary]:
    with Canary() as running:
        yield running


def service_queries(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?leak }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?leak }} }}",
        f"ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?leak }} }}",
    ]


def test_control_unsandboxed_pyoxigraph_fetches_the_canary(canary: Canary) -> None:
    list(ox.Store().query(service_queries(canary.url)[0]))
    assert canary.requests


def test_a_worker_handed_service_queries_reaches_nothing(canary: Canary, store_path: Path) -> None:
    pool = QueryPool(store_path, PoolLimits(size=1, max_size=1))
    outcomes: list[str] = []

    async def scenario() -> None:
        await pool.start()
        try:
            for query in service_queries(canary.url):
                try:
                    result = await pool.run(QueryJob(query), timeout=20)
                except QueryError as exc:
                    outcomes.append(exc.code)
                else:
                    assert b"secret" not in result.body
                    outcomes.append("answered without the canary")
        finally:
            await pool.close()

    asyncio.run(scenario())
    assert canary.requests == []
    assert outcomes  # every query was evaluated by a worker
    assert pool.isolation == {"netns": "on", "seccomp": "on"}


def test_each_layer_alone_blocks_connections(canary: Canary) -> None:
    """Run each layer in a fresh process and try to connect to the canary there."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    for layer in ("netns", "seccomp"):
        with context.Pool(1) as worker:
            state, error = worker.apply(_connect_with_one_layer, (layer, canary.url))
        assert state == "on", f"{layer}: {state}"
        assert error is not None, f"{layer} let a connection through"
    assert canary.requests == []


def _connect_with_one_layer(layer: str, url: str) -> tuple[str, str | None]:
    """In a child process: apply one layer, then try to reach ``url``."""
    import socket
    from urllib.parse import urlsplit

    state = sandbox._unshare_network() if layer == "netns" else sandbox._forbid_network_sockets()
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=2):
            return state, None
    except OSError as exc:
        return state, str(exc)
