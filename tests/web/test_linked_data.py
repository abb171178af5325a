"""Dereferencing: /id/... → 303 → /doc/..., HTML and RDF by Accept or extension."""

from __future__ import annotations

import json

import pytest
from rdflib import RDF, Graph, Literal, URIRef

from .conftest import XSS_LABEL

MEETING = URIRef("https://w3id.org/tipkg/id/meeting/wg-tip/12")
TIPKG = "https://w3id.org/tipkg/def#"


def inline_context(client, text: str, fmt: str) -> str:
    """JSON-LD that names its context by URL gets the served context inlined (no network)."""
    if fmt != "json-ld":
        return text
    document = json.loads(text)
    if isinstance(document.get("@context"), str):
        assert document["@context"] == "https://w3id.org/tipkg/context.jsonld"
        document["@context"] = client.get("/context.jsonld").json()["@context"]
    return json.dumps(document)


def test_id_redirects_to_doc(client):
    response = client.get("/id/meeting/wg-tip/12", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/doc/meeting/wg-tip/12"
    symbol = client.get("/id/document/CTOC/COP/WG.4/2022/4", follow_redirects=False)
    assert symbol.headers["location"] == "/doc/document/CTOC/COP/WG.4/2022/4"


def test_html_page(client):
    response = client.get("/doc/meeting/wg-tip/12", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["vary"] == "Accept, Accept-Language"
    assert response.headers["content-language"] == "en"
    page = response.text
    assert "<h1>twelfth meeting of the Working Group on Trafficking in Persons</h1>" in page
    assert "<dd>29 June 2022</dd>" in page  # a key property, as a reader writes the date
    assert 'href="/doc/place/vienna">Vienna</a>' in page
    assert 'href="/def#startDate"' in page
    # the source paragraphs' text, each naming its document
    assert "<h2>Source</h2>" in page and "<blockquote>" in page
    assert ">¶ 3 of CTOC/COP/WG.4/2022/4</a>" in page
    # what links to it, grouped by property with counts; the agenda in its order
    assert '<span class="prop">Agenda items</span> <span class="count">8</span>' in page
    assert page.index(">Item 1: Organizational matters<") < page.index(">Item 1 (a): Opening")
    assert page.index(">Item 2: ") < page.index(">Item 6: Adoption of the report<")
    assert '<span class="prop">Participants</span>' in page
    # no link from the ontology's skos:example, no "of of"
    assert "example of" not in page and " of of" not in page


def test_html_escapes_labels(client):
    page = client.get("/doc/meeting/test/1").text
    assert XSS_LABEL not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize(
    ("ext", "media", "fmt"),
    [
        ("ttl", "text/turtle", "turtle"),
        ("jsonld", "application/ld+json", "json-ld"),
        ("rdf", "application/rdf+xml", "xml"),
        ("nt", "application/n-triples", "nt"),
    ],
)
def test_rdf_by_extension_and_accept(client, ext, media, fmt):
    by_ext = client.get(f"/doc/meeting/wg-tip/12.{ext}")
    by_accept = client.get("/doc/meeting/wg-tip/12", headers={"Accept": media})
    for response in (by_ext, by_accept):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(media)
        assert response.headers["vary"] == "Accept"
        graph = Graph().parse(data=inline_context(client, response.text, fmt), format=fmt)
        assert (MEETING, RDF.type, URIRef(TIPKG + "Meeting")) in graph
        assert (
            MEETING,
            URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            Literal("twelfth meeting of the Working Group on Trafficking in Persons", lang="en"),
        ) in graph


def test_document_symbol_with_dots(client):
    response = client.get("/doc/document/CTOC/COP/WG.4/2022/4.ttl")
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    assert len(graph) > 0


def test_unknown_resource_is_404_with_help(client):
    response = client.get("/doc/meeting/wg-tip/99", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Nothing is known" in response.text
    assert 'href="/doc/meeting/wg-tip/12"' in response.text
    rdf = client.get("/doc/meeting/wg-tip/99.ttl")
    assert rdf.status_code == 404
    Graph().parse(data=rdf.text, format="turtle")  # comments only: still valid Turtle


def test_path_that_is_no_iri_is_404_not_a_query_error(client):
    response = client.get("/doc/x%3E%20%3Fp%20%3Fo%20%7D", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert "Nothing is known" in response.text
    assert "&gt; ?p ?o }" in response.text


def test_sources_in_paragraph_order(client):
    page = client.get("/doc/meeting/wg-tip/12").text
    assert page.index("¶ 3 of CTOC/COP/WG.4/2022/4<") < page.index("¶ 29 of CTOC/COP/WG.4/2022/4<")
