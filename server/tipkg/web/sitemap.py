"""``/sitemap.xml`` and ``/robots.txt``: every ``/doc/`` page for search engines, with the
build's time as ``lastmod``, and what crawlers should leave alone.

The sitemap protocol allows 50,000 addresses per file: a larger store gets a sitemap index
at ``/sitemap.xml`` pointing to ``/sitemap-1.xml``, ``/sitemap-2.xml``, ...
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote
from xml.sax.saxutils import escape

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from tipkg.config import Settings
from tipkg.store.search import SearchIndex
from tipkg.web.errors import ProtocolError
from tipkg.web.http_docs import responses
from tipkg.web.search_support import GetSearch, call, require_index
from tipkg.web.service import SparqlService

PER_SITEMAP = 50_000
_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
_XML = '<?xml version="1.0" encoding="UTF-8"?>\n'
#: Routes that answer per request and must not be crawled: the query endpoint, search
#: results, the reconciliation and lookup APIs, whole-dataset dumps.
DISALLOWED = ("/sparql", "/search", "/reconcile", "/lookup", "/dump.")


def create_sitemap_router(
    get_service: Callable[[Request], SparqlService], get_search: GetSearch
) -> APIRouter:
    """A router for ``/robots.txt``, ``/sitemap.xml`` and ``/sitemap-{n}.xml``."""
    router = APIRouter()

    @router.get("/robots.txt", responses=responses(("text/plain",)))
    async def robots(request: Request) -> Response:
        """What crawlers may fetch, and where the sitemap is."""
        public = get_service(request).settings.public_url
        lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), "Allow: /"]
        return PlainTextResponse("\n".join([*lines, f"Sitemap: {public}sitemap.xml", ""]))

    @router.get("/sitemap.xml", responses=responses(("application/xml",), 503))
    async def sitemap(request: Request) -> Response:
        """Every page (or, past 50,000, the index of the sitemaps that list them)."""
        settings = get_service(request).settings
        index = require_index(get_search(request))
        count = await call(index.page_count)
        if count <= PER_SITEMAP:
            return await _urlset(index, settings, 1)
        files = "".join(
            f"<sitemap><loc>{settings.public_url}sitemap-{n}.xml</loc>"
            f"<lastmod>{escape(index.built)}</lastmod></sitemap>"
            for n in range(1, -(-count // PER_SITEMAP) + 1)
        )
        body = f'{_XML}<sitemapindex xmlns="{_NS}">{files}</sitemapindex>\n'
        return Response(body, media_type="application/xml")

    @router.get("/sitemap-{number}.xml", responses=responses(("application/xml",), 404, 503))
    async def sitemap_part(number: int, request: Request) -> Response:
        """One part of a sitemap of more than 50,000 pages."""
        settings = get_service(request).settings
        index = require_index(get_search(request))
        count = await call(index.page_count)
        if number < 1 or (number - 1) * PER_SITEMAP >= max(count, 1):
            raise ProtocolError(404, "not_found", f"there is no sitemap part {number}")
        return await _urlset(index, settings, number)

    return router


async def _urlset(index: SearchIndex, settings: Settings, number: int) -> Response:
    iris = await call(index.pages, (number - 1) * PER_SITEMAP, PER_SITEMAP)
    prefix = f"{settings.base_iri}id/"
    lastmod = f"<lastmod>{escape(index.built)}</lastmod>" if index.built else ""
    pages = [f"{settings.public_url}{p}" for p in ("", "def")] if number == 1 else []
    pages += [
        f"{settings.public_url}doc/{quote(iri.removeprefix(prefix), safe='/:@!$&()*+,;=-._~')}"
        for iri in iris
    ]
    urls = "".join(f"<url><loc>{escape(page)}</loc>{lastmod}</url>" for page in pages)
    body = f'{_XML}<urlset xmlns="{_NS}">{urls}</urlset>\n'
    return Response(body, media_type="application/xml")
