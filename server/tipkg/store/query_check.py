"""Decide, before any parser runs, what a SPARQL query text is and whether it may run.

:func:`check_query` first applies the resource limits (length, bracket nesting) and then reads
the text with the terminals of the SPARQL grammar (SPARQL 1.1 Query §19.8, plus the SPARQL
1.2 punctuation Oxigraph accepts), longest match first, after replacing ``\\u``/``\\U``
escapes in the whole text (§19.2). Text those terminals cannot read is a syntax error.
Everything runs in time linear in the text, without recursion.

Why one reading is not enough: Oxigraph 0.5.13 (spargebra 0.4) parses with a PEG grammar, not
a tokenizer, and where an alternative fails it tries another *reading of the same
characters*. It keeps ``\\u`` escapes as they are outside strings and IRIs; it reads ``<`` as
less-than when what follows is no valid IRI (``FILTER(?x<'a>')`` compares with a string that
can swallow what a tokenizer reads as an IRI and a string); it matches a keyword as the first
letters of a longer word (``serviceex:x {}`` is ``SERVICE ex:x {}``); it ends a local name
after one run of dots (``ex:a.b.c`` is ``ex:a.b`` ``.`` ``c``). So every token that any
terminal can read at a position is a branch of a token lattice, for the text as sent and
for the text with escapes replaced. Branches that meet at a position are merged, so the
lattice has at most one node per character. A query uses SERVICE when the longest-match
reading has the keyword, or when any path reads ``SERVICE`` ``[SILENT]`` a variable or IRI
and ``{`` (the only shape in which Oxigraph evaluates one); the nesting limit applies to the
deepest path.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass
from typing import Literal

QueryForm = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "UPDATE"]


@dataclass(frozen=True)
class QueryLimits:
    """What a query may cost before it reaches a parser.

    ``max_chars`` bounds the text (and with it every flat chain: a query of 100,000
    characters holds at most ~33,000 ``||`` or UNION); ``max_depth`` bounds the nesting of
    ``{ ( [ << {|`` on every reading, which is what makes Oxigraph's parser and evaluator
    recurse.
    """

    max_chars: int
    max_depth: int


@dataclass(frozen=True)
class QueryInfo:
    """What the endpoint needs to know about a query before evaluating it."""

    form: QueryForm | None
    uses_service: bool
    has_dataset: bool


class QueryRefused(Exception):
    """A query refused before parsing: over a limit (``query_too_long``,
    ``query_too_deep``) or unreadable by the SPARQL terminals (``bad_query``)."""

    def __init__(self, code: str, detail: str, status: int = 400) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail


# --------------------------------------------------------------------------- terminals

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_U = _BASE + "_"
_CHARS = _U + "\\-0-9\u00b7\u0300-\u036f\u203f\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_ECHAR = r"""\\[tbnrf"'\\]"""

_WS = re.compile(r"(?:[ \t\r\n]+|#[^\r\n]*)*")  # comments end at CR or LF (§19.8 [156])
_RUN = re.compile(f"[{_CHARS}.]+")  # what a prefix (PN_PREFIX) is made of
_ASCII_RUN = re.compile(r"[A-Za-z0-9_]+")  # what a keyword is made of
_IS_BASE = re.compile(f"[{_BASE}]")
_LOCAL = re.compile(f"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?")
# spargebra 0.4 keeps one run of dots inside a local name: ex:a.b.c is ex:a.b . c
_LOCAL_OXIGRAPH = re.compile(
    f"(?:[{_U}:0-9]|{_PLX})(?:[{_CHARS}:]|{_PLX})*(?:\\.+(?:[{_CHARS}:]|{_PLX})+)?"
)
_VAR = re.compile(f"[?$][{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f\u2040]*")
_BNODE = re.compile(f"_:[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?")
_LANGTAG = re.compile(r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*(?:--[a-zA-Z]+)?")  # with 1.2 direction
_NUMBER = re.compile(
    r"[+-]?(?:[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+"
    r"|[0-9]*\.[0-9]+|[0-9]+)"
)
_NIL_ANON = re.compile(r"\([ \t\r\n]*\)|\[[ \t\r\n]*\]")
_PUNCT = ("<<", ">>", "{|", "|}", "^^", "&&", "||", "!=", "<=", ">=")
_SINGLE = frozenset("{}()[];,.=<>!+-*/?|^~")
_DIGITS = "0123456789"


def _string_patterns(escapes: str) -> tuple[re.Pattern[str], ...]:
    """The four string terminals, longest first, with the given escapes."""
    return (
        re.compile(f"'''(?:(?:''|')?(?:[^'\\\\]|{escapes}))*'''"),
        re.compile(f'"""(?:(?:""|")?(?:[^"\\\\]|{escapes}))*"""'),
        re.compile(f"'(?:[^'\\\\\\n\\r]|{escapes})*'"),
        re.compile(f'"(?:[^"\\\\\\n\\r]|{escapes})*"'),
    )


# As sent, Oxigraph reads \u escapes inside strings and IRIs; once they are replaced
# (§19.2) a string only has ECHAR escapes and an IRI none.
_STRINGS_RAW = _string_patterns(f"{_ECHAR}|{_UCHAR}")
_STRINGS = _string_patterns(_ECHAR)
_IRIREF_RAW = re.compile(f'<(?:[^<>"{{}}|^`\\\\\\x00-\\x20]|{_UCHAR})*>')
_IRIREF = re.compile('<[^<>"{}|^`\\\\\\x00-\\x20]*>')
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)

#: Every keyword of SPARQL 1.1 and of Oxigraph's grammar (1.2 and its extensions).
_KEYWORD_LIST = """
    ABS ADD ADJUST ALL AS ASC ASK AVG BASE BIND BNODE BOUND BY CEIL CLEAR COALESCE CONCAT
    CONSTRUCT CONTAINS COPY COUNT CREATE DATA DATATYPE DAY DEFAULT DELETE DESC DESCRIBE
    DISTINCT DROP ENCODE_FOR_URI EXISTS FALSE FILTER FLOOR FROM GRAPH GROUP GROUP_CONCAT
    HASLANG HASLANGDIR HAVING HOURS IF IN INSERT INTO IRI ISBLANK ISIRI ISLITERAL
    ISNUMERIC ISTRIPLE ISURI LANG LANGDIR LANGMATCHES LATERAL LCASE LIMIT LOAD MAX MD5 MIN
    MINUS MINUTES MONTH MOVE NAMED NOT NOW OBJECT OFFSET OPTIONAL ORDER PREDICATE PREFIX
    RAND REDUCED REGEX REPLACE ROUND SAMETERM SAMPLE SECONDS SELECT SEPARATOR SERVICE SHA1
    SHA256 SHA384 SHA512 SILENT STR STRAFTER STRBEFORE STRDT STRENDS STRLANG STRLANGDIR
    STRLEN STRSTARTS STRUUID SUBJECT SUBSTR SUM TIMEZONE TO TRIPLE TRUE TZ UCASE UNDEF
    UNION URI USING UUID VALUES VERSION WHERE WITH YEAR"""
KEYWORDS = frozenset(_KEYWORD_LIST.split())
_KEYWORD_LENGTHS = sorted({len(k) for k in KEYWORDS}, reverse=True)
#: The keyword lengths a word of n letters can start with, for n up to the longest keyword.
_LENGTHS_UPTO = [[n for n in _KEYWORD_LENGTHS if n <= m] for m in range(_KEYWORD_LENGTHS[0] + 1)]
_UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
_OPEN = frozenset({"{", "(", "[", "<<", "{|"})
_CLOSE = frozenset({"}", ")", "]", ">>", "|}"})


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # KEYWORD, PNAME_NS, PNAME_LN, VAR, BNODE, IRIREF, STRING, NUMBER, LANGTAG, PUNCT
    value: str  # the keyword in capitals or the punctuation ("" for other kinds)
    end: int


class _Lexer:
    """Every token each terminal can read at a position of one text (cached per position)."""

    def __init__(self, text: str, *, raw: bool) -> None:
        self.text = text
        self.raw = raw  # True: \u escapes still in the text (read in strings and IRIs)
        self._strings = _STRINGS_RAW if raw else _STRINGS
        self._iriref = _IRIREF_RAW if raw else _IRIREF
        self._cache: dict[int, list[_Token]] = {}
        self._locals: dict[int, tuple[int, ...]] = {}

    def _run_end(self, pattern: re.Pattern[str], p: int) -> int:
        """End of the run of ``pattern`` (one character class, repeated) holding position
        ``p``, or ``p`` outside any: a run reaches as far right from ``p`` as from its
        start."""
        m = pattern.match(self.text, p)
        return m.end() if m else p

    def skip(self, p: int) -> int:
        """Position after the white space and comments at ``p``."""
        m = _WS.match(self.text, p)
        return m.end() if m else p

    def at(self, p: int) -> list[_Token]:
        """The tokens that start at ``p``: the longest match first, then the alternatives."""
        tokens = self._cache.get(p)
        if tokens is None:
            tokens = self._cache[p] = self._read(p)
        return tokens

    def _read(self, p: int) -> list[_Token]:
        text = self.text
        c = text[p]
        nxt = text[p + 1 : p + 2]
        if c in "?$":
            m = _VAR.match(text, p)
            if m:
                return [_Token("VAR", "", m.end())]
            return [_Token("PUNCT", "?", p + 1)] if c == "?" else []
        if c == "<":
            m = self._iriref.match(text, p)
            found = [_Token("IRIREF", "", m.end())] if m and self._escapes_ok(m) else []
            return found + self._punct(p)
        if c in "'\"":
            for pattern in self._strings:
                m = pattern.match(text, p)
                if m and self._escapes_ok(m):
                    return [_Token("STRING", "", m.end())]
            return []
        if c in _DIGITS or (c in ".+-" and nxt != "" and nxt in _DIGITS + "."):
            m = _NUMBER.match(text, p)
            if m:
                return [_Token("NUMBER", "", m.end()), *self._punct(p)]
        if c in "([":
            m = _NIL_ANON.match(text, p)
            if m:
                return [_Token("PUNCT", c + text[m.end() - 1], m.end()), *self._punct(p)]
        if c == "_" and nxt == ":":
            m = _BNODE.match(text, p)
            return [_Token("BNODE", "", m.end())] if m else []
        if c == "@":
            m = _LANGTAG.match(text, p)
            return [_Token("LANGTAG", "", m.end())] if m else []
        if c == ":" or _IS_BASE.match(c):
            return self._words(p)
        return self._punct(p)

    def _punct(self, p: int) -> list[_Token]:
        two = self.text[p : p + 2]
        found = [_Token("PUNCT", two, p + 2)] if two in _PUNCT else []
        if self.text[p] in _SINGLE:
            found.append(_Token("PUNCT", self.text[p], p + 1))
        return found

    def _escapes_ok(self, m: re.Match[str]) -> bool:
        """Whether every \\u escape of a raw string or IRI names a code point (Oxigraph
        refuses the token otherwise)."""
        if not self.raw or "\\" not in m.group():
            return True
        for escape in _ESCAPE.finditer(m.group()):
            hexdigits = escape.group(1) or escape.group(2)
            if hexdigits and _codepoint(hexdigits) is None:
                return False
        return True

    def _words(self, p: int) -> list[_Token]:
        """Prefixed names and keywords at ``p``; the longest first."""
        text = self.text
        found: list[_Token] = []
        colon = p if text[p] == ":" else self._run_end(_RUN, p)
        if text[colon : colon + 1] == ":" and (colon == p or text[colon - 1] != "."):
            for end in self._local_ends(colon):
                found.append(_Token("PNAME_LN", "", end))
            found.append(_Token("PNAME_NS", "", colon + 1))
        word = text[p : self._run_end(_ASCII_RUN, p)].upper()
        for length in _LENGTHS_UPTO[min(len(word), len(_LENGTHS_UPTO) - 1)]:
            if word[:length] in KEYWORDS:
                found.append(_Token("KEYWORD", word[:length], p + length))
        if text[p] == "a":  # the only case-sensitive keyword
            found.append(_Token("KEYWORD", "a", p + 1))
        found.sort(key=lambda t: -t.end)  # stable: a prefixed name wins a tie
        return found

    def _local_ends(self, colon: int) -> tuple[int, ...]:
        """Ends of the local name after ``colon``: the longest match, then Oxigraph's
        (cached: every split of a long prefix ends at the same colon)."""
        ends = self._locals.get(colon)
        if ends is None:
            local = _LOCAL.match(self.text, colon + 1)
            short = _LOCAL_OXIGRAPH.match(self.text, colon + 1)
            ends = () if local is None else (local.end(),)
            if local and short and short.end() < local.end():
                ends += (short.end(),)
            self._locals[colon] = ends
        return ends

    def service_at(self, end: int) -> bool:
        """Whether some reading after a SERVICE keyword ending at ``end`` is
        ``[SILENT] VarOrIri {``."""
        for token in self.at_next(end):
            if token.kind == "KEYWORD" and token.value == "SILENT":
                if any(self._iri_then_brace(t) for t in self.at_next(token.end)):
                    return True
            elif self._iri_then_brace(token):
                return True
        return False

    def _iri_then_brace(self, token: _Token) -> bool:
        if token.kind not in ("VAR", "IRIREF", "PNAME_NS", "PNAME_LN"):
            return False
        return any(t.value in ("{", "{|") for t in self.at_next(token.end))

    def at_next(self, p: int) -> list[_Token]:
        """The tokens after the white space and comments at ``p``."""
        q = self.skip(p)
        return self.at(q) if q < len(self.text) else []


def _codepoint(hexdigits: str) -> str | None:
    value = int(hexdigits, 16)
    if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        return None
    return chr(value)


# --------------------------------------------------------------------------- readings


def _unescape(text: str) -> str:
    """Replace \\u and \\U escapes in the whole text, in one pass (§19.2); an escaped
    backslash stays as it is, with the character after it.

    Raises:
        QueryRefused: an escape names no Unicode code point (a surrogate, or past U+10FFFF).
    """

    def replace(m: re.Match[str]) -> str:
        hexdigits = m.group(1) or m.group(2)
        if hexdigits is None:
            return m.group()
        char = _codepoint(hexdigits)
        if char is None:
            line, column = _line_column(text, m.start())
            raise QueryRefused(
                "bad_query",
                f"error at {line}:{column}: {m.group()} is not a Unicode code point",
            )
        return char

    return _ESCAPE.sub(replace, text) if "\\" in text else text


def _line_column(text: str, p: int) -> tuple[int, int]:
    line = text.count("\n", 0, p) + 1
    return line, p - (text.rfind("\n", 0, p) + 1) + 1


def _longest_match(lexer: _Lexer) -> list[_Token]:
    """The tokens of the longest-match reading.

    Raises:
        QueryRefused: where no terminal matches (a syntax error).
    """
    text, tokens = lexer.text, []
    p = lexer.skip(0)
    while p < len(text):
        found = lexer.at(p)
        if not found:
            raise _syntax_error(text, p)
        tokens.append(found[0])
        p = lexer.skip(found[0].end)
    return tokens


def _syntax_error(text: str, p: int) -> QueryRefused:
    line, column = _line_column(text, p)
    if _IS_BASE.match(text[p]):
        start = p  # report the whole word when a keyword was glued to its start
        while start > 0 and _IS_BASE.match(text[start - 1]):
            start -= 1
        word = _ASCII_RUN.match(text, p)
        name = text[start : word.end() if word else p + 1]
        what = (
            f"{name!r} is not a SPARQL keyword; write a variable as ?{name}, "
            f"a prefixed name as ex:{name} or an IRI in <...>"
        )
    elif text[p] in "'\"":
        what = "this string is not closed on its line, or holds a bad escape"
    else:
        what = f"no SPARQL token starts with {text[p : p + 12]!r}"
    return QueryRefused("bad_query", f"error at {line}:{column}: {what}")


def _explore(lexer: _Lexer) -> tuple[bool, int]:
    """(whether some reading evaluates SERVICE, the deepest bracket nesting of any reading).

    Walks the token lattice in position order, so each node's depth is final when taken
    (edges only go forward): the deepest path is found in one pass.
    """
    text = lexer.text
    start = lexer.skip(0)
    depth = {start: 0}
    heap, done = [start], set()
    service, deepest = False, 0
    while heap:
        p = heapq.heappop(heap)
        if p in done or p >= len(text):
            continue
        done.add(p)
        for token in lexer.at(p):
            d = depth[p] + (token.value in _OPEN) - (token.value in _CLOSE)
            deepest = max(deepest, d)
            if token.kind == "KEYWORD" and token.value == "SERVICE" and not service:
                service = lexer.service_at(token.end)
            q = lexer.skip(token.end)
            if d > depth.get(q, -len(text) - 1):
                depth[q] = d
                heapq.heappush(heap, q)
    return service, deepest


def _form(tokens: list[_Token]) -> QueryForm | None:
    """The query form: the first keyword after the prologue (BASE, PREFIX, VERSION)."""
    i = 0
    while i < len(tokens):
        word = tokens[i].value if tokens[i].kind == "KEYWORD" else ""
        if word in ("BASE", "VERSION"):
            i += 2
        elif word == "PREFIX":
            i += 3
        elif word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            return word  # type: ignore[return-value]
        elif word in _UPDATE_WORDS:
            return "UPDATE"
        else:
            return None
    return None


# --------------------------------------------------------------------------- the check


def check_query(text: str, limits: QueryLimits) -> QueryInfo:
    """Check a query text against ``limits`` and read its form, SERVICE and FROM.

    Nothing here recurses or calls a parser: the text is refused before Oxigraph sees it
    when it is too long, nests too deep on any reading, or cannot be read by the SPARQL
    terminals.

    >>> limits = QueryLimits(max_chars=10_000, max_depth=50)
    >>> check_query("SELECT * { ?s ?p ?o }", limits)
    QueryInfo(form='SELECT', uses_service=False, has_dataset=False)
    >>> check_query("ASK { ?a ?b 1SERVICE <http://x/> {} }", limits).uses_service
    True

    Raises:
        QueryRefused: over a limit (``query_too_long``, ``query_too_deep``) or a syntax
            error (``bad_query``), always with status 400.
    """
    if len(text) > limits.max_chars:
        raise QueryRefused(
            "query_too_long",
            f"the query is {len(text):,} characters long; the limit is {limits.max_chars:,}",
        )
    unescaped = _unescape(text)
    lexer = _Lexer(unescaped, raw=False)
    tokens = _longest_match(lexer)
    readings = [lexer] if unescaped == text else [lexer, _Lexer(text, raw=True)]
    uses_service = any(t.kind == "KEYWORD" and t.value == "SERVICE" for t in tokens)
    for reading in readings:
        service, deepest = _explore(reading)
        if deepest > limits.max_depth:
            raise QueryRefused(
                "query_too_deep",
                f"the query nests brackets {deepest:,} deep; the limit is {limits.max_depth:,}",
            )
        uses_service = uses_service or service
    return QueryInfo(
        form=_form(tokens),
        uses_service=uses_service,
        has_dataset=any(t.kind == "KEYWORD" and t.value == "FROM" for t in tokens),
    )


__all__ = ["KEYWORDS", "QueryForm", "QueryInfo", "QueryLimits", "QueryRefused", "check_query"]
