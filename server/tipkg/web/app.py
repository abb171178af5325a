"""The FastAPI application: ``/sparql`` (with its worker pool), ``/health``, CORS, a request
size limit and error handlers that answer JSON (or text), never a traceback.

``create_app(settings, store_path)`` serves a store built by ``tipkg build``;
``create_app_for_files(paths, settings)`` serves arbitrary RDF files (loaded into a
temporary on-disk store, which the worker processes open read-only); :func:`serve` runs
either with uvicorn (``tipkg serve``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from types import FrameType
from urllib.parse import unquote_to_bytes

import uvicorn
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tipkg.config import Settings, get_settings
from tipkg.store.files import build_store_from_files
from tipkg.store.layout import Lease, build_hash
from tipkg.store.live import default_graph_is_merged, describe_store, follow_builds, in_memory_for
from tipkg.store.pool import PoolLimits, QueryPool
from tipkg.store.remote import RemotePool
from tipkg.store.search_live import LiveSearch
from tipkg.web.dumps import create_dumps_router
from tipkg.web.errors import ProtocolError, error_response
from tipkg.web.home import create_home_router, mount_static
from tipkg.web.http_cache import HttpCache, ResponseCache, replay_body
from tipkg.web.http_docs import describe_api, responses
from tipkg.web.linked_data import create_linked_data_router
from tipkg.web.lookup import create_lookup_router
from tipkg.web.reconcile import create_reconcile_router
from tipkg.web.search_page import create_search_router as create_search_page_router
from tipkg.web.search_support import index_query
from tipkg.web.security_headers import SecurityHeaders
from tipkg.web.service import SparqlService
from tipkg.web.sitemap import create_sitemap_router
from tipkg.web.sparql_lane import SparqlLane
from tipkg.web.sparql_protocol import create_sparql_router
from tipkg.web.vocabulary_pages import create_vocabulary_router
from tipkg.web.void import create_void_router

log = logging.getLogger(__name__)


class RequestLimits:
    """ASGI middleware: refuse a path that does not decode as UTF-8 (400) and request
    bodies over ``limit`` bytes (413).

    The body is read (at most ``limit`` bytes) before the app runs and then replayed, so a
    lying or missing Content-Length cannot get past it.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw_path = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
        try:
            unquote_to_bytes(raw_path).decode("utf-8")
        except UnicodeDecodeError:
            detail = "the path is not valid UTF-8: percent-encoded bytes must spell UTF-8"
            response = error_response(Request(scope), 400, "bad_path", detail)
            await response(scope, receive, send)
            return
        if scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        too_big = declared is not None and declared.isdigit() and int(declared) > self.limit
        chunks: list[bytes] = []
        size = 0
        more = not too_big
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                too_big = True
                break
            chunks.append(chunk)
            more = message.get("more_body", False)
        if too_big:
            request = Request(scope)
            detail = f"the request body is larger than the {self.limit:,} byte limit"
            response = error_response(request, 413, "request_too_large", detail)
            await response(scope, receive, send)
            return
        await self.app(scope, replay_body(b"".join(chunks), receive), send)


class TipkgApp(FastAPI):
    """FastAPI with :class:`~tipkg.sparql_lane.SparqlLane` in front of its whole stack."""

    lane: SparqlLane | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "HEAD":
            # HEAD on every GET route (RFC 9110 9.3.2): the GET's status and headers
            # (Content-Length included), no body
            scope = {**scope, "method": "GET"}
            send = _without_body(send)
        if self.lane is None:
            await super().__call__(scope, receive, send)
        else:
            await self.lane(scope, receive, send)

    async def full_stack(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The app without the lane: routing, middlewares, error handlers."""
        await super().__call__(scope, receive, send)


def _without_body(send: Send) -> Send:
    """``send`` that passes a response's start and drops its body (for HEAD)."""

    async def send_head(message: Message) -> None:
        if message["type"] == "http.response.body":
            if not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b"", "more_body": False})
            return
        await send(message)

    return send_head


