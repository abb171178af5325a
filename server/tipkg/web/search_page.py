"""``GET /search?q=``: full-text search over names, titles, recommendations, paragraphs and
annotations, as an HTML page or JSON (``Accept: application/json`` or ``format=json``).

Results come grouped by kind (recommendations, agenda items, paragraphs, documents,
meetings, States, organizations, persons, topics, others), each hit with a passage whose
matched words are marked and a link to the paragraph it was read from; facets by kind,
meeting and year narrow the search (``kind=``, ``meeting=``, ``year=``; JSON lists a
facet's 50 values with most results). With a ``kind``, one kind's hits come 20 to a page
(``page=``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from tipkg.store.search import Hit, SearchResults
from tipkg.store.search_sources import KIND_LABELS
from tipkg.store.search_text import BadSearch
from tipkg.web.errors import ProtocolError
from tipkg.web.http_docs import responses
from tipkg.web.pages.render import render_page
from tipkg.web.search_support import GetSearch, call, page_url, require_index, wants_json
from tipkg.web.service import SparqlService

PER_KIND = 5
PER_PAGE = 20
MAX_PAGE = 500
FACET_VALUES = 50  # the values of a facet answered in JSON, most results first
_Q = 'words, "phrases", prefix*, OR, -word'


def create_search_router(
    get_service: Callable[[Request], SparqlService], get_search: GetSearch
) -> APIRouter:
    """A router for ``/search``."""
    router = APIRouter()

    @router.get(
        "/search",
        responses=responses(
            ("text/html", "application/json"), 400, 503, pages=(400, 503),
            page_media=("text/html", "application/json", "text/plain"),
        ),
    )  # fmt: skip
    async def search(
        request: Request,
        q: Annotated[str | None, Query(description=_Q)] = None,
        kind: Annotated[str | None, Query(description="only this kind of result")] = None,
        meeting: Annotated[str | None, Query(description="only this meeting's (IRI)")] = None,
        year: Annotated[int | None, Query(ge=0, le=9999, description="only this year's")] = None,
        page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
        format: Annotated[str | None, Query(description="json or html")] = None,
    ) -> Response:
        """Search names, titles, recommendations, paragraphs and annotations."""
        settings = get_service(request).settings
        as_json = wants_json(request, format)
        filters = {"kind": kind, "meeting": meeting, "year": year}
        if kind is not None and kind not in KIND_LABELS:
            kinds = ", ".join(KIND_LABELS)
            return _error(as_json, 400, "bad_kind", f"kind must be one of {kinds}", q, filters)
        if not q or not q.strip():
            if as_json:
                raise ProtocolError(400, "no_query", "give the words to search for as q=")
            return _html(render_page("search.html", q="", results=None, filters=filters))
        try:
            index = require_index(get_search(request))
        except ProtocolError as exc:
            return _error(as_json, exc.status, exc.code, exc.detail, q, filters, exc.headers)
        per_kind = PER_PAGE if kind else PER_KIND
        try:
            results = await call(
                index.search, q, kind=kind, meeting=meeting, year=year, per_kind=per_kind,
                offset=(page - 1) * per_kind,
            )  # fmt: skip
        except BadSearch as exc:
            return _error(as_json, 400, "bad_search", str(exc), q, filters)
        except ProtocolError as exc:
            return _error(as_json, exc.status, exc.code, exc.detail, q, filters, exc.headers)
        links = _Links(q, filters, page)
        if as_json:
            return JSONResponse(as_dict(results, filters, page, links, settings))
        html = render_page(
            "search.html", q=q, results=results, filters=filters, page=page, links=links,
            per_page=per_kind, meetings=index.meetings,
        )  # fmt: skip
        return _html(html)

    return router


class _Links:
    """The addresses of this search with a filter or page changed."""

    def __init__(self, q: str, filters: dict[str, Any], page: int) -> None:
        self.q, self.filters, self.page = q, filters, page

    def with_(self, **changes: object) -> str:
        params = {"q": self.q, **self.filters, **changes}
        kept = {k: v for k, v in params.items() if v not in (None, "")}
        return "/search?" + urlencode(kept)

    def page_link(self, page: int) -> str:
        return self.with_(page=page if page > 1 else None)


def as_dict(
    results: SearchResults, filters: dict[str, Any], page: int, links: _Links, settings: Any
) -> dict[str, Any]:
    """The JSON answer: the query, the total, the groups of hits and the facets."""
    return {
        "query": results.query,
        "terms": list(results.terms),
        "total": results.total,
        "filters": {k: v for k, v in filters.items() if v is not None},
        "page": page,
        "groups": [
            {
                "kind": group.kind,
                "label": group.label,
                "total": group.total,
                "more": links.with_(kind=group.kind) if not filters["kind"] else None,
                "hits": [_hit(hit, settings) for hit in group.hits],
            }
            for group in results.groups
        ],
        "facets": {
            name: [
                {"value": f.value, "label": f.label, "count": f.count} for f in facet[:FACET_VALUES]
            ]
            for name, facet in results.facets.items()
        },
    }


def _hit(hit: Hit, settings: Any) -> dict[str, Any]:
    entity = hit.entity
    text, highlights, at = "", [], 0
    for piece, marked in hit.snippet:
        if marked:
            highlights.append([at, at + len(piece)])
        text += piece
        at += len(piece)
    return {
        "iri": entity.iri,
        "url": page_url(entity.iri, settings),
        "kind": entity.kind,
        "label": entity.label,
        "description": entity.description,
        "snippet": text,
        "highlights": highlights,
        "meeting": (
            {"iri": entity.meeting, "label": hit.meeting_label} if entity.meeting else None
        ),
        "year": entity.year,
        "source": (
            {
                "iri": entity.source,
                "url": page_url(entity.source, settings),
                "label": entity.source_label,
            }
            if entity.source
            else None
        ),
    }


def _html(html: str, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(html, status, headers=headers, media_type="text/html; charset=utf-8")


def _error(
    as_json: bool,
    status: int,
    code: str,
    detail: str,
    q: str | None,
    filters: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> Response:
    """An error as JSON, or as the search page saying what is wrong."""
    if as_json:
        body = {"status": status, "code": code, "detail": detail}
        return JSONResponse(body, status, headers=headers)
    html = render_page("search.html", q=q or "", results=None, filters=filters, error=detail)
    return _html(html, status, headers)
