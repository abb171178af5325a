"""The SPARQL 1.1 Protocol endpoint (queries) as a reusable FastAPI router.

``GET /sparql?query=``, ``POST`` form (``query=``) and ``POST application/sparql-query``;
``default-graph-uri`` / ``named-graph-uri`` set the dataset (and win over ``FROM`` in the
query, as the Protocol says). Results are serialized by Oxigraph in a worker process
(:mod:`tipkg.store.pool`) and chosen by ``Accept`` (q-values) or a ``format`` parameter.

Safety: before any parser runs, :mod:`tipkg.store.query_check` applies the length and nesting
limits and reads the query with SPARQL's own terminals; ``SERVICE`` is refused (400) and
updates (``LOAD`` included) are refused (403, or 400 when sent as a query).
``FROM``/``FROM NAMED`` with any IRI is allowed: Oxigraph never fetches them, it only picks
graphs of the local store (an IRI that is not one of our graphs is simply an empty graph).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import Response

from tipkg.config import Settings
from tipkg.store.jobs import NotAcceptable, QueryJob
from tipkg.store.query_check import QueryInfo, QueryLimits, QueryRefused, check_query
from tipkg.web.errors import ProtocolError, error_response
from tipkg.web.http_docs import RDF_MEDIA, RESULTS_MEDIA, responses
from tipkg.web.negotiation import (
    GRAPH_FORMAT_PARAM,
    GRAPH_OFFERS,
    RESULTS_FORMAT_PARAM,
    RESULTS_OFFERS,
    content_type,
    negotiate,
    parse_accept,
)
from tipkg.web.query_text import humane, with_prefixes
from tipkg.web.service import SparqlService, client_of
from tipkg.web.service_description import service_description_response


@dataclass
class _Params:
    queries: list[str]
    updates: list[str]
    default_graphs: list[str]
    named_graphs: list[str]
    formats: list[str]
    others: int


def decode_pairs(raw: bytes, where: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(
            raw.decode("ascii"), keep_blank_values=True, encoding="utf-8", errors="strict"
        )
    except UnicodeDecodeError:
        raise ProtocolError(400, "bad_encoding", f"the {where} is not valid UTF-8") from None


def collect_params(pairs: Iterable[tuple[str, str]]) -> _Params:
    p = _Params([], [], [], [], [], 0)
    for name, value in pairs:
        if name == "query":
            p.queries.append(value)
        elif name == "update":
            p.updates.append(value)
        elif name == "default-graph-uri":
            p.default_graphs.append(value)
        elif name == "named-graph-uri":
            p.named_graphs.append(value)
        elif name == "format":
            p.formats.append(value)
        else:
            p.others += 1
    return p


def _media(request: Request) -> tuple[str, dict[str, str]]:
    raw = request.headers.get("content-type", "")
    parts = [p.strip() for p in raw.split(";")]
    params = {}
    for part in parts[1:]:
        key, _, value = part.partition("=")
        params[key.strip().lower()] = value.strip().strip('"')
    return parts[0].lower(), params


def _check_charset(params: dict[str, str]) -> None:
    charset = params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise ProtocolError(
            415, "unsupported_charset", f"request bodies must be UTF-8, not {charset}"
        )


def _utf8(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "bad_encoding", f"the {what} is not valid UTF-8") from None


async def read_params(request: Request) -> _Params:
    """Gather the protocol parameters of a GET or POST request (see the Protocol, §2.1)."""
    url_pairs = decode_pairs(request.scope.get("query_string", b""), "query string")
    if request.method == "GET":
        return collect_params(url_pairs)
    media, ctype_params = _media(request)
    body = await request.body()
    if media == "application/x-www-form-urlencoded":
        _check_charset(ctype_params)
        return collect_params(url_pairs + decode_pairs(body, "request body"))
    if media in ("application/sparql-query", "application/sparql-update"):
        _check_charset(ctype_params)
        params = collect_params(url_pairs)
        text = _utf8(body, "request body")
        if params.queries or params.updates:
            raise ProtocolError(
                400,
                "bad_request",
                f"with {media} the operation is the request body; "
                "do not also give query= or update= in the URL",
            )
        if not text.strip():
            what = "query" if media.endswith("query") else "update"
            raise ProtocolError(400, "missing_query", f"the request body (the {what}) is empty")
        (params.queries if media.endswith("query") else params.updates).append(text)
        return params
    shown = media or "no Content-Type"
    raise ProtocolError(
        415,
        "unsupported_media_type",
        f"POST needs Content-Type application/x-www-form-urlencoded, "
        f"application/sparql-query or application/sparql-update, not {shown}",
    )


def _pick_formats(
    accept: str | None, params: _Params
) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """(media type, format name) for a solutions/boolean result and for a graph result.

    ``format`` may be given more than once (SPARQLWrapper sends it twice, e.g. ``json-ld``
    and ``json``, and some clients send a comma-separated list): for each kind of result
    the first value that names one of its formats wins; values that name none are passed
    over, and only when no value names any format is the request refused.
    """
    if params.formats:
        keys = [k.strip().lower() for f in params.formats for k in f.split(",") if k.strip()]
        results = next(
            (
                RESULTS_FORMAT_PARAM.get(k) or k
                for k in keys
                if RESULTS_FORMAT_PARAM.get(k) or k in dict(RESULTS_OFFERS)
            ),
            None,
        )
        graph = next(
            (
                GRAPH_FORMAT_PARAM.get(k) or k
                for k in keys
                if GRAPH_FORMAT_PARAM.get(k) or k in dict(GRAPH_OFFERS)
            ),
            None,
        )
        if results is None and graph is None:
            known = sorted(set(RESULTS_FORMAT_PARAM) | set(GRAPH_FORMAT_PARAM))
            given = ", ".join(repr(f) for f in params.formats)
            raise ProtocolError(
                400,
                "unknown_format",
                f"unknown format {given}; use one of {', '.join(known)}",
            )
        results_pick = (results, dict(RESULTS_OFFERS)[results]) if results else None
        graph_pick = (graph, dict(GRAPH_OFFERS)[graph]) if graph else None
        return results_pick, graph_pick
    ranges = parse_accept(accept)
    results = negotiate(ranges, [m for m, _ in RESULTS_OFFERS])
    graph = negotiate(ranges, [m for m, _ in GRAPH_OFFERS])
    return (
        (results, dict(RESULTS_OFFERS)[results]) if results else None,
        (graph, dict(GRAPH_OFFERS)[graph]) if graph else None,
    )


def _not_acceptable(kind: str, offers: Iterable[tuple[str, str]]) -> ProtocolError:
    listed = ", ".join(dict.fromkeys(m for m, _ in offers))
    return ProtocolError(
        406, "not_acceptable", f"a {kind} result can be returned as one of: {listed}"
    )


def _check_update_auth(service: SparqlService, authorization: str | None) -> None:
    """Updates: 401 without the right token when one is configured, else 403 (read-only)."""
    token = service.settings.update_token
    if token:
        if authorization != f"Bearer {token}":
            raise ProtocolError(
                401,
                "unauthorized",
                "SPARQL Update needs an Authorization: Bearer token",
                {"WWW-Authenticate": 'Bearer realm="tipkg"'},
            )
        raise ProtocolError(
            403,
            "updates_unavailable",
            "updates are not possible in this deployment: the store is read-only "
            "(change the data in Git and rebuild with tipkg build)",
        )
    raise ProtocolError(
        403,
        "updates_disabled",
        "SPARQL Update is disabled on this endpoint: the store is read-only "
        "(change the data in Git and rebuild with tipkg build)",
    )


def check_safe(query: str, settings: Settings) -> QueryInfo:
    """Check a query before any parser sees it: the resource limits and the SPARQL
    terminals (:func:`tipkg.query_check.check_query`), then no update and no SERVICE.

    Raises:
        ProtocolError: 400 over a limit, on a syntax error the check sees, for an update
            (``update_as_query``) or for SERVICE (``service_refused``).
    """
    limits = QueryLimits(max_chars=settings.max_query_chars, max_depth=settings.max_query_depth)
    try:
        info = check_query(query, limits)
    except QueryRefused as exc:
        raise ProtocolError(exc.status, exc.code, exc.detail) from None
    if info.form == "UPDATE":
        raise ProtocolError(
            400,
            "update_as_query",
            "this is a SPARQL Update, not a query: updates are sent as update= and are "
            "disabled on this endpoint (its store is read-only)",
        )
    if info.uses_service:
        raise ProtocolError(
            400,
            "service_refused",
            "SERVICE (federated query) is not allowed on this endpoint: "
            "it would make the server fetch other endpoints",
        )
    return info


#: Longer queries are checked in a thread: a crafted text near the length limit can take
#: the check a second, which must not hold up the event loop.
_CHECK_INLINE_CHARS = 4096


async def check_safe_async(query: str, settings: Settings) -> QueryInfo:
    """:func:`check_safe`, off the event loop for long queries."""
    if len(query) <= _CHECK_INLINE_CHARS:
        return check_safe(query, settings)
    return await anyio.to_thread.run_sync(check_safe, query, settings)


@dataclass(frozen=True)
class PreparedQuery:
    """A checked query request: the job for a worker and the media type per result kind."""

    job: QueryJob
    results_pick: tuple[str, str] | None
    graph_pick: tuple[str, str] | None
    added: int = 0  # characters of predeclared prefixes put before the query


async def prepare(
    service: SparqlService,
    params: _Params,
    accept: str | None,
    method: str = "GET",
    authorization: str | None = None,
) -> PreparedQuery | None:
    """Check the protocol parameters of a query request and make its job; ``None`` when
    the request asks for the service description (GET without a query).

    Raises:
        ProtocolError: anything the Protocol (or this endpoint) does not allow.
    """
    if params.queries and params.updates:
        raise ProtocolError(400, "bad_request", "give either query or update, not both")
    if len(params.queries) > 1 or len(params.updates) > 1:
        what = "query" if len(params.queries) > 1 else "update"
        raise ProtocolError(400, "bad_request", f"give exactly one {what} parameter")
    if params.updates:
        if method == "GET":
            raise ProtocolError(400, "bad_request", "SPARQL Update must be sent with POST")
        _check_update_auth(service, authorization)
    if not params.queries:
        if method == "GET" and not (params.default_graphs or params.named_graphs or params.formats):
            return None
        raise ProtocolError(400, "missing_query", "no query: give the SPARQL query as query=")
    if not params.queries[0].strip():
        raise ProtocolError(400, "missing_query", "the query is empty")
    query, added = with_prefixes(params.queries[0])
    try:
        await check_safe_async(query, service.settings)  # the final text, prefixes included
    except ProtocolError as exc:
        raise humane(exc, query, added) from None
    # No early 406 from the scanned form: a syntax error (400) comes first, and the worker
    # checks the format before the (lazy) solutions are computed.
    results_pick, graph_pick = _pick_formats(accept, params)
    settings = service.settings
    protocol_dataset = bool(params.default_graphs or params.named_graphs)
    job = QueryJob(
        query=query,
        base_iri=settings.base_iri,
        default_graph=tuple(params.default_graphs) if protocol_dataset else None,
        named_graphs=tuple(params.named_graphs) if protocol_dataset else None,
        results_format=results_pick[1] if results_pick else None,
        graph_format=graph_pick[1] if graph_pick else None,
        max_result_bytes=settings.max_result_bytes,
    )
    return PreparedQuery(job, results_pick, graph_pick, added)


async def evaluate(
    service: SparqlService, prepared: PreparedQuery, client: str
) -> tuple[bytes, str]:
    """Run a prepared query on the pool: (serialized result, Content-Type).

    Raises:
        ProtocolError: time limit (503), no worker (503), too many queries of this client
            (429), 406, or the query's own error.
    """
    try:
        result = await service.run(prepared.job, client)
    except ProtocolError as exc:
        raise humane(exc, prepared.job.query, prepared.added) from None
    except NotAcceptable as exc:
        if exc.kind == "graph":
            raise _not_acceptable("CONSTRUCT/DESCRIBE", GRAPH_OFFERS) from None
        raise _not_acceptable("SELECT/ASK", RESULTS_OFFERS) from None
    pick = prepared.graph_pick if result.kind == "graph" else prepared.results_pick
    if pick is None:  # the worker answers not_acceptable instead
        raise ProtocolError(500, "internal_error", "no format for the result")
    return result.body, content_type(pick[0])


async def answer(service: SparqlService, request: Request) -> Response:
    """Handle one /sparql request (GET or POST)."""
    params = await read_params(request)
    headers = request.headers
    prepared = await prepare(
        service, params, headers.get("accept"), request.method, headers.get("authorization")
    )
    if prepared is None:
        return await service_description_response(service, request)
    body, media = await evaluate(service, prepared, client_of(request.scope))
    return Response(body, media_type=media, headers={"Vary": "Accept"})


# --------------------------------------------------------------------------- router


_PROTOCOL_FIELDS: dict[str, Any] = {
    "query": {"type": "string", "description": "the SPARQL query"},
    "default-graph-uri": {"type": "array", "items": {"type": "string"}},
    "named-graph-uri": {"type": "array", "items": {"type": "string"}},
    "format": {"type": "string", "description": "a result format, e.g. json, csv, ttl"},
}
_PROTOCOL_PARAMETERS = [
    {"name": name, "in": "query", "required": False, "schema": schema}
    for name, schema in _PROTOCOL_FIELDS.items()
]
_PROTOCOL_BODY = {
    "content": {
        "application/x-www-form-urlencoded": {
            "schema": {"type": "object", "properties": _PROTOCOL_FIELDS}
        },
        "application/sparql-query": {"schema": {"type": "string"}},
    }
}


def create_sparql_router(
    get_service: Callable[[Request], SparqlService], path: str = "/sparql"
) -> APIRouter:
    """A router serving the SPARQL 1.1 Protocol (queries) at ``path``.

    ``get_service`` returns the :class:`SparqlService` for a request (typically from
    ``request.app.state``), so the router holds no global state.
    """
    router = APIRouter()
    answers = responses(RESULTS_MEDIA + RDF_MEDIA, 303, 400, 401, 403, 406, 415, 429, 503)

    async def sparql(request: Request) -> Response:
        try:
            return await answer(get_service(request), request)
        except ProtocolError as exc:
            return error_response(request, exc.status, exc.code, exc.detail, exc.headers)

    router.add_api_route(
        path,
        sparql,
        methods=["GET"],
        operation_id="sparql_query_get",
        summary="SPARQL 1.1 query (GET); without a query, the service description",
        responses=answers,
        openapi_extra={"parameters": _PROTOCOL_PARAMETERS},
    )
    router.add_api_route(
        path,
        sparql,
        methods=["POST"],
        operation_id="sparql_query_post",
        summary="SPARQL 1.1 query (POST: a form, or the query as the body)",
        responses=answers,
        openapi_extra={"requestBody": _PROTOCOL_BODY},
    )

    @router.api_route(
        path, methods=["PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"], include_in_schema=False
    )
    async def other_methods(request: Request) -> Response:
        """Anything but GET and POST: 405 with an Allow header."""
        return error_response(
            request,
            405,
            "method_not_allowed",
            f"{request.method} is not supported here; use GET or POST",
            {"Allow": "GET, POST"},
        )

    return router
