"""What the OpenAPI description (``/openapi.json``, ``/docs``) says each route answers.

Routes declare their real status codes and media types with :func:`responses`; the answers
every route can give (400 for an undecodable path, 413 for a body over the limit, 304 for a
current ``If-None-Match``) are added by :func:`describe_api`, which also drops FastAPI's
422 (tipkg answers a bad parameter with 400). The fuzzing test holds the service to it.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

#: The body of every error answer (or the same as a line of text).
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["status", "code", "detail"],
    "properties": {
        "status": {"type": "integer"},
        "code": {"type": "string", "description": "stable machine-readable reason"},
        "detail": {"type": "string", "description": "what happened and what to do"},
    },
}
_ERROR_CONTENT = {"application/json": {"schema": ERROR_SCHEMA}, "text/plain": {}}
_DESCRIPTIONS = {
    303: "See Other: the document about the thing, or the query page for a browser",
    304: "Not Modified: the client's copy (If-None-Match) is current",
    400: "Bad request: a malformed query or parameter, or a query over a limit",
    401: "An update without the right bearer token",
    403: "Updates are disabled: the store is read-only",
    404: "Nothing is known about this resource",
    405: "Method not allowed",
    406: "None of the accepted media types can be given",
    413: "The request body is over the size limit",
    415: "The request's Content-Type or charset is not supported",
    429: "This client has too many queries running or waiting (see Retry-After)",
    503: "The query ran past its time limit, or no worker was free (see Retry-After)",
}
#: Media types of the SPARQL results and RDF formats the service writes.
RESULTS_MEDIA = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
    "application/xml",
    "text/xml",
)
RDF_MEDIA = (
    "text/turtle",
    "application/n-triples",
    "application/rdf+xml",
    "application/ld+json",
    "application/x-turtle",
    "text/plain",
    "application/n-quads",
)


def responses(
    ok: tuple[str, ...],
    *errors: int,
    pages: tuple[int, ...] = (),
    page_media: tuple[str, ...] = ("text/html",),
) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` of a route: 200 with the media types in ``ok``, and ``errors``,
    answered as JSON or text, except the ``pages`` statuses, answered in ``page_media`` (a
    page that shows the error, or a "not found" description)."""
    answers: dict[int | str, dict[str, Any]] = {
        200: {"description": "OK", "content": {media: {} for media in ok}}
    }
    for status in errors:
        answer: dict[str, Any] = {"description": _DESCRIPTIONS[status]}
        if status in pages:
            answer["content"] = {media: {} for media in page_media}
        elif status not in (303, 304):
            answer["content"] = _ERROR_CONTENT
        answers[status] = answer
    return answers


def describe_api(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI description, with the answers every route can give."""
    if app.openapi_schema is None:
        schema = get_openapi(
            title=app.title, version=app.version, summary=app.summary, routes=app.routes
        )
        for operations in schema.get("paths", {}).values():
            for method, operation in operations.items():
                answers = operation.setdefault("responses", {})
                answers.pop("422", None)
                extra = [400] + ([413] if method in ("post", "put") else [304])
                for status in extra:
                    answers.setdefault(str(status), responses((), status)[status])
        app.openapi_schema = schema
    return app.openapi_schema
