"""``GET /.well-known/void``: a VoID and DCAT description of the dataset (RFC 5785 /
VoID §6.2), as Turtle (default) or JSON-LD by ``Accept``.

The statistics (triples, entities, class and property partitions, triples per named
graph, example resources) are computed with SPARQL through the query pool, once per
store build.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from tipkg.vocab import ONTOLOGY_IRI
from tipkg.web.errors import error_response
from tipkg.web.http_docs import responses
from tipkg.web.negotiation import content_type, negotiate
from tipkg.web.pages.render import render_page
from tipkg.web.pages.schema_org import DATASET_DESCRIPTION, DATASET_TITLE, dataset_block
from tipkg.web.service import SparqlService
from tipkg.web.web_support import BuildCache, integer, select, value

VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
OFFERS = (("text/turtle", "TURTLE"), ("application/ld+json", "JSON_LD"))
PREFIXES = {"void": VOID, "dcat": DCAT, "dcterms": DCT, "foaf": FOAF}
EXAMPLES = ("meeting/wg-tip/12", "document/CTOC/COP/WG.4/2022/4", "state/ESP", "body/wg-tip")

#: Triples of the default graph (the merge of all graphs: each distinct triple once), and
#: entities (IRI subjects under id/).
TOTALS_QUERY = """SELECT (COUNT(*) AS ?triples) WHERE { ?s ?p ?o }"""
ENTITIES_QUERY = """SELECT (COUNT(DISTINCT ?s) AS ?entities) WHERE {{ ?s ?p ?o
  FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{space}")) }}"""
CLASSES_QUERY = """SELECT ?class (COUNT(DISTINCT ?s) AS ?entities) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY ?class"""
PROPERTIES_QUERY = """SELECT ?property (COUNT(*) AS ?triples) WHERE { ?s ?property ?o }
GROUP BY ?property ORDER BY ?property"""
GRAPHS_QUERY = """SELECT ?g (COUNT(*) AS ?triples) WHERE { GRAPH ?g { ?s ?p ?o } }
GROUP BY ?g ORDER BY ?g"""
EXAMPLES_QUERY = """SELECT DISTINCT ?s WHERE {{ VALUES ?s {{ {iris} }} ?s ?p ?o }}"""


@dataclass(frozen=True)
class DatasetStats:
    """What VoID says about the store, computed by SPARQL."""

    triples: int
    entities: int
    classes: tuple[tuple[str, int], ...]
    properties: tuple[tuple[str, int], ...]
    graphs: tuple[tuple[str, int], ...]
    examples: tuple[str, ...]


async def compute_stats(service: SparqlService) -> DatasetStats:
    """Count triples, entities, class and property partitions and named graphs."""
    space = f"{service.settings.base_iri}id/"
    totals = await select(service, TOTALS_QUERY)
    entities = await select(service, ENTITIES_QUERY.format(space=space))
    classes = await select(service, CLASSES_QUERY)
    properties = await select(service, PROPERTIES_QUERY)
    graphs = await select(service, GRAPHS_QUERY)
    iris = " ".join(f"<{space}{path}>" for path in EXAMPLES)
    examples = await select(service, EXAMPLES_QUERY.format(iris=iris))
    return DatasetStats(
        triples=integer(totals[0]["triples"]) if totals else 0,
        entities=integer(entities[0]["entities"]) if entities else 0,
        classes=tuple(
            (value(r["class"]), integer(r["entities"]))
            for r in classes
            if isinstance(r["class"], ox.NamedNode)
        ),
        properties=tuple((value(r["property"]), integer(r["triples"])) for r in properties),
        graphs=tuple((value(r["g"]), integer(r["triples"])) for r in graphs),
        examples=tuple(sorted(value(r["s"]) for r in examples)),
    )


def void_triples(stats: DatasetStats, site: str, base_iri: str) -> list[ox.Triple]:
    """The VoID/DCAT description; ``site`` is where this server answers (ends with /)."""

    def n(namespace: str, name: str) -> ox.NamedNode:
        return ox.NamedNode(namespace + name)

    def number(count: int) -> ox.Literal:
        return ox.Literal(str(count), datatype=XSD_INTEGER)

    dataset = ox.NamedNode(f"{site}.well-known/void#tipkg")
    triples = [
        ox.Triple(dataset, RDF_TYPE, n(VOID, "Dataset")),
        ox.Triple(dataset, RDF_TYPE, n(DCAT, "Dataset")),
        ox.Triple(
            dataset,
            n(DCT, "title"),
            ox.Literal(DATASET_TITLE, language="en"),
        ),
        ox.Triple(
            dataset,
            n(DCT, "description"),
            ox.Literal(DATASET_DESCRIPTION, language="en"),
        ),
        ox.Triple(dataset, n(DCT, "license"), ox.NamedNode(LICENSE)),
        ox.Triple(dataset, n(VOID, "sparqlEndpoint"), ox.NamedNode(f"{site}sparql")),
        ox.Triple(dataset, n(VOID, "uriSpace"), ox.Literal(f"{base_iri}id/")),
        ox.Triple(dataset, n(VOID, "vocabulary"), ox.NamedNode(ONTOLOGY_IRI)),
        ox.Triple(dataset, n(FOAF, "homepage"), ox.NamedNode(site)),
        ox.Triple(dataset, n(VOID, "triples"), number(stats.triples)),
        ox.Triple(dataset, n(VOID, "entities"), number(stats.entities)),
        ox.Triple(dataset, n(VOID, "classes"), number(len(stats.classes))),
        ox.Triple(dataset, n(VOID, "properties"), number(len(stats.properties))),
    ]
    triples += [
        ox.Triple(dataset, n(VOID, "exampleResource"), ox.NamedNode(iri)) for iri in stats.examples
    ]
    for ext, media in (("ttl", "text/turtle"), ("nq", "application/n-quads")):
        url = ox.NamedNode(f"{site}dump.{ext}")
        dist = ox.NamedNode(f"{site}.well-known/void#dump-{ext}")
        triples += [
            ox.Triple(dataset, n(VOID, "dataDump"), url),
            ox.Triple(dataset, n(DCAT, "distribution"), dist),
            ox.Triple(dist, RDF_TYPE, n(DCAT, "Distribution")),
            ox.Triple(dist, n(DCAT, "downloadURL"), url),
            ox.Triple(dist, n(DCAT, "accessURL"), url),
            ox.Triple(
                dist,
                n(DCAT, "mediaType"),
                ox.NamedNode(f"https://www.iana.org/assignments/media-types/{media}"),
            ),
            ox.Triple(dist, n(DCT, "format"), ox.Literal(media)),
            ox.Triple(dist, n(DCT, "license"), ox.NamedNode(LICENSE)),
        ]
    for index, (cls, count) in enumerate(stats.classes):
        part = ox.BlankNode(f"class{index}")
        triples += [
            ox.Triple(dataset, n(VOID, "classPartition"), part),
            ox.Triple(part, n(VOID, "class"), ox.NamedNode(cls)),
            ox.Triple(part, n(VOID, "entities"), number(count)),
        ]
    for index, (prop, count) in enumerate(stats.properties):
        part = ox.BlankNode(f"property{index}")
        triples += [
            ox.Triple(dataset, n(VOID, "propertyPartition"), part),
            ox.Triple(part, n(VOID, "property"), ox.NamedNode(prop)),
            ox.Triple(part, n(VOID, "triples"), number(count)),
        ]
    for index, (graph, count) in enumerate(stats.graphs):
        subset = ox.NamedNode(f"{site}.well-known/void#graph{index}")
        triples += [
            ox.Triple(dataset, n(VOID, "subset"), subset),
            ox.Triple(subset, RDF_TYPE, n(VOID, "Dataset")),
            ox.Triple(subset, n(VOID, "triples"), number(count)),
            ox.Triple(subset, ox.NamedNode(f"{DCT}source"), ox.NamedNode(graph)),
            # the SPARQL Service Description term that names a named graph
            ox.Triple(
                subset,
                ox.NamedNode("http://www.w3.org/ns/sparql-service-description#name"),
                ox.NamedNode(graph),
            ),
        ]
    return triples


def create_void_router(get_service: Callable[[Request], SparqlService]) -> APIRouter:
    """A router for ``/.well-known/void``."""
    router = APIRouter()
    cache: BuildCache[DatasetStats] = BuildCache()

    @router.get(
        "/.well-known/void",
        response_class=Response,
        responses=responses((*(media for media, _ in OFFERS), "text/html"), 406, 429, 503),
    )
    async def void(request: Request) -> Response:
        """VoID + DCAT description of the dataset (Turtle, JSON-LD, or a page to read)."""
        service = get_service(request)
        media = negotiate(request.headers.get("accept"), [*(m for m, _ in OFFERS), "text/html"])
        if media is None:
            listed = ", ".join([*(m for m, _ in OFFERS), "text/html"])
            return error_response(
                request, 406, "not_acceptable", f"the description is available as {listed}"
            )
        build, stats = await cache.get(service, "void", lambda: compute_stats(service))
        site = service.settings.public_url
        link = ", ".join(f'</.well-known/void>; rel="alternate"; type="{m}"' for m, _ in OFFERS)
        if media == "text/html":
            html = render_page(
                "dataset.html",
                stats=stats,
                site=site,
                build=build,
                schema=dataset_block(DATASET_TITLE, DATASET_DESCRIPTION, site, f"{site}sparql"),
            )
            headers = {"Vary": "Accept", "ETag": f'"{build}-void-html"', "Link": link}
            return Response(html, media_type="text/html; charset=utf-8", headers=headers)
        fmt = getattr(ox.RdfFormat, dict(OFFERS)[media])
        prefixes = PREFIXES if fmt == ox.RdfFormat.TURTLE else None
        body = ox.serialize(
            void_triples(stats, site, service.settings.base_iri), format=fmt, prefixes=prefixes
        )
        headers = {
            "Vary": "Accept",
            "ETag": f'"{build}-void-{dict(OFFERS)[media].lower()}"',
            "Link": link,
        }
        return Response(body, media_type=content_type(media), headers=headers)

    return router
