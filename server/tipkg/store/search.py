"""Read the search index (:mod:`.search_index`): full-text search with results grouped by
kind and faceted by kind, meeting and year; and the lookups the reconciliation service and
the identifier routes make (names by exact key, codes, name candidates, entities).

An index file is opened read-only and immutable (it never changes once written); each
call takes a connection of its own from a small pool, so calls may run on several threads
at once. Every search stops at a time limit (:class:`SearchTimeout`).
"""

from __future__ import annotations

import contextlib
import queue
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from tipkg.store.search_index import INDEX_FORMAT
from tipkg.store.search_sources import KIND_LABELS, KINDS
from tipkg.store.search_text import parse_query, shown_text

SEARCH_SECONDS = 5.0
_OPEN, _CLOSE = "\x02", "\x03"
#: A passage of each indexed column (names, text, topics) around the matched words.
SNIPPETS = ", ".join(f"snippet(fts, {c}, '{_OPEN}', '{_CLOSE}', '…', 24)" for c in range(3))


class IndexUnavailable(Exception):
    """The index cannot be read (missing, of another format, damaged); the message says why."""


class SearchTimeout(Exception):
    """A search ran past its time limit."""


@dataclass(frozen=True)
class Entity:
    """A resource as results show it."""

    id: int
    iri: str
    kind: str
    label: str
    description: str
    meeting: str | None
    year: int | None
    source: str | None
    source_label: str | None


@dataclass(frozen=True)
class Hit:
    """A search result: the resource and a passage of its names or text with the matched
    words marked (``snippet`` is a list of (text, marked) pieces)."""

    entity: Entity
    snippet: tuple[tuple[str, bool], ...]
    meeting_label: str | None


@dataclass(frozen=True)
class Group:
    """The hits of one kind, and how many of that kind match in all."""

    kind: str
    label: str
    total: int
    hits: tuple[Hit, ...]


@dataclass(frozen=True)
class Facet:
    """One value of a facet and how many results have it."""

    value: str
    label: str
    count: int


@dataclass
class SearchResults:
    """The results of a search: groups by kind, facets, the total."""

    query: str
    terms: tuple[str, ...]
    total: int
    groups: list[Group]
    facets: dict[str, list[Facet]] = field(default_factory=dict)


