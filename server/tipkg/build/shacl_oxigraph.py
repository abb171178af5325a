"""SHACL validation with the SPARQL-based and core constraints run outside pyshacl.

Where ``pyshacl`` spends its time on tipkg's data (cProfile, 10k data triples): about
three quarters in the 25 ``sh:sparql`` constraints, and of that nearly all in
*re-parsing* each query with rdflib's pyparsing grammar once per focus node, not in
evaluating it; the rest in the core constraints (``sh:minCount``, ``sh:class``,
``sh:pattern``, ...). :func:`check_view` keeps pyshacl's semantics and findings but
splits the work:

* every ``sh:sparql`` constraint of a node shape with ordinary targets (and that no
  other shape reaches through ``sh:node``, ``sh:property``, ``sh:and``, ``sh:or``,
  ``sh:xone``, ``sh:not`` or ``sh:qualifiedValueShape``) runs on an in-memory Oxigraph
  store holding data + ontology (:mod:`.shacl_sparql`): as one query over all focus
  nodes when its form allows, else once per focus node with ``$this`` pre-bound;
* the SHACL Core components of those top-level shapes and of their property shapes
  (``sh:minCount``, ``sh:class``, ``sh:datatype``, ``sh:pattern``, ``sh:node`` to simple
  value shapes, ...) are evaluated by :mod:`.shacl_core` on the same focus nodes, over
  the rows of the data (:class:`~tipkg.build.data_view.DataView`), reading each value
  as the rdflib term pyshacl would see (Oxigraph normalises literals);
* pyshacl validates, with the shapes graph minus what was translated, only the part of
  the data the remaining shapes can see (:func:`relevant_data`), which saves it from
  copying the whole data graph; any other SPARQL constraint or core component
  (``sh:or``, ``sh:not``, ``sh:qualifiedValueShape``, ...) stays with pyshacl.

The focus nodes are found as SHACL does (``rdf:type/rdfs:subClassOf*`` for
``sh:targetClass``, ``sh:targetNode``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``,
implicit class targets). The findings are the same
:class:`tipkg.build.findings.Finding` values as
:func:`tipkg.build.shacl_pyshacl.check_shapes` returns (``tests/build/test_shacl_oxigraph.py``
checks the real data, every shapes fixture, core edge cases and a generated 10k-triple
graph).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from rdflib import RDF, RDFS, BNode, Graph, URIRef
from rdflib.term import Node

from tipkg.build.data_view import DataView
from tipkg.build.findings import SH, Finding
from tipkg.build.shacl_core import Index, core_plan, run_core
from tipkg.build.shacl_pyshacl import check_shapes
from tipkg.build.shacl_shapes import NESTING, Targets, targeted, top_level_shapes
from tipkg.build.shacl_sparql import SparqlConstraint, run_sparql_constraints, sparql_constraints
from tipkg.build.terms import unique

__all__ = [
    "SH",
    "check_shapes_fast",
    "check_view",
    "sparql_constraints",
    "top_level_shapes",
    "without",
]

# Shapes-graph features whose pyshacl results may depend on any triple of the data.
_WHOLE_GRAPH = (
    SH.sparql,
    SH.closed,
    SH.rule,
    SH.target,
    SH.validator,
    SH.nodeValidator,
    SH.propertyValidator,
    SH.parameter,
    SH.js,
    SH.jsFunctionName,
    SH.entailment,
)
_WHOLE_GRAPH_TYPES = (SH.ConstraintComponent, SH.SPARQLTarget, SH.SPARQLTargetType, SH.JSTarget)
# Shapes-graph predicates that constrain nothing by themselves.
_NOT_CONSTRAINTS = frozenset(
    {
        SH.name,
        SH.description,
        SH.message,
        SH.severity,
        SH.order,
        SH.group,
        SH.defaultValue,
        SH.path,
        SH.deactivated,
        SH.targetClass,
        SH.targetNode,
        SH.targetSubjectsOf,
        SH.targetObjectsOf,
    }
)
_PREDICATE_PARAMS = (
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.equals,
    SH.disjoint,
    SH.lessThan,
    SH.lessThanOrEquals,
)


def check_shapes_fast(data: Graph, ontology: Graph, shapes: Graph) -> list[Finding]:
    """Return the findings of :func:`tipkg.build.shacl_pyshacl.check_shapes` on rdflib
    graphs, computed by :func:`check_view`."""
    return check_view(DataView.of_graphs(data, ontology), shapes)


def check_view(view: DataView, shapes: Graph) -> list[Finding]:
    """Return the findings pyshacl gives for ``view``'s data, its ontology mixed in."""
    constraints = sparql_constraints(shapes)
    plan = core_plan(shapes, top_level_shapes(shapes))
    remaining = without(shapes, constraints)
    for triple in plan.removed:
        remaining.remove(triple)  # type: ignore[arg-type]
    targets = Targets(view, shapes)
    ontology = view.graph(view.ontology)
    findings = check_shapes(relevant_data(view, remaining, targets), ontology, remaining)
    findings += run_sparql_constraints(view, shapes, constraints, targets)
    findings += run_core(plan, Index(view, targets), targets)
    return findings


