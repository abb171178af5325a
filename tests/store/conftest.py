"""Fixtures for the store tests: a small real on-disk store (merged default graph, as
``tipkg build`` writes) and a way to tell a process is gone."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from tipkg.store.layout import merge_default_graph

ROOT = Path(__file__).resolve().parents[2]


def alive(pid: int) -> bool:
    """Whether a process with this id exists (a killed worker must not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


REPORT_GRAPH = "https://w3id.org/tipkg/graph/document/CTOC/COP/WG.4/2022/4"
REFERENCE_GRAPH = "https://w3id.org/tipkg/graph/reference"
TEST_GRAPH_A = "http://example.org/graph/a"
TEST_GRAPH_B = "http://example.org/graph/b"

TEST_TRIPLES = {
    TEST_GRAPH_A: '<http://example.org/s> <http://example.org/p> "in graph a" .\n',
    TEST_GRAPH_B: '<http://example.org/s> <http://example.org/p> "in graph b" .\n',
}


def build_test_store(path: Path) -> Path:
    """A small store: the 2022 report, bodies and states, and two tiny graphs a and b."""
    store = ox.Store(str(path))
    store.load(
        path=str(ROOT / "data" / "wg4-2022-report.ttl"),
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode(REPORT_GRAPH),
    )
    for name in ("bodies.ttl", "states.ttl"):
        store.load(
            path=str(ROOT / "data" / "reference" / name),
            format=ox.RdfFormat.TURTLE,
            to_graph=ox.NamedNode(REFERENCE_GRAPH),
        )
    for graph, data in TEST_TRIPLES.items():
        store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))
    merge_default_graph(store)  # as tipkg build does: the default graph is the merge
    store.flush()
    del store
    info = {"hash": "test-build-hash", "default_graph": "merged"}
    (path / "build.json").write_text(json.dumps(info), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_test_store(tmp_path_factory.mktemp("store") / "oxigraph")
