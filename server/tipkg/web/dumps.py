"""The whole dataset for download: ``GET /dump.ttl`` (the default graph, the merge of all
graphs, as Turtle) and ``GET /dump.nq`` (the dataset as stored: every named graph, and the
default graph, as N-Quads).

``.nq`` streams the file ``tipkg build`` wrote beside the store. Otherwise both are
computed through the query pool, so the store is only ever read by the worker processes
and the time limit applies:

* ``.ttl``: ``CONSTRUCT`` over the default graph, serialized by Oxigraph in the worker;
* ``.nq``: a query cannot return quads, so a ``SELECT ?s ?p ?o ?g`` over the default graph
  and ``GRAPH ?g`` runs in the worker (JSON results, which keep every term exact; TSV
  abbreviates numbers) and the web tier turns the solutions into N-Quads with Oxigraph's
  parser and serializer.

Each dump is kept in memory per store build and served with an ``ETag`` of the build hash
(``If-None-Match`` answers 304).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import anyio
import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response

from tipkg.store.jobs import QueryJob
from tipkg.store.layout import DUMP_FILE, build_hash
from tipkg.web.http_cache import if_none_match
from tipkg.web.http_docs import responses
from tipkg.web.service import SparqlService, client_of
from tipkg.web.web_support import BuildCache

TTL_QUERY = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
#: Every quad: the default graph's triples (?g unbound) and each named graph's.
NQ_QUERY = "SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
#: The dumps may take longer than one interactive query, and be larger than one result.
MIN_DUMP_TIMEOUT = 300.0
MAX_DUMP_BYTES = 2_000_000_000
MEDIA = {"ttl": "text/turtle", "nq": "application/n-quads"}
PREFIXES = {
    "tipkg": "https://w3id.org/tipkg/def#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "http://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
}


def quads_from_json(body: bytes) -> bytes:
    """N-Quads from the SPARQL JSON results of :data:`NQ_QUERY`."""
    solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    quads = (
        ox.Quad(row["s"], row["p"], row["o"], row["g"] or ox.DefaultGraph()) for row in solutions
    )
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS)


async def make_dump(service: SparqlService, ext: str, client: str) -> bytes:
    """Compute one dump (``ttl`` or ``nq``) through the query pool."""
    settings = service.settings
    job = QueryJob(
        query=TTL_QUERY if ext == "ttl" else NQ_QUERY,
        base_iri=settings.base_iri,
        results_format="JSON",
        graph_format="N_TRIPLES",
        max_result_bytes=MAX_DUMP_BYTES,
    )
    timeout = max(settings.query_timeout, MIN_DUMP_TIMEOUT)
    result = await service.run(job, client, timeout)
    if ext == "nq":
        return await anyio.to_thread.run_sync(quads_from_json, result.body)

    def pretty() -> bytes:
        # the worker sends N-Triples (streamed, cheap); prefixed Turtle is what people read
        triples = ox.parse(result.body, format=ox.RdfFormat.N_TRIPLES)
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)

    return await anyio.to_thread.run_sync(pretty)


def _validators(request: Request, build: str, ext: str) -> tuple[dict[str, str], bool]:
    """The download's headers (ETag of the build) and whether the client's copy is current."""
    etag = f'"{build}-{ext}"'
    headers = {
        "ETag": etag,
        "Cache-Control": "public, max-age=3600",
        "Content-Disposition": f'attachment; filename="tipkg-{build[:12]}.{ext}"',
    }
    current = if_none_match(request.headers.get("if-none-match", "").encode(), etag.encode())
    return headers, current


def create_dumps_router(get_service: Callable[[Request], SparqlService]) -> APIRouter:
    """A router for ``/dump.ttl`` and ``/dump.nq``."""
    router = APIRouter()
    cache: BuildCache[bytes] = BuildCache()

    async def serve(request: Request, ext: str) -> Response:
        service = get_service(request)
        client = client_of(request.scope)
        build, body = await cache.get(service, ext, lambda: make_dump(service, ext, client))
        headers, current = _validators(request, build, ext)
        if current:
            return Response(status_code=304, headers=headers)
        return Response(body, media_type=f"{MEDIA[ext]}; charset=utf-8", headers=headers)

    @router.get(
        "/dump.ttl", response_class=Response, responses=responses(("text/turtle",), 429, 503)
    )
    async def dump_ttl(request: Request) -> Response:
        """The union of all graphs (asserted and inferred) as Turtle."""
        return await serve(request, "ttl")

    @router.get(
        "/dump.nq",
        response_class=Response,
        responses=responses(("application/n-quads",), 429, 503),
    )
    async def dump_nq(request: Request) -> Response:
        """Every statement with its named graph (provenance) as N-Quads."""
        store = Path(get_service(request).pool.store_path)
        dump, build = store / DUMP_FILE, build_hash(store)
        if build is None or not dump.is_file():
            return await serve(request, "nq")
        # tipkg build wrote this file beside the store: stream it, no query needed
        headers, current = _validators(request, build, "nq")
        if current:
            return Response(status_code=304, headers=headers)
        return FileResponse(dump, media_type=f"{MEDIA['nq']}; charset=utf-8", headers=headers)

    return router
