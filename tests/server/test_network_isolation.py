"""No query can make the server fetch a URL: the query workers cannot open a network
connection at all, whatever the query says (the query check is tested on its own).

A canary HTTP server on 127.0.0.1 records every request it receives. The control proves the
canary works: pyoxigraph in this (unsandboxed) process does fetch a SERVICE URL. Then a
worker of the pool is handed SERVICE queries directly, bypassing every check, and the
canary sees nothing.
"""

from __future__ import annotations

import asyncio
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from tipkg import sandbox
from tipkg.query_pool import PoolLimits, QueryError, QueryJob, QueryPool


class Canary(http.server.ThreadingHTTPServer):
    """An HTTP server that records the path of every request and answers SPARQL JSON."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        canary = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                canary.requests.append(self.path)
                body = b'{"head":{"vars":["leak"]},"results":{"bindings":[{"leak":{"type":"literal","value":"secret"}}]}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/sparql"


@pytest.fixture
def canary() -> Iterator[Canary]:
    server = Canary()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def service_queries(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?leak }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?leak }} }}",
        f"ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}> AS ?u) SERVICE ?u {{ ?s ?p ?leak }} }}",
    ]


def test_control_unsandboxed_pyoxigraph_fetches_the_canary(canary: Canary) -> None:
    rows = list(ox.Store().query(service_queries(canary.url)[0]))
    assert [row["leak"].value for row in rows] == ["secret"]
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
