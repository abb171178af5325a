"""Fixtures for the web pages: a real on-disk store of the project's data (no reasoning),
a real query pool over it, and apps with the home, vocabulary, VoID, dump and linked-data
routers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from tipkg.config import Settings
from tipkg.dataset import named_graphs
from tipkg.dumps import create_dumps_router
from tipkg.home import create_home_router, mount_static
from tipkg.linked_data import create_linked_data_router
from tipkg.query_pool import QueryPool
from tipkg.sparql import SparqlService, create_sparql_router
from tipkg.vocabulary_pages import create_vocabulary_router
from tipkg.void import create_void_router

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/tipkg/"
BUILD_HASH = "0123456789abcdef-web-test"
TEST_GRAPH = f"{BASE}graph/test"
XSS_LABEL = "<script>alert('x')</script> meeting"
XSS_MEETING = f"{BASE}id/meeting/test/1"
TEST_TRIPLES = f"""
<{XSS_MEETING}> a <https://w3id.org/tipkg/def#Meeting> ;
  <http://www.w3.org/2000/01/rdf-schema#label> "{XSS_LABEL}"@en ;
  <https://w3id.org/tipkg/def#startDate> "1999-01-01"^^<http://www.w3.org/2001/XMLSchema#date> .
"""


def build_web_store(path: Path, settings: Settings) -> Path:
    """Load ontology/, data/reference/ and data/*.ttl into their named graphs (as
    ``tipkg build`` does, without the OWL-RL closure) plus a small test graph."""
    store = ox.Store(str(path))
    for graph in named_graphs(settings):
        for file in graph.paths:
            store.bulk_load(
                path=str(file), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(str(graph.iri))
            )
    store.bulk_load(TEST_TRIPLES, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(TEST_GRAPH))
    store.flush()
    del store
    (path / "build.json").write_text(json.dumps({"hash": BUILD_HASH}), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        root=ROOT, store=tmp_path_factory.mktemp("web-store"), workers=2, query_timeout=30.0
    )


@pytest.fixture(scope="session")
def service(settings: Settings) -> Iterator[SparqlService]:
    """A real query pool (two worker processes) over the test store."""
    store_path = build_web_store(settings.store_dir / "oxigraph", settings)
    pool = QueryPool(store_path, size=2)
    pool.start()
    try:
        yield SparqlService(settings=settings, pool=pool)
    finally:
        pool.close()


@pytest.fixture(scope="session")
def store(service: SparqlService) -> ox.Store:
    """The test store opened read-only in this process, to compare counts with."""
    return ox.Store.read_only(service.pool.store_path)


def make_app(service: SparqlService, static_dir: Path, assets_dir: Path) -> FastAPI:
    """An app with the web routers wired as app.py should wire them."""

    def get_service(request: Request) -> SparqlService:
        return request.app.state.sparql

    app = FastAPI()
    app.state.sparql = service
    app.include_router(create_sparql_router(get_service))
    app.include_router(create_home_router(get_service, assets_dir=assets_dir))
    app.include_router(create_vocabulary_router(get_service))
    app.include_router(create_void_router(get_service))
    app.include_router(create_dumps_router(get_service))
    app.include_router(create_linked_data_router(get_service))
    mount_static(app, static_dir)
    return app


@pytest.fixture(scope="session")
def client(
    service: SparqlService, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """The app without the YASGUI assets: the home page has the plain form."""
    static = tmp_path_factory.mktemp("static-empty")
    with TestClient(make_app(service, static, static / "yasgui")) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def yasgui_client(
    service: SparqlService, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """The app with (stand-in) YASGUI assets installed."""
    static = tmp_path_factory.mktemp("static")
    (static / "yasgui").mkdir()
    (static / "yasgui" / "yasgui.min.js").write_text("window.Yasgui = function () {};\n")
    (static / "yasgui" / "yasgui.min.css").write_text(".yasgui{}\n")
    (static / "install_assets.py").write_text("print('not served')\n")
    with TestClient(make_app(service, static, static / "yasgui")) as test_client:
        yield test_client
