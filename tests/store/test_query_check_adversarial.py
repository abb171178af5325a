"""Generated adversarial queries: SERVICE glued to every kind of neighbouring token.

Ground truth is Oxigraph itself: each query is evaluated on an empty in-memory store with
its SERVICE IRI pointing at a canary server, and every query that made the canary see a
request must be refused by the check. Queries whose "service" sits inside a string, IRI,
prefixed name, variable, blank node, language tag or comment must be accepted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.store.canary import Canary
from tipkg.store.query_check import QueryLimits, QueryRefused, check_query

LIMITS = QueryLimits(max_chars=100_000, max_depth=200)
RUNS = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    with Canary() as running:
        yield running


def refused(query: str) -> bool:
    """Whether the check stops the query (refusal, or SERVICE seen)."""
    try:
        return check_query(query, LIMITS).uses_service
    except QueryRefused:
        return True


def prologue(canary: Canary) -> str:
    return f"PREFIX ex: <{canary.url}> PREFIX : <{canary.url}> PREFIX silent: <{canary.url}> "


# --------------------------------------------------------------------------- neighbours

NUMBERS = ["1", "+1", "-1", "1.5", ".5", "1.", "-.5", "1e3", "1.5E-3", ".5e+2", "-1.5e3", "+2E1"]
# the last three are not valid for Oxigraph, which reads them otherwise than the longest match
PREFIXED = [
    ":",
    "ex:",
    ":a",
    "ex:a",
    "ex:a.b",
    "ex:a\\.",
    "ex:a\\.b",
    "ex:%41",
    "ex:a%20b",
    "ex:a:b",
    "ex:1",
    "ex:_a",
    "ex:a-",
    "ex:a.b.c",
    ":.",
    "ex:.",
]
BLANKS = ["_:b", "_:b.c", "_:b1", "[]", "[ ]", "[ ?p 1 ]", "()", "(1 ?v)"]
VARIABLES = ["?v", "$v", "?v1", "?_", "?v\u00b7"]
STRINGS = [
    '"s"',
    "'s'",
    '"""s"""',
    "'''s'''",
    '"a\\"b"',
    "'a\\'b'",
    '"\\u0022"',
    "'\\u0027'",
    '"""a"b"""',
    "'''a''b'''",
    '"\\\\"',
    '"x"@en',
    '"x"@en-GB',
    "'x'@en--ltr",
    '"1"^^<http://www.w3.org/2001/XMLSchema#int>',
    '"1"^^ex:t',
]
IRIS = ["<http://example.org/x>", "<x>", "<#x>", "<http://example.org/a'b>", "<a#b>", "<>"]
COMMENTS = ["# c\n", "# c\r", "# c\r\n", "#\n", "#\r"]
#: What may end the triple before the keyword (its object).
OBJECTS = NUMBERS + PREFIXED + BLANKS + VARIABLES + STRINGS + IRIS + ["true", "false"]
#: What may stand before the keyword at the start of a pattern.
GROUP = [
    "",
    ".",
    "{}",
    "OPTIONAL {}",
    "FILTER(?v)",
    "FILTER(1<2)",
    "FILTER(?v<'a>')",
    "BIND(1 AS ?w)",
    "MINUS {}",
    "GRAPH ?g {}",
    "VALUES ?z {1}",
    "{} UNION {}",
    "FILTER ex:f(1)",
    "FILTER(true)",
    "?s ?p ?o .",
    "?s a ?o",
    "?s ?p ?o ;",
    *COMMENTS,
]
#: What may follow the SERVICE pattern.
AFTER = [
    "",
    ".",
    "?s ?p ?o",
    "OPTIONAL {}",
    "FILTER(true)",
    "UNION {}",
    "{}",
    "1 ?p ?o",
    "ex:a ?p ?o",
    "MINUS {}",
    *COMMENTS,
]
PUNCTUATION = [
    ".",
    ";",
    ",",
    "}",
    ")",
    "]",
    "{",
    "(",
    "[",
    "|",
    "/",
    "^",
    "!",
    "=",
    "<",
    ">",
    "&&",
    "||",
    "*",
    "+",
    "-",
    "?",
    "^^",
    "<=",
    ">=",
]
GLUE = ["", "", "", " ", "\n", "\r", "\t", "\r\n", "#c\n", "#c\r"]
TARGETS = ["<{url}>", "ex:", "ex:x", ":", ":x", "?svc", "<{url}x>", "silent:"]
INNER = ["{{}}", "{{ }}", "{{#c\n}}"]

