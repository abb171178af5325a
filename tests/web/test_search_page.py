"""``GET /search``: the HTML page and the JSON answer, grouped by kind with facets, filters
and pages, every value escaped, and a 503 that says why when there is no index."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html import unescape

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.web.conftest import XSS_LABEL, XSS_MEETING
from tipkg.config import Settings
from tipkg.store.search_live import LiveSearch
from tipkg.web.app import install_error_handlers
from tipkg.web.search_page import create_search_router
from tipkg.web.service import SparqlService

JSON = {"Accept": "application/json"}


def _search(client: TestClient, **params: object) -> dict:
    answer = client.get("/search", params={**params, "format": "json"})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_non_punishment_lists_recommendations_and_paragraphs(app_client: TestClient) -> None:
    found = _search(app_client, q="non-punishment")
    kinds = {g["kind"]: g for g in found["groups"]}
    assert {"recommendation", "paragraph"} <= set(kinds)
    for group in kinds.values():
        assert len(group["hits"]) <= 5 and group["total"] >= len(group["hits"])
    hit = kinds["recommendation"]["hits"][0]
    marked = [hit["snippet"][a:b] for a, b in hit["highlights"]]
    assert marked and all("punishment" in m.lower() or m.lower() == "non" for m in marked)
    assert hit["url"].startswith("http://127.0.0.1:8000/doc/meeting/")
    assert hit["source"]["url"].startswith("http://127.0.0.1:8000/doc/document/")
    assert re.fullmatch(r"Paragraph \d+ of CTOC/COP/WG\.4/\d{4}/\S+", hit["source"]["label"])
    assert hit["meeting"]["label"].endswith(
        "meeting of the Working Group on Trafficking in Persons"
    )


def test_html_groups_hits_marks_words_and_links_sources(app_client: TestClient) -> None:
    page = app_client.get("/search", params={"q": "non-punishment"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    for label in ("Recommendations", "Paragraphs"):
        assert f"<h2>{label} <span" in html
    assert "<mark>non-punishment</mark>" in html.replace(
        "<mark>Non-punishment</mark>", "<mark>non-punishment</mark>"
    )
    assert 'href="/doc/document/CTOC/COP/WG.4/2022/4/para/' in html
    assert 'href="/search?q=non-punishment&amp;kind=recommendation"' in html
    assert '<link rel="stylesheet" href="/static/search.css">' in html


def test_health_says_the_index_is_ready(app_client: TestClient) -> None:
    status = app_client.get("/health").json()["search_index"]
    assert status["state"] == "ready" and status["built"].startswith("20")


def test_accept_json_gives_json(app_client: TestClient) -> None:
    answer = app_client.get("/search", params={"q": "Turkiye"}, headers=JSON)
    assert answer.headers["content-type"] == "application/json"
    groups = {g["kind"]: g for g in answer.json()["groups"]}
    assert groups["state"]["hits"][0]["label"] == "Türkiye"


def test_filters_narrow_and_pages_continue(app_client: TestClient) -> None:
    everything = _search(app_client, q="trafficking")
    year = everything["facets"]["year"][0]
    narrowed = _search(app_client, q="trafficking", year=year["value"])
    assert narrowed["total"] == year["count"]
    assert all(h["year"] == int(year["value"]) for g in narrowed["groups"] for h in g["hits"])
    first = _search(app_client, q="trafficking", kind="paragraph")
    second = _search(app_client, q="trafficking", kind="paragraph", page=2)
    assert [g["kind"] for g in first["groups"]] == ["paragraph"]
    assert len(first["groups"][0]["hits"]) == 20
    assert not {h["iri"] for h in first["groups"][0]["hits"]} & {
        h["iri"] for h in second["groups"][0]["hits"]
    }
    meeting = everything["facets"]["meeting"][0]
    by_meeting = _search(app_client, q="trafficking", meeting=meeting["value"])
    assert by_meeting["total"] == meeting["count"]


def test_values_are_escaped(app_client: TestClient) -> None:
    found = _search(app_client, q="alert")
    assert found["groups"][0]["hits"][0]["iri"] == XSS_MEETING
    html = app_client.get("/search", params={"q": "alert"}).text
    assert XSS_LABEL not in html and unescape(XSS_LABEL) not in html
    assert "&lt;script&gt;" in html
    quoted = app_client.get("/search", params={"q": '"><script>x</script>'}).text
    assert "<script>x" not in quoted


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"q": "-everything"}, "bad_search"),
        ({"q": "a*"}, "bad_search"),
        ({"q": "x", "kind": "planet"}, "bad_kind"),
    ],
)
def test_bad_searches_say_why_in_html_and_json(
    app_client: TestClient, params: dict, code: str
) -> None:
    as_json = app_client.get("/search", params=params, headers=JSON)
    assert as_json.status_code == 400 and as_json.json()["code"] == code
    as_html = app_client.get("/search", params=params)
    assert as_html.status_code == 400 and 'class="search-error"' in as_html.text


def test_the_empty_search_page_explains_the_syntax(app_client: TestClient) -> None:
    page = app_client.get("/search")
    assert page.status_code == 200 and "search:score" in page.text
    assert app_client.get("/search", headers=JSON).status_code == 400


def test_without_an_index_search_answers_503_with_the_reason(
    settings: Settings, store_path
) -> None:  # type: ignore[no-untyped-def]
    async def never(query: str) -> bytes:
        raise AssertionError("not called")

    search = LiveSearch(settings.base_iri, never)  # never followed: no index

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield

    app = FastAPI(lifespan=lifespan)
    service = SparqlService(settings=settings, pool=None)  # type: ignore[arg-type]
    app.include_router(create_search_router(lambda r: service, lambda r: search))
    install_error_handlers(app)
    with TestClient(app) as client:
        for headers in (JSON, {}):
            answer = client.get("/search", params={"q": "x"}, headers=headers)
            assert answer.status_code == 503 and answer.headers["retry-after"]
            assert "not open yet" in answer.text
