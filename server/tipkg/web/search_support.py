"""What the search, reconciliation, lookup and sitemap routes share: the index in service
(a 503 that says why when there is none), calls into it off the event loop, the public
address of a resource's page, and the answer format a client asks for."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from functools import partial
from typing import TypeVar

from fastapi import Request

from tipkg.config import Settings
from tipkg.store.jobs import QueryJob
from tipkg.store.search import IndexUnavailable, SearchIndex, SearchTimeout
from tipkg.store.search_live import LiveSearch
from tipkg.web.errors import ProtocolError
from tipkg.web.negotiation import negotiate
from tipkg.web.service import SparqlService

T = TypeVar("T")
GetSearch = Callable[[Request], LiveSearch]


def require_index(search: LiveSearch) -> SearchIndex:
    """The index in service.

    Raises:
        ProtocolError: 503 with the reason there is none, and ``Retry-After``.
    """
    try:
        return search.require()
    except IndexUnavailable as exc:
        raise ProtocolError(503, "search_unavailable", str(exc), {"Retry-After": "10"}) from None


async def call(function: Callable[..., T], *args: object, **kwargs: object) -> T:
    """Run an index call on a thread (SQLite work must not hold up the event loop).

    Raises:
        ProtocolError: 503 when the search ran past its time limit or the index went
            away under it (the server moved to a new build: try again).
    """
    try:
        return await asyncio.to_thread(partial(function, *args, **kwargs))
    except SearchTimeout as exc:
        raise ProtocolError(503, "search_timeout", str(exc), {"Retry-After": "5"}) from None
    except sqlite3.Error as exc:
        detail = f"the search index could not be read ({exc}); try again"
        raise ProtocolError(503, "search_unavailable", detail, {"Retry-After": "1"}) from None


def page_url(iri: str, settings: Settings) -> str:
    """The public address of ``iri``'s page: ``{public_url}doc/...`` for our own
    resources, the IRI itself for others."""
    prefix = f"{settings.base_iri}id/"
    if iri.startswith(prefix):
        return f"{settings.public_url}doc/{iri.removeprefix(prefix)}"
    return iri


def entity_id(iri: str, settings: Settings) -> str:
    """The reconciliation identifier of ``iri``: its path under ``{base_iri}id/``."""
    return iri.removeprefix(f"{settings.base_iri}id/")


def wants_json(request: Request, format_param: str | None) -> bool:
    """Whether to answer JSON rather than HTML: ``format=json``, or an ``Accept`` that
    prefers JSON."""
    if format_param:
        return format_param.lower() == "json"
    chosen = negotiate(request.headers.get("accept"), ["text/html", "application/json"])
    return chosen == "application/json"


#: Seconds each of the index's queries may run when a store is indexed at startup.
INDEX_QUERY_SECONDS = 600.0


async def index_query(service: SparqlService, query: str) -> bytes:
    """Evaluate one of the search index's queries on the store in service (for a store
    without an index of its own), with a long time limit and no result size limit."""
    job = QueryJob(query=query, results_format="JSON", max_result_bytes=1 << 40)
    timeout = max(service.settings.query_timeout, INDEX_QUERY_SECONDS)
    result = await service.run(job, client="tipkg-search-index", timeout=timeout)
    return result.body