#: Where the glued keyword goes: {O} an object before it, {G} a pattern before it, {A}
#: what follows it.
POSITIONS = [
    "SELECT * WHERE {{ ?s ?p {O}{g}{S}{A} }}",
    "SELECT * WHERE {{ {G}{g}{S}{A} }}",
    "SELECT * WHERE {{ ?s ?p {O} .{g}{S}{A} }}",
    "ASK {{ OPTIONAL {{ ?s ?p {O}{g}{S} }} {A} }}",
    "SELECT * {{ {{ ?s ?p {O} }}{g}{S}{A} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {G}{g}{S}{A} }}",
    "SELECT * WHERE {{ {{ {G}{g}{S} }} UNION {{ {A} }} }}",
    "SELECT ?s WHERE {{ ?s ?p {O}{g}{S}{A} }} LIMIT 1",
]


@st.composite
def spelling(draw: st.DrawFn, word: str = "service") -> tuple[str, str]:
    """(the keyword as written, the same without \\u escapes): any case, some letters
    written as \\uXXXX or \\UXXXXXXXX."""
    written, plain = [], []
    for letter in word:
        char = letter.upper() if draw(st.booleans()) else letter
        form = draw(st.sampled_from(["plain"] * 8 + ["u", "U"]))
        written.append(
            {"plain": char, "u": f"\\u{ord(char):04X}", "U": f"\\U{ord(char):08x}"}[form]
        )
        plain.append(char)
    return "".join(written), "".join(plain)


@st.composite
def glued_service(draw: st.DrawFn, url: str) -> tuple[str, str]:
    """(query, the same query with the keywords' escapes replaced)."""
    keyword, keyword_plain = draw(spelling())
    silent, silent_plain = draw(st.one_of(st.just(("", "")), spelling("silent")))
    g0, g1, g2, g3 = (draw(st.sampled_from(GLUE)) for _ in range(4))
    service = "{k}{g0}{s}{g1}{t}{g2}" + draw(st.sampled_from(INNER)) + "{g3}"
    fields = {
        "g0": g0,
        "g1": g1 if silent else g1 or " ",
        "g2": g2,
        "g3": g3,
        "t": draw(st.sampled_from(TARGETS)).format(url=url),
    }
    written = service.format(k=keyword, s=silent, **fields)
    plain = service.format(k=keyword_plain, s=silent_plain, **fields)
    context = {
        "O": draw(st.sampled_from(OBJECTS)),
        "G": draw(st.sampled_from(GROUP)),
        "A": draw(st.sampled_from(AFTER)),
        "g": draw(st.sampled_from(GLUE)),
    }
    position = draw(st.sampled_from(POSITIONS))
    return position.format(S=written, **context), position.format(S=plain, **context)


def test_canary_sees_a_plain_service(canary: Canary) -> None:
    """The ground truth works: the plain attack reaches the canary, and is refused."""
    query = f"SELECT * WHERE {{ SERVICE <{canary.url}> {{}} }}"
    assert canary.fetched_by(query) == (True, True)
    assert refused(query)


@RUNS
@given(data=st.data())
def test_every_query_that_fetches_is_refused(canary: Canary, data: st.DataObject) -> None:
    written, plain = data.draw(glued_service(canary.url))
    query, spec_reading = prologue(canary) + written, prologue(canary) + plain
    fetched, _ = canary.fetched_by(query)
    if fetched:
        assert refused(query), query
    # a SPARQL engine replacing \u escapes first (SPARQL 1.1 §19.2) reads the plain text
    if written != plain and canary.fetched_by(spec_reading)[0]:
        assert refused(query), query


TOKEN_SOUP = [
    *OBJECTS,
    *GROUP,
    *PUNCTUATION,
    "SERVICE",
    "service",
    "SILENT",
    "<{url}>",
    "{",
    "}",
    "ex:service",
    "serviceex:x",
    "SERVICE:",
    "servicesilent:",
    "'",
    '"',
    "#",
    "<",
]


@RUNS
@given(
    before=st.lists(st.sampled_from(TOKEN_SOUP), max_size=5),
    after=st.lists(st.sampled_from(TOKEN_SOUP), max_size=5),
    target=st.sampled_from(TARGETS),
    glue=st.lists(st.sampled_from(GLUE), min_size=13, max_size=13),
)
def test_token_soup_that_fetches_is_refused(
    canary: Canary, before: list[str], after: list[str], target: str, glue: list[str]
) -> None:
    """Random tokens on both sides of SERVICE, any glue between any two."""
    tokens = [*before, "SERVICE", target, "{}", *after]
    body = "".join(t.replace("{url}", canary.url) + g for t, g in zip(tokens, glue, strict=False))
    query = prologue(canary) + "SELECT * WHERE { " + body + " }"
    if canary.fetched_by(query)[0]:
        assert refused(query), query


# --------------------------------------------------------------------------- inert


