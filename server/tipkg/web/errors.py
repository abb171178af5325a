"""HTTP error answers: a status, a stable machine code and a sentence that says what to do,
as JSON (or text for clients that prefer it), never a traceback; and the answer for each
way a store call fails."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from tipkg.store.jobs import ClientLimit, PoolBusy, QueryError, QueryTimeout
from tipkg.web.negotiation import negotiate


class ProtocolError(Exception):
    """An HTTP error answer: status, machine code and a human sentence."""

    def __init__(
        self, status: int, code: str, detail: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}


def error_response(
    request: Request, status: int, code: str, detail: str, headers: dict[str, str] | None = None
) -> Response:
    """JSON ``{"status", "code", "detail"}``, or plain text when the client prefers text."""
    accept = request.headers.get("accept")
    choice = negotiate(accept, ["application/json", "text/plain"])
    if choice is None and accept and "text/" in accept:
        choice = "text/plain"
    if choice == "text/plain":
        return PlainTextResponse(f"{status} {code}: {detail}\n", status, headers=headers)
    body = {"status": status, "code": code, "detail": detail}
    return JSONResponse(body, status, headers=headers)


# --------------------------------------------------------------------------- the service


#: Query errors that are the query's fault (400); any other code is the server's (500).
_QUERY_FAULTS = frozenset({"bad_query", "bad_request", "result_too_large", "query_crashed"})


def store_error(exc: Exception) -> ProtocolError:
    """The HTTP answer for a failed store call (time limit, busy, the query's own error)."""
    if isinstance(exc, QueryTimeout):
        return ProtocolError(503, "query_timeout", str(exc), {"Retry-After": "5"})
    if isinstance(exc, ClientLimit):
        return ProtocolError(429, "too_many_queries", str(exc), {"Retry-After": "2"})
    if isinstance(exc, PoolBusy):
        return ProtocolError(503, "busy", str(exc), {"Retry-After": "5"})
    if isinstance(exc, QueryError):
        if exc.code == "worker_crashed":
            return ProtocolError(503, exc.code, exc.detail, {"Retry-After": "1"})
        return ProtocolError(400 if exc.code in _QUERY_FAULTS else 500, exc.code, exc.detail)
    raise exc
