"""ETags from the build hash and the request, 304 on If-None-Match, Cache-Control, and the
in-process cache answering repeated queries without a worker."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tipkg.config import Settings
from tipkg.web.app import create_app

QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def test_responses_carry_an_etag_and_cache_control(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": QUERY})
    assert response.status_code == 200
    assert response.headers["etag"].startswith('"') and len(response.headers["etag"]) == 34
    assert response.headers["cache-control"] == "public, max-age=300"
    page = client.get("/doc/state/ESP", headers={"Accept": "text/turtle"})
    assert page.headers["etag"] != response.headers["etag"]


def test_if_none_match_answers_304_without_a_body(client: TestClient) -> None:
    etag = client.get("/sparql", params={"query": QUERY}).headers["etag"]
    again = client.get("/sparql", params={"query": QUERY}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = client.get("/sparql", params={"query": QUERY}, headers={"If-None-Match": '"stale"'})
    assert other.status_code == 200


def test_the_etag_depends_on_the_negotiated_representation(client: TestClient) -> None:
    as_json = client.get(
        "/sparql", params={"query": QUERY}, headers={"Accept": "application/sparql-results+json"}
    )
    as_csv = client.get("/sparql", params={"query": QUERY}, headers={"Accept": "text/csv"})
    assert as_json.headers["etag"] != as_csv.headers["etag"]
    assert as_csv.text.splitlines()[0] == "n"


def test_a_repeated_query_is_answered_from_the_cache_even_with_no_worker(store_path: Path) -> None:
    query = (
        "SELECT ?s WHERE { ?s a <https://w3id.org/tipkg/def#Recommendation> } ORDER BY ?s LIMIT 3"
    )
    with TestClient(create_app(Settings(workers=1), store_path)) as own:
        first = own.post("/sparql", data={"query": query}, headers={"Accept": "text/csv"})
        own.portal.call(own.app.state.sparql.pool.close)  # type: ignore[union-attr]  # no worker is left
        second = own.post("/sparql", data={"query": query}, headers={"Accept": "text/csv"})
        assert second.status_code == 200 and second.content == first.content
        assert second.headers["etag"] == first.headers["etag"]
        uncached = own.post(
            "/sparql", data={"query": query + " OFFSET 1"}, headers={"Accept": "text/csv"}
        )
        assert uncached.status_code == 503


def test_errors_are_not_cached(client: TestClient) -> None:
    bad = client.get("/sparql", params={"query": "SELEC"})
    assert bad.status_code == 400 and "etag" not in bad.headers


def test_a_cached_post_does_not_excuse_a_wrong_media_type(client: TestClient) -> None:
    body = "ASK { ?s ?p ?o }"
    good = client.post(
        "/sparql", content=body, headers={"Content-Type": "application/sparql-query"}
    )
    assert good.status_code == 200
    wrong = client.post("/sparql", content=body, headers={"Content-Type": "text/plain"})
    assert wrong.status_code == 415
