"""Helpers shared by the web routers (home, vocabulary, VoID, dumps): SELECT queries
through the worker pool, and a small per-build cache.

Every store access goes through the service's worker pool (:meth:`SparqlService.run`), so
the query time limit and the per-client limits apply; failures are raised as
:class:`~tipkg.web.errors.ProtocolError`, which the app answers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import anyio
import pyoxigraph as ox

from tipkg.store.jobs import QueryJob
from tipkg.store.layout import build_hash as read_build_hash
from tipkg.web.service import SparqlService

T = TypeVar("T")
Row = dict[str, ox.NamedNode | ox.BlankNode | ox.Literal | None]

#: Used as the cache key when the store directory has no build.json.
NO_BUILD = "unbuilt"


def build_hash(service: SparqlService) -> str:
    """The ``hash`` of the build in service (or :data:`NO_BUILD`)."""
    return read_build_hash(service.pool.store_path) or NO_BUILD


def parse_solutions(body: bytes) -> tuple[list[str], list[Row]]:
    """Parse SPARQL JSON results into (variables, rows of Oxigraph terms)."""
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    if isinstance(parsed, ox.QueryBoolean):
        return [], []
    variables = [v.value for v in parsed.variables]
    rows = [{name: solution[name] for name in variables} for solution in parsed]
    return variables, rows


async def select(
    service: SparqlService, query: str, client: str = "", timeout: float | None = None
) -> list[Row]:
    """Evaluate a SELECT query over the store's default graph and return its rows."""
    job = QueryJob(
        query=query,
        base_iri=service.settings.base_iri,
        results_format="JSON",
        graph_format=None,
        max_result_bytes=service.settings.max_result_bytes,
    )
    result = await service.run(job, client, timeout)
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
