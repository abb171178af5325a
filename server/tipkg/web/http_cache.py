"""HTTP caching for the read-only routes: ETags, 304 answers and an in-process cache.

The store changes only when a new build is served, so a response is fully determined by
the build hash and the request (method, path, query string, body, ``Accept``,
``Accept-Language``). The ETag
is a hash of both; ``If-None-Match`` with it answers 304 before any query runs, and a
bounded LRU cache answers repeated identical requests without a worker.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CACHED_PREFIXES = (
    "/sparql", "/doc/", "/def", "/context.jsonld", "/.well-known/void",
    "/search", "/reconcile", "/lookup", "/sitemap",  # the build's search index answers these
)  # fmt: skip


@dataclass(frozen=True)
class Cached:
    """A stored 200 response."""

    headers: list[tuple[bytes, bytes]]
    body: bytes


class ResponseCache:
    """ETags and a bounded LRU of 200 responses, for one build of the store.

    Args:
        build_hash: identifies the data served; without one nothing is cached.
        max_bytes: the most response bytes kept in memory (least recently used go first).
        max_entry_bytes: larger responses are not kept.
        max_age: seconds clients and proxies may reuse a response without asking.
    """

    def __init__(
        self,
        build_hash: str | None,
        max_bytes: int = 64_000_000,
        max_entry_bytes: int = 2_000_000,
        max_age: int = 300,
    ) -> None:
        self.build_hash = build_hash
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self.cache_control = f"public, max-age={max_age}".encode()
        self.entries: OrderedDict[bytes, Cached] = OrderedDict()
        self.size = 0

    def etag(self, scope: Scope, body: bytes, headers: dict[bytes, bytes]) -> bytes:
        """Hash everything the response depends on: the build and the whole request."""
        digest = hashlib.sha256()
        method = scope.get("method", "")
        for part in (
            str(self.build_hash).encode(),
            (method if method != "HEAD" else "GET").encode(),
            scope.get("path", "").encode(),
            scope.get("query_string", b""),
            body,
            headers.get(b"accept", b"*/*"),
            headers.get(b"accept-language", b""),  # pages are in the reader's language
            headers.get(b"content-type", b"") if method == "POST" else b"",
            headers.get(b"authorization", b""),
        ):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        return f'"{digest.hexdigest()[:32]}"'.encode()

    def reset(self, build_hash: str | None) -> None:
        """Serve another build: new ETags, and nothing of the old build is kept."""
        self.build_hash = build_hash
        self.entries.clear()
        self.size = 0

    def not_modified(self, etag: bytes, headers: dict[bytes, bytes]) -> bool:
        """Whether ``If-None-Match`` matches ``etag``: RFC 9110 13.1.2, ``*`` or the same
        tag by weak comparison (``W/"x"`` matches ``"x"``)."""
        return if_none_match(headers.get(b"if-none-match", b""), etag)

    def get(self, etag: bytes) -> Cached | None:
        hit = self.entries.get(etag)
        if hit is not None:
            self.entries.move_to_end(etag)
        return hit

    def put(self, etag: bytes, entry: Cached) -> None:
        if len(entry.body) > self.max_entry_bytes:
            return
        if etag in self.entries:
            self.size -= len(self.entries.pop(etag).body)
        self.entries[etag] = entry
        self.size += len(entry.body)
        while self.size > self.max_bytes and self.entries:
            _, evicted = self.entries.popitem(last=False)
            self.size -= len(evicted.body)


class HttpCache:
    """ASGI middleware adding ETag and Cache-Control, answering 304 and caching 200s."""

    def __init__(self, app: ASGIApp, cache: ResponseCache) -> None:
        self.app = app
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        method = scope.get("method", "")
        if (
            scope["type"] != "http"
            or self.cache.build_hash is None
            or method not in ("GET", "HEAD", "POST")
            or not path.startswith(CACHED_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        body, receive = await _read_body(receive) if method == "POST" else (b"", receive)
        headers = dict(scope.get("headers", []))
        etag = self.cache.etag(scope, body, headers)
        if method in ("GET", "HEAD") and self.cache.not_modified(etag, headers):
            await send_not_modified(send, etag, self.cache.cache_control)
            return
        hit = self.cache.get(etag)
        if hit is not None:
            await send_response(send, 200, hit.headers, hit.body, head=method == "HEAD")
            return
        await self.app(scope, receive, self._capture(send, etag))

    def _capture(self, send: Send, etag: bytes) -> Send:
        stored: list[tuple[bytes, bytes]] = []
        chunks: list[bytes] = []
        keep = True

        async def capture(message: Message) -> None:
            nonlocal stored, keep
            if message["type"] == "http.response.start":
                keep = message["status"] == 200
                if keep:
                    headers = [
                        (k, v) for k, v in message.get("headers", []) if k.lower() != b"etag"
                    ]
                    headers += [(b"etag", etag), (b"cache-control", self.cache.cache_control)]
                    # a copy: outer middlewares (CORS) edit the message's list in place
                    stored = list(headers)
                    message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and keep:
                chunks.append(message.get("body", b""))
                if sum(map(len, chunks)) > self.cache.max_entry_bytes:
                    keep = False
                if not message.get("more_body", False) and keep:
                    self.cache.put(etag, Cached(stored, b"".join(chunks)))
            await send(message)

        return capture


def if_none_match(header: bytes, etag: bytes) -> bool:
    """Whether an ``If-None-Match`` header matches the current representation's ``etag``:
    ``*`` matches any, and tags compare weakly (the ``W/`` prefix is ignored)."""
    tags = {tag.strip().removeprefix(b"W/") for tag in header.split(b",") if tag.strip()}
    return b"*" in tags or etag.removeprefix(b"W/") in tags


async def _read_body(receive: Receive) -> tuple[bytes, Receive]:
    """Read a request body and return it with a ``receive`` that replays it."""
    chunks: list[bytes] = []
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    body = b"".join(chunks)
    return body, replay_body(body, receive)


def replay_body(body: bytes, receive: Receive) -> Receive:
    """Return a ``receive`` that gives the app ``body`` (already read) and then the rest."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def send_not_modified(send: Send, etag: bytes, cache_control: bytes) -> None:
    """A 304 answer: the ETag and Cache-Control, no body."""
    await send_response(send, 304, [(b"etag", etag), (b"cache-control", cache_control)], b"")


async def send_response(
    send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes, head: bool = False
) -> None:
    """Send a whole response (Content-Length set here) as two ASGI messages."""
    headers = [h for h in headers if h[0].lower() != b"content-length"]
    if status != 304:
        headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else body})
