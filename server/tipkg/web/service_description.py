"""The SPARQL 1.1 Service Description of the endpoint (``GET /sparql`` without a query):
the endpoint's public address, result formats, the default graph as the union of the
named graphs, the named graphs, and the fair-use policy in words."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from tipkg.web.negotiation import GRAPH_OFFERS, content_type, negotiate, parse_accept
from tipkg.web.service import SparqlService

SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS = "http://www.w3.org/ns/formats/"
_RESULT_FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "RDF_XML",
    "JSON-LD",
)
_SD_OFFERS: tuple[tuple[str, str], ...] = GRAPH_OFFERS[:4]


def service_description(
    endpoint: str, graphs: Iterable[str], union: bool, policy: str = ""
) -> list[ox.Triple]:
    """The SPARQL 1.1 Service Description of this endpoint, as triples; ``policy`` (the
    time limit and fair-use rules in words) becomes the service's ``rdfs:comment``."""
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

    def sd(name: str) -> ox.NamedNode:
        return ox.NamedNode(SD + name)

    service = ox.BlankNode("service")
    dataset = ox.BlankNode("dataset")
    default = ox.BlankNode("defaultGraph")
    triples = [
        ox.Triple(service, rdf_type, sd("Service")),
        ox.Triple(service, sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default),
        ox.Triple(default, rdf_type, sd("Graph")),
    ]
    triples += [
        ox.Triple(service, sd("resultFormat"), ox.NamedNode(_FORMATS + name))
        for name in _RESULT_FORMATS
    ]
    if union:
        triples.append(ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")))
    if policy:
        comment = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
        triples.append(ox.Triple(service, comment, ox.Literal(policy, language="en")))
    for index, graph in enumerate(graphs):
        named = ox.BlankNode(f"namedGraph{index}")
        triples += [
            ox.Triple(dataset, sd("namedGraph"), named),
            ox.Triple(named, rdf_type, sd("NamedGraph")),
            ox.Triple(named, sd("name"), ox.NamedNode(graph)),
        ]
    return triples


async def service_description_response(service: SparqlService, request: Request) -> Response:
    """Serve the service description in the RDF format the client prefers (Turtle default).

    A browser (HTML preferred over RDF) is sent to the home page, which holds the query UI.
    """
    accept = request.headers.get("accept")
    ranges = parse_accept(accept)
    chosen = negotiate(ranges, [m for m, _ in _SD_OFFERS] + ["text/html"])
    if chosen == "text/html":
        return RedirectResponse("/", status_code=303, headers={"Vary": "Accept"})
    media = chosen or "text/turtle"
    stats = await service.store_stats()
    settings = service.settings
    triples = service_description(
        settings.public_url + "sparql",
        stats.named_graphs,
        settings.union_default_graph,
        settings.fair_use_policy(),
    )
    fmt = getattr(ox.RdfFormat, dict(_SD_OFFERS)[media])
    prefixes = {"sd": SD, "formats": _FORMATS} if fmt == ox.RdfFormat.TURTLE else None
    body = ox.serialize(triples, format=fmt, prefixes=prefixes)
    return Response(body, media_type=content_type(media), headers={"Vary": "Accept"})
