"""``/sitemap.xml`` lists every ``/doc/`` page with the build's time; past 50,000 pages it is
an index of parts; ``/robots.txt`` points to it and keeps crawlers off the query routes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import unquote

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from tipkg.web import sitemap

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE = "https://w3id.org/tipkg/"
PUBLIC = "http://127.0.0.1:8000/"


def _locs(xml: str, tag: str) -> list[str]:
    return [e.text or "" for e in ET.fromstring(xml).findall(f"s:{tag}/s:loc", NS)]


def test_the_sitemap_lists_every_page(app_client: TestClient, store: ox.Store) -> None:
    answer = app_client.get("/sitemap.xml")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith(
        "application/xml"
    )
    pages = {unquote(u) for u in _locs(answer.text, "url")}
    resources = {
        r[0].value
        for r in store.query(
            f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{BASE}id/")) }}'
        )
    }
    assert pages == {PUBLIC, f"{PUBLIC}def"} | {
        f"{PUBLIC}doc/{iri.removeprefix(BASE + 'id/')}" for iri in resources
    }
    lastmods = {e.text for e in ET.fromstring(answer.text).findall("s:url/s:lastmod", NS)}
    assert len(lastmods) == 1 and lastmods.pop().startswith("20")


def test_a_large_sitemap_is_split_into_parts(
    app_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = set(_locs(app_client.get("/sitemap.xml").text, "url"))
    monkeypatch.setattr(sitemap, "PER_SITEMAP", 200)
    # another request than the one the HTTP cache holds (the answer of this build)
    index = app_client.get("/sitemap.xml", params={"split": "200"}).text
    parts = _locs(index, "sitemap")
    assert len(parts) == -(-(len(whole) - 2) // 200)
    seen: set[str] = set()
    for part in parts:
        seen |= set(_locs(app_client.get(part.removeprefix(PUBLIC.rstrip("/"))).text, "url"))
    assert seen == whole
    assert app_client.get(f"/sitemap-{len(parts) + 1}.xml").status_code == 404


def test_robots_points_to_the_sitemap(app_client: TestClient) -> None:
    robots = app_client.get("/robots.txt").text
    assert f"Sitemap: {PUBLIC}sitemap.xml" in robots
    for path in ("/sparql", "/search", "/reconcile", "/lookup"):
        assert f"Disallow: {path}\n" in robots
