"""UN document symbols as UN systems print them, and the key that tells two printings of
one symbol apart from two symbols.

A symbol such as ``CTOC/COP/WG.4/2022/4`` is printed in many ways: in lower case by a
catalogue, with a space after each dot by a typesetter (``CTOC/COP/WG. 4/2022/4``), with
``REV.1`` for ``Rev.1``, ``Add. 1`` for ``Add.1``, with no-break or full-width characters
from a PDF, or as an undocs.org address. :func:`symbol_key` maps all of them to one key;
the canonical symbol is the one the data states (``tipkg:symbol``), found by that key.

>>> symbol_key("ctoc/cop/wg. 4/2022/4") == symbol_key("CTOC/COP/WG.4/2022/4")
True
>>> symbol_key("A/RES/70/1/REV.1") == symbol_key("A/RES/70/1/Rev. 1")
True
>>> symbol_key("https://undocs.org/en/CTOC/COP/WG.4/2022/4")
'CTOC/COP/WG4/2022/4'
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

#: An undocs.org or documents.un.org address, with an optional language segment, before
#: the symbol itself.
_ADDRESS = re.compile(
    r"^(?:https?://)?(?:www\.)?(?:undocs\.org|documents\.un\.org/symbol)/"
    r"(?:(?:en|fr|es|ru|ar|zh)/)?",
    re.IGNORECASE,
)
_IGNORED = re.compile(r"[\s.\u200b\u2060\ufeff]+")
#: Two or more components separated by slashes, each letters, digits, dots, hyphens,
#: parentheses or spaces: what a symbol looks like (``S/RES/2331 (2016)`` included).
_SHAPE = re.compile(r"^[A-Za-z][\w.\-() ]*(?:/[\w.\-() ]+)+$")


def symbol_key(text: str) -> str:
    """Return the key of a printed symbol: upper case, without spaces or dots, after
    Unicode compatibility normalisation (full-width slashes and no-break spaces become
    plain ones) and without an undocs.org address in front."""
    folded = unicodedata.normalize("NFKC", text).strip()
    folded = _ADDRESS.sub("", folded)
    return _IGNORED.sub("", folded).upper().strip("/")


def looks_like_symbol(text: str) -> bool:
    """Whether ``text`` has the shape of a UN document symbol (``A/B...``, components
    separated by slashes), however it is cased or spaced."""
    folded = _ADDRESS.sub("", unicodedata.normalize("NFKC", text).strip())
    return bool(_SHAPE.match(folded))


def digital_library_search(symbol: str) -> str:
    """The UN Digital Library's search for the documents carrying ``symbol`` (its
    "document symbol" field, as a phrase)."""
    return "https://digitallibrary.un.org/search?ln=en&as=1&m1=p&f1=documentsymbol&p1=" + quote(
        symbol, safe=""
    )
