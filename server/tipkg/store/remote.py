"""Answer queries from an external SPARQL 1.1 store (Oxigraph server, Virtuoso, Fuseki, ...)
through the SPARQL 1.1 Protocol; :mod:`tipkg.remote_load` loads it.

``RemotePool`` has the interface of :class:`tipkg.store.pool.QueryPool`, so ``/sparql``
and the linked-data pages answer from a remote store exactly as from the embedded one.
A query past its time limit is abandoned (the HTTP request is closed); stopping the work
on the remote server is that server's job (e.g. ``oxigraph serve --timeout-s``).

The store's default graph holds tipkg's merged default graph (each distinct triple once), so
queries are sent without a union default graph. A store whose default graph is the union of
all its graphs (Virtuoso) keeps the merged graph in a named graph, ``default_graph``: each
query without a dataset of its own is then sent with that graph as ``default-graph-uri`` and
tipkg's other graphs as ``named-graph-uri``, so ``GRAPH ?g`` sees what the embedded store's
does (and not the store's system graphs).
"""

from __future__ import annotations

import re
from collections import Counter

import anyio
import httpx
import pyoxigraph as ox

from tipkg.store.jobs import (
    ClientLimit,
    NotAcceptable,
    PoolBusy,
    QueryError,
    QueryJob,
    QueryResult,
    QueryTimeout,
    StoreStats,
)
from tipkg.store.query_check import QueryInfo, QueryLimits, QueryRefused, check_query

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


# Virtuoso writes a blank node as "nodeID://b10530" in SPARQL results, which is no blank node
# label (Oxigraph's parsers refuse it): keep the label, "b10530".
_BLANK_NODE_IRIS = {
    "JSON": re.compile(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")nodeID://'),
    "XML": re.compile(rb"(<bnode>)nodeID://"),
}


class RemotePool:
    """Answer queries from a remote SPARQL endpoint (the interface of ``QueryPool``).

    Args:
        endpoint: the SPARQL query endpoint.
        graph_prefix: tipkg's graphs are the ones whose IRI starts with it.
        default_graph: the named graph holding the merge, for a store whose own default
            graph is not it (Virtuoso); None: the store's default graph.
        client_queries: most queries one client may have in flight (more: ClientLimit).
    """

    def __init__(
        self,
        endpoint: str,
        graph_prefix: str,
        default_graph: str | None = None,
        client_queries: int = 8,
    ) -> None:
        self.endpoint = endpoint
        self.store_path = endpoint  # what /health shows, and the key of per-build caches
        self.graph_prefix = graph_prefix
        self.default_graph = default_graph
        self.client_queries = client_queries
        self._named_graphs: tuple[str, ...] = ()
        self._client: httpx.AsyncClient | None = None
        self._in_flight: Counter[str] = Counter()

    async def start(self) -> None:
        self._client = httpx.AsyncClient(follow_redirects=True)
        if self.default_graph is not None:
            self._named_graphs = await self._list_graphs(timeout=60.0)

    def drain(self) -> None:
        """Nothing to drain: the remote server runs the queries."""

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

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
        info = await _inspect(job.query)
        # ask only for the kind of result the query gives: offered both, Virtuoso may answer
        # a CONSTRUCT in SPARQL JSON results
        graph = info.form in ("CONSTRUCT", "DESCRIBE")
        wanted = job.graph_format if graph else job.results_format
        if wanted is None:
            raise NotAcceptable("graph" if graph else "solutions")
        accept = GRAPH_MEDIA[wanted] if graph else RESULTS_MEDIA[wanted]
        form: list[tuple[str, str]] = [("query", job.query)]
        if job.default_graph is not None or job.named_graphs is not None:
            form += [("default-graph-uri", g) for g in job.default_graph or ()]
            form += [("named-graph-uri", g) for g in job.named_graphs or ()]
        elif self.default_graph is not None and not info.has_dataset:
            form.append(("default-graph-uri", self.default_graph))
            form += [("named-graph-uri", g) for g in self._named_graphs]
        if self._client is None:
            raise PoolBusy("the connection to the remote store is closed")
        try:
            response = await self._client.post(
                self.endpoint,
                content=str(httpx.QueryParams(form)).encode("ascii"),
                headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
                timeout=timeout,
            )
        except httpx.TimeoutException as exc:
            raise QueryTimeout(timeout, None) from exc
        except httpx.HTTPError as exc:
            detail = f"the remote store at {self.endpoint} failed: {exc}"
            raise QueryError("store_error", detail) from exc
        if response.status_code == 406:
            raise NotAcceptable("graph" if graph else "solutions")
        if response.status_code >= 400:
            code = "bad_query" if response.status_code == 400 else "store_error"
            raise QueryError(
                code, f"the remote store answered {response.status_code}: {response.text[:500]}"
            )
        media = response.headers.get("content-type", "").split(";")[0].strip()
        if media != accept:
            raise QueryError(
                "store_error", f"the remote store answered with {media!r}, not {accept!r}"
            )
        kind = "graph" if graph else "boolean" if info.form == "ASK" else "solutions"
        body = response.content
        if wanted in _BLANK_NODE_IRIS and b"nodeID://" in body:
            body = _BLANK_NODE_IRIS[wanted].sub(rb"\1", body)
        return QueryResult(kind=kind, format=wanted, body=body)  # type: ignore[arg-type]

    async def stats(self, timeout: float = 60.0) -> StoreStats:
        """Count the triples of the (merged) default graph and list tipkg's named graphs."""
        count = await self._send(
            QueryJob("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", results_format="JSON"),
            timeout,
        )
        rows = ox.parse_query_results(count.body, format=ox.QueryResultsFormat.JSON)
        triples = int(next(iter(rows))["n"].value)  # type: ignore[index,union-attr]
        self._named_graphs = await self._list_graphs(timeout)
        return StoreStats(triples=triples, named_graphs=self._named_graphs)

    async def _list_graphs(self, timeout: float) -> tuple[str, ...]:
        """tipkg's named graphs in the store (not the one holding the merged default graph)."""
        prefix = ox.Literal(self.graph_prefix)
        answer = await self._send(
            QueryJob(
                "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                f"FILTER(STRSTARTS(STR(?g), {prefix})) }}",
                default_graph=(),  # no dataset parameters: all of the store's graphs
                named_graphs=None,
                results_format="JSON",
            ),
            timeout,
        )
        rows = ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)
        graphs = {row["g"].value for row in rows}  # type: ignore[index,union-attr]
        return tuple(sorted(graphs - {self.default_graph}))


#: The web tier has checked every query; here only its form and dataset clauses are read,
#: under limits that any query the web tier let through is within.
_READ_ONLY = QueryLimits(max_chars=10_000_000, max_depth=10_000)


async def _inspect(query: str) -> QueryInfo:
    """The form of a query and whether it names its own dataset (off the event loop when
    the query is long)."""
    try:
        if len(query) <= 4096:
            return check_query(query, _READ_ONLY)
        return await anyio.to_thread.run_sync(check_query, query, _READ_ONLY)
    except QueryRefused as exc:
        raise QueryError("bad_query", exc.detail) from None
