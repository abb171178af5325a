"""The per-query time limit really stops the work, and the server stays responsive."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.store.conftest import alive
from tipkg.config import Settings
from tipkg.web.app import create_app

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
LIGHT = "ASK { ?s ?p ?o }"


def query_workers(pid: int) -> list[int]:
    """The spawned worker processes of ``pid`` (children of any of its threads)."""
    found = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        for child in children.read_text().split():
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
            if b"spawn_main" in cmdline:
                found.append(int(child))
    return found


def wait_for(condition, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture(scope="module")
def limited(store_path: Path) -> Iterator[TestClient]:
    """The app with a 1 s time limit and a small result size limit."""
    # one test client sends everything: let it hold both workers (fairness is tested apart)
    settings = Settings(workers=2, client_workers=2, query_timeout=1.0, max_result_bytes=20_000)
    with TestClient(create_app(settings, store_path)) as test_client:
        yield test_client


def test_timeout_kills_worker_and_server_stays_responsive(limited: TestClient) -> None:
    pool = limited.app.state.sparql.pool
    before = set(pool.pids())
    assert len(before) == 2
    heavy: dict = {}

    def run_heavy() -> None:
        started = time.monotonic()
        heavy["response"] = limited.get("/sparql", params={"query": HEAVY})
        heavy["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run_heavy)
    thread.start()
    time.sleep(0.3)
    # while the heavy query runs, a light one is answered at once by the other worker
    started = time.monotonic()
    light = limited.get("/sparql", params={"query": LIGHT})
    light_seconds = time.monotonic() - started
    assert "response" not in heavy, "the heavy query should still be running"
    assert light.status_code == 200
    assert light.json()["boolean"] is True
    assert light_seconds < 0.7
    assert limited.get("/health").status_code == 200
    thread.join(30)

    r = heavy["response"]
    assert r.status_code == 503
    assert r.json()["code"] == "query_timeout"
    assert r.json()["detail"] == "query exceeded the 1 s time limit and was stopped"
    assert 1.0 <= heavy["seconds"] < 5.0
    killed = before - set(pool.pids())
    assert len(killed) == 1
    pid = killed.pop()
    assert wait_for(lambda: not alive(pid), 5)  # killed, and reaped by the pool
    # a replacement worker is started and the pool is back to full strength
    assert wait_for(lambda: len(pool.pids()) == 2)
    assert limited.get("/sparql", params={"query": LIGHT}).json()["boolean"] is True


def test_two_heavy_queries_at_once_both_stopped(limited: TestClient) -> None:
    pool = limited.app.state.sparql.pool
    assert wait_for(lambda: len(pool.pids()) == 2)
    responses: list = []
    threads = [
        threading.Thread(
            target=lambda: responses.append(limited.get("/sparql", params={"query": HEAVY}))
        )
        for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert [r.status_code for r in responses] == [503, 503]
    assert wait_for(lambda: len(pool.pids()) == 2)
    assert limited.get("/sparql", params={"query": LIGHT}).status_code == 200


def test_result_size_limit(limited: TestClient) -> None:
    r = limited.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert r.status_code == 400
    assert r.json()["code"] == "result_too_large"
    assert "LIMIT" in r.json()["detail"]
    r = limited.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"})
    assert r.status_code == 200


def test_served_by_uvicorn_and_workers_stop_with_server(tmp_path: Path) -> None:
    """`tipkg serve --data FILE` under real uvicorn; SIGTERM stops the workers too."""
    import signal
    import socket
    import subprocess
    import sys

    import httpx

    data = tmp_path / "data.nt"
    lines = [f'<http://example.org/s{i}> <http://example.org/p> "o" .\n' for i in range(300)]
    data.write_text("".join(lines), encoding="utf-8")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tipkg.cli",
            "serve",
            "--data",
            str(data),
            "--port",
            str(port),
            "--query-timeout",
            "1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:

        def up() -> bool:
            try:
                return httpx.get(f"{url}/health", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        assert wait_for(up, 30), server.stdout.read().decode() if server.poll() is not None else ""
        r = httpx.get(
            f"{url}/sparql",
            params={"query": "SELECT DISTINCT ?o WHERE { ?s ?p ?o }", "format": "csv"},
        )
        assert r.text.splitlines() == ["o", "o"]
        r = httpx.get(f"{url}/sparql", params={"query": HEAVY}, timeout=10)
        assert r.status_code == 503
        assert wait_for(lambda: len(query_workers(server.pid)) == 2)  # replacement started
        workers = query_workers(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(15)
    assert server.returncode in (0, -signal.SIGTERM)  # uvicorn re-raises SIGTERM after shutdown
    assert wait_for(lambda: not any(alive(pid) for pid in workers), 10)


def test_workers_can_hold_the_store_in_memory_and_answer_the_same(store_path) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from tipkg.config import Settings
    from tipkg.web.app import create_app

    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    answers = []
    for in_memory in (False, True):
        with TestClient(create_app(Settings(workers=1, in_memory=in_memory), store_path)) as client:
            assert client.get("/health").json()["in_memory"] is in_memory
            answers.append(client.get("/sparql", params={"query": query, "format": "csv"}).text)
    assert answers[0] == answers[1] and int(answers[0].splitlines()[1]) > 1000
