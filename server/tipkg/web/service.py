"""The web tier's handle on the store: the settings, the store backend (the embedded pool
or a remote store) and its cached statistics; every route runs its queries through it,
so the time limit and the per-client limits apply."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.types import Scope

from tipkg.config import Settings
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
from tipkg.store.pool import QueryPool
from tipkg.web.errors import store_error


@dataclass
class SparqlService:
    """What the routes need: the settings, the store's query pool and (cached) store stats."""

    settings: Settings
    pool: QueryPool
    stats: StoreStats | None = None

    async def store_stats(self) -> StoreStats:
        """The store's triple count and named graphs, computed once per build."""
        if self.stats is None:
            try:
                self.stats = await self.pool.stats(timeout=max(self.settings.query_timeout, 60.0))
            except (QueryTimeout, PoolBusy, QueryError) as exc:
                raise store_error(exc) from None
        return self.stats

    async def run(self, job: QueryJob, client: str, timeout: float | None = None) -> QueryResult:
        """Evaluate ``job`` for ``client`` within the time limit (the setting by default).

        Raises:
            NotAcceptable: the client accepts no format for the query's kind of result.
            ProtocolError: the time limit, a busy pool, a client over its share, the
                query's own error (:func:`store_error`).
        """
        limit = self.settings.query_timeout if timeout is None else timeout
        try:
            return await self.pool.run(job, timeout=limit, client=client)
        except NotAcceptable:
            raise
        except (QueryTimeout, PoolBusy, ClientLimit, QueryError) as exc:
            raise store_error(exc) from None


def client_of(scope: Scope) -> str:
    """Who sends a request, for the per-client limits: the peer address, or the address a
    trusted proxy forwarded (uvicorn rewrites the peer from X-Forwarded-For only for the
    proxies in ``--forwarded-allow-ips``, which ``tipkg serve`` sets from the settings)."""
    peer = scope.get("client")
    return str(peer[0]) if peer else ""
