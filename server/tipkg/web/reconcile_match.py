"""Score reconciliation candidates: which of our entities a name, code or UN symbol in
someone else's table means.

A query's text is matched, in this order, on: every name variant of an entity by its exact
key (:func:`~tipkg.store.search_text.name_key`: case, accents, punctuation and word order
of inversions such as "Iran, Islamic Republic of" do not count), a code (ISO 3166-1
alpha-2 or alpha-3, M49, a Wikidata item), a UN document symbol however printed
(:func:`~tipkg.un_symbols.symbol_key`), and then fuzzily (:func:`similarity` over the names of the
full-text index's candidates, and over every name of a small type). An
exact match scores 100, a fuzzy one at most 99. Query properties (codes, meeting, year)
count for a fifth of the score when there is text, for all of it when there is none.

A candidate is a ``match`` only when it scores 100 and no other candidate does: an exact
name, code or symbol that no other entity of the asked types shares.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from tipkg.store.search import Entity, SearchIndex
from tipkg.store.search_text import name_key, words
from tipkg.un_symbols import looks_like_symbol, symbol_key
from tipkg.web.reconcile_catalog import PROPERTIES_BY_ID, TYPES, TYPES_BY_ID, TYPES_BY_KIND

DEFAULT_LIMIT = 5
MAX_LIMIT = 100
#: Types with at most this many names are compared with every name (typos, reorderings);
#: larger ones only with the full-text index's candidates.
FULL_SCAN_NAMES = 20_000
_FUZZY_CUTOFF = 60.0
_CODE = re.compile(r"^(?:[A-Za-z]{2,3}|\d{1,3}|Q\d+)$")


#: Records a candidate's name score (and whether it is exact).
_Note = Callable[..., None]


class BadReconQuery(ValueError):
    """A reconciliation query that cannot be answered as sent; the message says why."""


@dataclass
class _Score:
    entity: Entity
    name: float = 0.0
    exact: bool = False
    matched: int = 0  # query properties that match


@dataclass(frozen=True)
class ReconQuery:
    """One reconciliation query, as the specification's JSON gives it."""

    text: str | None
    kinds: tuple[str, ...]
    limit: int
    properties: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())

    @classmethod
    def read(cls, data: Any) -> ReconQuery:
        """Read a query object of a batch.

        Raises:
            BadReconQuery: the object is not a query (the message says which part).
        """
        if not isinstance(data, dict):
            raise BadReconQuery("each query must be a JSON object")
        text = data.get("query")
        if text is not None and not isinstance(text, str):
            raise BadReconQuery('"query" must be a string')
        types = data.get("type") or []
        types = [types] if isinstance(types, str) else types
        if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
            raise BadReconQuery('"type" must be a type id or a list of them')
        kinds = tuple(TYPES_BY_ID[t].kind for t in types if t in TYPES_BY_ID)
        if types and not kinds:
            known = ", ".join(TYPES_BY_ID)
            raise BadReconQuery(f"unknown type {types[0]!r}; the types are {known}")
        limit = data.get("limit", DEFAULT_LIMIT)
        if isinstance(limit, bool) or not isinstance(limit, int | float) or not limit >= 1:
            raise BadReconQuery('"limit" must be a positive number')
        properties = tuple(_read_property(p) for p in data.get("properties") or [])
        if not (text and text.strip()) and not properties:
            raise BadReconQuery('a query needs a non-empty "query" or "properties"')
        return cls(text, kinds, int(min(limit, MAX_LIMIT)), properties)


def _read_property(data: Any) -> tuple[str, tuple[str, ...]]:
    if not isinstance(data, dict) or "pid" not in data or "v" not in data:
        raise BadReconQuery('each property must be an object with "pid" and "v"')
    pid = data["pid"]
    if pid not in PROPERTIES_BY_ID:
        raise BadReconQuery(f"unknown property {pid!r}; see /reconcile/suggest/property")
    values = data["v"] if isinstance(data["v"], list) else [data["v"]]
    read = []
    for value in values:
        if isinstance(value, dict):
            value = value.get("id", "")
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise BadReconQuery(f'the values of "{pid}" must be strings, numbers or entities')
        read.append(str(value))
    return pid, tuple(read)


