"""SPARQL 1.1 Protocol at /sparql: real store, real worker processes, no mocks."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient

from tests.store.canary import Canary
from tests.store.conftest import REFERENCE_GRAPH, REPORT_GRAPH, TEST_GRAPH_A, TEST_GRAPH_B
from tipkg.config import Settings
from tipkg.web.app import create_app, create_app_for_files
from tipkg.web.negotiation import negotiate, parse_accept

SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 5"
ASK = "ASK { ?s ?p ?o }"
CONSTRUCT = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{TEST_GRAPH_A}> {{ ?s ?p ?o }} }}"
DESCRIBE = "DESCRIBE <http://example.org/s>"
SRX = "{http://www.w3.org/2005/sparql-results#}"
FORM = "application/x-www-form-urlencoded"


def values(response, var: str) -> list[str]:
    return [b[var]["value"] for b in response.json()["results"]["bindings"]]


def media(response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


# --------------------------------------------------------------------------- protocol paths


def test_get_query(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": ASK})
    assert r.status_code == 200
    assert media(r) == "application/sparql-results+json"
    assert r.json()["boolean"] is True


def test_post_form_query(client: TestClient) -> None:
    r = client.post("/sparql", data={"query": SELECT})
    assert r.status_code == 200
    assert len(r.json()["results"]["bindings"]) == 5


def test_post_direct_query(client: TestClient) -> None:
    r = client.post(
        "/sparql", content=SELECT.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert r.status_code == 200
    assert r.json()["head"]["vars"] == ["s", "p", "o"]


def test_post_direct_query_with_utf8_charset(client: TestClient) -> None:
    r = client.post(
        "/sparql",
        content=b'ASK { ?s ?p "in graph a" }',
        headers={"Content-Type": "application/sparql-query; charset=UTF-8"},
    )
    assert r.status_code == 200
    assert r.json()["boolean"] is True


def test_default_graph_is_union_of_named_graphs(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "SELECT ?o WHERE { ?s <http://example.org/p> ?o }"})
    assert sorted(values(r, "o")) == ["in graph a", "in graph b"]


def test_named_graphs_are_queryable(client: TestClient) -> None:
    r = client.get(
        "/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"}
    )
    assert {REPORT_GRAPH, REFERENCE_GRAPH, TEST_GRAPH_A, TEST_GRAPH_B} <= set(values(r, "g"))


def test_relative_iris_resolve_against_base_iri(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "SELECT ?x WHERE { BIND(<id/state/ESP> AS ?x) }"})
    assert values(r, "x") == ["https://w3id.org/tipkg/id/state/ESP"]


# --------------------------------------------------------------------------- datasets


def test_default_graph_uri_restricts_default_graph(client: TestClient) -> None:
    q = "SELECT ?o WHERE { ?s <http://example.org/p> ?o }"
    r = client.get("/sparql", params={"query": q, "default-graph-uri": TEST_GRAPH_A})
    assert values(r, "o") == ["in graph a"]


def test_repeated_default_graph_uri_merges(client: TestClient) -> None:
    q = "SELECT ?o WHERE { ?s <http://example.org/p> ?o }"
    r = client.post(
        "/sparql",
        data={"query": q, "default-graph-uri": [TEST_GRAPH_A, TEST_GRAPH_B]},
    )
    assert sorted(values(r, "o")) == ["in graph a", "in graph b"]


def test_named_graph_uri_limits_graph_clause(client: TestClient) -> None:
    q = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = client.get("/sparql", params={"query": q, "named-graph-uri": TEST_GRAPH_B})
    assert values(r, "g") == [TEST_GRAPH_B]


def test_named_graph_uri_alone_leaves_default_graph_empty(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": ASK, "named-graph-uri": TEST_GRAPH_B})
    assert r.json()["boolean"] is False


def test_from_in_query_sets_dataset(client: TestClient) -> None:
    q = f"SELECT ?o FROM <{TEST_GRAPH_B}> WHERE {{ ?s <http://example.org/p> ?o }}"
    r = client.get("/sparql", params={"query": q})
    assert values(r, "o") == ["in graph b"]


def test_protocol_dataset_wins_over_query_dataset(client: TestClient) -> None:
    q = f"SELECT ?o FROM <{TEST_GRAPH_B}> WHERE {{ ?s <http://example.org/p> ?o }}"
    r = client.post(
        f"/sparql?default-graph-uri={TEST_GRAPH_A}",
        content=q.encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert values(r, "o") == ["in graph a"]


def test_from_unknown_graph_is_empty_not_fetched(client: TestClient) -> None:
    q = "SELECT * FROM <http://example.com/remote.ttl> WHERE { ?s ?p ?o }"
    r = client.get("/sparql", params={"query": q})
    assert r.status_code == 200
    assert r.json()["results"]["bindings"] == []


# --------------------------------------------------------------------------- result formats


def test_select_json(client: TestClient) -> None:
    r = client.get(
        "/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+json"}
    )
    assert media(r) == "application/sparql-results+json"
    assert len(json.loads(r.text)["results"]["bindings"]) == 5


def test_select_xml(client: TestClient) -> None:
    r = client.get(
        "/sparql", params={"query": SELECT}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert media(r) == "application/sparql-results+xml"
    root = ET.fromstring(r.content)
    assert len(root.findall(f"{SRX}results/{SRX}result")) == 5


def test_select_csv(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "text/csv"})
    assert media(r) == "text/csv"
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == ["s", "p", "o"]
    assert len(rows) == 6


def test_select_tsv(client: TestClient) -> None:
    r = client.get(
        "/sparql", params={"query": SELECT}, headers={"Accept": "text/tab-separated-values"}
    )
    assert media(r) == "text/tab-separated-values"
    rows = list(csv.reader(io.StringIO(r.text), delimiter="\t"))
    assert rows[0] == ["?s", "?p", "?o"]
    assert len(rows) == 6


@pytest.mark.parametrize(
    "accept", ["application/sparql-results+json", "application/sparql-results+xml"]
)
def test_ask_formats(client: TestClient, accept: str) -> None:
    r = client.get("/sparql", params={"query": ASK}, headers={"Accept": accept})
    assert media(r) == accept
    if accept.endswith("json"):
        assert r.json() == {"head": {}, "boolean": True}
    else:
        assert ET.fromstring(r.content).find(f"{SRX}boolean").text == "true"


RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}


@pytest.mark.parametrize("accept", list(RDF_FORMATS))
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE])
def test_graph_formats_parse(client: TestClient, accept: str, query: str) -> None:
    r = client.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert r.status_code == 200
    assert media(r) == accept
    graph = rdflib.Graph().parse(data=r.content, format=RDF_FORMATS[accept])
    assert (None, rdflib.URIRef("http://example.org/p"), rdflib.Literal("in graph a")) in graph


def test_construct_default_is_turtle(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": CONSTRUCT})
    assert media(r) == "text/turtle"
    assert len(rdflib.Graph().parse(data=r.text, format="turtle")) == 1


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
    ],
)
def test_format_parameter_for_select_overrides_accept(
    client: TestClient, fmt: str, expected: str
) -> None:
    r = client.get(
        "/sparql", params={"query": SELECT, "format": fmt}, headers={"Accept": "text/turtle"}
    )
    assert r.status_code == 200
    assert media(r) == expected


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("ttl", "text/turtle"),
        ("turtle", "text/turtle"),
        ("nt", "application/n-triples"),
        ("rdf", "application/rdf+xml"),
        ("xml", "application/rdf+xml"),
        ("jsonld", "application/ld+json"),
    ],
)
def test_format_parameter_for_construct(client: TestClient, fmt: str, expected: str) -> None:
    r = client.post("/sparql", data={"query": CONSTRUCT, "format": fmt})
    assert r.status_code == 200
    assert media(r) == expected
    rdflib.Graph().parse(data=r.content, format=RDF_FORMATS[expected])


def test_unknown_format_parameter(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": SELECT, "format": "yaml"})
    assert r.status_code == 400
    assert "yaml" in r.json()["detail"]


def test_format_not_applicable_is_406(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": CONSTRUCT, "format": "csv"})
    assert r.status_code == 406


def test_nothing_acceptable_is_406(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "application/sparql-results+json" in r.json()["detail"]
    r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": "text/csv"})
    assert r.status_code == 406


def test_q_values_choose_format(client: TestClient) -> None:
    accept = "application/sparql-results+json;q=0.5, text/csv;q=0.9, */*;q=0.1"
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert media(r) == "text/csv"
    accept = "text/*;q=0.3, application/n-triples;q=0.8, application/rdf+xml;q=0.8"
    r = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert media(r) == "application/n-triples"


def test_browser_accept_gets_results_not_html(client: TestClient) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = client.get("/sparql", params={"query": SELECT}, headers={"Accept": accept})
    assert r.status_code == 200
    assert media(r) in ("application/xml", "application/sparql-results+xml")
    ET.fromstring(r.content)


# --------------------------------------------------------------------------- negotiation unit


def test_parse_accept() -> None:
    ranges = parse_accept(
        "text/*;q=0.3, text/html;level=1;q=0.7, */*; q=0.1, bad, application/json"
    )
    assert [(r.type, r.subtype, r.q) for r in ranges] == [
        ("text", "*", 0.3),
        ("text", "html", 0.7),
        ("*", "*", 0.1),
        ("application", "json", 1.0),
    ]
    assert [(r.type, r.subtype, r.q) for r in parse_accept(None)] == [("*", "*", 1.0)]
    assert [(r.type, r.subtype, r.q) for r in parse_accept("")] == [("*", "*", 1.0)]


@pytest.mark.parametrize(
    ("accept", "offers", "expected"),
    [
        (None, ["a/x", "b/y"], "a/x"),
        ("*/*", ["a/x", "b/y"], "a/x"),
        ("b/y, a/x", ["a/x", "b/y"], "b/y"),  # equal q: the client's order
        ("a/x;q=0.5, b/y", ["a/x", "b/y"], "b/y"),
        ("b/*, a/x", ["a/x", "b/y"], "a/x"),  # equal q: the more specific range
        ("*/*, a/x;q=0", ["a/x", "b/y"], "b/y"),  # q=0 excludes even under */*
        ("a/x;q=0", ["a/x"], None),
        ("text/*", ["a/x", "text/csv"], "text/csv"),
        ("c/z", ["a/x", "b/y"], None),
        ("A/X", ["a/x"], "a/x"),
        ("a/x;q=0.9, */*;q=1.0", ["a/x", "b/y"], "b/y"),
        ("a/x;q=abc", ["a/x"], "a/x"),
    ],
)
def test_negotiate(accept: str | None, offers: list[str], expected: str | None) -> None:
    assert negotiate(accept, offers) == expected


# --------------------------------------------------------------------------- errors


def error(r, status: int, code: str | None = None) -> dict:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["status"] == status
    assert set(body) == {"status", "code", "detail"}
    if code:
        assert body["code"] == code
    return body


def test_syntax_error_has_parser_message(client: TestClient) -> None:
    body = error(
        client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"}), 400, "bad_query"
    )
    assert "error at 1:" in body["detail"]
    body = error(client.post("/sparql", data={"query": "SELEKT *"}), 400, "bad_query")
    assert body["detail"].startswith("error at 1:")


def test_error_as_plain_text_when_asked(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "SELECT {"}, headers={"Accept": "text/plain"})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("text/plain")
    assert r.text.startswith("400 bad_query: error at")


def test_two_queries(client: TestClient) -> None:
    error(client.get("/sparql", params=[("query", ASK), ("query", ASK)]), 400)
    error(
        client.post("/sparql", content=f"query={ASK}&query={ASK}", headers={"Content-Type": FORM}),
        400,
    )


def test_missing_query(client: TestClient) -> None:
    error(client.post("/sparql", data={"default-graph-uri": TEST_GRAPH_A}), 400, "missing_query")
    error(client.get("/sparql", params={"default-graph-uri": TEST_GRAPH_A}), 400, "missing_query")
    error(client.get("/sparql", params={"query": "  "}), 400, "missing_query")


def test_empty_body(client: TestClient) -> None:
    r = client.post("/sparql", content=b"", headers={"Content-Type": "application/sparql-query"})
    error(r, 400, "missing_query")


def test_update_sent_as_query(client: TestClient) -> None:
    r = client.post("/sparql", data={"query": "INSERT DATA { <x:a> <x:b> <x:c> }"})
    body = error(r, 400, "update_as_query")
    assert "update" in body["detail"]


def test_wrong_content_type_is_415(client: TestClient) -> None:
    for ctype in ("text/plain", "application/json"):
        r = client.post("/sparql", content=ASK.encode(), headers={"Content-Type": ctype})
        error(r, 415, "unsupported_media_type")
    error(client.post("/sparql", content=f"query={ASK}".encode()), 415)


def test_non_utf8_body_refused(client: TestClient) -> None:
    r = client.post(
        "/sparql",
        content=ASK.encode("utf-16"),
        headers={"Content-Type": "application/sparql-query; charset=UTF-16"},
    )
    assert 400 <= r.status_code < 500
    r = client.post(
        "/sparql",
        content=b'ASK { ?s ?p "\xff" }',
        headers={"Content-Type": "application/sparql-query"},
    )
    error(r, 400, "bad_encoding")


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(client: TestClient, method: str) -> None:
    r = client.request(method, "/sparql", params={"query": ASK})
    error(r, 405)
    assert r.headers["allow"] == "GET, POST"


def test_service_refused(client: TestClient) -> None:
    q = "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }"
    body = error(client.get("/sparql", params={"query": q}), 400, "service_refused")
    assert "SERVICE" in body["detail"]


BYPASSES = {
    "comment-ended-by-cr": "SELECT * WHERE {{ # x\rSERVICE <{url}> {{}} }}",
    "number-glued": "SELECT * WHERE {{ ?a ?b 1SERVICE <{url}> {{}} }}",
    "empty-local-part-then-dot": "PREFIX : <http://e/> SELECT * {{ ?a ?b :.SERVICE <{url}> {{}} }}",
}


@pytest.mark.parametrize("template", BYPASSES.values(), ids=BYPASSES.keys())
def test_reported_bypasses_are_refused_through_every_door(
    client: TestClient, template: str
) -> None:
    """GET, POST form, POST body and the home page's form: 400, and the canary sees nothing."""
    with Canary() as canary:
        query = template.format(url=canary.url)
        answers = [
            client.get("/sparql", params={"query": query}),
            client.post("/sparql", data={"query": query}),
            client.post(
                "/sparql",
                content=query.encode(),
                headers={"Content-Type": "application/sparql-query"},
            ),
        ]
        for answer in answers:
            error(answer, 400, "service_refused")
        home = client.get("/", params={"query": query})
        assert home.status_code == 400 and "SERVICE" in home.text
        assert canary.requests == []


