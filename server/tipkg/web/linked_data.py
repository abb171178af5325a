"""Dereferenceable URIs: ``/id/...`` answers 303 to ``/doc/...``, which serves the
resource's description as HTML, Turtle, JSON-LD, RDF/XML or N-Triples by ``Accept`` or by
extension ("Cool URIs for the Semantic Web").

The description holds the resource's own statements (not the OWL-RL inferences, which
would bury them), the labels of what it links to, the statements that link to it, and
the text of the source paragraphs it was extracted from.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from rdflib import RDFS, SKOS, Graph

from tipkg.store.jobs import QueryJob
from tipkg.store.names import RDF_TYPE, Facts, label, naming_query
from tipkg.store.search import IndexUnavailable
from tipkg.store.search_live import LiveSearch
from tipkg.vocab import TIPKG
from tipkg.web.http_docs import RDF_MEDIA, responses
from tipkg.web.jsonld import compact, context, context_url
from tipkg.web.languages import Language, language_of, switch_links
from tipkg.web.lookup import canonical_path
from tipkg.web.negotiation import negotiate
from tipkg.web.pages.render import render_page
from tipkg.web.pages.schema_org import resource_block
from tipkg.web.pages.view import Page, build_page, show
from tipkg.web.service import SparqlService, client_of

FORMATS = {
    "html": ("text/html", None),
    "ttl": ("text/turtle", "TURTLE"),
    "jsonld": ("application/ld+json", "JSON_LD"),
    "rdf": ("application/rdf+xml", "RDF_XML"),
    "nt": ("application/n-triples", "N_TRIPLES"),
}
_BY_MEDIA = {media: ext for ext, (media, _) in FORMATS.items()}
INCOMING_LIMIT = 500
#: At most this many unlabelled neighbours are named per page (the rest show a short name)
NAMING_LIMIT = 2000
#: A "not found" description, or the router's error for a path no IRI could have
_NOT_FOUND_MEDIA = ("text/html", "text/turtle", "application/json", "text/plain")
#: Characters an IRIREF cannot hold (SPARQL grammar): such a path names nothing of ours.
_NOT_IN_IRI = re.compile(r'[<>"{}|^`\\\x00-\x20\x7f]')
log = logging.getLogger(__name__)


Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass
class Description:
    """A resource's description (Oxigraph terms, indexed by subject for the page)."""

    iri: str
    triples: list[ox.Triple]
    node: ox.NamedNode = field(init=False)
    index: dict[Term, list[tuple[ox.NamedNode, Term]]] = field(init=False)

    def __post_init__(self) -> None:
        self.node = ox.NamedNode(self.iri)
        self.index = {}
        for triple in self.triples:
            self.index.setdefault(triple.subject, []).append((triple.predicate, triple.object))

    @property
    def own(self) -> list[ox.Triple]:
        """The resource's own statements, in a stable order."""
        return sorted((t for t in self.triples if t.subject == self.node), key=str)

    @property
    def incoming(self) -> list[tuple[str, str]]:
        """(subject, property) of the statements that link to the resource, sorted."""
        return sorted(
            (t.subject.value, t.predicate.value)
            for t in self.triples
            if t.object == self.node and isinstance(t.subject, ox.NamedNode)
        )

    @property
    def exists(self) -> bool:
        return self.node in self.index or any(t.object == self.node for t in self.triples)

    def objects(self, subject: Term, predicate: ox.NamedNode) -> list[Term]:
        return [o for p, o in self.index.get(subject, ()) if p == predicate]

    def value(self, subject: Term, predicate: ox.NamedNode) -> str:
        """The first value of ``predicate`` (by text), or ``""``."""
        return min((o.value for o in self.objects(subject, predicate)), default="")


