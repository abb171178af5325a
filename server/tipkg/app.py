"""The FastAPI application: ``/sparql`` (with its worker pool), ``/health``, CORS, a request
size limit and error handlers that answer JSON (or text), never a traceback.

``create_app(settings, store_path)`` serves a store built by ``tipkg build``;
``create_app_for_files(paths, settings)`` serves arbitrary RDF files (loaded into a
temporary on-disk store, which the worker processes open read-only).
``python -m tipkg.app --data FILE... | --store DIR`` runs it with uvicorn (for development
and the conformance runner; ``tipkg serve`` is the real command).
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
import pyoxigraph as ox
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from tipkg.config import Settings, get_settings
from tipkg.dumps import create_dumps_router
from tipkg.home import create_home_router, mount_static
from tipkg.http_cache import HttpCache, ResponseCache, replay_body
from tipkg.linked_data import create_linked_data_router
from tipkg.query_pool import QueryPool
from tipkg.remote_store import RemotePool
from tipkg.sparql import SparqlService, create_sparql_router, error_response
from tipkg.sparql_lane import SparqlLane
from tipkg.vocabulary_pages import create_vocabulary_router
from tipkg.void import create_void_router
from tipkg.web_support import read_build_hash

log = logging.getLogger(__name__)


class BodySizeLimit:
    """ASGI middleware: refuse request bodies over ``limit`` bytes with 413.

    The body is read (at most ``limit`` bytes) before the app runs and then replayed, so a
    lying or missing Content-Length cannot get past it.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
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
        if self.lane is None:
            await super().__call__(scope, receive, send)
        else:
            await self.lane(scope, receive, send)

    async def full_stack(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The app without the lane: routing, middlewares, error handlers."""
        await super().__call__(scope, receive, send)


def _in_memory(settings: Settings, store_dir: Path) -> bool:
    """Whether the workers copy the store into memory: as set, or by its size."""
    if settings.in_memory is not None:
        return settings.in_memory
    try:
        info = json.loads((store_dir / "build.json").read_text(encoding="utf-8"))
        triples = sum(int(n) for n in info["triples"].values())
    except (OSError, ValueError, KeyError, AttributeError):
        try:  # a store made from files (serve --data) has no build.json: count its quads
            triples = len(ox.Store.read_only(str(store_dir)))
        except OSError:
            return False
    return triples <= settings.in_memory_max_triples


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_response(
            request, exc.status_code, code, str(exc.detail), dict(exc.headers or {})
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        detail = "; ".join(str(e.get("msg", e)) for e in exc.errors()) or "invalid request"
        return error_response(request, 400, "bad_request", detail)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "internal_error", "internal server error")


def create_app(
    settings: Settings | None = None,
    store_path: str | Path | None = None,
    *,
    endpoint: str | None = None,
    on_shutdown: Callable[[], None] | None = None,
) -> TipkgApp:
    """Build the app over an on-disk Oxigraph store (opened read-only by the workers), or
    over a remote SPARQL endpoint."""
    settings = settings or get_settings()
    pool: QueryPool | RemotePool
    if endpoint is not None:
        store_dir: Path | str = endpoint
        pool = RemotePool(endpoint, f"{settings.base_iri}graph/", settings.default_graph)
    elif store_path is None:
        raise ValueError("create_app needs the store directory (store_path) or an endpoint")
    else:
        # resolve a `current` symlink once: replacement workers must open the same build as
        # the others, even if `tipkg build` switches `current` while we serve
        store_dir = Path(store_path).resolve()
        pool = QueryPool(
            store_dir, size=settings.workers, in_memory=_in_memory(settings, store_dir)
        )
    service = SparqlService(settings=settings, pool=pool)  # type: ignore[arg-type]

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(pool.start)
        try:
            await anyio.to_thread.run_sync(service.store_stats)
            yield
        finally:
            await anyio.to_thread.run_sync(pool.close)
            if on_shutdown is not None:
                on_shutdown()

    app = TipkgApp(
        title="tipkg",
        summary="Linked data of the UN Working Group on Trafficking in Persons",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.store_path = store_dir
    app.state.sparql = service

    def get_service(request: Request) -> SparqlService:
        return request.app.state.sparql  # type: ignore[no-any-return]

    app.include_router(create_sparql_router(get_service))
    for create_router in (
        create_home_router,
        create_vocabulary_router,
        create_void_router,
        create_dumps_router,
        create_linked_data_router,
    ):
        app.include_router(create_router(get_service))
    mount_static(app)

    @app.get("/health")
    async def health() -> dict[str, object]:
        """Liveness: the store, its build hash and size, the query workers."""
        stats = service.stats
        return {
            "status": "ok",
            "store": str(store_dir),
            "build": read_build_hash(store_dir),
            "triples": stats.triples if stats else None,
            "named_graphs": len(stats.named_graphs) if stats else None,
            "query_workers": len(pool.pids()),
            "in_memory": getattr(pool, "in_memory", False),
            "query_timeout": settings.query_timeout,
        }

    _install_error_handlers(app)
    # the outermost middleware is added last: CORS headers also go on 413 answers
    cache = ResponseCache(read_build_hash(store_dir) if endpoint is None else None)
    app.add_middleware(HttpCache, cache=cache)
    app.add_middleware(BodySizeLimit, limit=settings.max_request_bytes)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST"],
        allow_headers=["Accept", "Content-Type", "Authorization"],
        allow_credentials=False,
        max_age=3600,
    )
    app.lane = SparqlLane(app.full_stack, service, cache)
    return app


def _rdf_format(path: Path) -> ox.RdfFormat:
    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
    if fmt is None:
        raise ValueError(f"{path}: unknown RDF file extension {path.suffix!r}")
    return fmt


def build_store_from_files(paths: Iterable[str | Path], store_dir: str | Path) -> Path:
    """Load RDF files into a new on-disk store: triples into the default graph, quads
    (N-Quads, TriG) into their own graphs. Returns the store directory."""
    store_dir = Path(store_dir)
    store = ox.Store(str(store_dir))
    try:
        for raw in paths:
            path = Path(raw)
            store.bulk_load(
                path=str(path), format=_rdf_format(path), base_iri=path.resolve().as_uri()
            )
        # compact what the bulk load wrote: on disk, queries then run 2.5x faster (5M triples)
        store.optimize()
        store.flush()
    finally:
        del store
    return store_dir


def create_app_for_files(paths: Sequence[str | Path], settings: Settings | None = None) -> FastAPI:
    """Serve arbitrary RDF files (no shapes, no reasoning): load them into a temporary
    store, deleted when the app shuts down. Used by ``tipkg serve --data FILE...``."""
    tmp = Path(tempfile.mkdtemp(prefix="tipkg-store-"))
    try:
        build_store_from_files(paths, tmp / "store")
    except Exception:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return create_app(
        settings, tmp / "store", on_shutdown=lambda: shutil.rmtree(tmp, ignore_errors=True)
    )


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m tipkg.app``: serve a store or RDF files with uvicorn (one web process)."""
    import uvicorn

    parser = argparse.ArgumentParser(prog="python -m tipkg.app", description=main.__doc__)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--store", help="an Oxigraph store directory built by tipkg build")
    source.add_argument("--data", nargs="+", help="RDF files to serve (any RDF syntax)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--query-timeout", type=float, help="seconds per query")
    parser.add_argument("--workers", type=int, help="query worker processes")
    args = parser.parse_args(argv)
    overrides: dict[str, object] = {}
    if args.query_timeout is not None:
        overrides["query_timeout"] = args.query_timeout
    if args.workers is not None:
        overrides["workers"] = args.workers
    settings = Settings(**overrides)  # type: ignore[arg-type]
    app = (
        create_app_for_files(args.data, settings) if args.data else create_app(settings, args.store)
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
