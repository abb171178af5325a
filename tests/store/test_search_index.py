"""The search index of a real build of the project's data: what it holds (kinds, labels,
meetings, years, source paragraphs, codes, pages) and what searches find in it, checked
against the store itself."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pyoxigraph as ox
import pytest

from tipkg.store import search as search_module
from tipkg.store.search import IndexUnavailable, SearchIndex, SearchTimeout, _expand_prefixes
from tipkg.store.search_index import INDEX_FILE, write_index
from tipkg.store.search_sources import rows_from_json, select_from_store
from tipkg.store.search_text import BadSearch

BASE = "https://w3id.org/tipkg/"
TIPKG = "https://w3id.org/tipkg/def#"


@pytest.fixture(scope="module")
def store(project_build: Path) -> ox.Store:
    return ox.Store.read_only(str(project_build))


@pytest.fixture(scope="module")
def index(project_build: Path) -> SearchIndex:
    """The index ``tipkg build`` wrote into the build."""
    return SearchIndex(project_build / INDEX_FILE)


def _values(store: ox.Store, query: str) -> set[str]:
    return {row[0].value for row in store.query(query)}


def _hits(index: SearchIndex, query: str, kind: str) -> set[str]:
    results = index.search(query, kind=kind, per_kind=1000)
    return {h.entity.iri for g in results.groups for h in g.hits}


def test_every_state_and_recommendation_is_indexed_with_its_kind(
    index: SearchIndex, store: ox.Store
) -> None:
    for cls, kind in (("State", "state"), ("Recommendation", "recommendation"),
                      ("Meeting", "meeting"), ("Person", "person")):  # fmt: skip
        expected = _values(store, f"SELECT ?s WHERE {{ ?s a <{TIPKG}{cls}> }}")
        indexed = {i for i in expected if (e := index.entity(i)) and e.kind == kind}
        assert indexed == expected, cls


def test_ontology_terms_are_not_data(index: SearchIndex) -> None:
    assert index.entity(f"{TIPKG}Meeting") is None
    assert index.search("Meeting").groups  # the data's meetings are
    assert all(h.entity.iri.startswith(BASE + "id/") or not h.entity.iri.startswith(BASE)
               for g in index.search("recommendation", per_kind=100).groups for h in g.hits)  # fmt: skip


def test_recommendations_have_their_meeting_year_and_source_paragraph(
    index: SearchIndex, store: ox.Store
) -> None:
    rows = store.query(
        f"""SELECT ?r ?m ?start ?para ?n WHERE {{ ?r a <{TIPKG}Recommendation> ;
        <{TIPKG}adoptedAt> ?m ; <{TIPKG}source> ?para . ?m <{TIPKG}startDate> ?start .
        ?para <{TIPKG}paragraphNumber> ?n }}"""
    )
    checked = 0
    for r, m, start, _para, _n in rows:
        entity = index.entity(r.value)
        assert entity is not None
        assert entity.meeting == m.value and entity.year == int(start.value[:4])
        assert entity.source is not None and entity.source_label is not None
        # the paragraph's name, as the pages and the data give it (tipkg.store.names)
        number = entity.source.rsplit("/", 1)[-1]
        assert entity.source_label.startswith(f"Paragraph {number} of ")
        checked += 1
    assert checked >= 30


def test_paragraphs_are_labelled_by_symbol_and_number(index: SearchIndex) -> None:
    entity = index.entity(f"{BASE}id/document/CTOC/COP/WG.4/2022/4/para/37")
    assert entity is not None and entity.kind == "paragraph"
    assert entity.label == "Paragraph 37 of CTOC/COP/WG.4/2022/4"
    assert entity.year == 2022 and entity.meeting == f"{BASE}id/meeting/wg-tip/12"


def test_states_have_their_codes(index: SearchIndex, store: ox.Store) -> None:
    rows = list(store.query(
        f"SELECT ?s ?a2 ?a3 ?m WHERE {{ ?s <{TIPKG}iso3166Alpha2> ?a2 ; "
        f"<{TIPKG}iso3166Alpha3> ?a3 ; <{TIPKG}m49Code> ?m }}"
    ))  # fmt: skip
    assert len(rows) >= 195
    for s, a2, a3, m49 in rows:
        entity = index.entity(s.value)
        assert entity is not None
        codes = index.codes(entity.id)
        assert (codes["iso3166Alpha2"], codes["iso3166Alpha3"], codes["m49Code"]) == (
            a2.value,
            a3.value,
            m49.value,
        )


def test_pages_are_every_resource_of_the_store(index: SearchIndex, store: ox.Store) -> None:
    expected = _values(
        store, f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{BASE}id/")) }}'
    )
    assert index.page_count() == len(expected)
    assert set(index.pages(0, len(expected) + 10)) == expected
    assert index.pages(0, 5) + index.pages(5, 5) == index.pages(0, 10)


def test_non_punishment_finds_every_recommendation_and_paragraph_that_speaks_of_it(
    index: SearchIndex, store: ox.Store
) -> None:
    for cls, kind in (("Recommendation", "recommendation"), ("Paragraph", "paragraph")):
        speaking = _values(
            store,
            f"""SELECT ?s WHERE {{ ?s a <{TIPKG}{cls}> ; <{TIPKG}text> ?t
            FILTER(CONTAINS(LCASE(?t), "non-punishment")) }}""",
        )
        about = _values(
            store,
            f"""SELECT ?s WHERE {{ ?s a <{TIPKG}{cls}> ;
            <{TIPKG}topic> <{BASE}id/topic/non-punishment-principle> }}""",
        )
        assert speaking, cls
        assert speaking | about <= _hits(index, "non-punishment", kind), cls


@pytest.mark.parametrize(
    ("query", "same_as"),
    [("Turkiye", "Türkiye"), ("trafficked", "trafficking"), ("TURQUIE", "Turquie")],
)
def test_accents_case_and_word_forms_do_not_matter(
    index: SearchIndex, query: str, same_as: str
) -> None:
    assert index.search(query).total == index.search(same_as).total > 0


def test_a_phrase_keeps_its_words_in_order(index: SearchIndex) -> None:
    assert index.search('"joint investigative teams"').total > 0
    assert index.search('"teams investigative joint"').total == 0
    assert index.search("teams investigative joint").total > 0


def test_a_prefix_finds_every_word_beginning_so(index: SearchIndex) -> None:
    assert index.search("traffick*").total >= index.search("trafficking").total > 0


def test_names_in_every_language_are_found(index: SearchIndex) -> None:
    for name in ("Турция", "土耳其", "Turquía", "伊朗"):
        kinds = {g.kind for g in index.search(name).groups}
        assert "state" in kinds, name


def test_facets_count_what_the_filters_keep(index: SearchIndex) -> None:
    results = index.search("trafficking")
    assert sum(f.count for f in results.facets["kind"]) == results.total
    assert sum(g.total for g in results.groups) == results.total
    year = results.facets["year"][0]
    narrowed = index.search("trafficking", year=int(year.value))
    assert narrowed.total == year.count
    assert all(h.entity.year == int(year.value) for g in narrowed.groups for h in g.hits)
    meeting = results.facets["meeting"][0]
    by_meeting = index.search("trafficking", meeting=meeting.value, kind="recommendation")
    assert all(h.entity.meeting == meeting.value for g in by_meeting.groups for h in g.hits)


def test_hits_come_best_first_and_page_by_kind(index: SearchIndex) -> None:
    first = index.search("trafficking", kind="paragraph", per_kind=10)
    second = index.search("trafficking", kind="paragraph", per_kind=10, offset=10)
    ids = [h.entity.iri for h in first.groups[0].hits]
    assert len(ids) == 10 and not set(ids) & {h.entity.iri for h in second.groups[0].hits}
    everything = index.search("trafficking", kind="paragraph", per_kind=20)
    assert [h.entity.iri for h in everything.groups[0].hits][:10] == ids


def test_snippets_mark_the_matched_words(index: SearchIndex) -> None:
    hit = index.search("non-punishment", kind="recommendation").groups[0].hits[0]
    marked = [text for text, is_marked in hit.snippet if is_marked]
    assert marked and all(t.lower() in ("non-punishment", "non", "punishment") for t in marked)


def test_a_search_stops_at_its_time_limit(index: SearchIndex) -> None:
    with pytest.raises(SearchTimeout):
        index.search("th* OR tr* OR co* OR pr*", seconds=-1)


def test_a_bad_query_is_refused(index: SearchIndex) -> None:
    with pytest.raises(BadSearch):
        index.search("-everything")


def test_a_file_that_is_no_index_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IndexUnavailable, match="does not exist"):
        SearchIndex(tmp_path / "missing.sqlite")
    (tmp_path / "junk.sqlite").write_bytes(b"not a database" * 100)
    with pytest.raises(IndexUnavailable, match="not a readable search index"):
        SearchIndex(tmp_path / "junk.sqlite")
    db = sqlite3.connect(tmp_path / "old.sqlite")
    db.executescript("CREATE TABLE meta(key, value); INSERT INTO meta VALUES ('format', '0');")
    db.close()
    with pytest.raises(IndexUnavailable, match="rebuild"):
        SearchIndex(tmp_path / "old.sqlite")


def test_an_index_from_sparql_json_equals_one_from_the_store(
    store: ox.Store, tmp_path: Path
) -> None:
    """What a remote store's answers give (SPARQL JSON) is what the embedded store gives."""

    def via_json(query: str) -> list[dict[str, object]]:
        body = store.query(query).serialize(format=ox.QueryResultsFormat.JSON)
        return list(rows_from_json(body))

    direct = write_index(select_from_store(store), tmp_path / "a.sqlite", BASE)
    remote = write_index(via_json, tmp_path / "b.sqlite", BASE)  # type: ignore[arg-type]
    assert direct == remote > 500
    a, b = SearchIndex(tmp_path / "a.sqlite"), SearchIndex(tmp_path / "b.sqlite")
    for query in ("non-punishment", "Türkiye", "CTOC/COP/WG.4/2022/4"):
        assert a.search(query).total == b.search(query).total > 0