class Matcher:
    """Reconciliation over one index (names of small types are kept for fuzzy matching)."""

    def __init__(self) -> None:
        self._names: weakref.WeakKeyDictionary[
            SearchIndex, dict[tuple[str, ...], list[tuple[int, str]]]
        ] = weakref.WeakKeyDictionary()

    def reconcile(self, index: SearchIndex, query: ReconQuery) -> list[dict[str, Any]]:
        """The candidates for ``query``, best first, as the specification's JSON."""
        kinds = query.kinds or tuple(t.kind for t in TYPES)
        scores: dict[int, _Score] = {}
        if query.text and query.text.strip():
            self._by_text(index, query.text, kinds, scores)
        if query.properties:
            self._by_properties(index, query, kinds, scores)
        ranked = sorted(
            ((self._final(s, query), s) for s in scores.values()),
            key=lambda pair: (-pair[0], pair[1].entity.label, pair[1].entity.iri),
        )[: query.limit]
        exact = [s for score, s in ranked if score >= 100]
        return [
            _candidate(s, score, match=len(exact) == 1 and s is exact[0], index=index)
            for score, s in ranked
            if score > 0
        ]

    def _by_text(
        self, index: SearchIndex, text: str, kinds: tuple[str, ...], scores: dict[int, _Score]
    ) -> None:
        def note(entity: Entity, value: float, exact: bool = False) -> None:
            if entity.kind not in kinds:
                return
            score = scores.setdefault(entity.id, _Score(entity))
            if value > score.name or (exact and not score.exact):
                score.name, score.exact = max(value, score.name), score.exact or exact

        key = name_key(text)
        for entity, _, _ in index.by_key(key):
            note(entity, 100.0, exact=True)
        stripped = text.strip()
        if _CODE.match(stripped):
            code = stripped.upper().zfill(3) if stripped.isdigit() else stripped.upper()
            for entity, _ in index.by_code(code, ("iso3166Alpha2", "iso3166Alpha3", "m49Code",
                                                  "wikidata")):  # fmt: skip
                note(entity, 100.0, exact=True)
        if looks_like_symbol(stripped):
            for entity, _ in index.by_code(symbol_key(stripped), ("symbol",)):
                note(entity, 100.0, exact=True)
        exact = any(s.exact for s in scores.values())
        self._fuzzy(index, key, kinds, note, search=not exact)
        if "document" in kinds and looks_like_symbol(stripped) and not exact:
            wanted = symbol_key(stripped)
            for entity in index.candidates(_or_words(stripped), ("document",), limit=20):
                code = index.codes(entity.id).get("symbol", "")
                note(entity, min(99.0, fuzz.ratio(wanted, code)))

    def _fuzzy(
        self, index: SearchIndex, key: str, kinds: tuple[str, ...], note: _Note, search: bool
    ) -> None:
        """Score every name of a small type by similarity, and (with ``search``: when
        nothing matched exactly) the full-text index's candidates."""
        if not key:
            return
        found = index.candidates(_or_words(key), kinds, limit=30) if search and words(key) else []
        if found:
            names = index.names([e.id for e in found])
            for entity in found:
                best = max((similarity(key, k) for k, _, _ in names[entity.id]), default=0.0)
                note(entity, min(99.0, best))
        choices = self._small_type_names(index, kinds)
        if choices:
            best_of: dict[int, float] = {}
            keys = [k for _, k in choices]
            for scorer, weight in _SCORERS:
                for _, alike, position in process.extract(
                    key, keys, scorer=scorer, limit=20, score_cutoff=_FUZZY_CUTOFF / weight
                ):
                    entity_id = choices[position][0]
                    best_of[entity_id] = max(best_of.get(entity_id, 0.0), weight * alike)
            for entity_id, entity in index.entities(list(best_of)).items():
                note(entity, min(99.0, best_of[entity_id]))

    def _small_type_names(
        self, index: SearchIndex, kinds: tuple[str, ...]
    ) -> list[tuple[int, str]]:
        cached = self._names.setdefault(index, {})
        if kinds not in cached:
            names = index.names_of_kinds(kinds)
            cached[kinds] = names if len(names) <= FULL_SCAN_NAMES else []
        return cached[kinds]

    def _by_properties(
        self, index: SearchIndex, query: ReconQuery, kinds: tuple[str, ...],
        scores: dict[int, _Score],
    ) -> None:  # fmt: skip
        """Count the query properties each candidate matches; without text, the entities
        with a matching code are the candidates."""
        if not (query.text and query.text.strip()):
            for pid, values in query.properties:
                scheme = PROPERTIES_BY_ID[pid].code
                for value in values if scheme else ():
                    for entity, _ in index.by_code(_code_value(scheme, value), (scheme,)):
                        if entity.kind in kinds:
                            scores.setdefault(entity.id, _Score(entity))
        for score in scores.values():
            codes = index.codes(score.entity.id)
            score.matched = sum(
                _property_matches(index, score.entity, codes, pid, values)
                for pid, values in query.properties
            )

    @staticmethod
    def _final(score: _Score, query: ReconQuery) -> float:
        if not query.properties:
            return score.name
        share = 100.0 * score.matched / len(query.properties)
        if not (query.text and query.text.strip()):
            return share
        if score.exact and score.matched == len(query.properties):
            return 100.0
        return min(99.0, 0.8 * score.name + 0.2 * share)


