"""Full-text search inside SPARQL: two functions the query workers give Oxigraph, which
answer from the search index of the build they serve.

```sparql
PREFIX search: <https://w3id.org/tipkg/search#>
PREFIX tipkg: <https://w3id.org/tipkg/def#>
SELECT ?rec ?score ?snippet WHERE {
  ?rec a tipkg:Recommendation .
  BIND(search:score(?rec, "non-punishment") AS ?score)
  FILTER(BOUND(?score))
  BIND(search:snippet(?rec, "non-punishment") AS ?snippet)
} ORDER BY DESC(?score)
```

``search:score(?resource, "query")`` is the resource's relevance (higher is better; the
query in the search box's syntax) and unbound when it does not match;
``search:snippet(?resource, "query")`` is a passage with the matched words in ``[...]``.
Like jena-text's ``text:query``, but as functions: a function cannot bind new solutions,
so the pattern names the resources (here by class) and the functions rank and filter
them. The hits of a query are looked up once per query text and kept (a few at a time).

Nothing here reaches beyond the worker: the functions read one local file, opened
read-only; the query check still refuses SERVICE, and a query still stops at its time limit.
"""

from __future__ import annotations

import sqlite3
from collections import OrderedDict
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox

from tipkg.store.search import SNIPPETS, best_snippet, pieces
from tipkg.store.search_index import INDEX_FILE
from tipkg.store.search_text import BadSearch, parse_query

SEARCH = "https://w3id.org/tipkg/search#"
XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
#: The most hits kept for one query text, and the most query texts kept.
MAX_HITS = 200_000
CACHED_QUERIES = 8


class TextFunctions:
    """The ``search:`` functions over the index beside a store (opened on first use)."""

    def __init__(self, store_path: str | Path) -> None:
        self.path = Path(store_path) / INDEX_FILE
        self._db: sqlite3.Connection | None = None
        self._hits: OrderedDict[str, dict[str, tuple[float, int]]] = OrderedDict()

    def functions(self) -> dict[ox.NamedNode, Any]:
        """The custom functions to pass to ``Store.query`` (none if there is no index)."""
        if not self.path.is_file():
            return {}
        return {
            ox.NamedNode(f"{SEARCH}score"): self.score,
            ox.NamedNode(f"{SEARCH}snippet"): self.snippet,
        }

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            uri = f"file:{quote(str(self.path))}?mode=ro&immutable=1"
            self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        return self._db

    def _matches(self, text: str) -> dict[str, tuple[float, int]]:
        """IRI -> (score, row) of every resource matching ``text``."""
        if text in self._hits:
            self._hits.move_to_end(text)
            return self._hits[text]
        expression = parse_query(text).expression
        rows = self._connection().execute(
            "SELECT e.iri, -bm25(fts, 5.0, 1.0, 0.5), fts.rowid FROM fts "
            "JOIN entity e ON e.id = fts.rowid WHERE fts MATCH ? LIMIT ?",
            (expression, MAX_HITS),
        )
        hits = {iri: (score, rowid) for iri, score, rowid in rows}
        self._hits[text] = hits
        while len(self._hits) > CACHED_QUERIES:
            self._hits.popitem(last=False)
        return hits

    def _hit(self, resource: object, query: object) -> tuple[float, int] | None:
        if not isinstance(resource, ox.NamedNode) or not isinstance(query, ox.Literal):
            return None
        try:
            return self._matches(query.value).get(resource.value)
        except (BadSearch, sqlite3.Error):
            return None

    def score(self, resource: object, query: object) -> ox.Literal | None:
        """``search:score(?resource, "query")``: the relevance, or unbound."""
        hit = self._hit(resource, query)
        if hit is None:
            return None
        return ox.Literal(f"{hit[0]:.6g}", datatype=ox.NamedNode(XSD_DOUBLE))

    def snippet(self, resource: object, query: object) -> ox.Literal | None:
        """``search:snippet(?resource, "query")``: a passage with the matches in brackets."""
        hit = self._hit(resource, query)
        if hit is None or not isinstance(query, ox.Literal):
            return None
        row = (
            self._connection()
            .execute(
                f"SELECT {SNIPPETS} FROM fts WHERE fts MATCH ? AND rowid = ?",
                (parse_query(query.value).expression, hit[1]),
            )
            .fetchone()
        )
        if row is None:
            return None
        text = "".join(f"[{t}]" if marked else t for t, marked in pieces(best_snippet(row)))
        return ox.Literal(text)
