"""Security headers on every response: a strict Content-Security-Policy (scripts and styles
only from our own static files, no framing), no MIME sniffing, a restrained referrer.

The SPARQL fast lane (:mod:`tipkg.sparql_lane`) answers ahead of the middleware stack and
adds the same headers with :func:`with_security`.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Sent with every response: no page may run a script that is not one of our static files,
#: be framed by another site, or be sniffed into another media type.
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        b"form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
)


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": with_security(message.get("headers", []))}
            await send(message)

        await self.app(scope, receive, send_secured)


def with_security(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` with :data:`SECURITY_HEADERS` (replacing any of the same names)."""
    names = {name for name, _ in SECURITY_HEADERS}
    return [h for h in headers if h[0].lower() not in names] + list(SECURITY_HEADERS)
