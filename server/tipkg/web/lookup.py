"""The UN's identifiers to our IRIs: ``/lookup`` maps a list of UN document symbols (as
printed anywhere), country codes (ISO 3166-1 alpha-2 or alpha-3, M49), Wikidata items or
exact names to our IRIs in one request, as JSON or CSV; :func:`canonical_path` lets
``/id/document/{symbol}`` and ``/id/state/{code}`` redirect any printed form to the
canonical IRI.

``GET /lookup?q=CTOC/COP/WG.4/2022/4&q=TR&q=792``, or ``POST /lookup`` with a JSON list
(``["A", "B"]`` or ``{"values": [...]}``), a CSV whose first column holds the values (the
first row a header), or plain text with one value a line. ``Accept: text/csv`` or
``format=csv`` answers CSV.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from tipkg.store.search import Entity, SearchIndex
from tipkg.store.search_text import name_key
from tipkg.un_symbols import looks_like_symbol, symbol_key
from tipkg.web.errors import ProtocolError
from tipkg.web.http_docs import responses
from tipkg.web.negotiation import negotiate
from tipkg.web.search_support import GetSearch, call, page_url, require_index
from tipkg.web.service import SparqlService

MAX_VALUES = 10_000
_CODE = re.compile(r"^(?:[A-Za-z]{2,3}|\d{1,3})$")
_WIKIDATA = re.compile(r"^(?:https?://(?:www\.)?wikidata\.org/(?:wiki|entity)/)?(Q\d+)$", re.I)
_STATE_CODES = ("iso3166Alpha2", "iso3166Alpha3", "m49Code")
_MEDIA = ("application/json", "text/csv")  # JSON unless CSV is asked for
_COLUMNS = ("input", "status", "iri", "url", "label", "kind", "via")


def resolve(index: SearchIndex, text: str) -> tuple[list[Entity], str]:
    """The resources ``text`` names, and how (``iri``, ``symbol``, a code scheme,
    ``name``): an IRI of ours, a UN symbol however printed, a country code or Wikidata
    item, or else an exact name (any name variant, case and accents aside)."""
    value = text.strip()
    if not value:
        return [], ""
    if value.startswith(f"{index.base_iri}id/"):
        entity = index.entity(value)
        return ([entity] if entity else []), "iri"
    if looks_like_symbol(value):
        found = [e for e, _ in index.by_code(symbol_key(value), ("symbol",))]
        if found:
            return found, "symbol"
    wikidata = _WIKIDATA.match(value)
    if wikidata:
        found_codes = index.by_code(wikidata.group(1).upper(), ("wikidata",))
        return [e for e, _ in found_codes], "wikidata"
    if _CODE.match(value):
        code = value.zfill(3) if value.isdigit() else value.upper()
        found_codes = index.by_code(code, _STATE_CODES)
        if found_codes:
            return [e for e, _ in found_codes], found_codes[0][1]
    named = {e.id: e for e, _, _ in index.by_key(name_key(value))}
    return list(named.values()), "name"


def canonical_path(index: SearchIndex, path: str) -> str | None:
    """The canonical form of an ``id/`` path that names a document by a printed form of
    its symbol (``document/ctoc/cop/wg. 4/2022/4``, with or without a paragraph after it)
    or a State by another code (``state/tr``, ``state/792``); None when ``path`` is
    canonical or names nothing we know."""
    kind, _, rest = path.partition("/")
    base = f"{index.base_iri}id/"
    if kind == "document" and rest:
        parts = rest.split("/")
        for end in range(len(parts), 1, -1):
            found = index.by_code(symbol_key("/".join(parts[:end])), ("symbol",))
            documents = {e.iri for e, _ in found if e.kind == "document"}
            if len(documents) == 1:
                tail = "/".join(parts[end:])
                canonical = documents.pop().removeprefix(base) + (f"/{tail}" if tail else "")
                return canonical if canonical != path else None
        return None
    if kind == "state" and _CODE.match(rest):
        if index.entity(f"{base}{path}") is not None:
            return None
        code = rest.zfill(3) if rest.isdigit() else rest.upper()
        states = {e.iri for e, _ in index.by_code(code, _STATE_CODES) if e.kind == "state"}
        if len(states) == 1:
            return states.pop().removeprefix(base)
    return None


def create_lookup_router(
    get_service: Callable[[Request], SparqlService], get_search: GetSearch
) -> APIRouter:
    """A router for ``/lookup``."""
    router = APIRouter()
    answered = ("application/json", "text/csv")
    answers = responses(answered, 400, 503)

    async def answer(request: Request, values: list[str], format: str | None) -> Response:
        if len(values) > MAX_VALUES:
            raise ProtocolError(400, "too_many_values", f"at most {MAX_VALUES} values a request")
        settings = get_service(request).settings
        index = require_index(get_search(request))
        rows = await call(_resolve_all, index, values)
        for row in rows:
            row["url"] = page_url(row["iri"], settings) if row["iri"] else None
        chosen = format or negotiate(request.headers.get("accept"), _MEDIA)
        if chosen not in ("csv", "text/csv"):
            return JSONResponse({"results": rows})
        out = io.StringIO()
        writer = csv.DictWriter(out, _COLUMNS, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8")

    @router.get("/lookup", responses=answers)
    async def lookup_get(
        request: Request,
        q: Annotated[list[str], Query(description="a symbol, code, IRI or name")] = [],  # noqa: B006
        format: Annotated[str | None, Query(description="json or csv")] = None,
    ) -> Response:
        """Our IRIs for UN symbols, country codes, Wikidata items or names."""
        if not q:
            raise ProtocolError(400, "no_values", "give the values to look up as q=, q=, ...")
        return await answer(request, q, format)

    @router.post(
        "/lookup",
        responses=responses(answered, 400, 415, 503),
        openapi_extra={"requestBody": {"required": True, "content": {
            "application/json": {"schema": {"type": "array", "items": {"type": "string"}}},
            "text/csv": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}},
        }}},
    )  # fmt: skip
    async def lookup_post(
        request: Request, format: Annotated[str | None, Query()] = None
    ) -> Response:
        """The same for a JSON list, a CSV column or lines of text in the body."""
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        values = _values(media, await request.body())
        return await answer(request, values, format)

    return router


def _values(media: str, body: bytes) -> list[str]:
    """The values of a request body: a JSON list (or ``{"values": [...]}``), a CSV's first
    column after its header row, or lines of text."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProtocolError(400, "bad_encoding", "the request body is not UTF-8") from None
    if media == "application/json":
        try:
            data: Any = json.loads(text)
            json.dumps(data, ensure_ascii=False).encode("utf-8")  # no lone surrogates
        except ValueError as exc:
            raise ProtocolError(400, "bad_json", f"the body is not JSON: {exc}") from None
        data = data.get("values") if isinstance(data, dict) else data
        if not isinstance(data, list) or not all(isinstance(v, str) for v in data):
            raise ProtocolError(400, "bad_json", 'send a list of strings, or {"values": [...]}')
        return data
    if media == "text/csv":
        try:
            rows = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            raise ProtocolError(400, "bad_csv", f"the body is not CSV: {exc}") from None
        return [row[0] if row else "" for row in rows[1:]]
    if media == "text/plain":
        return text.splitlines()
    raise ProtocolError(
        415, "unsupported_media_type", "send application/json, text/csv or text/plain"
    )


def _resolve_all(index: SearchIndex, values: list[str]) -> list[dict[str, Any]]:
    rows = []
    for value in values:
        found, via = resolve(index, value)
        row: dict[str, Any] = {"input": value, "status": "unknown", "iri": None, "label": None,
                               "kind": None, "via": None}  # fmt: skip
        if len(found) == 1:
            entity = found[0]
            row.update(status="found", iri=entity.iri, label=entity.label, kind=entity.kind,
                       via=via)  # fmt: skip
        elif found:
            row.update(status="ambiguous", via=via, candidates=sorted(e.iri for e in found))
        rows.append(row)
    return rows
