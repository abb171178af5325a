"""UN document symbols: every printing of a symbol has its key, and distinct symbols keep
distinct keys (every symbol the data holds, printed in every way UN systems print them)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from rdflib import Graph

from tests.conftest import ROOT
from tipkg.un_symbols import digital_library_search, looks_like_symbol, symbol_key
from tipkg.vocab import TIPKG


def _symbols() -> list[str]:
    graph = Graph()
    for path in [*ROOT.glob("data/*.ttl"), *ROOT.glob("data/reference/*.ttl")]:
        graph.parse(path)
    return sorted({str(s) for s in graph.objects(None, TIPKG.symbol)})


SYMBOLS = _symbols()
_MODIFIER = re.compile(r"\b(Rev|Add|Corr|Amend)\.", re.IGNORECASE)


def printings(symbol: str) -> list[str]:
    """The ways UN systems and catalogues print ``symbol``."""
    spaced = symbol.replace(".", ". ")
    return [
        symbol,
        symbol.lower(),
        symbol.upper(),  # REV.1, ADD.1 as some catalogues write them
        spaced,  # a space after each dot, as typeset
        spaced.lower(),
        _MODIFIER.sub(lambda m: m.group(1).upper() + ".", symbol),
        _MODIFIER.sub(lambda m: m.group(1).capitalize() + ". ", symbol),
        symbol.replace("/", "\uff0f"),  # full-width slashes from a PDF
        symbol.replace(".", ".\u00a0"),  # no-break spaces
        f"  {symbol}\n",
        f"https://undocs.org/{symbol}",
        f"https://undocs.org/en/{symbol}",
        f"undocs.org/fr/{symbol.lower()}",
    ]


def test_the_data_holds_symbols_of_every_shape() -> None:
    assert len(SYMBOLS) >= 20
    assert any("/L." in s for s in SYMBOLS) and any("CRP." in s for s in SYMBOLS)


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_every_printing_of_a_symbol_has_its_key(symbol: str) -> None:
    key = symbol_key(symbol)
    for printed in printings(symbol):
        assert symbol_key(printed) == key, printed
        assert looks_like_symbol(printed), printed


def test_distinct_symbols_keep_distinct_keys() -> None:
    keys = {symbol_key(s): s for s in SYMBOLS}
    assert len(keys) == len(SYMBOLS)


@pytest.mark.parametrize(
    "symbol",
    [
        "A/RES/70/1/Rev.1",
        "E/CN.15/2022/L.3/Add.2",
        "S/RES/2331 (2016)",
        "CTOC/COP/WG.4/2022/4/Corr.1",
    ],
)
def test_revisions_addenda_and_corrigenda_print_every_way(symbol: str) -> None:
    for printed in printings(symbol):
        assert symbol_key(printed) == symbol_key(symbol)


@pytest.mark.parametrize(
    "text", ["Türkiye", "non-punishment", "trafficking in persons", "42", "TUR", "", "/", "a/"]
)
def test_words_and_codes_do_not_look_like_symbols(text: str) -> None:
    assert not looks_like_symbol(text)


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_the_digital_library_search_asks_for_the_symbol(symbol: str) -> None:
    url = urlsplit(digital_library_search(symbol))
    assert (url.scheme, url.netloc, url.path) == ("https", "digitallibrary.un.org", "/search")
    query = parse_qs(url.query)
    assert query["p1"] == [symbol] and query["f1"] == ["documentsymbol"]