def relevant_data(view: DataView, shapes: Graph, targets: Targets) -> Graph:
    """Return the part of the data that pyshacl can look at when validating ``shapes``.

    pyshacl copies the whole data graph to mix the ontology in (most of its run time once
    the core and SPARQL constraints are done elsewhere). When ``shapes`` uses only core
    components, its results depend only on the nodes it reaches: the focus nodes of its
    shapes, and from them, every node the predicates of its paths (and property-pair
    components) lead to, in either direction. So only these are kept: the triples of
    those predicates that touch a reached node, the reached nodes' ``rdf:type``, every
    ``rdfs:subClassOf`` (targets, ``sh:class``), the triples of the predicates targets
    name, the triples about blank nodes (pyshacl writes a blank node's properties into
    default messages), and the namespace bindings. Anything else (``sh:sparql``,
    ``sh:closed``, rules, custom targets or components) gets all of the data.
    """
    data = view.data
    if any((None, p, None) in shapes for p in _WHOLE_GRAPH) or any(
        (None, RDF.type, t) in shapes for t in _WHOLE_GRAPH_TYPES
    ):
        return view.graph(data)
    evaluated = _evaluated_shapes(shapes)
    paths: set[Node] = set()
    for shape in evaluated:
        for p in (SH.path, *_PREDICATE_PARAMS):
            for head in shapes.objects(shape, p):
                paths |= _iris_in(shapes, head)
    path_codes = _codes(view, paths)
    reached = unique(np.array([n for shape in evaluated for n in targets(shape)], dtype=np.int64))
    along = data[np.isin(data[:, 1], path_codes)]
    while True:  # follow the paths both ways until no new node is reached
        touching = np.isin(along[:, 0], reached) | np.isin(along[:, 2], reached)
        grown = unique(np.concatenate([reached, along[touching][:, [0, 2]].ravel()]))
        if len(grown) == len(reached):
            break
        reached = grown
    kinds = _codes(view, [RDF.type])
    named = _codes(view, [p for s in evaluated for p in _target_predicates(shapes, s)])
    kept = (
        (
            np.isin(data[:, 1], path_codes)
            & (np.isin(data[:, 0], reached) | np.isin(data[:, 2], reached))
        )
        | (np.isin(data[:, 1], kinds) & np.isin(data[:, 0], reached))
        | np.isin(data[:, 1], _codes(view, [RDFS.subClassOf]) + named)
        | view.terms.blank_mask()[data[:, 0]]
    )
    return view.graph(data[kept])


def _codes(view: DataView, nodes: Iterable[Node]) -> list[int]:
    return [c for c in (view.code(n) for n in nodes) if c is not None]


def _target_predicates(shapes: Graph, shape: Node) -> list[Node]:
    return [p for t in (SH.targetSubjectsOf, SH.targetObjectsOf) for p in shapes.objects(shape, t)]


def _evaluated_shapes(shapes: Graph) -> set[Node]:
    """The shapes pyshacl evaluates: those with targets and at least one constraint left,
    and every shape they reach (``sh:property``, ``sh:node``, ``sh:not``, lists of
    ``sh:and``/``sh:or``/``sh:xone``, ``sh:qualifiedValueShape``)."""
    todo: list[Node] = [
        s
        for s in targeted(shapes)
        if any(
            str(p).startswith(str(SH)) and p not in _NOT_CONSTRAINTS for p in shapes.predicates(s)
        )
    ]
    seen: set[Node] = set()
    while todo:
        shape = todo.pop()
        if shape in seen:
            continue
        seen.add(shape)
        for p in NESTING:
            for o in shapes.objects(shape, p):
                if p in (SH["and"], SH["or"], SH.xone):
                    todo.extend(shapes.items(o))
                else:
                    todo.append(o)
    return seen


def _iris_in(shapes: Graph, node: Node) -> set[Node]:
    """The IRIs of a property path (or the IRI itself), through lists and path nodes."""
    found: set[Node] = set()
    todo, seen = [node], set()
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        if isinstance(n, URIRef):
            found.add(n)
        elif isinstance(n, BNode):
            todo.extend(o for _, o in shapes.predicate_objects(n))
    return found


def without(shapes: Graph, constraints: Iterable[SparqlConstraint]) -> Graph:
    """Return a copy of ``shapes`` without the ``sh:sparql`` links of ``constraints``."""
    core = Graph()
    for prefix, namespace in shapes.namespaces():
        core.bind(prefix, namespace)
    core += shapes
    for c in constraints:
        core.remove((c.shape, SH.sparql, c.node))
    return core
