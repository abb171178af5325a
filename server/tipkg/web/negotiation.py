"""Content negotiation: the media types the service writes, the ``format`` parameter's
names for them, and the choice by ``Accept`` with q-values (RFC 9110, 12.5.1)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: (media type sent, pyoxigraph QueryResultsFormat name); the first is the default.
RESULTS_OFFERS: tuple[tuple[str, str], ...] = (
    ("application/sparql-results+json", "JSON"),
    ("application/sparql-results+xml", "XML"),
    ("text/csv", "CSV"),
    ("text/tab-separated-values", "TSV"),
    ("application/json", "JSON"),
    ("application/xml", "XML"),
    ("text/xml", "XML"),
)
#: (media type sent, pyoxigraph RdfFormat name); the first is the default.
GRAPH_OFFERS: tuple[tuple[str, str], ...] = (
    ("text/turtle", "TURTLE"),
    ("application/n-triples", "N_TRIPLES"),
    ("application/rdf+xml", "RDF_XML"),
    ("application/ld+json", "JSON_LD"),
    ("application/x-turtle", "TURTLE"),
    ("application/json", "JSON_LD"),
    ("application/xml", "RDF_XML"),
    ("text/plain", "N_TRIPLES"),
)
#: ``format`` parameter values → media type, per kind of result.
RESULTS_FORMAT_PARAM: dict[str, str] = {
    "json": "application/sparql-results+json",
    "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "srx": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_FORMAT_PARAM: dict[str, str] = {
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "n-triples": "application/n-triples",
    "rdf": "application/rdf+xml",
    "xml": "application/rdf+xml",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "json": "application/ld+json",
}


def content_type(media_type: str) -> str:
    """Add ``charset=utf-8`` to textual media types (all of ours are UTF-8)."""
    if media_type.startswith("text/") or "json" in media_type or "xml" in media_type:
        return f"{media_type}; charset=utf-8"
    return media_type


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header."""

    type: str
    subtype: str
    q: float
    order: int

    @property
    def specificity(self) -> int:
        """2 for ``type/subtype``, 1 for ``type/*``, 0 for ``*/*``."""
        if self.type == "*":
            return 0
        return 1 if self.subtype == "*" else 2

    def matches(self, media_type: str) -> bool:
        main, _, sub = media_type.partition("/")
        if self.type == "*":
            return True
        return self.type == main and self.subtype in ("*", sub)


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header; a missing or empty header means ``*/*``.

    Media-type parameters are ignored for matching; malformed entries are skipped;
    a malformed q-value counts as 1.
    """
    if header is None or not header.strip():
        return [MediaRange("*", "*", 1.0, 0)]
    ranges: list[MediaRange] = []
    for order, item in enumerate(header.split(",")):
        parts = [p.strip() for p in item.split(";")]
        main, slash, sub = parts[0].lower().partition("/")
        if not slash or not main or not sub or (main == "*" and sub != "*"):
            continue
        q = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 1.0
                break  # parameters after q are accept-extensions
        ranges.append(MediaRange(main, sub, q, order))
    return ranges


def negotiate(accept: str | list[MediaRange] | None, offers: Sequence[str]) -> str | None:
    """Pick the offer the client prefers, or ``None`` when nothing is acceptable.

    Each offer gets the q of the most specific range that matches it (q=0 excludes it);
    the highest q wins, ties go to the more specific match, then to the range listed
    first in the header, then to the server's order of ``offers``.
    """
    ranges = parse_accept(accept) if accept is None or isinstance(accept, str) else accept
    best: tuple[float, int, int, int] | None = None
    chosen: str | None = None
    for index, offer in enumerate(offers):
        matching = [r for r in ranges if r.matches(offer)]
        if not matching:
            continue
        top = max(matching, key=lambda r: (r.specificity, r.q, -r.order))
        if top.q <= 0:
            continue
        key = (top.q, top.specificity, -top.order, -index)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen
