"""``tipkg.reasoning.materialize`` derives exactly what owlrl's closure adds (``build.infer``).

The comparison is set equality of triples (see the module docstring of tipkg.reasoning):
owlrl's only output left out is its inconsistency report (``err:ErrorMessage`` nodes),
which the real data must not produce anyway.
"""

from __future__ import annotations

import time

import pytest
from rdflib import OWL, RDF, Graph, Namespace, URIRef
from rdflib.term import Node

from tipkg.build.dataset import graph_iri, named_graphs
from tipkg.build.pipeline import infer
from tipkg.build.reasoning import UnsupportedAxiom, materialize

EX = Namespace("http://example.org/")
ERR = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")
PREFIXES = """
@prefix ex: <http://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
ID = "https://w3id.org/tipkg/id/"


def _show(label: str, triples: set[tuple[Node, ...]]) -> None:
    for triple in sorted(triples, key=str)[:40]:
        print(f"{label} {' '.join(t.n3() for t in triple)}")


def _assert_same(ontology: Graph, data: list[Graph]) -> set[tuple[Node, ...]]:
    expected = set(infer([ontology, *data]))
    got = set(materialize(ontology, data))
    _show("only owlrl:", expected - got)
    _show("only materialize:", got - expected)
    assert not [t for t in expected if t[1] == RDF.type and t[2] == ERR.ErrorMessage]
    assert got == expected
    return got


@pytest.fixture(scope="module")
def real() -> tuple[Graph, list[Graph]]:
    loaded = {g.iri: g.load() for g in named_graphs()}
    ontology = loaded.pop(graph_iri("ontology"))
    return ontology, list(loaded.values())


def test_materialize_equals_owlrl_on_the_real_data(real: tuple[Graph, list[Graph]]) -> None:
    ontology, data = real
    got = _assert_same(ontology, data)
    tipkg = Namespace("https://w3id.org/tipkg/def#")
    assert any(p == tipkg.attendee for _, p, _ in got)  # the property chain
    assert (
        URIRef(ID + "body/wg-tip"),
        URIRef("http://www.w3.org/ns/org#subOrganizationOf"),
        URIRef(ID + "body/cop"),
    ) in got | set(data[0])


def _case(ontology: str, data: str) -> set[tuple[Node, ...]]:
    return _assert_same(
        Graph().parse(data=PREFIXES + ontology, format="turtle"),
        [Graph().parse(data=PREFIXES + data, format="turtle")],
    )


RULES = {
    "subclass-chain": (
        "ex:A a owl:Class; rdfs:subClassOf ex:B. ex:B a owl:Class; rdfs:subClassOf ex:C. ex:C a owl:Class.",
        "ex:x a ex:A.",
    ),
    "subclass-cycle": (
        "ex:A rdfs:subClassOf ex:B. ex:B rdfs:subClassOf ex:A. ex:A a owl:Class.",
        "ex:x a ex:B.",
    ),
    "undeclared-class": ("ex:A rdfs:subClassOf ex:B.", "ex:x a ex:A."),
    "equivalent-class": (
        "ex:A a owl:Class; owl:equivalentClass ex:B. ex:B a owl:Class.",
        "ex:x a ex:B.",
    ),
    "subproperty-domain-range": (
        "ex:p a owl:ObjectProperty; rdfs:subPropertyOf ex:q. ex:q a owl:ObjectProperty;"
        " rdfs:domain ex:D; rdfs:range ex:R. ex:D a owl:Class; rdfs:subClassOf ex:E. ex:R a owl:Class.",
        "ex:x ex:p ex:y.",
    ),
    "equivalent-property": (
        "ex:p a owl:ObjectProperty; owl:equivalentProperty ex:q.",
        "ex:x ex:q ex:y.",
    ),
    "inverse": (
        "ex:p a owl:ObjectProperty; owl:inverseOf ex:q. ex:q a owl:ObjectProperty.",
        "ex:x ex:p ex:y. ex:z ex:q ex:w.",
    ),
    "inverse-of-datatype-property": (
        "ex:p a owl:DatatypeProperty; owl:inverseOf ex:q. ex:q rdfs:range ex:R.",
        'ex:x ex:p "v".',
    ),
    "transitive": (
        "ex:p a owl:ObjectProperty, owl:TransitiveProperty. ex:p rdfs:subPropertyOf ex:q.",
        "ex:a ex:p ex:b. ex:b ex:p ex:c. ex:c ex:p ex:d. ex:d ex:p ex:a.",
    ),
    "symmetric": ("ex:p a owl:SymmetricProperty; rdfs:subPropertyOf ex:q.", "ex:a ex:p ex:b."),
    "chain": (
        "ex:r owl:propertyChainAxiom (ex:p ex:q ex:s). ex:r rdfs:subPropertyOf ex:t.",
        "ex:a ex:p ex:b. ex:b ex:q ex:c, ex:d. ex:c ex:s ex:e. ex:d ex:s ex:f. ex:z ex:p ex:b.",
    ),
    "chain-feeds-inverse": (
        "ex:r owl:propertyChainAxiom (ex:p ex:q); owl:inverseOf ex:ri. ex:q owl:inverseOf ex:qi.",
        "ex:a ex:p ex:b. ex:c ex:qi ex:b.",
    ),
    "functional-sameas": (
        "ex:p a owl:ObjectProperty, owl:FunctionalProperty.",
        "ex:x ex:p ex:y1, ex:y2. ex:y1 a ex:C. ex:y2 ex:q ex:z. ex:w ex:r ex:y1.",
    ),
    "functional-literals": (
        "ex:p a owl:DatatypeProperty, owl:FunctionalProperty.",
        'ex:x ex:p "a", "b". ex:z ex:q "b".',
    ),
    "inverse-functional": (
        "ex:p a owl:InverseFunctionalProperty.",
        "ex:x1 ex:p ex:y. ex:x2 ex:p ex:y.",
    ),
    "asserted-sameas": (
        "ex:p a owl:ObjectProperty.",
        "ex:a owl:sameAs ex:b. ex:a ex:p ex:c. ex:b a ex:C.",
    ),
    "one-of": ("ex:D a owl:Class; rdfs:subClassOf ex:E; owl:oneOf (ex:i ex:j).", ""),
    "union-datatype-range": (
        "ex:p rdfs:range [ a rdfs:Datatype; owl:unionOf (xsd:date xsd:gYear) ].",
        'ex:x ex:p "2020-01-01"^^xsd:date, "7"^^xsd:positiveInteger, "1.5"^^xsd:decimal.',
    ),
    "explicit-datatype-typing": ("", "ex:x a xsd:int."),
    "meta-class-from-range": (
        "ex:defines rdfs:range owl:Class. ex:K rdfs:subClassOf ex:L.",
        "ex:o ex:defines ex:K. ex:i a ex:K.",
    ),
    "annotations": ('ex:A a owl:Class; rdfs:label "a"; rdfs:comment "c".', ""),
}


@pytest.mark.parametrize(("ontology", "data"), list(RULES.values()), ids=list(RULES))
def test_each_rule_kind_matches_owlrl(ontology: str, data: str) -> None:
    _case(ontology, data)


def test_rule_results() -> None:
    got = _case(*RULES["chain"])
    assert (EX.a, EX.r, EX.e) in got and (EX.z, EX.t, EX.f) in got
    got = _case(*RULES["transitive"])
    assert (EX.a, EX.p, EX.a) in got and (EX.b, EX.q, EX.a) in got
    got = _case(*RULES["functional-sameas"])
    assert (EX.y2, RDF.type, EX.C) in got and (EX.w, EX.r, EX.y2) in got
    got = _case(*RULES["meta-class-from-range"])
    assert (EX.i, RDF.type, OWL.Thing) in got


def test_unsupported_axioms_are_refused() -> None:
    ontology = Graph().parse(
        data=PREFIXES + "ex:A owl:intersectionOf (ex:B ex:C).", format="turtle"
    )
    with pytest.raises(UnsupportedAxiom):
        materialize(ontology, Graph())
    ontology = Graph().parse(data=PREFIXES + "ex:p rdfs:subPropertyOf owl:sameAs.", format="turtle")
    with pytest.raises(UnsupportedAxiom):
        materialize(ontology, Graph())


def _copies(data: list[Graph], copies: int) -> list[Graph]:
    """Return the document graphs ``copies`` times, their own IRIs renamed per copy."""
    reference = data[0]
    shared = set(reference.subjects())
    out = [reference]
    for k in range(copies):
        for graph in data[1:]:
            renamed = Graph()
            for triple in graph:
                renamed.add(
                    tuple(  # type: ignore[arg-type]
                        URIRef(f"{t}-c{k}")
                        if isinstance(t, URIRef) and str(t).startswith(ID) and t not in shared
                        else t
                        for t in triple
                    )
                )
            out.append(renamed)
    return out


def test_scaling_runs(real: tuple[Graph, list[Graph]]) -> None:
    """Not a timed assertion: materialize 1 and 8 copies of the documents and print times."""
    ontology, data = real
    sizes = {}
    for copies in (1, 8):
        graphs = _copies(data, copies)
        start = time.perf_counter()
        inferred = materialize(ontology, graphs)
        seconds = time.perf_counter() - start
        triples = len(ontology) + sum(len(g) for g in graphs)
        sizes[copies] = len(inferred)
        print(f"{copies} copies: {triples} triples in, {len(inferred)} inferred, {seconds:.2f} s")
    assert sizes[8] > sizes[1]
