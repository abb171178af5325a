"""``tipkg.fast_validate.check_shapes_fast`` finds exactly what ``check_shapes`` (pyshacl) finds.

Findings are compared as multisets of the whole :class:`tipkg.validate.Finding` (severity,
focus, path, value, message, shape), on the real data and on invalid fixtures, among
them every fixture that trips a SPARQL-based constraint.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph

from tests.conftest import ROOT
from tipkg.dataset import graph_iri, named_graphs
from tipkg.fast_validate import SH, check_shapes_fast, sparql_constraints, without
from tipkg.validate import Finding, check_shapes, load_ontology, load_shapes

INVALID = ROOT / "tests" / "shapes" / "fixtures" / "invalid"
FIXTURES = [
    "article-iri-mismatch.ttl",  # SPARQL constraints with a ?value
    "meeting-iri-body-mismatch.ttl",
    "paragraph-bad.ttl",
    "recommendation-wrong-number.ttl",
    "agenda-item-orphan.ttl",
    "document-duplicate-symbol.ttl",
    "attendance-list-truncated.ttl",
    "agent-no-label.ttl",
]


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes()


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology()


def _assert_same(expected: list[Finding], got: list[Finding]) -> None:
    missing, extra = Counter(expected) - Counter(got), Counter(got) - Counter(expected)
    for finding in missing:
        print("only pyshacl:", finding)
    for finding in extra:
        print("only fast:", finding)
    assert Counter(got) == Counter(expected)
    keys = {(f.severity, f.focus, f.path, f.message) for f in expected}
    assert {(f.severity, f.focus, f.path, f.message) for f in got} == keys


def test_all_sparql_constraints_run_outside_pyshacl(shapes: Graph) -> None:
    constraints = sparql_constraints(shapes)
    assert len(constraints) == len(set(shapes.objects(None, SH.sparql)))
    assert not set(without(shapes, constraints).objects(None, SH.sparql))


def test_same_findings_on_the_real_data(shapes: Graph) -> None:
    loaded = {g.iri: g.load() for g in named_graphs()}
    ontology = loaded.pop(graph_iri("ontology"))
    data = Graph()
    for graph in loaded.values():
        data += graph
    _assert_same(check_shapes(data, ontology, shapes), check_shapes_fast(data, ontology, shapes))


@pytest.mark.parametrize("name", FIXTURES)
def test_same_findings_on_invalid_fixtures(name: str, shapes: Graph, ontology: Graph) -> None:
    data = Graph().parse(INVALID / name)
    expected = check_shapes(data, ontology, shapes)
    assert expected, f"{name} should be invalid"
    _assert_same(expected, check_shapes_fast(data, ontology, shapes))


def test_sparql_findings_carry_the_original_literal(shapes: Graph, ontology: Graph) -> None:
    data = Graph().parse(Path(INVALID / "article-iri-mismatch.ttl"))
    values = {
        f.value for f in check_shapes_fast(data, ontology, shapes) if "IRI must be" in f.message
    }
    assert any(v and v.endswith("XMLSchema#positiveInteger>") for v in values)
