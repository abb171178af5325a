"""Named graphs: provenance by source document is queryable in SPARQL (real Oxigraph store)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from tests.conftest import BUILT_GRAPHS, SOURCE_DOCUMENTS
from tipkg.build.dataset import named_graphs


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    for named in named_graphs():
        data = named.load().serialize(format="nt", encoding="utf-8")
        store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(named.iri)))
    return store


def test_one_named_graph_per_source_document_plus_ontology_and_reference() -> None:
    iris = [str(g.iri).removeprefix("https://w3id.org/tipkg/graph/") for g in named_graphs()]
    assert iris[:2] == ["ontology", "reference"]
    assert sorted(iris[2:]) == sorted(g for g in BUILT_GRAPHS if g.startswith("document/"))
    for symbol in SOURCE_DOCUMENTS.values():
        assert f"document/{symbol}" in iris


def test_a_statement_traces_to_its_document_graph_and_paragraph(store: ox.Store) -> None:
    rows = list(
        store.query("""
        PREFIX tipkg: <https://w3id.org/tipkg/def#>
        SELECT ?g ?n WHERE { GRAPH ?g {
          ?s tipkg:speaker <https://w3id.org/tipkg/id/state/AZE> ;
             tipkg:underItem <https://w3id.org/tipkg/id/meeting/wg-tip/12/item/4> ;
             tipkg:source ?p . ?p tipkg:paragraphNumber ?n } }""")
    )
    assert [(r["g"].value, r["n"].value) for r in rows] == [
        ("https://w3id.org/tipkg/graph/document/CTOC/COP/WG.4/2022/4", "37")
    ]


def test_the_same_meeting_is_described_by_its_agenda_and_its_report(store: ox.Store) -> None:
    rows = list(
        store.query("""
        PREFIX tipkg: <https://w3id.org/tipkg/def#>
        SELECT DISTINCT ?g WHERE { GRAPH ?g { <https://w3id.org/tipkg/id/meeting/wg-tip/12> tipkg:startDate ?d } }
        ORDER BY ?g""")
    )
    assert [r["g"].value.rsplit("/", 2)[-2:] for r in rows] == [["2022", "1"], ["2022", "4"]]
