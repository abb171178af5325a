"""The fast lane answers exactly as the full stack does: same bodies, the same headers
(CORS, Vary, ETag, Cache-Control), the same errors, one shared cache. Each request is sent
twice: to the app (the lane first) and to ``app.full_stack`` (FastAPI without the lane)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from tipkg.config import Settings
from tipkg.web.app import create_app

QUERIES = [
    "SELECT ?s WHERE { ?s a <https://w3id.org/tipkg/def#Recommendation> } ORDER BY ?s LIMIT 3",
    "ASK { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <http://example.org/graph/a> { ?s ?p ?o } }",
]
ACCEPTS = ["application/sparql-results+json", "text/csv", "text/turtle", "*/*", ""]
HEADERS_COMPARED = (
    "etag",
    "content-type",
    "vary",
    "cache-control",
    "access-control-allow-origin",
)


SENDS = ["get", "form", "direct"]


@pytest.fixture(scope="module")
def uncached(store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app over a copy of the test store without a build hash: nothing is cached, so
    the lane and the full stack each evaluate every request."""
    copy = tmp_path_factory.mktemp("uncached") / "store"
    shutil.copytree(store_path, copy, ignore=shutil.ignore_patterns("build.json"))
    with TestClient(create_app(Settings(workers=1), copy)) as client:
        yield client


@pytest.fixture(params=["cached", "uncached"])
def either(request: pytest.FixtureRequest, client: TestClient) -> TestClient:
    return client if request.param == "cached" else request.getfixturevalue("uncached")


def _send(client: TestClient, how: str, query: str, headers: dict[str, str]) -> Response:
    if how == "get":
        return client.get("/sparql", params={"query": query}, headers=headers)
    if how == "form":
        return client.post("/sparql", data={"query": query}, headers=headers)
    direct = {**headers, "Content-Type": "application/sparql-query"}
    return client.post("/sparql", content=query.encode(), headers=direct)


def _pair(client: TestClient, how: str, query: str, headers: dict[str, str]) -> tuple:
    """The same request through the lane and through the full stack alone."""
    full = TestClient(client.app.full_stack)  # type: ignore[attr-defined]
    return _send(client, how, query, headers), _send(full, how, query, headers)


@pytest.mark.parametrize("how", SENDS)
@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize("origin", [None, "https://example.net"])
def test_the_lane_answers_as_the_full_stack(
    either: TestClient, how: str, query: str, accept: str, origin: str | None
) -> None:
    headers = {"Accept": accept} if accept else {}
    if origin:
        headers["Origin"] = origin
    get, post = _pair(either, how, query, headers)
    assert get.status_code == post.status_code
    assert get.content == post.content
    for name in HEADERS_COMPARED:
        assert get.headers.get(name) == post.headers.get(name), name


@pytest.mark.parametrize(
    ("query", "accept", "status"),
    [
        ("SELECT {", "application/sparql-results+json", 400),
        ("ASK {}", "image/png", 406),
        ("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }", "*/*", 400),
        ("INSERT DATA { <http://a> <http://b> <http://c> }", "*/*", 400),
        ("", "*/*", 400),
    ],
)
@pytest.mark.parametrize("how", SENDS)
def test_errors_are_those_of_the_full_stack(
    client: TestClient, how: str, query: str, accept: str, status: int
) -> None:
    headers = {"Accept": accept, "Origin": "https://example.net"}
    get, post = _pair(client, how, query, headers)
    assert get.status_code == post.status_code == status
    assert get.json()["code"] == post.json()["code"]
    assert get.headers["access-control-allow-origin"] == "*"
    assert get.headers["vary"] == post.headers["vary"]
    assert "etag" not in get.headers


def test_requests_the_lane_leaves_to_the_full_stack_still_work(client: TestClient) -> None:
    description = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert description.status_code == 200 and "sd:Service" in description.text
    scoped = client.get(
        "/sparql",
        params={
            "query": "SELECT ?o WHERE { ?s ?p ?o }",
            "default-graph-uri": "http://example.org/graph/b",
        },
        headers={"Accept": "text/csv"},
    )
    assert scoped.text.splitlines() == ["o", "in graph b"]
    update = client.get("/sparql", params={"update": "CLEAR ALL"})
    assert update.status_code == 400 and "POST" in update.json()["detail"]
    posted_update = client.post("/sparql", data={"update": "CLEAR ALL"})
    assert posted_update.status_code == 403
    wrong_type = client.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert wrong_type.status_code == 415


def test_a_body_over_the_limit_is_refused_by_the_lane_as_by_the_full_stack(
    store_path: Path,
) -> None:
    settings = Settings(workers=1, max_request_bytes=100)
    with TestClient(create_app(settings, store_path)) as own:
        query = "ASK { ?s ?p ?o } #" + "x" * 200
        for how in ("form", "direct"):
            response = _send(own, how, query, {})
            assert response.status_code == 413 and response.json()["code"] == "request_too_large"
        assert _send(own, "form", "ASK { ?s ?p ?o }", {}).status_code == 200


def test_the_lane_and_the_full_stack_share_one_cache(store_path: Path) -> None:
    query = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 2"
    with TestClient(create_app(Settings(workers=1), store_path)) as own:
        first = own.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
        assert first.status_code == 200 and first.headers["etag"]
        own.portal.call(own.app.state.sparql.pool.close)  # type: ignore[union-attr]  # no worker is left
        again = own.get(
            "/sparql", params={"query": query}, headers={"Accept": "text/csv", "Origin": "x"}
        )
        assert again.status_code == 200 and again.content == first.content
        assert again.headers["etag"] == first.headers["etag"]
        assert again.headers["access-control-allow-origin"] == "*"
        assert again.headers["vary"] == "Accept, Origin"
        not_modified = own.get(
            "/sparql",
            params={"query": query},
            headers={"Accept": "text/csv", "If-None-Match": first.headers["etag"]},
        )
        assert not_modified.status_code == 304 and not_modified.content == b""
        # the service description, cached by the full stack, comes back from the cache
        # (which the lane consults first) with the same ETag and body and CORS added once
        description = own.get("/sparql", headers={"Accept": "text/turtle"})
        assert description.status_code == 200 and description.headers["etag"]
        cached = own.get("/sparql", headers={"Accept": "text/turtle", "Origin": "x"})
        assert cached.content == description.content
        assert cached.headers["etag"] == description.headers["etag"]
        assert cached.headers["vary"] == "Accept, Origin"
        assert cached.headers["access-control-allow-origin"] == "*"
        busy = own.get("/sparql", params={"query": query + " OFFSET 1"})
        assert busy.status_code == 503 and busy.json()["code"] == "busy"
