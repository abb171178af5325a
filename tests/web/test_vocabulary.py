"""/def: the ontology as Turtle or HTML documentation."""

from __future__ import annotations

import importlib.util

import pytest
from rdflib import OWL, RDF, Graph, URIRef

from tipkg.web.vocabulary_pages import fallback_html, vocabulary_terms

from .conftest import ROOT

MEETING = URIRef("https://w3id.org/tipkg/def#Meeting")


def test_turtle_by_accept_and_extension(client):
    for response in (
        client.get("/def", headers={"Accept": "text/turtle"}),
        client.get("/def.ttl"),
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/turtle")
        assert response.headers["vary"] == "Accept"
        graph = Graph().parse(data=response.text, format="turtle")
        assert (MEETING, RDF.type, OWL.Class) in graph


def test_html_for_browsers(client):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for response in (client.get("/def", headers={"Accept": browser}), client.get("/def.html")):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["vary"] == "Accept"
        assert "Meeting" in response.text
        assert 'id="Meeting"' in response.text


def test_not_acceptable(client):
    response = client.get("/def", headers={"Accept": "image/png"})
    assert response.status_code == 406


def test_fallback_page_lists_terms_with_anchors():
    page = fallback_html(ROOT / "ontology")
    assert '<div class="term" id="Meeting">' in page
    assert "A numbered session of a body" in page
    assert 'href="/def#PlenaryMeeting"' in page or "PlenaryMeeting" in page
    terms = {t.name: t for t in vocabulary_terms(Graph().parse(ROOT / "ontology" / "tipkg.ttl"))}
    assert terms["Meeting"].kind == "class"
    assert terms["ofBody"].kind.endswith("property")
    assert terms["ofBody"].ranges


@pytest.mark.skipif(importlib.util.find_spec("pylode") is None, reason="pyLODE is not installed")
def test_pylode_page(client):
    page = client.get("/def.html").text
    assert "pyLODE" in page or "pylode" in page
    # the title alone as the heading (pyLODE ran the title and the label together)
    heading = page[page.index("<h1>") : page.index("</h1>")]
    assert heading.endswith("Working Group on Trafficking in Persons")
    assert "Personstipkg" not in page