def install_error_handlers(app: FastAPI) -> None:
    """Answer every error as JSON (or text): protocol errors, 404/405, bad parameters, and
    anything unexpected (logged, 500 without details)."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_response(
            request, exc.status_code, code, str(exc.detail), dict(exc.headers or {})
        )

    @app.exception_handler(ProtocolError)
    async def protocol_error(request: Request, exc: ProtocolError) -> Response:
        return error_response(request, exc.status, exc.code, exc.detail, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        detail = "; ".join(str(e.get("msg", e)) for e in exc.errors()) or "invalid request"
        return error_response(request, 400, "bad_request", detail)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "internal_error", "internal server error")


def pool_limits(settings: Settings) -> PoolLimits:
    """How the query workers are shared, from the settings."""
    return PoolLimits(
        size=settings.workers,
        max_size=settings.worker_limit,
        client_workers=settings.client_worker_limit,
        client_queries=settings.client_queries,
        max_waiting=settings.max_queued,
        max_wait=settings.max_queue_wait,
    )


def create_app(
    settings: Settings | None = None,
    store_path: str | Path | None = None,
    *,
    endpoint: str | None = None,
    follow: Path | None = None,
    on_shutdown: Callable[[], None] | None = None,
) -> TipkgApp:
    """Build the app over an on-disk Oxigraph store (opened read-only by the workers), or
    over a remote SPARQL endpoint.

    Args:
        settings: the settings (default: from the environment).
        store_path: the store directory to serve.
        endpoint: a remote SPARQL endpoint to answer from instead.
        follow: a store directory of ``tipkg build`` whose ``current`` build to follow:
            each new build is served as soon as it is complete, and every build a worker
            still uses is leased so that retention keeps it.
        on_shutdown: called when the app stops.
    """
    settings = settings or get_settings()
    pool: QueryPool | RemotePool
    if endpoint is not None:
        pool = RemotePool(
            endpoint,
            f"{settings.base_iri}graph/",
            settings.default_graph,
            settings.client_queries,
        )
    elif store_path is None:
        raise ValueError("create_app needs the store directory (store_path) or an endpoint")
    else:
        # the build itself, not a `current` link: new workers of this pool open this build
        # until the pool is switched to another one
        store_dir = Path(store_path).resolve()
        pool = QueryPool(
            store_dir,
            pool_limits(settings),
            in_memory=in_memory_for(settings, store_dir),
            merged=default_graph_is_merged(store_dir),
        )
    service = SparqlService(settings=settings, pool=pool)  # type: ignore[arg-type]
    cache = ResponseCache(build_hash(pool.store_path) if isinstance(pool, QueryPool) else None)
    search = LiveSearch(settings.base_iri, partial(index_query, service))

    def switched(build: Path) -> None:
        service.stats = None
        cache.reset(build_hash(build))
        search.follow(build)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        lease = Lease(follow) if follow is not None and isinstance(pool, QueryPool) else None
        if lease is not None:
            lease.hold({pool.store_path})
        follower: asyncio.Task[None] | None = None
        try:
            await pool.start()
            await service.store_stats()
            search.follow(pool.store_path if isinstance(pool, QueryPool) else None)
            if lease is not None and follow is not None and isinstance(pool, QueryPool):
                follower = asyncio.create_task(
                    follow_builds(follow, pool, settings, switched, lease)
                )
            yield
        finally:
            if follower is not None:
                follower.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await follower
            await search.close()
            await pool.close()
            if lease is not None:
                lease.release()
            if on_shutdown is not None:
                on_shutdown()

    app = TipkgApp(
        title="tipkg",
        summary="Linked data of the UN Working Group on Trafficking in Persons",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.sparql = service
    app.state.search = search

    def get_service(request: Request) -> SparqlService:
        return request.app.state.sparql  # type: ignore[no-any-return]

    def get_search(request: Request) -> LiveSearch:
        return request.app.state.search  # type: ignore[no-any-return]

    app.include_router(create_sparql_router(get_service))
    for create_router in (
        create_home_router,
        create_vocabulary_router,
        create_void_router,
        create_dumps_router,
    ):
        app.include_router(create_router(get_service))
    app.include_router(create_linked_data_router(get_service, get_search))
    for create_search_router in (
        create_search_page_router,
        create_reconcile_router,
        create_lookup_router,
        create_sitemap_router,
    ):
        app.include_router(create_search_router(get_service, get_search))
    mount_static(app)

    @app.get(
        "/health",
        responses={
            **responses(("application/json",)),
            503: {
                "description": "Degraded: no query worker can run (see reason)",
                "content": {"application/json": {}},
            },
        },
    )
    async def health() -> JSONResponse:
        """Liveness: the build in service, its size, the query workers and their state."""
        state = pool.health()
        if isinstance(pool, QueryPool):
            where = describe_store(Path(pool.store_path))
        else:
            where = {"build": None, "store": pool.store_path}
        degraded = bool(state.get("error")) and not state.get("query_workers")
        stats = service.stats
        body = {
            "status": "degraded" if degraded else "ok",
            "reason": state.get("error") if degraded else None,
            **where,
            "triples": stats.triples if stats else None,
            "named_graphs": len(stats.named_graphs) if stats else None,
            **state,
            "query_timeout": settings.query_timeout,
            "search_index": search.status(),
        }
        return JSONResponse(body, status_code=503 if degraded else 200)

    install_error_handlers(app)
    # the outermost middleware is added last: CORS and security headers go on every answer
    app.add_middleware(HttpCache, cache=cache)
    app.add_middleware(RequestLimits, limit=settings.max_request_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST"],
        allow_headers=["Accept", "Content-Type", "Authorization"],
        allow_credentials=False,
        max_age=3600,
    )
    app.add_middleware(SecurityHeaders)
    app.lane = SparqlLane(app.full_stack, service, cache)
    app.openapi = lambda: describe_api(app)  # type: ignore[method-assign]
    return app


#: On SIGTERM or Ctrl-C: running requests get this long, waiting queries are answered 503 at
#: once, then the connections close and the workers stop (well within 10 s in all).
GRACEFUL_SHUTDOWN_SECONDS = 5


class _Server(uvicorn.Server):
    """uvicorn's server, telling the app when shutdown begins (not only when it ends), so
    that queries still waiting for a worker are answered 503 instead of cut off."""

    def __init__(self, config: uvicorn.Config, on_exit: Callable[[], None]) -> None:
        super().__init__(config)
        self.on_exit = on_exit

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if not self.should_exit:
            asyncio.get_event_loop().call_soon_threadsafe(self.on_exit)
        super().handle_exit(sig, frame)


def serve(app: TipkgApp | FastAPI, host: str, port: int, settings: Settings) -> None:
    """Run ``app`` with uvicorn (uvloop, httptools, no access log) until SIGTERM/Ctrl-C.

    The client address (for the per-client limits) comes from ``X-Forwarded-For`` only
    when the peer is one of the ``trusted_proxies``.
    """
    service: SparqlService = app.state.sparql
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        loop="uvloop",
        http="httptools",
        access_log=False,
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=settings.trusted_proxies or None,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )
    _Server(config, on_exit=service.pool.drain).run()


def create_app_for_files(paths: Sequence[str | Path], settings: Settings | None = None) -> FastAPI:
    """Serve arbitrary RDF files (no shapes, no reasoning): load them into a temporary
    store, deleted when the app shuts down. Used by ``tipkg serve --data FILE...``; with
    the ``union_default_graph`` setting the default graph is the merge of all graphs."""
    settings = settings or get_settings()
    tmp = Path(tempfile.mkdtemp(prefix="tipkg-store-"))
    try:
        build_store_from_files(
            paths, tmp / "store", merge=settings.union_default_graph, base_iri=settings.base_iri
        )
    except Exception:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return create_app(
        settings, tmp / "store", on_shutdown=lambda: shutil.rmtree(tmp, ignore_errors=True)
    )
