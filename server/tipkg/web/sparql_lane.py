"""The fast lane for SPARQL queries: ``GET /sparql?query=...`` (what SPARQLWrapper and
most tools send) and ``POST`` with a form or ``application/sparql-query`` (what YASGUI sends).

A light query costs the worker well under a millisecond, so the per-request machinery
around it dominates: FastAPI's routing, the Starlette ``Request``/``Response`` objects and
five middleware layers cost more than the query itself (profiled with py-spy). The lane
answers such requests directly on ASGI, ahead of all of that, with the same parts the
full stack uses: the protocol checks and the worker call
(:func:`~tipkg.web.sparql_protocol.prepare`, :func:`~tipkg.web.sparql_protocol.evaluate`),
the ETag, 304 and LRU cache (:class:`ResponseCache`) and
the same CORS headers as ``CORSMiddleware(allow_origins=["*"])``. Protocol errors and
anything else (updates, the service description, protocol datasets, bodies over the size
limit) go to the full stack, which answers them as before.
"""

from __future__ import annotations

import logging

from starlette._utils import get_route_path
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tipkg.web.errors import ProtocolError, error_response
from tipkg.web.http_cache import (
    Cached,
    ResponseCache,
    replay_body,
    send_not_modified,
    send_response,
)
from tipkg.web.security_headers import with_security
from tipkg.web.service import SparqlService, client_of
from tipkg.web.sparql_protocol import collect_params, decode_pairs, evaluate, prepare, read_params

log = logging.getLogger(__name__)


def with_cors(headers: list[tuple[bytes, bytes]], origin: bool) -> list[tuple[bytes, bytes]]:
    """The headers ``CORSMiddleware(allow_origins=["*"])`` and the app's security headers
    send: ``Vary`` gains ``Origin``; a request with an ``Origin`` gets
    ``Access-Control-Allow-Origin: *``."""
    out = [(k, v + b", Origin") if k == b"vary" else (k, v) for k, v in headers]
    if not any(k == b"vary" for k, _ in headers):
        out.append((b"vary", b"Origin"))
    if origin:
        out.append((b"access-control-allow-origin", b"*"))
    return with_security(out)


class SparqlLane:
    """Outermost ASGI layer: answers SPARQL query requests, passes on the rest.

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
            or scope["method"] not in ("GET", "POST")
            or get_route_path(scope) != self.path
        ):
            await self.app(scope, receive, send)
            return
        body = b""
        if scope["method"] == "POST":
            read = await self._read_body(receive)
            if read is None:
                return  # the client went away
            body, complete = read
            receive = replay_body(body, receive)
            if not complete:  # over the limit: the full stack answers 413
                await self.app(scope, receive, send)
                return
        if not await self._answer(scope, send, body):
            await self.app(scope, receive, send)

    async def _read_body(self, receive: Receive) -> tuple[bytes, bool] | None:
        """The request body and whether it is all there (False: over the size limit)."""
        limit = self.service.settings.max_request_bytes
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                return b"".join(chunks), False
            more = message.get("more_body", False)
        return b"".join(chunks), True

    async def _answer(self, scope: Scope, send: Send, body: bytes) -> bool:
        """Answer the request and return True, or return False having sent nothing."""
        headers = dict(scope["headers"])
        origin = b"origin" in headers
        get = scope["method"] == "GET"
        caching = self.cache.build_hash is not None
        if caching:
            etag = self.cache.etag(scope, body, headers)
            if get and self.cache.not_modified(etag, headers):
                await send_not_modified(send, etag, self.cache.cache_control)
                return True
            hit = self.cache.get(etag)
            if hit is not None:
                await send_response(send, 200, with_cors(hit.headers, origin), hit.body)
                return True
        try:
            if get:
                params = collect_params(decode_pairs(scope["query_string"], "query string"))
            else:
                params = await read_params(Request(scope, replay_body(body, _no_more)))
            if params.updates or params.default_graphs or params.named_graphs:
                return False
            accept = headers.get(b"accept")
            prepared = await prepare(
                self.service, params, accept.decode() if accept else None, scope["method"]
            )
        except (ProtocolError, UnicodeDecodeError):
            return False  # the full stack answers the error, as it would anyway
        if prepared is None:
            return False  # the service description
        try:
            result, media = await evaluate(self.service, prepared, client_of(scope))
        except ProtocolError as exc:
            await self._error(scope, send, origin, exc.status, exc.code, exc.detail, exc.headers)
            return True
        except Exception:  # as the app's handler would: logged, and a 500 without details
            log.exception("unhandled error on %s %s", scope["method"], self.path)
            await self._error(scope, send, origin, 500, "internal_error", "internal server error")
            return True
        stored = [(b"content-type", media.encode()), (b"vary", b"Accept")]
        if caching:
            stored += [(b"etag", etag), (b"cache-control", self.cache.cache_control)]
            self.cache.put(etag, Cached(stored, result))
        await send_response(send, 200, with_cors(stored, origin), result)
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


async def _no_more() -> Message:
    """After the replayed body: the client has nothing more to send."""
    return {"type": "http.disconnect"}
