"""Text as the search index sees it, and a search box's query as SQLite FTS5 reads it.

The index's tokenizer (``porter unicode61 remove_diacritics 2``) folds case and the
diacritics of Latin letters (``Turkiye`` finds ``Türkiye``) and stems English words
(``trafficked`` finds ``trafficking``). Two things it cannot do are done here, for the text
indexed and for the query alike: combining marks that no precomposed letter absorbs
(Arabic vowel signs, which unicode61 would take for word breaks) are dropped, and each
Chinese, Japanese or Korean character becomes a word of its own (these scripts write no
spaces, so ``伊朗`` finds ``伊朗伊斯兰共和国``), separated by an invisible zero-width space.

A query is never handed to FTS5 as typed: :func:`parse_query` reads words, ``"phrases"``,
``prefix*``, ``OR``, and ``-word`` or ``NOT word``, and writes an expression in which every
word is a quoted FTS5 string, so no input is an FTS5 syntax error or reaches a column
filter or function.

>>> parse_query('non-punishment victims').expression
'"non punishment" AND "victims"'
>>> parse_query('traffick* OR smuggl* -migrants').expression
'("traffick"* OR "smuggl"*) NOT "migrants"'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: What separates the characters of scripts written without spaces (unicode61 takes it
#: for a word break; a page does not show it).
CJK_BREAK = "\u200b"
_CJK = re.compile(
    "([\u2e80-\u2fdf\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f])"
)
MAX_QUERY_CHARS = 500
MAX_TERMS = 32
MIN_PREFIX = 2


class BadSearch(ValueError):
    """A search query that cannot be read (empty, too long, a prefix too short); the
    message says what to change."""


def fold(text: str) -> str:
    """Return ``text`` with compatibility forms replaced (NFKC) and the combining marks
    that remain after composition removed (Latin letters keep theirs: ``ü`` is one
    character, which the tokenizer folds)."""
    composed = unicodedata.normalize("NFKC", text)
    return "".join(c for c in composed if unicodedata.category(c) != "Mn")


def index_text(text: str) -> str:
    """Return ``text`` as it is stored in the index: folded, with each CJK character a
    word of its own (see the module docstring)."""
    folded = fold(text)
    if not _CJK.search(folded):
        return folded
    return _CJK.sub(rf"{CJK_BREAK}\1{CJK_BREAK}", folded)


def shown_text(text: str) -> str:
    """Return indexed text as it is shown: without the breaks :func:`index_text` added."""
    return text.replace(CJK_BREAK, "")


def words(text: str) -> list[str]:
    """Split ``text`` into the words the index's tokenizer sees (runs of letters, digits
    and private-use characters; each CJK character alone), case as given."""
    spaced = _CJK.sub(r" \1 ", fold(text))
    return "".join(
        c if unicodedata.category(c)[0] in "LN" or unicodedata.category(c) == "Co" else " "
        for c in spaced
    ).split()


def name_key(text: str) -> str:
    """Return the key on which names are matched exactly: words of ``text`` without any
    diacritics, case-folded, joined by single spaces, a leading English "the" dropped.

    >>> name_key("Côte d’Ivoire") == name_key("COTE D'IVOIRE")
    True
    >>> name_key("Iran (Islamic Republic of)") == name_key("Iran, Islamic Republic of")
    True
    """
    bare = "".join(
        c for c in unicodedata.normalize("NFKD", text) if unicodedata.category(c) != "Mn"
    )
    parts = [w.casefold() for w in words(bare)]
    if len(parts) > 1 and parts[0] == "the":
        parts = parts[1:]
    return " ".join(parts)


@dataclass(frozen=True)
class ParsedQuery:
    """A search query read by :func:`parse_query`."""

    expression: str  # the FTS5 MATCH expression
    terms: tuple[str, ...]  # the words and phrases sought, for showing back to the user


_TOKEN = re.compile(r'(-?)"([^"]*)"?(\*?)|(\S+)')


def parse_query(text: str) -> ParsedQuery:
    """Read a search box's query (see the module docstring) into an FTS5 expression.

    Terms are all required, except that ``a OR b`` needs either; ``-term`` and
    ``NOT term`` exclude; ``"two words"`` is a phrase; ``word*`` matches words beginning
    so (at least two letters). A word with punctuation inside (``non-punishment``,
    ``WG.4``) is a phrase of its parts.

    Raises:
        BadSearch: no word to search for, too long a query, or too many terms.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise BadSearch(f"the query is longer than {MAX_QUERY_CHARS} characters; shorten it")
    groups: list[list[str]] = []  # alternatives (OR) of required terms
    excluded: list[str] = []
    shown: list[str] = []
    join_next = negate_next = False
    for match in _TOKEN.finditer(text):
        negate, phrase, star, bare = match.groups()
        if bare in ("OR", "|"):
            join_next = bool(groups)
            continue
        if bare in ("AND", "&&"):
            continue
        if bare == "NOT":
            negate_next = True
            continue
        prefix = bool(star)
        if bare is not None:
            negate = "-" if bare.startswith("-") and len(bare) > 1 else ""
            bare = bare[1:] if negate else bare
            prefix = bare.endswith("*")
            phrase = bare.rstrip("*")
        term = _fts_string(phrase, prefix)
        if term is None:
            continue
        shown.append(phrase + ("*" if prefix else ""))
        if negate or negate_next:
            excluded.append(term)
        elif join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = negate_next = False
        if len(shown) > MAX_TERMS:
            raise BadSearch(f"the query has more than {MAX_TERMS} terms; use fewer words")
    if not groups:
        raise BadSearch("the query has no word to search for")
    required = " AND ".join(_alternatives(g) for g in groups)
    if excluded:
        if len(groups) > 1:
            required = f"({required})"
        required += " NOT " + _alternatives(excluded)
    return ParsedQuery(expression=required, terms=tuple(shown))


def _alternatives(terms: list[str]) -> str:
    return terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")"


def _fts_string(text: str, prefix: bool) -> str | None:
    """One term as an FTS5 string (its words as a phrase), or None if it has no word."""
    parts = words(text)
    if not parts:
        return None
    if prefix and len(parts[-1]) < MIN_PREFIX:
        raise BadSearch(
            f"{text}*: a prefix needs at least {MIN_PREFIX} letters before the asterisk"
        )
    return '"' + " ".join(parts) + '"' + ("*" if prefix else "")
