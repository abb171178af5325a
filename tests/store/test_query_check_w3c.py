"""The query check against every syntax test of the W3C SPARQL 1.0 and 1.1 test suites.

Positive tests must pass the check with the right form (Oxigraph's result type is the
ground truth), federated ones must be seen to use SERVICE, and negative tests must be
refused by the check or by Oxigraph.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import RDF

from tipkg.config import Settings
from tipkg.store.query_check import QueryInfo, QueryLimits, QueryRefused, check_query

SUITES = Path(__file__).resolve().parents[1] / "data" / "w3c-syntax"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
BASE = "http://example.org/base/"
SETTINGS = Settings()
LIMITS = QueryLimits(max_chars=SETTINGS.max_query_chars, max_depth=SETTINGS.max_query_depth)

#: Updates whose text holds no operation at all ("# Empty"): no form to find.
EMPTY_UPDATES = {"syntax-update-38.ru", "syntax-update-39.ru", "syntax-update-40.ru"}
#: Negative tests that only a grammar (not the terminals) can reject and that Oxigraph
#: accepts: ``?x<?a&&?b>?y`` is an IRI for the longest match, a comparison for Oxigraph.
GRAMMAR_ONLY = {"syn-bad-26.rq"}


@dataclass(frozen=True)
class SyntaxTest:
    path: Path
    positive: bool
    update: bool

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")


def syntax_tests() -> list[SyntaxTest]:
    tests = []
    for manifest in sorted(SUITES.rglob("manifest.ttl")):
        graph = rdflib.Graph().parse(manifest, publicID=manifest.resolve().as_uri())
        for test, kind in graph.subject_objects(RDF.type):
            name = str(kind).rpartition("#")[2]
            if "SyntaxTest" not in name:
                continue
            action = str(graph.value(test, MF.action)).removeprefix("file://")
            tests.append(SyntaxTest(Path(action), name.startswith("Positive"), "Update" in name))
    return sorted(tests, key=lambda t: t.path)


TESTS = syntax_tests()


def test_the_suites_are_all_there() -> None:
    assert len(TESTS) == 351  # every .rq and .ru file copied
    assert sum(t.positive for t in TESTS) == 257
    assert sum(t.update for t in TESTS) == 55


def oxigraph_reads(test: SyntaxTest) -> object:
    """Oxigraph's answer on an empty store; SyntaxError when it rejects the text.

    Only for texts that cannot reach the network: updates only when they are expected to
    be rejected, queries never with SERVICE.
    """
    store = ox.Store()
    if test.update:
        store.update(test.text, base_iri=BASE)
        return None
    return store.query(test.text, base_iri=BASE)


def expected_forms(test: SyntaxTest) -> set[str]:
    """The forms Oxigraph's result type allows (any query form when it cannot evaluate the
    query on an empty store, e.g. for a custom function or a missing FROM graph)."""
    try:
        result = oxigraph_reads(test)
    except (RuntimeError, OSError):
        return {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
    if isinstance(result, ox.QuerySolutions):
        return {"SELECT"}
    if isinstance(result, ox.QueryBoolean):
        return {"ASK"}
    return {"CONSTRUCT", "DESCRIBE"}


def check(test: SyntaxTest) -> QueryInfo:
    return check_query(test.text, LIMITS)


@pytest.mark.parametrize(
    "test", [t for t in TESTS if t.positive], ids=lambda t: f"{t.path.parent.name}/{t.path.name}"
)
def test_positive_syntax_is_accepted_with_its_form(test: SyntaxTest) -> None:
    info = check(test)
    federated = test.path.parent.name == "syntax-fed"
    assert info.uses_service == federated
    if test.update:
        assert info.form == (None if test.path.name in EMPTY_UPDATES else "UPDATE")
    elif federated:
        assert info.form == "SELECT"
    else:
        assert info.form in expected_forms(test)


@pytest.mark.parametrize(
    "test",
    [t for t in TESTS if not t.positive],
    ids=lambda t: f"{t.path.parent.name}/{t.path.name}",
)
def test_negative_syntax_is_refused_by_the_check_or_by_oxigraph(test: SyntaxTest) -> None:
    try:
        check(test)
    except QueryRefused as exc:
        assert exc.status == 400 and exc.code == "bad_query"
        assert exc.detail.startswith("error at ")
        return
    if test.path.name in GRAMMAR_ONLY:
        oxigraph_reads(test)  # accepted by Oxigraph too: keep the list true
        return
    with pytest.raises(SyntaxError):
        oxigraph_reads(test)


def test_federated_suite_uses_service() -> None:
    federated = [t for t in TESTS if t.path.parent.name == "syntax-fed"]
    assert len(federated) == 3
    assert all(check(t).uses_service for t in federated)
