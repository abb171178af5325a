"""A canary HTTP server on 127.0.0.1 that records every request it gets.

Pointing a SERVICE IRI at it shows whether a query made Oxigraph fetch: that is the
ground truth the query check is held to.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

import pyoxigraph as ox

EMPTY_RESULTS = b'{"head":{"vars":[]},"results":{"bindings":[]}}'


class Canary:
    """A running canary; use as a context manager."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        requests = self.requests

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                requests.append(f"{self.command} {self.path}")
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(EMPTY_RESULTS)))
                self.end_headers()
                self.wfile.write(EMPTY_RESULTS)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Canary:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fetched_by(self, query: str) -> tuple[bool, bool]:
        """Evaluate ``query`` on an empty in-memory store: (the canary saw a request,
        Oxigraph parsed the query)."""
        before = len(self.requests)
        parsed = True
        try:
            result = ox.Store().query(query, base_iri=self.url)
            if isinstance(result, ox.QueryBoolean):
                bool(result)
            else:
                list(result)
        except SyntaxError:
            parsed = False
        except (OSError, RuntimeError):
            pass  # parsed; evaluation failed (e.g. an unbound SERVICE variable)
        return len(self.requests) > before, parsed
