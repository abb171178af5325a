"""Each build carries its search index, written before the build is switched in, and its
links to the UN Digital Library: a rebuild with changed data changes the index with it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.conftest import ROOT
from tipkg.build.pipeline import build_store, current_store
from tipkg.config import Settings
from tipkg.store.search import SearchIndex
from tipkg.store.search_index import INDEX_FILE
from tipkg.un_symbols import digital_library_search

LINKS = "https://w3id.org/tipkg/graph/links"
FRANCE = "https://w3id.org/tipkg/id/state/FRA"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    for name in ("ontology", "shapes", "data"):
        shutil.copytree(ROOT / name, root / name)
    return root


def _found(index: SearchIndex, text: str) -> set[str]:
    return {h.entity.iri for g in index.search(text).groups for h in g.hits}


def test_a_rebuild_changes_the_index_with_the_store(project: Path) -> None:
    settings = Settings(root=project)
    first = build_store(settings).path
    assert (first / INDEX_FILE).is_file()
    assert "index" in json.loads((first / "build.json").read_text())["seconds"]
    assert _found(SearchIndex(first / INDEX_FILE), '"Marianne republic"') == set()
    with (project / "data" / "reference" / "states.ttl").open("a", encoding="utf-8") as out:
        out.write(
            f'\n<{FRANCE}> <http://www.w3.org/2004/02/skos/core#altLabel> "Marianne Republic"@en .\n'
        )
    second = build_store(settings).path
    assert current_store(settings) == second != first
    assert _found(SearchIndex(second / INDEX_FILE), '"Marianne republic"') == {FRANCE}
    assert _found(SearchIndex(first / INDEX_FILE), '"Marianne republic"') == set()


def test_every_document_links_to_the_digital_library(project: Path) -> None:
    settings = Settings(root=project)
    build_store(settings)
    path = current_store(settings)
    assert path is not None
    store = ox.Store.read_only(str(path))
    rows = list(store.query(
        "SELECT ?d ?s ?link WHERE { ?d <https://w3id.org/tipkg/def#symbol> ?s "
        f"OPTIONAL {{ GRAPH <{LINKS}> {{ ?d <http://www.w3.org/2000/01/rdf-schema#seeAlso> ?link }} }} }}"
    ))  # fmt: skip
    assert len(rows) >= 20
    for document, symbol, link in rows:
        assert link is not None and link.value == digital_library_search(symbol.value), document
    in_default = store.query(
        f"ASK {{ ?d <http://www.w3.org/2000/01/rdf-schema#seeAlso> <{rows[0][2].value}> }}"
    )
    assert bool(in_default)