def describe_query(iri: str, inferred_graph: str) -> str:
    """Return the CONSTRUCT query that describes ``iri`` from the default graph (the merge
    of all graphs), leaving out what only the OWL-RL inferences state.

    Besides the resource's own statements it fetches what its page shows of its
    neighbours: the labels of what it links to and of what links to it (not the
    ontology's ``skos:example`` links), the position, status and meeting of what links to
    it (to sort and group those), and the source paragraphs with their text and document.
    """
    return f"""
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX tipkg: <https://w3id.org/tipkg/def#>
CONSTRUCT {{
  <{iri}> ?p ?o . ?o rdfs:label ?ol . ?o skos:prefLabel ?opl .
  ?s ?q <{iri}> . ?s rdfs:label ?sl . ?s tipkg:position ?spos .
  ?s tipkg:participationStatus ?sst . ?sst rdfs:label ?sstl .
  ?s ?smp ?sm . ?sm rdfs:label ?sml .
  ?para tipkg:text ?text ; tipkg:paragraphNumber ?n ; tipkg:heading ?heading ;
    tipkg:partOfDocument ?doc ; rdfs:label ?pl . ?doc tipkg:symbol ?symbol .
}} WHERE {{
  {{ <{iri}> ?p ?o FILTER NOT EXISTS {{ GRAPH <{inferred_graph}> {{ <{iri}> ?p ?o }} }}
     OPTIONAL {{ ?o rdfs:label ?ol }} OPTIONAL {{ ?o skos:prefLabel ?opl }} }}
  UNION
  {{ SELECT ?s ?q ?sl ?spos ?sst ?sstl ?smp ?sm ?sml WHERE {{
       {{ SELECT ?s ?q WHERE {{
         ?s ?q <{iri}> FILTER(?q != skos:example)
         FILTER NOT EXISTS {{ GRAPH <{inferred_graph}> {{ ?s ?q <{iri}> }} }} }}
         LIMIT {INCOMING_LIMIT} }}
       OPTIONAL {{ ?s rdfs:label ?sl }} OPTIONAL {{ ?s tipkg:position ?spos }}
       OPTIONAL {{ ?s tipkg:participationStatus ?sst OPTIONAL {{ ?sst rdfs:label ?sstl }} }}
       OPTIONAL {{ VALUES ?smp {{ tipkg:atMeeting tipkg:participationIn }} ?s ?smp ?sm
                   OPTIONAL {{ ?sm rdfs:label ?sml FILTER(LANG(?sml) IN ("en", "")) }} }}
  }} }}
  UNION
  {{ <{iri}> tipkg:source ?para . ?para tipkg:text ?text .
     OPTIONAL {{ ?para tipkg:paragraphNumber ?n }} OPTIONAL {{ ?para tipkg:heading ?heading }}
     OPTIONAL {{ ?para rdfs:label ?pl FILTER(LANG(?pl) IN ("en", "")) }}
     OPTIONAL {{ ?para tipkg:partOfDocument ?doc OPTIONAL {{ ?doc tipkg:symbol ?symbol }} }} }}
}}"""


def create_linked_data_router(
    get_service: Callable[[Request], SparqlService],
    get_search: Callable[[Request], LiveSearch] | None = None,
) -> APIRouter:
    """A router for ``/id/{path}`` (303) and ``/doc/{path}[.ext]`` (the description); with
    ``get_search``, ``/id/`` paths that print a symbol or code otherwise are sent to the
    canonical IRI first."""
    router = APIRouter()

    @router.get("/context.jsonld", responses=responses(("application/ld+json",)))
    async def json_ld_context() -> Response:
        """The JSON-LD context the JSON-LD descriptions refer to: a copy of the one
        published at https://w3id.org/tipkg/context.jsonld."""
        body = json.dumps(context(), indent=2, sort_keys=True)
        return Response(body, media_type="application/ld+json")

    @router.get(
        "/id/{path:path}",
        status_code=303,
        response_class=Response,
        responses={
            301: {"description": "Moved Permanently: the canonical IRI of the thing"},
            303: {"description": "See Other: the document about the thing"},
            404: responses((), 404)[404],
        },
    )
    async def thing(path: str, request: Request) -> Response:
        """The IRI of a thing: see the document about it. A document named by another
        printing of its UN symbol, or a State by another code, is first sent to its
        canonical IRI (301)."""
        canonical = await _canonical(get_search(request), path) if get_search else None
        if canonical is not None:
            return RedirectResponse(f"/id/{quote(canonical, safe=_PATH_SAFE)}", status_code=301)
        return RedirectResponse(f"/doc/{path}", status_code=303, headers={"Vary": "Accept"})

    @router.get(
        "/doc/{path:path}",
        responses=responses(
            ("text/html", *RDF_MEDIA), 404, 429, 503, pages=(404,), page_media=_NOT_FOUND_MEDIA
        ),
    )
    async def document(path: str, request: Request) -> Response:
        """The description of ``id/{path}`` as HTML or RDF."""
        service = get_service(request)
        ext = path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
        if ext in FORMATS:  # no UN symbol or slug ends in .html, .ttl, .jsonld, .rdf or .nt
            path, media = path[: -len(ext) - 1], FORMATS[ext][0]
        else:
            chosen = negotiate(request.headers.get("accept"), [m for m, _ in FORMATS.values()])
            media = chosen or "text/html"
        iri = f"{service.settings.base_iri}id/{path}"
        headers = {"Vary": "Accept"}
        if not path or _NOT_IN_IRI.search(path):
            # not an IRI we could have minted (and it must not reach the query text)
            return _not_found(iri, path, media, headers)
        description = await describe(service, iri, client_of(request.scope))
        headers["Link"] = f'<{iri_to_uri(iri)}>; rel="describes"'
        if not description.exists:
            return _not_found(iri, path, media, headers)
        headers["Link"] += "".join(
            f', <{quote(f"/doc/{path}")}.{ext}>; rel="alternate"; type="{alternate}"'
            for ext, (alternate, _) in FORMATS.items()
        )
        if media == "text/html":
            language = language_of(request)
            facts = await name_neighbours(service, description, client_of(request.scope))
            page = _page(description, facts, service, language)
            html = render_page(
                "resource.html",
                page=page,
                lang=language,
                languages=switch_links(request),
                schema=resource_block(page, facts, f"{service.settings.public_url}doc/{path}"),
            )
            headers["Vary"] = "Accept, Accept-Language"
            headers["Content-Language"] = language.code
            return Response(html, media_type="text/html; charset=utf-8", headers=headers)
        own = description.own
        if media == "application/ld+json":
            graph = Graph().parse(
                data=ox.serialize(own, format=ox.RdfFormat.N_TRIPLES), format="nt"
            )
            body = compact(graph, context_url(service.settings.base_iri))
        else:
            body = _serialize(own, _BY_MEDIA[media])
        return Response(body, media_type=media, headers=headers)

    return router