class SearchIndex:
    """A search index file, open for reading.

    Raises:
        IndexUnavailable: the file is missing, not an index, or of another format.
    """

    def __init__(self, path: str | Path, *, pool_size: int = 8) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise IndexUnavailable(f"{self.path} does not exist")
        self._pool: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        self._pool_size = pool_size
        try:
            with self._connection() as db:
                meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
                if meta.get("format") != str(INDEX_FORMAT):
                    raise IndexUnavailable(
                        f"{self.path} is an index of format {meta.get('format')}, not "
                        f"{INDEX_FORMAT}: rebuild the store (tipkg build --force)"
                    )
                self.meetings = {
                    iri: (label, year)
                    for iri, label, year in db.execute("SELECT iri, label, year FROM meeting")
                }
        except sqlite3.DatabaseError as exc:
            raise IndexUnavailable(f"{self.path} is not a readable search index: {exc}") from None
        self.base_iri: str = meta.get("base_iri", "")
        self.built: str = meta.get("built", "")

    @contextlib.contextmanager
    def _connection(self, seconds: float | None = None) -> Iterator[sqlite3.Connection]:
        try:
            db = self._pool.get_nowait()
        except queue.Empty:
            uri = f"file:{quote(str(self.path))}?mode=ro&immutable=1"
            db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        if seconds is not None:
            deadline = time.monotonic() + seconds
            db.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
        try:
            yield db
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise SearchTimeout(f"the search ran past {seconds:g} s") from None
            raise
        finally:
            db.set_progress_handler(None, 0)
            if self._pool.qsize() < self._pool_size:
                self._pool.put(db)
            else:
                db.close()

    # ------------------------------------------------------------------ full text

    def search(
        self,
        text: str,
        *,
        kind: str | None = None,
        meeting: str | None = None,
        year: int | None = None,
        per_kind: int = 5,
        offset: int = 0,
        seconds: float = SEARCH_SECONDS,
    ) -> SearchResults:
        """Search names and texts; return up to ``per_kind`` hits of each kind (from
        ``offset``), best first, and the facets of all matches.

        Raises:
            BadSearch: the query cannot be read.
            SearchTimeout: the search ran past ``seconds``.
        """
        parsed = parse_query(text)
        with self._connection(seconds) as db:
            combos = db.execute(
                "SELECT kind, meeting, year, count(*) FROM fts WHERE fts MATCH ? "
                "GROUP BY kind, meeting, year",
                (parsed.expression,),
            ).fetchall()
            facets, counts = self._facets(combos, kind, meeting, year)
            where, params = _filters(kind, meeting, year)
            ranked = db.execute(
                "SELECT rowid FROM (SELECT rowid, row_number() OVER "
                "(PARTITION BY kind ORDER BY rank) AS n FROM fts WHERE fts MATCH ?"
                f"{where}) WHERE n > ? AND n <= ?",
                (parsed.expression, *params, offset, offset + per_kind),
            ).fetchall()
            ids = [r[0] for r in ranked]
            snippets = {
                row[0]: best_snippet(row[1:])
                for row in db.execute(
                    f"SELECT rowid, {SNIPPETS} FROM fts "
                    f"WHERE fts MATCH ? AND rowid IN ({','.join('?' * len(ids))}) ORDER BY rank",
                    (parsed.expression, *ids),
                )
            }
            entities = self._entities(db, snippets)
        hits: dict[str, list[Hit]] = {}
        for entity_id in snippets:  # best first
            entity = entities[entity_id]
            label = self.meetings.get(entity.meeting or "", (None, None))[0]
            hits.setdefault(entity.kind, []).append(
                Hit(entity, pieces(snippets[entity_id]), label)
            )
        groups = [
            Group(k, KIND_LABELS[k], counts[k], tuple(hits.get(k, ())))
            for k in _kind_order()
            if counts[k]
        ]
        total = sum(counts.values())
        return SearchResults(text, parsed.terms, total, groups, facets)

    def _facets(
        self,
        combos: Sequence[tuple[str, str | None, int | None, int]],
        kind: str | None,
        meeting: str | None,
        year: int | None,
    ) -> tuple[dict[str, list[Facet]], Counter[str]]:
        """Each facet counts the matches that the other filters keep; the kinds' counts
        with every filter are the groups' totals."""
        kinds: Counter[str] = Counter()
        meetings: Counter[str] = Counter()
        years: Counter[int] = Counter()
        counts: Counter[str] = Counter()
        for k, m, y, n in combos:
            keep_k, keep_m, keep_y = kind in (None, k), meeting in (None, m), year in (None, y)
            if keep_m and keep_y:
                kinds[k] += n
            if keep_k and keep_y and m:
                meetings[m] += n
            if keep_k and keep_m and y:
                years[y] += n
            if keep_k and keep_m and keep_y:
                counts[k] += n
        order = {k: i for i, k in enumerate(_kind_order())}
        facets = {
            "kind": [
                Facet(k, KIND_LABELS[k], n)
                for k, n in sorted(kinds.items(), key=lambda x: order[x[0]])
            ],
            "meeting": sorted(
                (Facet(m, self.meetings.get(m, (m, None))[0], n) for m, n in meetings.items()),
                key=lambda f: (-f.count, f.label),
            ),
            "year": [Facet(str(y), str(y), n) for y, n in sorted(years.items(), reverse=True)],
        }
        return facets, counts

    def _entities(self, db: sqlite3.Connection, ids: Iterable[int]) -> dict[int, Entity]:
        ids = list(ids)
        rows = db.execute(
            f"SELECT * FROM entity WHERE id IN ({','.join('?' * len(ids))})", ids
        ).fetchall()
        return {row[0]: Entity(*row) for row in rows}

    # ------------------------------------------------------------------ lookups

    def entity(self, iri: str) -> Entity | None:
        """The indexed resource ``iri``, or None."""
        with self._connection() as db:
            row = db.execute("SELECT * FROM entity WHERE iri = ?", (iri,)).fetchone()
        return Entity(*row) if row else None

    def by_key(self, key: str) -> list[tuple[Entity, str, str]]:
        """The resources one of whose names has the exact-match key ``key``, with that name
        and the property that gives it."""
        with self._connection() as db:
            rows = db.execute(
                "SELECT e.*, n.name, n.property FROM name n JOIN entity e ON e.id = n.entity "
                "WHERE n.key = ?",
                (key,),
            ).fetchall()
        return [(Entity(*r[:9]), r[9], r[10]) for r in rows]

    def by_code(self, value: str, schemes: Sequence[str] = ()) -> list[tuple[Entity, str]]:
        """The resources with the code ``value`` (in one of ``schemes``, or any), with the
        scheme."""
        scheme_filter = f" AND c.scheme IN ({','.join('?' * len(schemes))})" if schemes else ""
        with self._connection() as db:
            rows = db.execute(
                "SELECT e.*, c.scheme FROM code c JOIN entity e ON e.id = c.entity "
                f"WHERE c.value = ?{scheme_filter}",
                (value, *schemes),
            ).fetchall()
        return [(Entity(*r[:9]), r[9]) for r in rows]

    def codes(self, entity_id: int) -> dict[str, str]:
        """The codes of a resource, by scheme."""
        with self._connection() as db:
            rows = db.execute("SELECT scheme, value FROM code WHERE entity = ?", (entity_id,))
            return dict(rows.fetchall())

    def names(self, entity_ids: Sequence[int]) -> dict[int, list[tuple[str, str, str]]]:
        """The names of resources: (key, name, property) by resource."""
        found: dict[int, list[tuple[str, str, str]]] = {i: [] for i in entity_ids}
        with self._connection() as db:
            for entity_id, key, name, prop in db.execute(
                "SELECT entity, key, name, property FROM name "
                f"WHERE entity IN ({','.join('?' * len(entity_ids))})",
                list(entity_ids),
            ):
                found[entity_id].append((key, name, prop))
        return found

    def candidates(
        self, expression: str, kinds: Sequence[str] = (), limit: int = 50, offset: int = 0
    ) -> list[Entity]:
        """The resources whose names match an FTS5 ``expression``, best first."""
        where = f" AND kind IN ({','.join('?' * len(kinds))})" if kinds else ""
        with self._connection(SEARCH_SECONDS) as db:
            ids = [
                r[0]
                for r in db.execute(
                    f"SELECT rowid FROM fts WHERE fts MATCH ?{where} ORDER BY rank "
                    "LIMIT ? OFFSET ?",
                    (f"names : ({expression})", *kinds, limit, offset),
                )
            ]
            entities = self._entities(db, ids)
        return [entities[i] for i in ids]

    def names_of_kinds(self, kinds: Sequence[str]) -> list[tuple[int, str]]:
        """Every (resource, name key) of the given kinds: what fuzzy matching compares."""
        with self._connection() as db:
            return db.execute(
                "SELECT n.entity, n.key FROM name n JOIN entity e ON e.id = n.entity "
                f"WHERE e.kind IN ({','.join('?' * len(kinds))})",
                list(kinds),
            ).fetchall()

    def entities(self, ids: Sequence[int]) -> dict[int, Entity]:
        """The resources with the given ids."""
        with self._connection() as db:
            return self._entities(db, ids)

    # ------------------------------------------------------------------ pages

    def page_count(self) -> int:
        """How many resource IRIs the store holds (under the base's ``id/``)."""
        with self._connection() as db:
            return int(db.execute("SELECT count(*) FROM page").fetchone()[0])

    def pages(self, offset: int, limit: int) -> list[str]:
        """The resource IRIs, in order, from ``offset``."""
        with self._connection() as db:
            rows = db.execute("SELECT iri FROM page ORDER BY iri LIMIT ? OFFSET ?", (limit, offset))
            return [r[0] for r in rows]

    def close(self) -> None:
        """Close the pooled connections (connections in use close when returned)."""
        self._pool_size = 0
        while True:
            try:
                self._pool.get_nowait().close()
            except queue.Empty:
                return


