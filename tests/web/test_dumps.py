"""/dump.ttl and /dump.nq: the whole dataset, with ETag by build hash."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Graph

from .conftest import BUILD_HASH


def test_turtle_dump_holds_the_union_graph(client, store):
    response = client.get("/dump.ttl")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert response.headers["etag"] == f'"{BUILD_HASH}-ttl"'
    assert (
        response.headers["content-disposition"] == 'attachment; filename="tipkg-0123456789ab.ttl"'
    )
    graph = Graph().parse(data=response.text, format="turtle")
    distinct = int(
        next(
            iter(
                store.query(
                    "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } }"
                )
            )
        )[0].value
    )
    assert len(graph) == distinct


def test_nquads_dump_holds_every_quad(client, store):
    response = client.get("/dump.nq")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/n-quads")
    assert response.headers["etag"] == f'"{BUILD_HASH}-nq"'
    assert "tipkg-0123456789ab.nq" in response.headers["content-disposition"]
    quads = list(ox.parse(response.content, format=ox.RdfFormat.N_QUADS))
    assert len(quads) == len(store)
    assert set(quads) == set(store)
    assert {q.graph_name for q in quads} == {*store.named_graphs(), ox.DefaultGraph()}


def test_if_none_match_gives_304(client):
    response = client.get("/dump.ttl", headers={"If-None-Match": f'"{BUILD_HASH}-ttl"'})
    assert response.status_code == 304
    assert response.content == b""
    assert client.get("/dump.ttl", headers={"If-None-Match": '"other"'}).status_code == 200
