"""The fast lane for ``GET /sparql?query=...``, the request researchers' tools send most.

A light query costs the worker well under a millisecond, so the per-request machinery
around it dominates: FastAPI's routing, the Starlette ``Request``/``Response`` objects and
five middleware layers cost more than the query itself (profiled with py-spy). The lane
answers such requests directly on ASGI, ahead of all of that, with the same parts the
full stack uses: the protocol checks and the worker call (:func:`tipkg.sparql.prepare`,
:func:`tipkg.sparql.evaluate`), the ETag, 304 and LRU cache (:class:`ResponseCache`) and
the same CORS headers as ``CORSMiddleware(allow_origins=["*"])``. Errors and anything
else (POST, the service description, protocol datasets) go to the full stack, which
answers them as before.
"""

from __future__ import annotations

import logging

from starlette._utils import get_route_path
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from tipkg.http_cache import Cached, ResponseCache, send_not_modified, send_response
from tipkg.sparql import (
    ProtocolError,
    SparqlService,
    collect_params,
    decode_pairs,
    error_response,
    evaluate,
    prepare,
)

log = logging.getLogger(__name__)


def with_cors(headers: list[tuple[bytes, bytes]], origin: bool) -> list[tuple[bytes, bytes]]:
    """The headers ``CORSMiddleware(allow_origins=["*"])`` sends: ``Vary`` gains
    ``Origin``; a request with an ``Origin`` gets ``Access-Control-Allow-Origin: *``."""
    out = [(k, v + b", Origin") if k == b"vary" else (k, v) for k, v in headers]
    if not any(k == b"vary" for k, _ in headers):
        out.append((b"vary", b"Origin"))
    if origin:
        out.append((b"access-control-allow-origin", b"*"))
    return out


class SparqlLane:
    """Outermost ASGI layer: answers ``GET /sparql`` with a query, passes on the rest.

    Args:
        app: the full application (everything not taken here goes to it).
        service: the SPARQL service (settings and worker pool).
        cache: the response cache shared with the :class:`~tipkg.http_cache.HttpCache`
            middleware of the full stack, so both answer 304s and hits alike.
        path: where the endpoint is.
    """

    def __init__(
        self, app: ASGIApp, service: SparqlService, cache: ResponseCache, path: str = "/sparql"
    ) -> None:
        self.app = app
        self.service = service
        self.cache = cache
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or get_route_path(scope) != self.path
            or not await self._answer(scope, send)
        ):
            await self.app(scope, receive, send)

    async def _answer(self, scope: Scope, send: Send) -> bool:
        """Answer the request and return True, or return False having sent nothing."""
        headers = dict(scope["headers"])
        origin = b"origin" in headers
        caching = self.cache.build_hash is not None
        if caching:
            etag = self.cache.etag(scope, b"", headers)
            if self.cache.not_modified(etag, headers):
                await send_not_modified(send, etag, self.cache.cache_control)
                return True
            hit = self.cache.get(etag)
            if hit is not None:
                await send_response(send, 200, with_cors(hit.headers, origin), hit.body)
                return True
        try:
            params = collect_params(decode_pairs(scope["query_string"], "query string"))
            if params.updates or params.default_graphs or params.named_graphs:
                return False
            accept = headers.get(b"accept")
            prepared = prepare(self.service, params, accept.decode() if accept else None)
        except (ProtocolError, UnicodeDecodeError):
            return False  # the full stack answers the error, as it would anyway
        if prepared is None:
            return False  # the service description
        try:
            body, media = await evaluate(self.service, prepared)
        except ProtocolError as exc:
            await self._error(scope, send, origin, exc.status, exc.code, exc.detail, exc.headers)
            return True
        except Exception:  # as the app's handler would: logged, and a 500 without details
            log.exception("unhandled error on GET %s", self.path)
            await self._error(scope, send, origin, 500, "internal_error", "internal server error")
            return True
        stored = [(b"content-type", media.encode()), (b"vary", b"Accept")]
        if caching:
            stored += [(b"etag", etag), (b"cache-control", self.cache.cache_control)]
            self.cache.put(etag, Cached(stored, body))
        await send_response(send, 200, with_cors(stored, origin), body)
        return True

    @staticmethod
    async def _error(
        scope: Scope,
        send: Send,
        origin: bool,
        status: int,
        code: str,
        detail: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        response = error_response(Request(scope), status, code, detail, headers)
        raw = [(k, v) for k, v in response.raw_headers if k != b"content-length"]
        await send_response(send, status, with_cors(raw, origin), bytes(response.body))
