"""/.well-known/void: VoID and DCAT with counts computed by SPARQL."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import RDF, Graph, Literal, Namespace, URIRef

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCT = Namespace("http://purl.org/dc/terms/")
DATASET = URIRef("http://127.0.0.1:8000/.well-known/void#tipkg")


def count(store: ox.Store, query: str) -> int:
    return int(next(iter(store.query(query)))[0].value)


def void_graph(client, accept: str = "text/turtle") -> Graph:
    response = client.get("/.well-known/void", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["vary"] == "Accept"
    fmt = "json-ld" if "json" in accept else "turtle"
    return Graph().parse(data=response.text, format=fmt)


def test_turtle_by_default(client):
    response = client.get("/.well-known/void")
    assert response.headers["content-type"].startswith("text/turtle")


def test_dataset_description(client):
    g = void_graph(client)
    assert (DATASET, RDF.type, VOID.Dataset) in g
    assert (DATASET, RDF.type, DCAT.Dataset) in g
    assert g.value(DATASET, DCT.title) is not None
    assert g.value(DATASET, DCT.description) is not None
    assert (DATASET, DCT.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in g
    assert (DATASET, VOID.sparqlEndpoint, URIRef("http://127.0.0.1:8000/sparql")) in g
    assert (DATASET, VOID.uriSpace, Literal("https://w3id.org/tipkg/id/")) in g
    assert (DATASET, VOID.vocabulary, URIRef("https://w3id.org/tipkg/def")) in g
    # links use the configured public address, never the request's Host
    assert (DATASET, VOID.dataDump, URIRef("http://127.0.0.1:8000/dump.ttl")) in g
    assert (DATASET, VOID.dataDump, URIRef("http://127.0.0.1:8000/dump.nq")) in g
    media = {str(g.value(d, DCT["format"])) for d in g.objects(DATASET, DCAT.distribution)}
    assert media == {"text/turtle", "application/n-quads"}
    examples = set(g.objects(DATASET, VOID.exampleResource))
    assert URIRef("https://w3id.org/tipkg/id/meeting/wg-tip/12") in examples


def test_counts_equal_sparql_counts(client, store):
    g = void_graph(client)
    triples = count(
        store, "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } }"
    )
    assert g.value(DATASET, VOID.triples).toPython() == triples
    entities = count(
        store,
        'SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), "https://w3id.org/tipkg/id/")) }',
    )
    assert g.value(DATASET, VOID.entities).toPython() == entities
    classes = {
        g.value(p, VOID["class"]): g.value(p, VOID.entities).toPython()
        for p in g.objects(DATASET, VOID.classPartition)
    }
    meeting = URIRef("https://w3id.org/tipkg/def#Meeting")
    assert classes[meeting] == count(
        store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) {{ ?s a <{meeting}> }}"
    )
    properties = {
        g.value(p, VOID.property): g.value(p, VOID.triples).toPython()
        for p in g.objects(DATASET, VOID.propertyPartition)
    }
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    assert properties[label] == count(
        store, f"SELECT (COUNT(*) AS ?n) {{ SELECT DISTINCT ?s ?o {{ ?s <{label}> ?o }} }}"
    )
    subsets = {
        str(g.value(s, DCT.source)): g.value(s, VOID.triples).toPython()
        for s in g.objects(DATASET, VOID.subset)
    }
    assert len(subsets) == len(list(store.named_graphs()))
    assert sum(subsets.values()) == count(
        store, "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
    )
    report = "https://w3id.org/tipkg/graph/document/CTOC/COP/WG.4/2022/4"
    assert subsets[report] == count(
        store, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{report}> {{ ?s ?p ?o }} }}"
    )


def test_json_ld(client):
    g = void_graph(client, "application/ld+json")
    assert (DATASET, RDF.type, VOID.Dataset) in g
    assert g.value(DATASET, VOID.triples) is not None


def test_not_acceptable(client):
    assert client.get("/.well-known/void", headers={"Accept": "image/png"}).status_code == 406
