"""The search box's syntax read into FTS5 expressions: any text at all is either refused
with a reason or an expression FTS5 evaluates (never an FTS5 syntax error, a column filter
or a function); folding and name keys."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tipkg.store.search_index import TOKENIZER
from tipkg.store.search_text import (
    MAX_QUERY_CHARS,
    BadSearch,
    index_text,
    name_key,
    parse_query,
    shown_text,
    words,
)


@pytest.fixture(scope="module")
def fts() -> sqlite3.Connection:
    """An FTS5 table with the index's tokenizer and a few texts."""
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE t USING fts5(a, b, tokenize='{TOKENIZER}')")
    texts = [
        "victims of trafficking in persons were trafficked",
        "the non-punishment principle",
        "Türkiye · Turquie · Турция · 土耳其 · إيران، الجمهوريّة الإسلاميّة",
        "CTOC/COP/WG.4/2022/4",
    ]
    db.executemany("INSERT INTO t(a, b) VALUES (?, '')", [(index_text(t),) for t in texts])
    return db


def _match(db: sqlite3.Connection, query: str) -> list[str]:
    expression = parse_query(query).expression
    rows = db.execute("SELECT a FROM t WHERE t MATCH ? ORDER BY rowid", (expression,))
    return [shown_text(r[0]) for r in rows]


# The search syntax's characters, FTS5's operators and punctuation, and letters of scripts.
_ALPHABET = st.sampled_from(
    list('"*-()^:+.,/\\ \t\n{}[]NEARORANDNOTor') + list("aéüß伊朗تٌЖ0123456789'’\u200b\x00")
)


@given(st.text(_ALPHABET, max_size=60) | st.text(max_size=60))
@settings(max_examples=400, deadline=None)
def test_any_text_is_refused_or_runs(fts: sqlite3.Connection, text: str) -> None:
    try:
        expression = parse_query(text).expression
    except BadSearch:
        return
    fts.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expression,)).fetchone()


@pytest.mark.parametrize(
    ("query", "found"),
    [
        pytest.param("Turkiye", 2, id="diacritics"),
        pytest.param("TURKIYE", 2, id="case"),
        pytest.param("trafficked", 0, id="stem-trafficked"),
        pytest.param("trafficking", 0, id="stem-trafficking"),
        pytest.param('"non-punishment principle"', 1, id="phrase-with-hyphen"),
        pytest.param("non-punishment", 1, id="hyphenated-word"),
        pytest.param("traffick*", 0, id="prefix"),
        pytest.param("伊朗", None, id="cjk-absent"),
        pytest.param("土耳", 2, id="cjk-characters"),
        pytest.param("الجمهورية", 2, id="arabic-without-vowel-signs"),
        pytest.param("турция", 2, id="cyrillic-case"),
        pytest.param("CTOC/COP/WG.4/2022/4", 3, id="symbol"),
        pytest.param("victims OR zzz", 0, id="or"),
        pytest.param("victims -persons", None, id="not"),
    ],
)
def test_searches_find_what_they_should(
    fts: sqlite3.Connection, query: str, found: int | None
) -> None:
    texts = [
        "victims of trafficking in persons were trafficked",
        "the non-punishment principle",
        "Türkiye · Turquie · Турция · 土耳其 · إيران، الجمهوريّة الإسلاميّة",
        "CTOC/COP/WG.4/2022/4",
    ]
    hits = _match(fts, query)
    assert hits == ([] if found is None else [shown_text(index_text(texts[found]))])


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("", "no word"),
        ("   -x", "no word"),
        ("NOT victims", "no word"),
        ("*", "no word"),
        ("a*", "at least 2"),
        ("x" * (MAX_QUERY_CHARS + 1), "longer than"),
        (" ".join(["w"] * 40), "more than"),
    ],
)
def test_unreadable_queries_say_why(query: str, reason: str) -> None:
    with pytest.raises(BadSearch, match=reason):
        parse_query(query)


def test_phrases_and_prefixes_are_shown_back() -> None:
    parsed = parse_query('"joint teams" traffick* -x OR y')
    assert parsed.terms == ("joint teams", "traffick*", "x", "y")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Côte d’Ivoire", "COTE D'IVOIRE"),
        ("Iran (Islamic Republic of)", "Iran, Islamic Republic of"),
        ("the Netherlands", "Netherlands"),
        ("Türkiye", "turkiye"),
        ("Viet  Nam", "Viet Nam"),
        ("الجمهوريّة", "الجمهورية"),
    ],
)
def test_name_keys_ignore_case_accents_and_punctuation(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_name_keys_keep_different_names_apart() -> None:
    assert name_key("Congo") != name_key("Democratic Republic of the Congo")
    assert name_key("Niger") != name_key("Nigeria")


def test_cjk_characters_are_words_and_show_without_breaks() -> None:
    assert words("伊朗伊斯兰") == ["伊", "朗", "伊", "斯", "兰"]
    assert shown_text(index_text("伊朗 Iran")) == "伊朗 Iran"
