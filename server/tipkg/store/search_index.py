"""Write the search index: one SQLite file (FTS5) beside a store, made from the store's data.

The file holds, for every named or texted resource, one full-text row (its names, its
text, the names of its topics) with its kind, meeting and year (the rows of each kind are
one range of rowids, which a search uses to rank a kind's rows alone), what a result shows
(label, description, source paragraph), and for the reconciliation service and the
identifier lookup its names by exact-match key (:func:`~tipkg.store.search_text.name_key`)
and its codes (ISO 3166-1, M49, Wikidata, UN symbol by
:func:`~tipkg.un_symbols.symbol_key`). It also lists every resource IRI, for the sitemap.

``tipkg build`` writes it into each build directory before the build is switched in
(``search.sqlite``), so the index and the store change together; :func:`write_index`
writes a temporary file and renames it, so a reader never sees half an index.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tipkg.store import search_sources as src
from tipkg.store.search_sources import TIPKG, Select, Term
from tipkg.store.search_text import index_text, name_key
from tipkg.un_symbols import symbol_key

INDEX_FILE = "search.sqlite"
#: Changes whenever the file's tables change; a reader refuses another format.
INDEX_FORMAT = 2  # 2: the resources of each kind are a range of rowids
TOKENIZER = "porter unicode61 remove_diacritics 2"
#: Ranking: a word in a name weighs five times a word in a text, and twice a word in the
#: names of the topics the resource is about.
RANK = "bm25(5.0, 1.0, 0.5)"
_SCHEMA = f"""
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entity(
  id INTEGER PRIMARY KEY, iri TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, label TEXT NOT NULL,
  description TEXT NOT NULL, meeting TEXT, year INTEGER, source TEXT, source_label TEXT);
CREATE VIRTUAL TABLE fts USING fts5(
  names, body, topics, kind UNINDEXED, meeting UNINDEXED, year UNINDEXED,
  tokenize='{TOKENIZER}', prefix='2 3');
INSERT INTO fts(fts, rank) VALUES('rank', '{RANK}');
CREATE TABLE name(entity INTEGER NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL,
  lang TEXT NOT NULL, property TEXT NOT NULL);
