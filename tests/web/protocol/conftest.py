"""Fixtures for the SPARQL protocol and HTTP tests: the app with real workers over the
store tests' small store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.store.conftest import build_test_store
from tipkg.config import Settings
from tipkg.web.app import create_app


@pytest.fixture(scope="session")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The store tests' small store (the report, bodies, States, two tiny graphs)."""
    return build_test_store(tmp_path_factory.mktemp("store") / "oxigraph")


@pytest.fixture(scope="session")
def client(store_path: Path) -> Iterator[TestClient]:
    """The app over the test store, with two real query worker processes."""
    settings = Settings(workers=2, query_timeout=30.0)
    with TestClient(create_app(settings, store_path)) as test_client:
        yield test_client
