"""The query check: resource limits before any parser, and what a query is."""

from __future__ import annotations

from collections.abc import Callable

import pyoxigraph as ox
import pytest

from tipkg.config import Settings
from tipkg.store.query_check import QueryLimits, QueryRefused, check_query

SETTINGS = Settings()
LIMITS = QueryLimits(max_chars=SETTINGS.max_query_chars, max_depth=SETTINGS.max_query_depth)
DEPTH = LIMITS.max_depth

#: Each construct that makes Oxigraph's parser or evaluator recurse, nested ``d`` deep in
#: total (the WHERE braces count); evaluation stays cheap on an empty store (FILTER(false)
#: first where a deep pattern would make the join optimizer slow).
NESTINGS: dict[str, Callable[[int], str]] = {
    "braces": lambda d: "SELECT * WHERE " + "{" * d + "}" * d,
    "parentheses": lambda d: "ASK { FILTER(" + "(" * (d - 2) + "true" + ")" * (d - 2) + ") }",
    "function calls": lambda d: (
        "ASK { BIND(" + "STR(" * (d - 2) + "1" + ")" * (d - 2) + " AS ?x) }"
    ),
    "blank nodes": lambda d: (
        "ASK { FILTER(false) ?s ?p " + "[ ?p " * (d - 1) + "1" + " ]" * (d - 1) + " }"
    ),
    "collections": lambda d: (
        "ASK { FILTER(false) ?s ?p " + "(" * (d - 1) + "1" + ")" * (d - 1) + " }"
    ),
    "paths": lambda d: "ASK { ?s " + "(" * (d - 1) + "<p:p>" + ")" * (d - 1) + " ?o }",
    "subqueries": lambda d: (
        "SELECT * WHERE " + "{ SELECT * WHERE " * (d - 1) + "{}" + "}" * (d - 1)
    ),
    "optional": lambda d: "SELECT * WHERE " + "{ OPTIONAL " * (d - 1) + "{}" + "}" * (d - 1),
    "exists": lambda d: "ASK " + "{ FILTER EXISTS " * (d - 1) + "{}" + "}" * (d - 1),
    "triple terms": lambda d: (
        "ASK { FILTER(false) ?s ?p "
        + "<<( <a:s> <a:p> " * ((d - 1) // 2)
        + "1"
        + " )>>" * ((d - 1) // 2)
        + " }"
    ),
}


@pytest.mark.parametrize("build", NESTINGS.values(), ids=NESTINGS.keys())
def test_nesting_over_the_limit_is_refused_and_at_the_limit_runs(
    build: Callable[[int], str],
) -> None:
    with pytest.raises(QueryRefused) as refused:
        check_query(build(DEPTH + 1), LIMITS)
    assert refused.value.status == 400
    assert refused.value.code == "query_too_deep"
    assert refused.value.detail.endswith(f"deep; the limit is {DEPTH}")
    at_limit = build(DEPTH)
    check_query(at_limit, LIMITS)
    result = ox.Store().query(at_limit)  # Oxigraph parses and evaluates it
    list(result) if isinstance(result, ox.QuerySolutions) else bool(result)


def test_the_refusal_names_the_depth_and_the_limit() -> None:
    with pytest.raises(QueryRefused) as refused:
        check_query(NESTINGS["braces"](2500), LIMITS)
    assert refused.value.detail == f"the query nests brackets 2,500 deep; the limit is {DEPTH}"


def test_brackets_inside_strings_iris_and_comments_do_not_nest() -> None:
    inert = '"' + "{" * 500 + "\" . ?s ?p '''" + "(" * 500 + "''' # " + "[" * 500 + "\n"
    check_query("SELECT * WHERE { ?s ?p " + inert + "}", LIMITS)


def test_depth_counts_oxigraphs_own_reading_too() -> None:
    """For Oxigraph ``<'a>'`` is less-than and a string, so the braces after it are real."""
    hidden = "{" * 300 + "}" * 300
    with pytest.raises(QueryRefused, match=r"nests brackets 30[0-9] deep"):
        check_query(f"SELECT * WHERE {{ FILTER(?x<'a>') {hidden} #'\n}}", LIMITS)


def test_length_limit() -> None:
    limits = QueryLimits(max_chars=20, max_depth=DEPTH)
    check_query("ASK { ?s ?p ?o }    ", limits)
    with pytest.raises(QueryRefused) as refused:
        check_query("ASK { ?s ?p ?o }     ", limits)
    assert refused.value.code == "query_too_long"
    assert refused.value.detail == "the query is 21 characters long; the limit is 20"


@pytest.mark.parametrize(
    ("query", "form", "service", "dataset"),
    [
        ("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", "SELECT", True, False),
        ("select * { service silent ?e { ?s ?p ?o } }", "SELECT", True, False),
        ("PREFIX a: <x:> BASE <http://b/> ASK FROM <http://g> {}", "ASK", False, True),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", False, False),
        ("DESCRIBE <x>", "DESCRIBE", False, False),
        ("VERSION '1.2' SELECT * FROM NAMED <g:a> {}", "SELECT", False, True),
        ("PREFIX : <x:> INSERT DATA { :a :b :c }", "UPDATE", False, False),
        ("LOAD <http://example.org/data.ttl>", "UPDATE", False, False),
        ("with <g:a> delete { ?s ?p ?o } where { ?s ?p ?o }", "UPDATE", False, False),
        ('SELECT ?x { BIND("a \\" SERVICE <x> {}" AS ?x) }', "SELECT", False, False),
        (
            "PREFIX ex: <http://e/> SELECT * { ?s ?p ex:a\\' . SERVICE <http://x/> {} }",
            "SELECT",
            True,
            False,
        ),
        (
            "SELECT * { ?s ?p <http://e/\\u0041'> . SERVICE <http://x/> { ?s ?p ?o } ?s ?p <y:'> }",
            "SELECT",
            True,
            False,
        ),
        ("SELECT * { FILTER(1<2)SERVICE<http://x/>{} }", "SELECT", True, False),
        ("SELECT * { ?s ?p ?o } # SERVICE <http://x/> {}", "SELECT", False, False),
        (
            "PREFIX service: <http://e/s#> SELECT ?service { ?service service:x 'SERVICE' }",
            "SELECT",
            False,
            False,
        ),
        ("SELECT * { ?s ?p ?o } LIMIT 10", "SELECT", False, False),
        ("", None, False, False),
    ],
)
def test_form_service_and_dataset(query: str, form: str, service: bool, dataset: bool) -> None:
    info = check_query(query, LIMITS)
    assert (info.form, info.uses_service, info.has_dataset) == (form, service, dataset)


@pytest.mark.parametrize(
    ("query", "where", "what"),
    [
        ("SELEKT *", "1:1", "'SELEKT' is not a SPARQL keyword"),
        ("SELECT * {\n  ?s ?p ?o } LIMIT x10", "2:20", "'x10' is not a SPARQL keyword"),
        ("ASK { ?s ?p 'open }", "1:13", "string is not closed"),
        ("ASK { ?s ?p <a b> }", "1:16", "'b' is not a SPARQL keyword"),
        ("ASK { ?s ?p \\x }", "1:13", "no SPARQL token starts with '\\\\x"),
        ("ASK { ?s ?p '\\uD800' }", "1:14", "\\uD800 is not a Unicode code point"),
        ("ASK { ?s ?p ?o } ` ", "1:18", "no SPARQL token starts with '` '"),
    ],
)
def test_syntax_errors_name_the_place(query: str, where: str, what: str) -> None:
    with pytest.raises(QueryRefused) as refused:
        check_query(query, LIMITS)
    assert refused.value.code == "bad_query"
    assert refused.value.detail.startswith(f"error at {where}: ")
    assert what in refused.value.detail


def test_escapes_are_replaced_in_one_pass() -> None:
    """``\\u005cU00000031`` is a backslash then text, not a second escape (W3C test)."""
    with pytest.raises(QueryRefused):
        check_query("SELECT * WHERE { ?s ?p \\u005cU00000031 . }", LIMITS)
    info = check_query("SELECT * WHERE { ?s ?p '\\u005c\\u005c' }", LIMITS)
    assert info.form == "SELECT"