async def describe(service: SparqlService, iri: str, client: str) -> Description:
    """Fetch the description of ``iri`` from the store, within the query time limit.

    Raises:
        ProtocolError: the store could not answer in time (503) or at all.
    """
    inferred = f"{service.settings.base_iri}graph/inferred"
    job = QueryJob(query=describe_query(iri, inferred), graph_format="N_TRIPLES")
    result = await service.run(job, client)
    return Description(iri, list(ox.parse(result.body, format=ox.RdfFormat.N_TRIPLES)))


#: What a redirect keeps as it is in a path (a symbol's slashes and dots, a paragraph's).
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


async def _canonical(search: LiveSearch, path: str) -> str | None:
    """The canonical ``id/`` path for ``path``, if it differs and the index says so
    (without an index, every path is taken as it is)."""
    try:
        index = search.require()
    except IndexUnavailable:
        return None
    return await asyncio.to_thread(canonical_path, index, path)


def iri_to_uri(iri: str) -> str:
    """Percent-encode the non-ASCII characters of an IRI (RFC 3987, 3.1), as HTTP headers
    need."""
    return quote(iri, safe="/:?#[]@!$&'()*+,;=%~")


PREFIXES = {
    "tipkg": str(TIPKG),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "schema": "http://schema.org/",
}


def _serialize(triples: list[ox.Triple], ext: str) -> bytes:
    rdf_format = getattr(ox.RdfFormat, FORMATS[ext][1] or "TURTLE")
    if rdf_format == ox.RdfFormat.TURTLE:
        return ox.serialize(triples, format=rdf_format, prefixes=PREFIXES)
    return ox.serialize(triples, format=rdf_format)


def _page(
    description: Description, facts: Facts, service: SparqlService, language: Language
) -> Page:
    base = service.settings.base_iri
    page = build_page(description.iri, facts, language.preferences, base, description.incoming)
    nesting = [
        i for i in _ancestors(description.iri, base) if facts.values(ox.NamedNode(i), RDF_TYPE)
    ]
    # a statement or role sits under an agenda item of its meeting: meeting -> item -> it
    item = facts.node(description.node, f"{TIPKG}underItem")
    if item is not None and item.value not in nesting:
        nesting.append(item.value)
    page.crumbs = [show(facts, ox.NamedNode(i), language.preferences, base) for i in nesting]
    return page


def _ancestors(iri: str, base_iri: str) -> list[str]:
    """The IRIs a resource's path nests it in (id/meeting/wg-tip/12 for a statement of
    that meeting), outermost first; which of them are resources, the store says."""
    space = f"{base_iri}id/"
    parts = iri.removeprefix(space).split("/")
    return [space + "/".join(parts[:n]) for n in range(2, len(parts))]


async def name_neighbours(service: SparqlService, description: Description, client: str) -> Facts:
    """The description's facts, plus what names the resources it shows that have no label
    (in a store not built by tipkg) and the resources its path nests it in."""
    facts = Facts(description.triples)
    space = f"{service.settings.base_iri}id/"
    shown = {t.subject for t in description.triples} | {t.object for t in description.triples}
    unnamed = {
        term.value
        for term in shown
        if isinstance(term, ox.NamedNode)
        and term.value.startswith(space)
        and not label(facts, term)
    }
    wanted = unnamed | set(_ancestors(description.iri, service.settings.base_iri))
    if wanted:
        query = naming_query(sorted(wanted)[:NAMING_LIMIT])
        result = await service.run(QueryJob(query=query, graph_format="N_TRIPLES"), client)
        facts.add(ox.parse(result.body, format=ox.RdfFormat.N_TRIPLES))
    return facts


def _not_found(iri: str, path: str, media: str, headers: dict[str, str]) -> Response:
    if media == "text/html":
        html = render_page("not_found.html", iri=iri, path=path)
        return Response(
            html, status_code=404, media_type="text/html; charset=utf-8", headers=headers
        )
    body = (
        f"# Nothing is known about <{iri}>.\n"
        "# See /sparql to search the data, or / for what the dataset holds.\n"
    )
    return Response(body, status_code=404, media_type="text/turtle", headers=headers)
