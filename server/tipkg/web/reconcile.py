"""``/reconcile``: the W3C Reconciliation Service API 0.2, what OpenRefine speaks.

* ``GET /reconcile``: the service manifest; with ``queries=`` a reconciliation batch, with
  ``extend=`` a data extension query (both JSON, URL-encoded);
* ``POST /reconcile``: the same as ``application/x-www-form-urlencoded`` (``queries=`` or
  ``extend=``), which is how OpenRefine sends batches;
* ``GET /reconcile/suggest/entity|type|property?prefix=``: auto-completion;
* ``GET /reconcile/preview?id=``: an HTML summary of an entity for an iframe;
* ``GET /reconcile/properties?type=``: the properties data extension can fetch for a type.

Every answer allows any origin (CORS, as the specification requires); ``callback=NAME``
wraps a JSON answer for JSONP, which the specification allows for older clients.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from tipkg.store.search import SearchIndex
from tipkg.store.search_text import words
from tipkg.web.errors import ProtocolError
from tipkg.web.http_docs import responses
from tipkg.web.pages.render import render_page
from tipkg.web.reconcile_catalog import (
    PROPERTIES,
    TYPES,
    TYPES_BY_ID,
    TYPES_BY_KIND,
    ReconProperty,
    ReconType,
    manifest,
)
from tipkg.web.reconcile_extend import BadExtension, extend, read_extension
from tipkg.web.reconcile_match import BadReconQuery, Matcher, ReconQuery
from tipkg.web.search_support import GetSearch, call, entity_id, page_url, require_index
from tipkg.web.security_headers import content_security_policy
from tipkg.web.service import SparqlService, client_of
from tipkg.web.sparql_protocol import decode_pairs

MAX_BATCH = 50
SUGGESTIONS = 10
_CALLBACK = re.compile(r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$")
_JSON_MEDIA = ("application/json", "application/javascript")
_ANSWERS = responses(_JSON_MEDIA, 400, 413, 429, 503)
#: The preview is shown in an iframe of the client's page (OpenRefine's): any site may frame
#: it; it runs no script (a browser that sees frame-ancestors ignores X-Frame-Options).
_FRAMEABLE = {
    "Content-Security-Policy": content_security_policy().replace(
        "frame-ancestors 'none'", "frame-ancestors *"
    )
}


def create_reconcile_router(
    get_service: Callable[[Request], SparqlService], get_search: GetSearch
) -> APIRouter:
    """A router for ``/reconcile`` and its suggest, preview and property services."""
    router = APIRouter()
    matcher = Matcher()

    async def answer(request: Request, pairs: list[tuple[str, str]]) -> Response:
        params = dict(pairs)
        callback = params.get("callback")
        if callback is not None and (len(callback) > 100 or not _CALLBACK.match(callback)):
            raise ProtocolError(400, "bad_callback", "callback must be a JavaScript identifier")
        service = get_service(request)
        if "queries" in params:
            batch = _batch(params["queries"])
            index = require_index(get_search(request))
            body: Any = await call(_reconcile, matcher, index, batch)
        elif "extend" in params:
            try:
                ids, properties = read_extension(_json(params["extend"], "extend"))
            except BadExtension as exc:
                raise ProtocolError(400, "bad_extend", str(exc)) from None
            body = await extend(service, ids, properties, client_of(request.scope))
        else:
            body = manifest(service.settings)
        return jsonp(body, callback)

    @router.get("/reconcile", responses=_ANSWERS)
    async def reconcile_get(
        request: Request,
        queries: Annotated[str | None, Query(description="a reconciliation batch (JSON)")] = None,
        extend: Annotated[str | None, Query(description="a data extension query (JSON)")] = None,
        callback: Annotated[str | None, Query(description="JSONP function name")] = None,
    ) -> Response:
        """The service manifest, or the answers to ``queries=`` or ``extend=``."""
        return await answer(request, decode_pairs(request.scope.get("query_string", b""), "URL"))

    @router.post(
        "/reconcile",
        responses=responses(_JSON_MEDIA, 400, 413, 415, 429, 503),
        openapi_extra={"requestBody": {"required": True, "content": {
            "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
                "queries": {"type": "string", "description": "a reconciliation batch (JSON)"},
                "extend": {"type": "string", "description": "a data extension query (JSON)"},
                "callback": {"type": "string", "description": "JSONP function name"},
            }}}}}},
    )  # fmt: skip
    async def reconcile_post(request: Request) -> Response:
        """Answer a form with ``queries=`` (a reconciliation batch) or ``extend=``."""
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if media != "application/x-www-form-urlencoded":
            raise ProtocolError(
                415, "unsupported_media_type",
                "send queries= or extend= as application/x-www-form-urlencoded",
            )  # fmt: skip
        pairs = decode_pairs(request.scope.get("query_string", b""), "URL")
        return await answer(request, pairs + decode_pairs(await request.body(), "request body"))

    @router.get("/reconcile/suggest/entity", responses=_ANSWERS)
    async def suggest_entity(
        request: Request,
        prefix: Annotated[str, Query(max_length=200)] = "",
        cursor: Annotated[int, Query(ge=0, le=10_000)] = 0,
        type: Annotated[str | None, Query(description="only entities of this type")] = None,
        callback: Annotated[str | None, Query()] = None,
    ) -> Response:
        """Entities whose names begin with ``prefix``."""
        _check_callback(callback)
        index = require_index(get_search(request))
        kinds = _kinds(type)
        found = await call(_suggest, index, prefix, kinds, cursor)
        settings = get_service(request).settings
        result = [
            {
                "id": entity_id(e.iri, settings),
                "name": e.label,
                "description": e.description,
                "notable": [{"id": t.id, "name": t.name} for t in [TYPES_BY_KIND[e.kind]]],
            }
            for e in found
            if e.kind in TYPES_BY_KIND
        ]
        return jsonp({"result": result}, callback)

    @router.get("/reconcile/suggest/type", responses=_ANSWERS)
    async def suggest_type(
        prefix: Annotated[str, Query(max_length=200)] = "",
        cursor: Annotated[int, Query(ge=0, le=10_000)] = 0,
        callback: Annotated[str | None, Query()] = None,
    ) -> Response:
        """Types whose id or name holds ``prefix``."""
        return _suggest_catalog(TYPES, prefix, cursor, callback)

    @router.get("/reconcile/suggest/property", responses=_ANSWERS)
    async def suggest_property(
        prefix: Annotated[str, Query(max_length=200)] = "",
        cursor: Annotated[int, Query(ge=0, le=10_000)] = 0,
        callback: Annotated[str | None, Query()] = None,
    ) -> Response:
        """Properties whose id or name holds ``prefix``."""
        return _suggest_catalog(PROPERTIES, prefix, cursor, callback)

    @router.get("/reconcile/properties", responses=_ANSWERS)
    async def propose_properties(
        type: Annotated[str, Query(description="a type id")],
        limit: Annotated[int | None, Query(ge=1, le=1000)] = None,
        callback: Annotated[str | None, Query()] = None,
    ) -> Response:
        """The properties data extension can fetch for entities of ``type``."""
        _check_callback(callback)
        _kinds(type)
        found = [p for p in PROPERTIES if type in p.types][:limit]
        body: dict[str, Any] = {
            "type": type,
            "properties": [{"id": p.id, "name": p.name, "description": p.description}
                           for p in found],
        }  # fmt: skip
        if limit is not None:
            body["limit"] = limit
        return jsonp(body, callback)

    @router.get(
        "/reconcile/preview",
        responses=responses(("text/html",), 404, 503, pages=(404,)),
    )
    async def preview(request: Request, id: Annotated[str, Query(max_length=2000)]) -> Response:
        """A small HTML summary of the entity ``id`` (for OpenRefine's preview iframe)."""
        settings = get_service(request).settings
        index = require_index(get_search(request))
        entity = await call(index.entity, f"{settings.base_iri}id/{id}")
        if entity is None:
            html = render_page("preview.html", entity=None, id=id)
            return Response(html, 404, headers=_FRAMEABLE, media_type="text/html; charset=utf-8")
        codes = await call(index.codes, entity.id)
        html = render_page(
            "preview.html", entity=entity, id=id, url=page_url(entity.iri, settings),
            codes=sorted(codes.items()), type=TYPES_BY_KIND.get(entity.kind),
            meeting=index.meetings.get(entity.meeting or "", (None, None))[0],
        )  # fmt: skip
        return Response(html, headers=_FRAMEABLE, media_type="text/html; charset=utf-8")

    return router


def jsonp(body: Any, callback: str | None) -> Response:
    """``body`` as JSON, or as a JSONP call of ``callback``."""
    if callback is None:
        return JSONResponse(body)
    text = json.dumps(body, ensure_ascii=True)
    return Response(f"/**/{callback}({text});", media_type="application/javascript")


def _suggest_catalog(
    entries: Iterable[ReconType | ReconProperty], prefix: str, cursor: int, callback: str | None
) -> Response:
    """The suggest service's answer: the entries whose id or name holds ``prefix``."""
    _check_callback(callback)
    wanted = prefix.casefold()
    found = [e for e in entries if wanted in e.id.casefold() or wanted in e.name.casefold()]
    result = [{"id": e.id, "name": e.name, "description": e.description} for e in found]
    return jsonp({"result": result[cursor : cursor + SUGGESTIONS]}, callback)


def _check_callback(callback: str | None) -> None:
    if callback is not None and (len(callback) > 100 or not _CALLBACK.match(callback)):
        raise ProtocolError(400, "bad_callback", "callback must be a JavaScript identifier")


def _json(text: str, name: str) -> Any:
    """Parse a JSON parameter; refuse one that is not JSON or holds text that is not
    Unicode (a lone surrogate escape, which no store or index can take)."""
    try:
        data = json.loads(text)
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except ValueError as exc:
        raise ProtocolError(400, f"bad_{name}", f"{name} is not valid JSON: {exc}") from None
    return data


def _batch(text: str) -> dict[str, ReconQuery]:
    """Read a reconciliation query batch (a JSON object of queries by key)."""
    data = _json(text, "queries")
    if not isinstance(data, dict):
        raise ProtocolError(400, "bad_queries", "queries must be a JSON object of queries")
    if len(data) > MAX_BATCH:
        raise ProtocolError(
            413, "batch_too_large", f"at most {MAX_BATCH} queries in one batch (the manifest's "
            "batchSize); send the rest in further requests",
        )  # fmt: skip
    batch = {}
    for key, query in data.items():
        try:
            batch[key] = ReconQuery.read(query)
        except BadReconQuery as exc:
            raise ProtocolError(400, "bad_queries", f"query {key!r}: {exc}") from None
    return batch


def _reconcile(
    matcher: Matcher, index: SearchIndex, batch: dict[str, ReconQuery]
) -> dict[str, Any]:
    return {key: {"result": matcher.reconcile(index, q)} for key, q in batch.items()}


def _kinds(type_id: str | None) -> tuple[str, ...]:
    if type_id is None or type_id == "":
        return tuple(t.kind for t in TYPES)
    if type_id not in TYPES_BY_ID:
        known = ", ".join(TYPES_BY_ID)
        raise ProtocolError(400, "bad_type", f"unknown type {type_id!r}; the types are {known}")
    return (TYPES_BY_ID[type_id].kind,)


def _suggest(index: SearchIndex, prefix: str, kinds: tuple[str, ...], cursor: int) -> list[Any]:
    """Entities whose names hold words beginning as the prefix's (the last one as a
    beginning), best first; an identifier given as prefix first."""
    parts = words(prefix)
    found = []
    exact = index.entity(f"{index.base_iri}id/{prefix.strip()}") if prefix.strip() else None
    if exact is not None and exact.kind in kinds:
        found.append(exact)
    if parts:
        quoted = [f'"{w}"' for w in parts]
        quoted[-1] += "*" if len(parts[-1]) >= 2 else ""
        hits = index.candidates(" AND ".join(quoted), kinds, limit=SUGGESTIONS, offset=cursor)
        found += [e for e in hits if exact is None or e.id != exact.id]
    return found[:SUGGESTIONS]