def test_too_deep_query_is_refused_before_any_worker_parses_it(client: TestClient) -> None:
    pool = client.app.state.sparql.pool
    before = set(pool.pids())
    query = "SELECT * WHERE " + "{" * 2500 + "}" * 2500
    for answer in (
        client.get("/sparql", params={"query": query}),
        client.post("/sparql", data={"query": query}),
    ):
        body = error(answer, 400, "query_too_deep")
        assert body["detail"] == "the query nests brackets 2,500 deep; the limit is 100"
    home = client.get("/", params={"query": query})
    assert home.status_code == 400 and "2,500 deep" in home.text
    assert set(pool.pids()) == before  # no worker died
    assert client.get("/sparql", params={"query": ASK}).json()["boolean"] is True


def test_too_long_query_is_refused(client: TestClient) -> None:
    query = "ASK {}" + " " * 100_000
    r = client.post("/sparql", content=query, headers={"Content-Type": "application/sparql-query"})
    body = error(r, 400, "query_too_long")
    assert body["detail"] == "the query is 100,006 characters long; the limit is 100,000"


def test_syntax_error_seen_by_the_check(client: TestClient) -> None:
    body = error(client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o } LIMIT x10"}), 400)
    assert body["code"] == "bad_query"
    assert body["detail"].startswith("error at 1:29: 'x10' is not a SPARQL keyword")


