"""Security headers on every response: a strict Content-Security-Policy (scripts and styles
only from our own static files, no framing), no MIME sniffing, a restrained referrer.

The SPARQL fast lane (:mod:`tipkg.sparql_lane`) answers ahead of the middleware stack and
adds the same headers with :func:`with_security`.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def content_security_policy(inline_styles: bool = False) -> str:
    """The policy: scripts, styles, fonts and images only from this site (no inline script
    anywhere, no eval), no plugins, no framing, forms only to this site. ``inline_styles``
    lets a page's own script set ``style`` attributes, which the query editor (YASGUI and
    its CodeMirror) does; it allows no script."""
    styles = "'self' 'unsafe-inline'" if inline_styles else "'self'"
    return (
        f"default-src 'self'; script-src 'self'; style-src {styles}; img-src 'self' data:; "
        "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    )


#: Sent with every response (a route may send a looser policy of its own, see above): no
#: page may run a script that is not one of our static files, be framed by another site,
#: or be sniffed into another media type.
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", content_security_policy().encode()),
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
    """``headers`` with those of :data:`SECURITY_HEADERS` they do not set themselves."""
    headers = list(headers)
    present = {name.lower() for name, _ in headers}
    return headers + [h for h in SECURITY_HEADERS if h[0] not in present]
