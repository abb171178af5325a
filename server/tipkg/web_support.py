"""Helpers shared by the web routers (home, vocabulary, VoID, dumps): the store's build
hash, SELECT queries through the worker pool, and a small per-build cache.

Every store access goes through the service's worker pool (:func:`tipkg.sparql.run_query`),
so the query time limit applies.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Generic, TypeVar

import anyio
import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import Response

from tipkg.query_pool import PoolBusy, QueryError, QueryJob, QueryResult, QueryTimeout
from tipkg.sparql import SparqlService, error_response, run_query

T = TypeVar("T")
Row = dict[str, ox.NamedNode | ox.BlankNode | ox.Literal | None]

#: Used as the cache key when the store directory has no build.json.
NO_BUILD = "unbuilt"


def read_build_hash(store_path: str | Path) -> str | None:
    """The ``hash`` field of ``build.json`` in the store directory, if any."""
    try:
        data = json.loads((Path(store_path) / "build.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = data.get("hash") if isinstance(data, dict) else None
    return str(value) if value is not None else None


def build_hash(service: SparqlService) -> str:
    """The ``hash`` of the store's ``build.json`` (or :data:`NO_BUILD`)."""
    store_path = getattr(service.pool, "store_path", None)
    return (read_build_hash(store_path) if store_path else None) or NO_BUILD


async def run_job(
    service: SparqlService, job: QueryJob, timeout: float | None = None
) -> QueryResult:
    """Run ``job`` in the pool with the service's time limit (as ``/sparql`` does)."""
    limit = timeout if timeout is not None else service.settings.query_timeout
    return await run_query(service.pool, job, limit)


def pool_error_response(request: Request, exc: QueryTimeout | PoolBusy | QueryError) -> Response:
    """The answer of a route whose store query failed: 503 (retry later) or 500."""
    if isinstance(exc, QueryTimeout):
        return error_response(request, 503, "query_timeout", str(exc), {"Retry-After": "30"})
    if isinstance(exc, PoolBusy):
        return error_response(request, 503, "busy", str(exc), {"Retry-After": "5"})
    return error_response(request, 500, exc.code, exc.detail)


def parse_solutions(body: bytes) -> tuple[list[str], list[Row]]:
    """Parse SPARQL JSON results into (variables, rows of Oxigraph terms)."""
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    if isinstance(parsed, ox.QueryBoolean):
        return [], []
    variables = [v.value for v in parsed.variables]
    rows = [{name: solution[name] for name in variables} for solution in parsed]
    return variables, rows


async def select(
    service: SparqlService, query: str, *, union: bool = True, timeout: float | None = None
) -> list[Row]:
    """Evaluate a SELECT query over the store (default graph = union) and return its rows."""
    job = QueryJob(
        query=query,
        base_iri=service.settings.base_iri,
        union_default_graph=union,
        results_format="JSON",
        graph_format=None,
        max_result_bytes=service.settings.max_result_bytes,
    )
    result = await run_job(service, job, timeout)
    return parse_solutions(result.body)[1]


def value(term: object) -> str:
    """The lexical value of a term (``""`` for an unbound variable)."""
    return "" if term is None else str(getattr(term, "value", term))


def integer(term: object) -> int:
    """The value of an integer literal (0 when unbound or not a number)."""
    try:
        return int(value(term))
    except ValueError:
        return 0


class BuildCache(Generic[T]):
    """Values computed once per store build (keyed by the build hash)."""

    def __init__(self) -> None:
        self._values: dict[tuple[str, str], T] = {}
        self._lock = anyio.Lock()

    async def get(
        self, service: SparqlService, name: str, compute: Callable[[], Awaitable[T]]
    ) -> tuple[str, T]:
        """Return (build hash, value), computing the value if this build has none yet."""
        key = (build_hash(service), name)
        if key not in self._values:
            async with self._lock:
                if key not in self._values:
                    value = await compute()
                    # a new build replaces the old one: forget the values of other builds
                    self._values = {k: v for k, v in self._values.items() if k[0] == key[0]}
                    self._values[key] = value
        return key[0], self._values[key]