def test_variable_named_service_allowed(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "SELECT ?service WHERE { BIND(1 AS ?service) }"})
    assert r.status_code == 200


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"data": {"update": "INSERT DATA { <x:a> <x:b> <x:c> }"}},
        {"data": {"update": "LOAD <http://example.org/x.ttl>"}},
        {"content": b"DROP ALL", "headers": {"Content-Type": "application/sparql-update"}},
    ],
)
def test_update_refused(client: TestClient, request_kwargs: dict) -> None:
    body = error(client.post("/sparql", **request_kwargs), 403, "updates_disabled")
    assert "disabled" in body["detail"]


def test_update_via_get_refused(client: TestClient) -> None:
    error(client.get("/sparql", params={"update": "DROP ALL"}), 400)


def test_update_with_token_configured(store_path: Path) -> None:
    app = create_app(Settings(update_token="s3cret"), store_path)
    test_client = TestClient(app)  # no lifespan: updates never reach the workers
    r = test_client.post("/sparql", data={"update": "DROP ALL"})
    error(r, 401, "unauthorized")
    assert r.headers["www-authenticate"].startswith("Bearer")
    r = test_client.post(
        "/sparql", data={"update": "DROP ALL"}, headers={"Authorization": "Bearer s3cret"}
    )
    assert "read-only" in error(r, 403, "updates_unavailable")["detail"]