CREATE INDEX name_key ON name(key);
CREATE INDEX name_entity ON name(entity);
CREATE TABLE code(entity INTEGER NOT NULL, scheme TEXT NOT NULL, value TEXT NOT NULL);
CREATE INDEX code_value ON code(value, scheme);
CREATE INDEX code_entity ON code(entity);
CREATE TABLE meeting(iri TEXT PRIMARY KEY, label TEXT NOT NULL, year INTEGER) WITHOUT ROWID;
CREATE TABLE page(iri TEXT PRIMARY KEY) WITHOUT ROWID;
"""
_YEAR = re.compile(r"^(\d{4})")
_CODES = {
    f"{TIPKG}iso3166Alpha2": "iso3166Alpha2",
    f"{TIPKG}iso3166Alpha3": "iso3166Alpha3",
    f"{TIPKG}m49Code": "m49Code",
}


@dataclass
class _Resource:
    kinds: set[int] = field(default_factory=set)
    names: list[tuple[str, Term]] = field(default_factory=list)  # (property, value)
    texts: list[str] = field(default_factory=list)
    details: dict[str, str] = field(default_factory=dict)
    links: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    vocabulary: bool = False


def write_index(
    select: Select, path: Path, base_iri: str, pages: Iterable[str] | None = None
) -> int:
    """Read the store through ``select`` and write the index to ``path``; return the number
    of resources indexed. ``pages``: the IRIs that have a page, when the caller knows them
    (else asked of the store, a scan of every triple)."""
    resources = _read(select)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.unlink(missing_ok=True)
    db = sqlite3.connect(temporary)
    try:
        db.executescript(_SCHEMA)
        count = _write(db, resources)
        if pages is None:
            pages = (r["s"].value for r in select(src.resources_query(base_iri)))
        db.executemany("INSERT OR IGNORE INTO page VALUES (?)", ((iri,) for iri in pages))
        built = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        db.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [("format", str(INDEX_FORMAT)), ("base_iri", base_iri), ("built", built)],
        )
        db.commit()
        db.execute("INSERT INTO fts(fts) VALUES('optimize')")
        db.commit()
    finally:
        db.close()
    os.replace(temporary, path)
    return count


def kind_of_classes(rows: Iterable[src.Row]) -> dict[str, int]:
    """The kind (its index in :data:`~.search_sources.KINDS`) of each class, from the rows
    of :func:`~.search_sources.classes_query`: a class under two kinds' classes is of the
    first."""
    kind_of_class: dict[str, int] = {}
    for row in rows:
        index = int(row["kind"].value)
        kind_of_class[row["class"].value] = min(index, kind_of_class.get(row["class"].value, index))
    for index, (_, _, cls) in enumerate(src.KINDS):
        kind_of_class.setdefault(cls, index)
    return kind_of_class


def _read(select: Select) -> dict[str, _Resource]:
    resources: dict[str, _Resource] = defaultdict(_Resource)
    kind_of_class = kind_of_classes(select(src.classes_query()))
    classes = [*kind_of_class, *src.VOCABULARY_CLASSES]
    for row in select(src.types_query(classes)):
        cls = row["class"].value
        if cls in kind_of_class:
            resources[row["s"].value].kinds.add(kind_of_class[cls])
        else:
            resources[row["s"].value].vocabulary = True
    names, texts = set(src.NAME_PROPERTIES), set(src.TEXT_PROPERTIES)
    for row in select(src.literals_query()):
        resource, prop, value = resources[row["s"].value], row["p"].value, row["o"]
        if prop in names:
            resource.names.append((prop, value))
        elif prop in texts:
            resource.texts.append(value.value)
        else:
            resource.details.setdefault(prop, value.value)
    for row in select(src.links_query()):
        resources[row["s"].value].links[row["p"].value].append(row["o"].value)
    return resources


def _write(db: sqlite3.Connection, resources: dict[str, _Resource]) -> int:
    places = _Places(resources)
    meetings: dict[str, tuple[str, int | None]] = {}
    count = 0
    order = {kind: i for i, kind in enumerate(dict.fromkeys(k for k, _, _ in src.KINDS))}
    indexed = sorted(
        (order.get(_kind(r), len(order)), iri)
        for iri, r in resources.items()
        if not r.vocabulary and (r.names or r.texts)
    )
    for _, iri in indexed:  # one kind after the other: each kind is a range of rowids
        resource = resources[iri]
        kind = _kind(resource)
        label = places.label(iri)
        meeting = iri if kind == "meeting" else places.meeting(iri)
        year = places.year(meeting) if meeting else None
        year = year or places.year(iri)
        source = places.source(iri)
        count += 1
        db.execute(
            "INSERT INTO entity VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (count, iri, kind, label, places.description(iri, label), meeting, year,
             source, places.label(source) if source else None),
        )  # fmt: skip
        db.execute(
            "INSERT INTO fts(rowid, names, body, topics, kind, meeting, year) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (count, index_text(_joined(resource)), index_text("\n".join(resource.texts)),
             index_text(places.topics(iri)), kind, meeting, year),
        )  # fmt: skip
        db.executemany("INSERT INTO name VALUES (?, ?, ?, ?, ?)", _names(count, resource))
        db.executemany("INSERT INTO code VALUES (?, ?, ?)", _codes(count, resource))
        if meeting and meeting not in meetings:
            meetings[meeting] = (places.label(meeting), places.year(meeting))
    db.executemany("INSERT INTO meeting VALUES (?, ?, ?)", ((m, *v) for m, v in meetings.items()))
    return count


def _kind(resource: _Resource) -> str:
    return src.KINDS[min(resource.kinds)][0] if resource.kinds else "other"


def _joined(resource: _Resource) -> str:
    return " · ".join(dict.fromkeys(t.value for _, t in resource.names))


def _names(entity: int, resource: _Resource) -> Iterable[tuple[int, str, str, str, str]]:
    seen: set[tuple[str, str]] = set()
    for prop, term in resource.names:
        key = name_key(term.value)
        short = prop.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if key and (key, short) not in seen:
            seen.add((key, short))
            yield (entity, key, term.value, term.lang, short)


def _codes(entity: int, resource: _Resource) -> Iterable[tuple[int, str, str]]:
    for prop, scheme in _CODES.items():
        value = resource.details.get(prop)
        if value:
            yield (entity, scheme, value.zfill(3) if scheme == "m49Code" else value.upper())
    for item in resource.links.get(f"{TIPKG}wikidataEntity", ()):
        yield (entity, "wikidata", item.rstrip("/").rsplit("/", 1)[-1].upper())
    for prop, term in resource.names:
        if prop == f"{TIPKG}symbol":
            yield (entity, "symbol", symbol_key(term.value))


class _Places:
    """What a result shows about a resource, and where it belongs (meeting, year, source),
    worked out from the resources read."""

    def __init__(self, resources: dict[str, _Resource]) -> None:
        self.resources = resources

    def _first(self, iri: str, prop: str) -> str | None:
        resource = self.resources.get(iri)
        values = resource.links.get(prop) if resource else None
        return min(values) if values else None

    def label(self, iri: str) -> str:
        """The English label, else a paragraph's or section's place in its document, else a
        symbol, title or other name, else the last segment of the IRI."""
        resource = self.resources.get(iri)
        if resource is None:
            return iri.rstrip("/").rsplit("/", 1)[-1]
        label = self._name(resource, (f"{src.RDFS}label", f"{src.SKOS}prefLabel"))
        if not label and f"{TIPKG}partOfDocument" in resource.links:
            return self._part_label(iri, resource)
        return (
            label
            or self._name(resource, (f"{TIPKG}symbol", f"{TIPKG}title", *src.NAME_PROPERTIES))
            or iri.rstrip("/").rsplit("/", 1)[-1]
        )

    @staticmethod
    def _name(resource: _Resource, properties: Iterable[str]) -> str:
        """The first property's English value (or any value), smallest first."""
        for prop in properties:
            values = [t for p, t in resource.names if p == prop]
            english = [t.value for t in values if t.lang in ("en", "")]
            if english or values:
                return min(english or [t.value for t in values])
        return ""

    def _part_label(self, iri: str, resource: _Resource) -> str:
        """``{symbol}, paragraph {n}``; a section's number and heading; an unnumbered
        paragraph's place in its section."""
        document = self._first(iri, f"{TIPKG}partOfDocument") or ""
        symbol = self.label(document)
        number = resource.details.get(f"{TIPKG}paragraphNumber")
        if number:
            return f"{symbol}, paragraph {number}"
        heading = _shorten(self._name(resource, (f"{TIPKG}heading",)), 80)
        if heading:
            section = resource.details.get(f"{TIPKG}sectionNumber")
            return f"{symbol}, section {section}: {heading}" if section else f"{symbol}: {heading}"
        section = self._first(iri, f"{TIPKG}inSection")
        place = self.label(section) if section else symbol
        position = resource.details.get(f"{TIPKG}position")
        return f"{place}, paragraph {position}" if position else place

    def description(self, iri: str, label: str) -> str:
        """A line that tells namesakes apart: the title, else the meeting, else the text."""
        resource = self.resources[iri]
        codes = [resource.details.get(p) for p in _CODES]
        if any(codes):
            alpha2, alpha3, m49 = (c or "–" for c in codes)
            return f"ISO 3166-1 {alpha3} ({alpha2}) · M49 {m49}"
        title = next((t.value for p, t in resource.names if p == f"{TIPKG}title"), "")
        if title and title not in label:
            return title
        meeting = self.meeting(iri)
        if meeting and meeting != iri:
            return self.label(meeting)
        if resource.texts:
            return _shorten(" ".join(resource.texts), 200)
        acronyms = sorted({t.value for p, t in resource.names if p == f"{TIPKG}acronym"})
        return ", ".join(acronyms)

    def meeting(self, iri: str, depth: int = 0) -> str | None:
        """The meeting a resource belongs to: directly, or through its document or agenda
        item."""
        for prop in src.MEETING_PROPERTIES:
            found = self._first(iri, prop)
            if found:
                return found
        if depth < 3:
            for prop in (f"{TIPKG}partOfDocument", f"{TIPKG}aboutAgendaItem",
                         f"{TIPKG}underItem"):  # fmt: skip
                via = self._first(iri, prop)
                if via:
                    return self.meeting(via, depth + 1)
        return None

    def year(self, iri: str) -> int | None:
        """The year a meeting started, or a document was issued, or an act dated."""
        resource = self.resources.get(iri)
        if resource is None:
            return None
        for prop in ("startDate", "issued", "date", "actDate"):
            match = _YEAR.match(resource.details.get(f"{TIPKG}{prop}", ""))
            if match:
                return int(match.group(1))
        document = self._first(iri, f"{TIPKG}partOfDocument")
        return self.year(document) if document else None

    def topics(self, iri: str) -> str:
        """The names of the topics a resource is about, for the index (a recommendation on
        the non-punishment principle is found by "non-punishment" whatever its wording)."""
        names = [_joined(self.resources[t]) for t in self.resources[iri].links.get(
            f"{TIPKG}topic", ()) if t in self.resources]  # fmt: skip
        return ("Topics: " + " · ".join(sorted(names))) if names else ""

    def source(self, iri: str) -> str | None:
        """The first numbered paragraph a resource was read from, else its first source."""
        sources = self.resources[iri].links.get(f"{TIPKG}source", [])

        def order(para: str) -> tuple[int, str]:
            number = self.resources[para].details.get(f"{TIPKG}paragraphNumber", "")
            return (int(number), para) if number.isdigit() else (1 << 30, para)

        known = [s for s in sources if s in self.resources]
        return min(known, key=order) if known else (min(sources) if sources else None)


def _shorten(text: str, size: int) -> str:
    """``text`` cut at a word before ``size`` characters, with an ellipsis."""
    if len(text) <= size:
        return text
    return text[:size].rsplit(" ", 1)[0].rstrip(",;:") + "…"
