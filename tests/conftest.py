"""Shared fixtures: the project's ontology and reference data, parsed once per session."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from rdflib import Graph

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_FILES = sorted((ROOT / "data" / "reference").glob("*.ttl"))
#: The five source documents of data/sources/ and the named graphs of their extraction.
#: Tests that read facts off these texts name them here; a document added to data/ adds
#: its own graph and breaks none of them.
SOURCE_DOCUMENTS = {
    "wg4-2017-draft-report": "CTOC/COP/WG.4/2017/L.1",
    "wg4-2018-annotated-provisional-agenda": "CTOC/COP/WG.4/2018/1",
    "wg4-2021-annotated-provisional-agenda": "CTOC/COP/WG.4/2021/1",
    "wg4-2022-annotated-provisional-agenda": "CTOC/COP/WG.4/2022/1",
    "wg4-2022-report": "CTOC/COP/WG.4/2022/4",
}


def _document_graphs() -> list[str]:
    """One graph per extracted document of data/, named by its symbol in the manifest."""
    manifest = tomllib.loads((ROOT / "data" / "sources" / "manifest.toml").read_text("utf-8"))
    return [f"document/{manifest[p.stem]['symbol']}" for p in sorted((ROOT / "data").glob("*.ttl"))]


#: The named graphs a build of the project's data holds, after ``graph/``, in IRI order
#: (``labels``: the names made for resources without a label; ``links``: to the UN
#: Digital Library).
BUILT_GRAPHS = sorted([*_document_graphs(), "inferred", "labels", "links", "ontology", "reference"])


@pytest.fixture(scope="session")
def project_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's data built by ``tipkg build``: the store the server serves (named
    graphs, OWL-RL inferences, and the default graph as their merge)."""
    from tipkg.build.pipeline import build_store
    from tipkg.config import Settings

    settings = Settings(root=ROOT, store=tmp_path_factory.mktemp("project-store"))
    return build_store(settings).path


@pytest.fixture(scope="session")
def sources_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``tipkg build`` of a project holding only the five source documents (with the
    ontology, shapes and reference data): what the competency queries' answers were read
    off, whatever else data/ holds."""
    import shutil

    from tipkg.build.pipeline import build_store
    from tipkg.config import Settings

    root = tmp_path_factory.mktemp("sources-project")
    for name in ("ontology", "shapes", "data/reference", "data/sources"):
        shutil.copytree(ROOT / name, root / name)
    for stem in SOURCE_DOCUMENTS:
        shutil.copy(ROOT / "data" / f"{stem}.ttl", root / "data" / f"{stem}.ttl")
    settings = Settings(root=root, store=root / "var" / "store")
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
