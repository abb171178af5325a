"""The remote-store path against a real ``oxigraph serve`` started on 127.0.0.1: ``tipkg
build --endpoint`` loads it through the Graph Store Protocol, and the app answers from it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import BUILT_GRAPHS, ROOT
from tipkg.app import create_app
from tipkg.build import build_store
from tipkg.config import Settings

OXIGRAPH = shutil.which("oxigraph")
pytestmark = pytest.mark.skipif(OXIGRAPH is None, reason="the oxigraph server is not installed")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    process = subprocess.Popen(
        [str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/query", params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def loaded(oxigraph: str) -> str:
    build_store(Settings(root=ROOT), endpoint=f"{oxigraph}/store")
    return oxigraph


def test_build_loads_every_named_graph(loaded: str) -> None:
    response = httpx.post(
        f"{loaded}/query",
        headers={"Accept": "text/csv"},
        data={
            "query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
        },
    )
    rows = [line.split(",") for line in response.text.splitlines()[1:]]
    graphs = [g.removeprefix("https://w3id.org/tipkg/graph/") for g, _ in rows]
    assert graphs == ["build", *BUILT_GRAPHS]
    assert all(int(n) > 0 for _, n in rows)


def test_the_app_answers_from_the_remote_store(loaded: str) -> None:
    app = create_app(Settings(root=ROOT), endpoint=f"{loaded}/query")
    with TestClient(app) as client:
        answer = client.get(
            "/sparql",
            params={
                "query": "PREFIX tipkg: <https://w3id.org/tipkg/def#> SELECT ?s WHERE { ?s tipkg:speaker "
                "<https://w3id.org/tipkg/id/state/AZE> }",
                "format": "csv",
            },
        )
        assert answer.status_code == 200
        statements = answer.text.splitlines()[1:]
        assert len(statements) == 1
        assert statements[0].startswith("https://w3id.org/tipkg/id/meeting/wg-tip/12/statement/")
        page = client.get("/doc/state/AZE", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "<h1>Azerbaijan</h1>" in page.text
        refused = client.get(
            "/sparql", params={"query": "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }"}
        )
        assert refused.status_code == 400
        assert client.get("/health").json()["triples"] > 20000