#: The measures :func:`similarity` takes the best of, with their weights (rapidfuzz's own
#: scorers run natively over every name of a type).
_SCORERS = ((fuzz.ratio, 1.0), (fuzz.token_sort_ratio, 1.0), (fuzz.token_set_ratio, 0.9))


def similarity(query: str, name: str) -> float:
    """How alike two name keys are, 0-100: the best of their edit-distance ratio (typos),
    the ratio of their sorted words (reorderings), and nine tenths of their word-set ratio
    (one name's words all in the other: "Iran" and "Iran (Islamic Republic of)")."""
    return max(weight * scorer(query, name) for scorer, weight in _SCORERS)


def _code_value(scheme: str, value: str) -> str:
    value = value.strip()
    if scheme == "symbol":
        return symbol_key(value)
    if scheme == "wikidata":
        return value.rstrip("/").rsplit("/", 1)[-1].upper()
    if scheme == "m49Code":
        return value.zfill(3)
    return value.upper()


def _property_matches(
    index: SearchIndex, entity: Entity, codes: dict[str, str], pid: str, values: tuple[str, ...]
) -> bool:
    prop = PROPERTIES_BY_ID[pid]
    if prop.code:
        return codes.get(prop.code) in {_code_value(prop.code, v) for v in values}
    if pid == "year":
        return str(entity.year) in {v.strip() for v in values}
    if pid == "meeting" and entity.meeting:
        label = index.meetings.get(entity.meeting, ("", None))[0]
        wanted = {name_key(v) for v in values}
        path = entity.meeting.removeprefix(f"{index.base_iri}id/")
        return path in values or entity.meeting in values or name_key(label) in wanted
    return False


def _or_words(text: str) -> str:
    """An FTS5 expression matching any of the words of ``text``."""
    return " OR ".join(f'"{w}"' for w in words(text)) or '""'


def _candidate(score: _Score, value: float, *, match: bool, index: SearchIndex) -> dict[str, Any]:
    entity = score.entity
    recon_type = TYPES_BY_KIND.get(entity.kind)
    return {
        "id": entity.iri.removeprefix(f"{index.base_iri}id/"),
        "name": entity.label,
        "description": entity.description,
        "type": [{"id": recon_type.id, "name": recon_type.name}] if recon_type else [],
        "score": round(value, 1),
        "match": match,
        "features": [
            {"id": "name_similarity", "value": round(score.name, 1)},
            {"id": "exact_name_or_code", "value": score.exact},
            {"id": "properties_matched", "value": score.matched},
        ],
    }
