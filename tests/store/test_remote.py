"""The remote-store path against a real ``oxigraph serve`` started on 127.0.0.1: ``tipkg
build --endpoint`` loads it (the whole dataset as N-Quads to /store), and the app answers
from it. tests/test_remote_engines.py compares the answers on two engines."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.conftest import BUILT_GRAPHS, ROOT
from tests.store.remote_servers import running_oxigraph
from tipkg.build.pipeline import build_store
from tipkg.cli import main
from tipkg.config import Settings
from tipkg.store.remote_load import LoadTarget, RemoteStoreError
from tipkg.store.search import SearchIndex
from tipkg.store.search_index import INDEX_FILE
from tipkg.web.app import create_app


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph")) as server:
        yield server.base


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


def test_the_remote_store_is_indexed_for_search_at_startup(
    loaded: str, project_build: Path
) -> None:
    """No index file beside a remote store: the app indexes it through the query pool, and
    then searches and reconciles as over the embedded build."""
    built = SearchIndex(project_build / INDEX_FILE)
    app = create_app(Settings(root=ROOT), endpoint=f"{loaded}/query")
    with TestClient(app) as client:
        deadline = time.monotonic() + 120
        while (
            answer := client.get("/search", params={"q": "non-punishment", "format": "json"})
        ).status_code == 503:
            assert "being built" in answer.json()["detail"]
            assert time.monotonic() < deadline, "the remote store was never indexed"
            time.sleep(0.2)
        assert answer.status_code == 200
        assert answer.json()["total"] == built.search("non-punishment").total > 0
        batch = '{"q": {"query": "TURKIYE", "type": "State"}}'
        result = client.post("/reconcile", data={"queries": batch}).json()["q"]["result"]
        assert result[0]["id"] == "state/TUR" and result[0]["match"]
        moved = client.get("/id/document/ctoc/cop/wg.4/2022/4", follow_redirects=False)
        assert moved.headers["location"] == "/id/document/CTOC/COP/WG.4/2022/4"


def test_a_refused_load_names_the_store_and_its_answer(tmp_path: Path) -> None:
    with running_oxigraph(tmp_path, read_only=True) as server:
        target = LoadTarget(f"{server.base}/update", protocol="update")
        with pytest.raises(RemoteStoreError) as refused:
            build_store(Settings(root=ROOT), endpoint=target)
    message = str(refused.value)
    assert f"{server.base}/update refused request 1 (403)" in message
    assert "read-only" in message


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["--update"], "--update and --batch go with --endpoint URL"),
        (["--endpoint", "http://127.0.0.1:9/store", "--batch", "10"], "goes with --update"),
        (["--endpoint", "http://127.0.0.1:9/update", "--update", "--batch", "0"], "positive N"),
    ],
    ids=["update-without-endpoint", "batch-without-update", "batch-zero"],
)
def test_build_options_that_do_not_go_together(
    arguments: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", *arguments]) == 2
    assert said in capsys.readouterr().err


def test_a_failed_put_to_store_keeps_the_oxigraph_servers_dataset(tmp_path: Path) -> None:
    """What the README says of ``PUT /store`` on the Oxigraph server 0.5: a dataset that
    fails to parse half-way replaces nothing."""
    with running_oxigraph(tmp_path) as server:
        old = b"<urn:old> <urn:p> <urn:o> <urn:g> .\n"
        assert httpx.put(f"{server.base}/store", content=old, headers=NQUADS).status_code < 300
        new = b"<urn:new> <urn:p> <urn:o> <urn:g> .\n<urn:new> <urn:p> not N-Quads .\n"
        assert httpx.put(f"{server.base}/store", content=new, headers=NQUADS).status_code == 400
        held = httpx.post(
            f"{server.base}/query",
            data={"query": "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }"},
            headers={"Accept": "text/csv"},
        )
        assert held.text.split() == ["s", "urn:old"]


NQUADS = {"Content-Type": "application/n-quads"}
