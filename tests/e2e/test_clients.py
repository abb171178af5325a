"""Common clients against a real ``tipkg serve``: SPARQLWrapper in every format it asks
for (it sends ``format`` twice for JSON-LD), rdflib's SPARQLStore and Graph.parse on /id
IRIs, PyLD on the JSON-LD with the published context, curl, HEAD on every GET route,
the Link headers, predeclared prefixes and syntax errors worded for people."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request

import pytest
from pyld import jsonld
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, TURTLE, XML, SPARQLWrapper

from tests.e2e.conftest import BASE

TIPKG = "https://w3id.org/tipkg/def#"
MEETING = f"{BASE}id/meeting/wg-tip/12"
STATEMENT = f"{BASE}id/meeting/wg-tip/12/statement/41"
STATEMENT_NAME = "Statement by Azerbaijan under item 4, twelfth meeting"
CONSTRUCT = f"""PREFIX tipkg: <{TIPKG}>
CONSTRUCT {{ ?s a tipkg:Statement ; tipkg:speaker ?who }}
WHERE {{ ?s tipkg:speaker ?who ; tipkg:underItem <{MEETING}/item/4> }}"""
# no PREFIX: tipkg: and rdfs: are predeclared by the endpoint
SELECT = f"""SELECT ?name WHERE {{ <{STATEMENT}> a tipkg:Statement ; rdfs:label ?name }}"""


def wrapper(base_url: str, query: str, fmt: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(f"{base_url}/sparql", agent="tipkg-client-tests")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    return sparql


# --------------------------------------------------------------------------- SPARQLWrapper


def test_sparqlwrapper_json_without_prefixes_gets_the_generated_name(base_url: str) -> None:
    data = wrapper(base_url, SELECT, JSON).queryAndConvert()
    assert [b["name"]["value"] for b in data["results"]["bindings"]] == [STATEMENT_NAME]


def test_sparqlwrapper_xml(base_url: str) -> None:
    document = wrapper(base_url, SELECT, XML).queryAndConvert()
    literals = [n.firstChild.data for n in document.getElementsByTagName("literal")]
    assert literals == [STATEMENT_NAME]


def test_sparqlwrapper_csv(base_url: str) -> None:
    result = wrapper(base_url, SELECT, CSV).query()
    assert result.response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(result.convert().decode("utf-8"))))
    assert rows == [["name"], [STATEMENT_NAME]]


def test_sparqlwrapper_json_ld_on_a_construct(base_url: str) -> None:
    # SPARQLWrapper sends format=json-ld and format=json: the first acceptable wins
    result = wrapper(base_url, CONSTRUCT, JSONLD).query()
    assert result.response.headers["Content-Type"].startswith("application/ld+json")
    graph = result.convert()
    speakers = set(graph.objects(None, URIRef(f"{TIPKG}speaker")))
    states = {URIRef(f"{BASE}id/state/{c}") for c in ("AGO", "ARM", "AZE", "CAN", "CHN", "NZL")}
    assert {s for s in speakers if "/state/" in s} == states


def test_sparqlwrapper_turtle_on_a_construct(base_url: str) -> None:
    body = wrapper(base_url, CONSTRUCT, TURTLE).queryAndConvert()
    graph = Graph().parse(data=body, format="turtle")
    assert (URIRef(STATEMENT), RDF.type, URIRef(f"{TIPKG}Statement")) in graph


@pytest.mark.parametrize(
    ("formats", "media"),
    [
        ([("format", "json-ld"), ("format", "json")], "application/ld+json"),
        ([("format", "nonsense"), ("format", "ttl")], "text/turtle"),
        ([("format", "ttl,json-ld")], "text/turtle"),
    ],
    ids=["sparqlwrapper-twice", "first-unknown", "comma-list"],
)
def test_repeated_format_first_acceptable_wins(base_url: str, formats, media) -> None:
    query = urllib.parse.urlencode([("query", CONSTRUCT), *formats])
    with urllib.request.urlopen(f"{base_url}/sparql?{query}", timeout=30) as response:
        assert response.headers["Content-Type"].startswith(media)


def test_only_unknown_formats_are_refused(base_url: str) -> None:
    query = urllib.parse.urlencode([("query", SELECT), ("format", "x"), ("format", "y")])
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{base_url}/sparql?{query}", timeout=30)
    assert refused.value.code == 400
    assert "unknown format 'x', 'y'" in json.load(refused.value)["detail"]


# --------------------------------------------------------------------------- rdflib


def test_rdflib_parses_id_iris(base_url: str) -> None:
    graph = Graph().parse(f"{base_url}/id/meeting/wg-tip/12/statement/41")
    statement = URIRef(STATEMENT)
    assert (statement, RDFS.label, Literal(STATEMENT_NAME, lang="en")) in graph
    assert graph.value(statement, URIRef(f"{TIPKG}speaker")) == URIRef(f"{BASE}id/state/AZE")


def test_rdflib_sparqlstore(base_url: str) -> None:
    graph = Graph(SPARQLStore(f"{base_url}/sparql", returnFormat="json"))
    rows = list(
        graph.query(
            f"SELECT ?name WHERE {{ <{BASE}id/meeting/wg-tip/12/participation/AZE> "
            "rdfs:label ?name }"
        )
    )
    assert [str(r[0]) for r in rows] == ["Participation of Azerbaijan in the twelfth meeting"]
    assert (URIRef(MEETING), RDF.type, URIRef(f"{TIPKG}Meeting")) in graph


# --------------------------------------------------------------------------- PyLD


def local_context_loader(base_url: str):
    """A PyLD document loader that reads the published context from this server's copy
    (what README's "JSON-LD" section tells offline clients to do)."""

    def load(url: str, options: dict | None = None) -> dict:
        if url == f"{BASE}context.jsonld":
            url = f"{base_url}/context.jsonld"
        with urllib.request.urlopen(url, timeout=30) as response:
            document = json.load(response)
        return {"contextUrl": None, "documentUrl": url, "document": document}

    return load


def test_pyld_expands_and_converts_to_rdf(base_url: str) -> None:
    with urllib.request.urlopen(f"{base_url}/doc/meeting/wg-tip/12/statement/41.jsonld") as r:
        document = json.load(r)
    assert document["@context"] == f"{BASE}context.jsonld"
    options = {"documentLoader": local_context_loader(base_url)}
    expanded = jsonld.expand(document, options)
    node = next(n for n in expanded if n["@id"] == STATEMENT)
    assert node[f"{TIPKG}speaker"] == [{"@id": f"{BASE}id/state/AZE"}]
    nquads = jsonld.to_rdf(document, {**options, "format": "application/n-quads"})
    assert f'<{STATEMENT}> <{RDFS}label> "{STATEMENT_NAME}"@en .' in nquads
    turtle = Graph().parse(f"{base_url}/doc/meeting/wg-tip/12/statement/41.ttl")
    assert len(Graph().parse(data=nquads, format="nquads")) == len(turtle)


# --------------------------------------------------------------------------- curl, HEAD


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_follows_the_iri_to_turtle(base_url: str) -> None:
    result = subprocess.run(
        ["curl", "-sSL", "-H", "Accept: text/turtle", f"{base_url}/id/state/AZE"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert (URIRef(f"{BASE}id/state/AZE"), RDFS.label, Literal("Azerbaijan", lang="en")) in graph


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/sparql",
        "/id/state/ESP",
        "/doc/state/ESP",
        "/doc/state/ESP.ttl",
        "/def",
        "/.well-known/void",
        "/context.jsonld",
        "/dump.nq",
        "/dump.ttl",
        "/health",
        "/static/tipkg.css",
        "/static/favicon.svg",
    ],
)
def test_head_on_every_get_route(base_url: str, path: str) -> None:
    request = urllib.request.Request(f"{base_url}{path}", method="HEAD")
    opener = urllib.request.build_opener(NoRedirect)
    with opener.open(request, timeout=60) as head:
        assert head.read() == b""
        status, headers = head.status, head.headers
    with opener.open(f"{base_url}{path}", timeout=60) as get:
        body = get.read()
        assert status == get.status
        assert headers["Content-Type"] == get.headers["Content-Type"]
    if headers["Content-Length"] is not None:
        assert int(headers["Content-Length"]) == len(body)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # answer the 303 itself
        return None

    def http_error_303(self, req, fp, code, msg, headers):
        return fp


def test_link_headers_name_the_alternates(base_url: str) -> None:
    with urllib.request.urlopen(f"{base_url}/doc/state/ESP", timeout=30) as response:
        link = response.headers["Link"]
    assert f'<{BASE}id/state/ESP>; rel="describes"' in link
    for ext, media in (("ttl", "text/turtle"), ("jsonld", "application/ld+json")):
        assert f'</doc/state/ESP.{ext}>; rel="alternate"; type="{media}"' in link
    request = urllib.request.Request(
        f"{base_url}/.well-known/void", headers={"Accept": "text/html"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Type"].startswith("text/html")
        assert 'rel="alternate"; type="text/turtle"' in response.headers["Link"]
        assert "<h1>The tipkg dataset</h1>" in response.read().decode()


def test_a_forgotten_prefix_is_explained(base_url: str) -> None:
    query = urllib.parse.urlencode({"query": "SELECT * WHERE { ?s a foaf:Person }"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{base_url}/sparql?{query}", timeout=30)
    detail = json.load(refused.value)["detail"]
    assert detail == (
        "error at 1:34: the prefix “foaf:” is not declared; did you forget "
        "PREFIX foaf: <http://xmlns.com/foaf/0.1/> at the top of the query?"
    )


def test_cached_pages_follow_the_readers_language(base_url: str) -> None:
    """The response cache and ETags tell languages apart: a French reader after an
    English one gets the French page, not the cached English one."""
    names = {}
    for language in ("en", "fr", "en", "fr"):
        request = urllib.request.Request(
            f"{base_url}/doc/state/AZE", headers={"Accept-Language": language}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            page = response.read().decode()
            names.setdefault(language, set()).add(page.split("<h1>", 1)[1].split("</h1>")[0])
            assert response.headers["Content-Language"] == language
    assert names == {"en": {"Azerbaijan"}, "fr": {"Azerbaïdjan"}}