@pytest.mark.parametrize(
    "prefix", ["traff", "prosecut", "victim", "co", "t", "zzzz", "Türk", "recommendations"]
)
def test_expanded_prefixes_match_what_fts5_prefixes_match(index: SearchIndex, prefix: str) -> None:
    """A prefix is sent as the words it stands for when they are few: the same rows match."""
    if len(prefix) < 2:
        with pytest.raises(BadSearch):
            index.search(f"{prefix}*")
        return
    with index._connection() as db:
        raw = f'"{prefix}"*'
        expanded = _expand_prefixes(db, raw)
        rows = {r[0] for r in db.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (raw,))}
        same = {r[0] for r in db.execute("SELECT rowid FROM fts WHERE fts MATCH ?", (expanded,))}
    assert same == rows
    assert index.search(f"{prefix}*").total == len(rows)


def test_past_the_ranked_matches_pages_go_on_in_index_order(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "RANKED", 20)
    total = index.search("trafficking", kind="paragraph").total
    assert total > 60
    seen = []
    for offset in range(0, total, 10):
        page = index.search("trafficking", kind="paragraph", per_kind=10, offset=offset)
        seen += [h.entity.iri for g in page.groups for h in g.hits]
    assert len(seen) == len(set(seen)) == total


def test_every_prefix_of_the_index_words_matches_as_fts5_does(index: SearchIndex) -> None:
    """The class, not samples: the beginnings (2 to 8 letters) of 300 of the index's words."""
    with index._connection() as db:
        db.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.all_words USING fts5vocab(main, fts, 'row')"
        )
        words = [r[0] for r in db.execute("SELECT term FROM temp.all_words")]
        prefixes = sorted(
            {
                w[:n]
                for w in words[:: max(1, len(words) // 300)]
                for n in (2, 4, 6, 8)
                if len(w) >= n
            }
        )
        for prefix in prefixes:
            raw = f'"{prefix}"*'
            rows = db.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (raw,)).fetchone()
            same = db.execute(
                "SELECT count(*) FROM fts WHERE fts MATCH ?", (_expand_prefixes(db, raw),)
            ).fetchone()
            assert same == rows, prefix
    assert len(prefixes) > 300
