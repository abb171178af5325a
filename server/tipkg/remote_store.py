"""An external SPARQL 1.1 store (Oxigraph server, Fuseki, GraphDB, ...) behind the standard
protocols: queries through the SPARQL 1.1 Protocol, loading through the Graph Store
Protocol.

``RemotePool`` has the interface of :class:`tipkg.query_pool.QueryPool`, so ``/sparql``
and the linked-data pages answer from a remote store exactly as from the embedded one.
A query past its time limit is abandoned (the HTTP request is closed); stopping the work
on the remote server is that server's job (e.g. ``oxigraph serve --timeout-s``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

import httpx
from rdflib import URIRef

from tipkg.query_pool import (
    ClientLimit,
    NotAcceptable,
    PoolBusy,
    QueryError,
    QueryJob,
    QueryResult,
    QueryTimeout,
    StoreStats,
)

RESULTS_MEDIA = {
    "JSON": "application/sparql-results+json",
    "XML": "application/sparql-results+xml",
    "CSV": "text/csv",
    "TSV": "text/tab-separated-values",
}
GRAPH_MEDIA = {
    "TURTLE": "text/turtle",
    "N_TRIPLES": "application/n-triples",
    "RDF_XML": "application/rdf+xml",
    "JSON_LD": "application/ld+json",
    "N_QUADS": "application/n-quads",
    "TRIG": "application/trig",
}
_BY_MEDIA = {media: name for name, media in {**RESULTS_MEDIA, **GRAPH_MEDIA}.items()}


class RemotePool:
    """Answer queries from a remote SPARQL endpoint (the interface of ``QueryPool``).

    Args:
        endpoint: the SPARQL query endpoint.
        client_queries: most queries one client may have in flight (more: ClientLimit).
    """

    def __init__(self, endpoint: str, client_queries: int = 8) -> None:
        self.endpoint = endpoint
        self.store_path = endpoint  # what /health shows, and the key of per-build caches
        self.client_queries = client_queries
        self._client: httpx.AsyncClient | None = None
        self._in_flight: Counter[str] = Counter()

    async def start(self) -> None:
        self._client = httpx.AsyncClient(follow_redirects=True)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def drain(self) -> None:
        """Nothing to drain: the remote server runs the queries."""

    def pids(self) -> list[int]:
        """No local worker processes: the remote server evaluates the queries."""
        return []

    def health(self) -> dict[str, object]:
        return {"query_workers": None, "remote_endpoint": self.endpoint, "error": None}

    async def run(self, job: QueryJob, timeout: float, client: str = "") -> QueryResult:
        """Send ``job`` to the endpoint and return its serialized answer.

        Raises:
            ClientLimit: the client has too many queries in flight.
            QueryTimeout: no answer within ``timeout`` seconds.
            QueryError: the endpoint refused the query (its message is passed on).
        """
        if self._in_flight[client] >= self.client_queries:
            raise ClientLimit(
                f"you already have {self.client_queries} queries running; wait for their "
                "answers before sending more"
            )
        self._in_flight[client] += 1
        try:
            return await self._send(job, timeout)
        finally:
            self._in_flight[client] -= 1
            if self._in_flight[client] <= 0:
                del self._in_flight[client]

    async def _send(self, job: QueryJob, timeout: float) -> QueryResult:
        accept = [RESULTS_MEDIA[job.results_format]] if job.results_format else []
        accept += [GRAPH_MEDIA[job.graph_format]] if job.graph_format else []
        form: list[tuple[str, str]] = [("query", job.query)]
        form += [("default-graph-uri", g) for g in job.default_graph or ()]
        form += [("named-graph-uri", g) for g in job.named_graphs or ()]
        if self._client is None:
            raise PoolBusy("the connection to the remote store is closed")
        try:
            response = await self._client.post(
                self.endpoint,
                content=str(httpx.QueryParams(form)).encode("ascii"),
                headers={
                    "Accept": ", ".join(accept) or "*/*",
                    "Content-Type": "application/x-www-form-urlencoded",
                },
                timeout=timeout,
            )
        except httpx.TimeoutException as exc:
            raise QueryTimeout(timeout, None) from exc
        except httpx.HTTPError as exc:
            detail = f"the remote store at {self.endpoint} failed: {exc}"
            raise QueryError("store_error", detail) from exc
        if response.status_code == 406:
            raise NotAcceptable(
                "graph" if job.graph_format and not job.results_format else "solutions"
            )
        if response.status_code >= 400:
            code = "bad_query" if response.status_code == 400 else "store_error"
            raise QueryError(
                code, f"the remote store answered {response.status_code}: {response.text[:500]}"
            )
        media = response.headers.get("content-type", "").split(";")[0].strip()
        name = _BY_MEDIA.get(media)
        if name is None:
            raise QueryError("store_error", f"the remote store answered with {media!r}")
        kind = "graph" if name in GRAPH_MEDIA else "solutions"
        if kind == "solutions" and b'"boolean"' in response.content[:200]:
            kind = "boolean"
        return QueryResult(kind=kind, format=name, body=response.content)  # type: ignore[arg-type]

    async def stats(self, timeout: float = 60.0) -> StoreStats:
        """Count the remote store's triples (its default graph) and list its named graphs."""
        count = await self._send(
            QueryJob("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", results_format="CSV"),
            timeout,
        )
        graphs = await self._send(
            QueryJob("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", results_format="CSV"),
            timeout,
        )
        triples = int(count.body.decode().splitlines()[1].strip() or 0)
        names = tuple(
            sorted(line.strip() for line in graphs.body.decode().splitlines()[1:] if line.strip())
        )
        return StoreStats(triples=triples, named_graphs=names)


def load_graphs(
    gsp_endpoint: str,
    graphs: Iterable[tuple[URIRef | None, bytes]],
    progress: Callable[[str], None] = lambda message: None,
    timeout: float = 300.0,
) -> None:
    """Replace each named graph (N-Triples) in a remote store through the Graph Store
    Protocol (PUT).

    Raises:
        QueryError: the store refused a graph; the graphs sent before it are replaced.
    """
    with httpx.Client(timeout=timeout) as client:
        for iri, body in graphs:
            response = client.put(
                gsp_endpoint,
                params={"graph": str(iri)} if iri is not None else {"default": ""},
                content=body,
                headers={"Content-Type": "application/n-triples"},
            )
            if response.status_code >= 300:
                raise QueryError(
                    "store_error",
                    f"{gsp_endpoint} refused graph <{iri}>: {response.status_code} "
                    f"{response.text[:300]}",
                )
            triples = body.count(b"\n")
            progress(f"loaded <{iri}> ({triples} triples)")