def test_request_too_large_is_413(store_path: Path) -> None:
    app = create_app(Settings(max_request_bytes=1000), store_path)
    test_client = TestClient(app)
    big = "ASK { ?s ?p ?o } #" + "x" * 2000
    r = test_client.post(
        "/sparql", content=big.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    error(r, 413, "request_too_large")

    def chunks():  # no Content-Length: the body is counted as it arrives
        for _ in range(5):
            yield b"x" * 400

    r = test_client.post(
        "/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"}
    )
    error(r, 413, "request_too_large")


def test_unknown_route_is_json_404(client: TestClient) -> None:
    error(client.get("/no-such-route"), 404, "not_found")


# --------------------------------------------------------------------------- CORS


def test_cors_simple_request(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": ASK}, headers={"Origin": "https://example.net"})
    assert r.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in r.headers


def test_cors_preflight(client: TestClient) -> None:
    r = client.options(
        "/sparql",
        headers={
            "Origin": "https://example.net",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"
    assert "POST" in r.headers["access-control-allow-methods"]


def test_cors_on_errors(client: TestClient) -> None:
    r = client.get(
        "/sparql", params={"query": "SELECT {"}, headers={"Origin": "https://example.net"}
    )
    assert r.status_code == 400
    assert r.headers["access-control-allow-origin"] == "*"


# --------------------------------------------------------------------------- description, health

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


def test_service_description(client: TestClient) -> None:
    r = client.get("/sparql")
    assert r.status_code == 200
    assert media(r) == "text/turtle"
    g = rdflib.Graph().parse(data=r.text, format="turtle")
    service = g.value(predicate=rdflib.RDF.type, object=SD.Service)
    # the configured public address, never the request's Host
    assert g.value(service, SD.endpoint) == rdflib.URIRef("http://127.0.0.1:8000/sparql")
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    assert (service, SD.feature, SD.UnionDefaultGraph) in g
    assert len(list(g.objects(service, SD.resultFormat))) == 8
    dataset = g.value(service, SD.defaultDataset)
    assert g.value(dataset, SD.defaultGraph) is not None
    names = {str(g.value(n, SD.name)) for n in g.objects(dataset, SD.namedGraph)}
    assert names == {REPORT_GRAPH, REFERENCE_GRAPH, TEST_GRAPH_A, TEST_GRAPH_B}


def test_service_description_in_other_rdf_format(client: TestClient) -> None:
    r = client.get("/sparql", headers={"Accept": "application/rdf+xml"})
    assert media(r) == "application/rdf+xml"
    g = rdflib.Graph().parse(data=r.content, format="xml")
    assert (None, rdflib.RDF.type, SD.Service) in g


def test_service_description_sends_browsers_home(client: TestClient) -> None:
    r = client.get("/sparql", headers={"Accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/"


def test_health(client: TestClient, store_path: Path) -> None:
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["store"] == str(store_path.resolve())
    assert body["build"] == "test-build-hash"
    # distinct triples: the default graph (their merge), not the quads of all graphs
    r = client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"})
    assert body["triples"] == int(values(r, "n")[0]) > 1000
    distinct = "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } }"
    r = client.get("/sparql", params={"query": distinct})
    assert body["triples"] == int(values(r, "n")[0])
    assert body["query_workers"] == 2
    assert body["network_isolation"] == "netns on, seccomp on"


# --------------------------------------------------------------------------- arbitrary files


def test_create_app_for_files(tmp_path: Path) -> None:
    ttl = tmp_path / "a.ttl"
    ttl.write_text('<http://example.org/x> <http://example.org/p> "default" .\n', encoding="utf-8")
    nq = tmp_path / "b.nq"
    nq.write_text(
        '<http://example.org/x> <http://example.org/p> "named" <http://example.org/g> .\n',
        encoding="utf-8",
    )
    app = create_app_for_files([ttl, nq], Settings(workers=1, union_default_graph=False))
    store_dir = Path(app.state.sparql.pool.store_path)
    with TestClient(app) as test_client:
        r = test_client.get("/sparql", params={"query": "SELECT ?o WHERE { ?s ?p ?o }"})
        assert values(r, "o") == ["default"]
        r = test_client.get(
            "/sparql", params={"query": "SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }"}
        )
        assert values(r, "g") == ["http://example.org/g"]
        g = rdflib.Graph().parse(data=test_client.get("/sparql").text, format="turtle")
        assert (None, SD.feature, SD.UnionDefaultGraph) not in g
    assert not store_dir.exists()  # the temporary store is removed at shutdown


def test_files_served_with_a_union_default_graph_count_each_triple_once(tmp_path: Path) -> None:
    """serve --data --union-default-graph: the default graph is the RDF merge (a set)."""
    triple = '<http://example.org/x> <http://example.org/p> "same"'
    nq = tmp_path / "g.nq"
    nq.write_text(
        f"{triple} <http://example.org/g1> .\n{triple} <http://example.org/g2> .\n"
        '<http://example.org/y> <http://example.org/p> "only in g2" <http://example.org/g2> .\n',
        encoding="utf-8",
    )
    app = create_app_for_files([nq], Settings(workers=1, union_default_graph=True))
    with TestClient(app) as test_client:
        r = test_client.get("/sparql", params={"query": "SELECT ?o WHERE { ?s ?p ?o }"})
        assert sorted(values(r, "o")) == ["only in g2", "same"]
        r = test_client.get(
            "/sparql", params={"query": "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"}
        )
        assert sorted(values(r, "g")) == ["http://example.org/g1", *["http://example.org/g2"] * 2]
        assert test_client.get("/health").json()["triples"] == 2
