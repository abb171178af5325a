"""Shared fixtures: the project's ontology and reference data, parsed once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_FILES = sorted((ROOT / "data" / "reference").glob("*.ttl"))
#: The named graphs a build of the project's data holds, after ``graph/``, in IRI order.
BUILT_GRAPHS = [
    "document/CTOC/COP/WG.4/2017/L.1",
    "document/CTOC/COP/WG.4/2018/1",
    "document/CTOC/COP/WG.4/2021/1",
    "document/CTOC/COP/WG.4/2022/1",
    "document/CTOC/COP/WG.4/2022/4",
    "inferred",
    "ontology",
    "reference",
]


@pytest.fixture(scope="session")
def project_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's data built by ``tipkg build``: the store the server serves (named
    graphs, OWL-RL inferences, and the default graph as their merge)."""
    from tipkg.build import build_store
    from tipkg.config import Settings

    settings = Settings(root=ROOT, store=tmp_path_factory.mktemp("project-store"))
    return build_store(settings).path


@pytest.fixture(autouse=True)
def _clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the developer's TIPKG_* settings out of the tests."""
    import os

    for name in list(os.environ):
        if name.startswith("TIPKG_"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "tipkg.ttl")


@pytest.fixture(scope="session")
def reference() -> Graph:
    graph = Graph()
    for path in REFERENCE_FILES:
        graph.parse(path)
    return graph
