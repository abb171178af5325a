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
import re
import sqlite3
import time
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from urllib.parse import quote

from tipkg.store.search_index import INDEX_FORMAT, TOKENIZER
from tipkg.store.search_sources import KIND_LABELS, KINDS
from tipkg.store.search_text import parse_query, shown_text

SEARCH_SECONDS = 5.0
#: How many of a kind's matches are ranked by relevance; beyond, hits come in index order.
#: A multiple of every page size, so pages never straddle the two orders.
RANKED = 1000
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
                self._load_facets(db)
        except sqlite3.DatabaseError as exc:
            raise IndexUnavailable(f"{self.path} is not a readable search index: {exc}") from None
        self.base_iri: str = meta.get("base_iri", "")
        self.built: str = meta.get("built", "")

    def _load_facets(self, db: sqlite3.Connection) -> None:
        """Keep each row's (kind, meeting, year) as a small number, and each kind's range of
        rowids: facets are then counted from the matching rowids alone."""
        ranges = db.execute("SELECT kind, min(id), max(id) FROM entity GROUP BY kind")
        self._ranges: dict[str, tuple[int, int]] = {kind: (lo, hi) for kind, lo, hi in ranges}
        self._combos: list[tuple[str, str | None, int | None]] = []
        numbers: dict[tuple[str, str | None, int | None], int] = {}
        self._combo_of = array("I", [0])
        for row in db.execute("SELECT kind, meeting, year FROM entity ORDER BY id"):
            number = numbers.setdefault(row, len(self._combos))
            if number == len(self._combos):
                self._combos.append(row)
            self._combo_of.append(number)

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
            expression = _expand_prefixes(db, parsed.expression)
            rowids = db.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (expression,))
            combos = Counter(map(self._combo_of.__getitem__, map(itemgetter(0), rowids)))
            facets, counts = self._facets(
                [(*self._combos[c], n) for c, n in combos.items()], kind, meeting, year
            )
            where, params = _filters(None, meeting, year)
            ranked: list[int] = []
            for k in [kind] if kind else _kind_order():
                if counts[k] and k in self._ranges:
                    ranked += self._ranked(db, expression, k, where, params, per_kind, offset)
            snippets = {}
            for rowid in ranked:
                row = db.execute(
                    f"SELECT {SNIPPETS} FROM fts WHERE fts MATCH ? AND rowid = ?",
                    (expression, rowid),
                ).fetchone()
                snippets[rowid] = best_snippet(row) if row else ""
            entities = self._entities(db, ranked)
        hits: dict[str, list[Hit]] = {}
        for entity_id in ranked:  # best first
            entity = entities[entity_id]
            label = self.meetings.get(entity.meeting or "", (None, None))[0]
            hits.setdefault(entity.kind, []).append(Hit(entity, pieces(snippets[entity_id]), label))
        groups = [
            Group(k, KIND_LABELS[k], counts[k], tuple(hits.get(k, ())))
            for k in _kind_order()
            if counts[k]
        ]
        total = sum(counts.values())
        return SearchResults(text, parsed.terms, total, groups, facets)

    def _ranked(
        self,
        db: sqlite3.Connection,
        expression: str,
        kind: str,
        where: str,
        params: list[object],
        limit: int,
        offset: int,
    ) -> list[int]:
        """The rowids of one kind's page of hits: ranked by relevance (bm25) among the
        kind's first :data:`RANKED` matches, then in index order (a word that half the
        data holds still answers in bounded time; the totals count every match)."""
        lo, hi = self._ranges[kind]
        scope = f"fts MATCH ? AND rowid BETWEEN ? AND ?{where}"
        values = (expression, lo, hi, *params)
        if offset < RANKED:
            rows = db.execute(
                f"SELECT rowid FROM (SELECT rowid, rank FROM fts WHERE {scope} LIMIT {RANKED}) "
                "ORDER BY rank LIMIT ? OFFSET ?",
                (*values, min(limit, RANKED - offset), offset),
            )
        else:
            rows = db.execute(
                f"SELECT rowid FROM fts WHERE {scope} LIMIT ? OFFSET ?", (*values, limit, offset)
            )
        return [r[0] for r in rows]

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
        """The resources of ``kinds`` (default: all) whose names match an FTS5
        ``expression``, best first (each kind ranked among its first :data:`RANKED` matches,
        as :meth:`search` does)."""
        wanted = [k for k in (kinds or self._ranges) if k in self._ranges]
        found: list[tuple[float, int]] = []
        with self._connection(SEARCH_SECONDS) as db:
            names = f"names : ({_expand_prefixes(db, expression)})"
            for kind in wanted:
                lo, hi = self._ranges[kind]
                found += db.execute(
                    "SELECT rank, rowid FROM (SELECT rowid, rank FROM fts WHERE fts MATCH ? "
                    f"AND rowid BETWEEN ? AND ? LIMIT {RANKED}) ORDER BY rank LIMIT ?",
                    (names, lo, hi, offset + limit),
                ).fetchall()
            ids = [rowid for _, rowid in sorted(found)[offset : offset + limit]]
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


_PREFIX = re.compile(r'"([^" ]+)"\*')
#: A scratch table that stems a word as the index does, its words, and the index's words
#: (in the connection's own temporary schema: the index file stays read-only).
_WORD_TABLES = (
    f"temp.stem USING fts5(word, tokenize='{TOKENIZER}')",
    "temp.stem_words USING fts5vocab(temp, stem, 'row')",
    "temp.words USING fts5vocab(main, fts, 'row')",
)
#: A prefix with more words than this stays a prefix query.
MAX_EXPANSION = 32


def _expand_prefixes(db: sqlite3.Connection, expression: str) -> str:
    """Replace each one-word prefix (``"traffick"*``) by the words of the index that begin
    so (``("traffick" OR "trafficker")``), when there are few: FTS5 merges the word lists
    of a prefix anew for every query that holds it, and a search runs a few dozen."""
    if "*" not in expression:
        return expression
    for table in _WORD_TABLES:
        db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {table}")

    def stems(text: str) -> set[str]:
        db.execute("DELETE FROM temp.stem")
        db.execute("INSERT INTO temp.stem(word) VALUES (?)", (text,))
        return {r[0] for r in db.execute("SELECT term FROM temp.stem_words")}

    def expand(match: re.Match[str]) -> str:
        stem = stems(match.group(1))
        if len(stem) != 1:
            return match.group(0)
        start = stem.pop()
        terms = [
            r[0]
            for r in db.execute(
                "SELECT term FROM temp.words WHERE term >= ? AND term < ? LIMIT ?",
                (start, start + "\U0010ffff", MAX_EXPANSION + 1),
            )
        ]
        # a word of the index is sent as it is only if the stemmer leaves it so
        if not 0 < len(terms) <= MAX_EXPANSION or stems(" ".join(terms)) != set(terms):
            return match.group(0)
        return "(" + " OR ".join(f'"{t}"' for t in terms) + ")"

    return _PREFIX.sub(expand, expression)


def _filters(kind: str | None, meeting: str | None, year: int | None) -> tuple[str, list[object]]:
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
