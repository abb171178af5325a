"""Fixtures for the web pages: the store the server serves (a real build of the project's
data) plus a test graph, with its search index, a real query pool over it, and apps with
the home, vocabulary, VoID, dump and linked-data routers, or all of them (``app_client``)."""

from __future__ import annotations

import json
import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from tipkg.config import Settings
from tipkg.store.files import build_store_from_files
from tipkg.store.layout import DUMP_FILE
from tipkg.store.pool import PoolLimits, QueryPool
from tipkg.web.app import create_app, install_error_handlers
from tipkg.web.dumps import create_dumps_router
from tipkg.web.home import STATIC_DIR, create_home_router, mount_static
from tipkg.web.linked_data import create_linked_data_router
from tipkg.web.service import SparqlService
from tipkg.web.sparql_protocol import create_sparql_router
from tipkg.web.vocabulary_pages import create_vocabulary_router
from tipkg.web.void import create_void_router

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


def build_web_store(path: Path, project_build: Path) -> Path:
    """The store the server serves (``tipkg build`` of the project's data: named graphs,
    inferences, the default graph as their merge) plus a small test graph."""
    extra = path.parent / "test-graph.nq"
    graph = ox.NamedNode(TEST_GRAPH)
    quads = [
        ox.Quad(t.subject, t.predicate, t.object, graph)
        for t in ox.parse(TEST_TRIPLES, format=ox.RdfFormat.TURTLE)
    ]
    extra.write_bytes(ox.serialize(quads, format=ox.RdfFormat.N_QUADS))
    build_store_from_files([project_build / DUMP_FILE, extra], path, merge=True)
    info = {"hash": BUILD_HASH, "default_graph": "merged"}
    (path / "build.json").write_text(json.dumps(info), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        root=ROOT, store=tmp_path_factory.mktemp("web-store"), workers=2, query_timeout=30.0
    )


@pytest.fixture(scope="session")
def store_path(settings: Settings, project_build: Path) -> Path:
    return build_web_store(settings.store_dir / "oxigraph", project_build)


@pytest.fixture(scope="session")
def store(store_path: Path) -> ox.Store:
    """The test store opened read-only in this process, to compare counts with."""
    return ox.Store.read_only(str(store_path))


def make_app(settings: Settings, store_path: Path, static_dir: Path, assets_dir: Path) -> FastAPI:
    """An app with the web routers wired as app.py wires them, over a real query pool
    (two worker processes) started and stopped with the app."""
    service = SparqlService(settings=settings, pool=QueryPool(store_path, PoolLimits(size=2)))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await service.pool.start()
        try:
            yield
        finally:
            await service.pool.close()

    def get_service(request: Request) -> SparqlService:
        return request.app.state.sparql

    app = FastAPI(lifespan=lifespan)
    app.state.sparql = service
    app.include_router(create_sparql_router(get_service))
    app.include_router(create_home_router(get_service, assets_dir=assets_dir))
    app.include_router(create_vocabulary_router(get_service))
    app.include_router(create_void_router(get_service))
    app.include_router(create_dumps_router(get_service))
    app.include_router(create_linked_data_router(get_service))
    install_error_handlers(app)
    mount_static(app, static_dir)
    return app


@pytest.fixture(scope="session")
def client(
    settings: Settings, store_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """The app without the YASGUI assets: the home page has the plain form."""
    static = tmp_path_factory.mktemp("static-empty")
    with TestClient(make_app(settings, store_path, static, static / "yasgui")) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def yasgui_client(
    settings: Settings, store_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """The app with (stand-in) YASGUI assets installed."""
    static = tmp_path_factory.mktemp("static")
    for name in ("query-page.js", "tipkg.css"):
        shutil.copy(STATIC_DIR / name, static / name)
    (static / "yasgui").mkdir()
    (static / "yasgui" / "yasgui.min.js").write_text("window.Yasgui = function () {};\n")
    (static / "yasgui" / "yasgui.min.css").write_text(".yasgui{}\n")
    (static / "install_assets.py").write_text("print('not served')\n")
    with TestClient(make_app(settings, store_path, static, static / "yasgui")) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def app_client(settings: Settings, store_path: Path) -> Iterator[TestClient]:
    """The whole app (``create_app``: every router, CORS and the other middleware) over the
    test store and the search index beside it."""
    with TestClient(create_app(settings, store_path)) as test_client:
        yield test_client