def _filters(
    kind: str | None, meeting: str | None, year: int | None
) -> tuple[str, list[object]]:
    clauses, params = [], []
    for column, value in (("kind", kind), ("meeting", meeting), ("year", year)):
        if value is not None:
            clauses.append(f" AND {column} = ?")
            params.append(value)
    return "".join(clauses), params


def _kind_order() -> list[str]:
    return [*dict.fromkeys(k for k, _, _ in KINDS), "other"]


def best_snippet(columns: Sequence[str]) -> str:
    """The passage of the text if it holds a match, else of the names, else of the topics
    (a resource found by the topic it is about)."""
    names, body, topics = columns
    for passage in (body, names):
        if _OPEN in passage:
            return passage
    if _OPEN in topics:
        return topics if topics.startswith("Topics:") else "Topics: " + topics
    return body or names


def pieces(snippet: str) -> tuple[tuple[str, bool], ...]:
    """Split a snippet with marks into (text, marked) pieces."""
    pieces: list[tuple[str, bool]] = []
    for i, part in enumerate(shown_text(snippet).split(_OPEN)):
        marked, _, rest = part.partition(_CLOSE) if i else ("", "", part)
        if marked:
            pieces.append((marked, True))
        if rest:
            pieces.append((rest, False))
    return tuple(pieces)