INERT_TERMS = {
    "string": [
        '"SERVICE <{url}> {{}}"',
        "'service <{url}> {{}}'",
        '"""\nSERVICE <{url}> {{}}\n"""',
        "'''SeRvIcE\r<{url}>{{}}'''",
        '"a\\" SERVICE <{url}> {{}} \\""',
        "'\\u0053ERVICE <{url}> {{}}'",
        '"\\\\SERVICE <{url}> {{}}\\\\"',
    ],
    "iri": [
        "<{url}service>",
        "<{url}SERVICE>",
        "<{url}?q=SERVICE>",
        "<{url}#service>",
        "<{url}a'service>",
    ],
    "prefixed name": [
        "ex:service",
        "ex:SERVICE",
        "ex:a.service",
        "ex:service\\.x",
        "ex:x.SERVICE",
        "ex:service-x",
        "ex:%53ERVICE",
    ],
    "variable": ["?service", "$SERVICE", "?serviceX", "?SERVICE_1"],
    "blank node": ["_:service", "_:SERVICE.x"],
    "language tag": ['"x"@service', '"x"@en-service'],
}
TRIPLE_PLACES = [
    "SELECT * WHERE {{ ?s ?p {X} }}",
    "SELECT * WHERE {{ ?s ?p {X} . ?s ?p ?o }}",
    "SELECT * WHERE {{ ?s ?p ?o , {X} ; ?q {X} }}",
]
EXPRESSION_PLACES = [
    "SELECT * WHERE {{ ?s ?p ?o FILTER(?o = {X}) }}",
    "SELECT * WHERE {{ BIND({X} AS ?b) }}",
]
VALUE_PLACES = ["SELECT * WHERE {{ VALUES ?v {{ {X} }} }}"]


def places_for(kind: str) -> list[str]:
    """Where a term of this kind is valid SPARQL (no blank nodes in expressions, only
    constants in VALUES)."""
    if kind == "blank node":
        return TRIPLE_PLACES
    if kind == "variable":
        return TRIPLE_PLACES + EXPRESSION_PLACES
    return TRIPLE_PLACES + EXPRESSION_PLACES + VALUE_PLACES


COMMENTED = ["# SERVICE <{url}> {{}}\n", "#service <{url}> {{}}\r", "# x SERVICE <{url}>{{}}\r\n"]


@RUNS
@given(
    kind=st.sampled_from(sorted(INERT_TERMS)),
    data=st.data(),
    comment=st.sampled_from(["", *COMMENTED]),
)
def test_service_inside_a_term_or_comment_is_accepted(
    canary: Canary, kind: str, data: st.DataObject, comment: str
) -> None:
    term = data.draw(st.sampled_from(INERT_TERMS[kind])).format(url=canary.url)
    place = data.draw(st.sampled_from(places_for(kind)))
    query = prologue(canary) + comment.format(url=canary.url) + place.format(X=term)
    fetched, parsed = canary.fetched_by(query)
    assert parsed and not fetched, query  # the generator makes valid, inert queries
    info = check_query(query, LIMITS)
    assert not info.uses_service, query


# --------------------------------------------------------------------------- regressions

BYPASSES = {
    "comment-ended-by-cr": "SELECT * WHERE {{ # x\rSERVICE <{url}> {{}} }}",
    "number-glued": "SELECT * WHERE {{ ?a ?b 1SERVICE <{url}> {{}} }}",
    "empty-local-part-then-dot": "SELECT * WHERE {{ ?a ?b :.SERVICE <{url}> {{}} }}",
    "two-dot-runs-in-a-local-name": "SELECT * WHERE {{ ?a ?b ex:a.b.SERVICE <{url}> {{}} }}",
    "keyword-glued-to-prefixed-name": "SELECT * WHERE {{ serviceex:x {{}} }}",
    "keyword-and-silent-glued": "SELECT * WHERE {{ servicesilentex:x {{}} }}",
    "less-than-read-as-iri-then-comment": "SELECT * WHERE {{ FILTER(1<2)SERVICE#>\n<{url}>{{}} }}",
    "less-than-read-as-iri-then-string": "SELECT * WHERE {{ FILTER(?x<'a>') SERVICE <{url}> {{}} #'\n}}",
    "cr-lf-comment": "SELECT * WHERE {{ ?s ?p ?o #\r\nSERVICE<{url}>{{}} }}",
}


@pytest.mark.parametrize("template", BYPASSES.values(), ids=BYPASSES.keys())
def test_reported_and_found_bypasses_fetch_and_are_refused(canary: Canary, template: str) -> None:
    query = prologue(canary) + template.format(url=canary.url)
    assert canary.fetched_by(query) == (True, True)
    assert check_query(query, LIMITS).uses_service


def test_escaped_keyword_is_refused_though_oxigraph_does_not_read_it(canary: Canary) -> None:
    """Oxigraph 0.5.13 keeps \\u escapes outside strings (no fetch); a §19.2 engine
    would read SERVICE, so the check refuses it."""
    query = prologue(canary) + "SELECT * WHERE { \\u0053ERVICE <" + canary.url + "> {} }"
    assert canary.fetched_by(query) == (False, False)
    assert check_query(query, LIMITS).uses_service
    assert re.search(r"\\u0053", query)
