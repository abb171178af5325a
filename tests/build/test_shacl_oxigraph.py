"""``tipkg.fast_validate.check_shapes_fast`` finds exactly what ``check_shapes`` (pyshacl) finds.

Findings are compared as multisets of the whole :class:`tipkg.build.findings.Finding` (severity,
focus, path, value, message, shape), on the real data, on every valid and invalid shapes
fixture (each alone with the ontology), on hand-made edge cases of the core components
(derived and ill-typed literals, blank nodes, duplicate languages) and on a 10k-triple
graph from ``bench/generate.py``.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from tests.conftest import ROOT
from tipkg.build.dataset import graph_iri, named_graphs
from tipkg.build.findings import Finding
from tipkg.build.rdf_files import load_ontology, load_shapes
from tipkg.build.shacl_core import core_plan
from tipkg.build.shacl_oxigraph import (
    SH,
    check_shapes_fast,
    sparql_constraints,
    top_level_shapes,
    without,
)
from tipkg.build.shacl_pyshacl import check_shapes

INVALID = ROOT / "tests" / "shapes" / "fixtures" / "invalid"
VALID = ROOT / "tests" / "shapes" / "fixtures" / "valid"
ALL_FIXTURES = sorted(INVALID.glob("*.ttl")) + sorted(VALID.glob("*.ttl"))
EDGE_CASES = """
@prefix tipkg: <https://w3id.org/tipkg/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix state: <https://w3id.org/tipkg/id/state/> .
@prefix topic: <https://w3id.org/tipkg/id/topic/> .

state:ESP a tipkg:MemberState ;
    rdfs:label "Spain"@en , "Espagne"@fr , "Spanien"@en , "Spanien"@de , "Spain" ;
    tipkg:title "x"@EN , "y"@en-GB , [ rdfs:label "blank"@en ] ;
    tipkg:ordinal "12"^^xsd:positiveInteger , "0"^^xsd:positiveInteger , "7"^^xsd:integer ;
    tipkg:position "abc"^^xsd:positiveInteger , "-3"^^xsd:integer , 4 ;
    tipkg:date "2022-13-45"^^xsd:date , "2022-06-29"^^xsd:date , "2022"^^xsd:gYear ;
    tipkg:wikidataEntity <http://www.wikidata.org/entity/Q29> , "Q29" , [ a tipkg:Topic ] ;
    tipkg:acronym "ESP"^^xsd:string , "ESP"@en , <https://example.org/esp> ;
    tipkg:topic topic:none , state:ESP ;
    tipkg:cites "decision 4/4" , _:b1 .
_:b1 tipkg:title "anonymous"@en ; tipkg:ordinal 3 .
topic:none a tipkg:Topic .
"""
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


def test_almost_all_core_constraints_run_outside_pyshacl(shapes: Graph) -> None:
    plan = core_plan(shapes, top_level_shapes(shapes))
    links = set(shapes.subject_objects(SH.property))
    translated = {(c.parent, c.shape) for c in plan.shapes if c.path is not None}
    assert len(translated) >= len(links) - 3  # sh:or, sh:qualifiedValueShape, sh:node to sh:or


@pytest.mark.parametrize(
    "path", ALL_FIXTURES, ids=[p.parent.name + "/" + p.name for p in ALL_FIXTURES]
)
def test_same_findings_on_every_fixture(path: Path, shapes: Graph, ontology: Graph) -> None:
    data = Graph().parse(path)
    _assert_same(check_shapes(data, ontology, shapes), check_shapes_fast(data, ontology, shapes))


def test_same_findings_on_core_edge_cases(shapes: Graph, ontology: Graph) -> None:
    data = Graph().parse(data=EDGE_CASES, format="turtle")
    expected = check_shapes(data, ontology, shapes)
    assert len(expected) > 10
    _assert_same(expected, check_shapes_fast(data, ontology, shapes))


def test_same_findings_on_a_generated_graph(shapes: Graph, ontology: Graph, tmp_path: Path) -> None:
    out = tmp_path / "tipkg-10k.nq"
    generate = [sys.executable, str(ROOT / "bench" / "generate.py"), "--triples", "10000"]
    subprocess.run([*generate, "--seed", "1", "-o", str(out)], check=True)
    dataset = Dataset()
    dataset.parse(out, format="nquads")
    data = Graph()
    for s, p, o, _ in dataset.quads():
        data.add((s, p, o))
    assert len(data) > 9000
    _assert_same(check_shapes(data, ontology, shapes), check_shapes_fast(data, ontology, shapes))
