"""SHACL for new triples on top of a previous build: validate again only the focus nodes
whose results the new triples can change, on the part of the data those results read.

Each finding records its *root*, the focus node whose validation produced it. When new
triples arrive, the roots to validate again are:

* the nodes the new triples mention (their own triples changed, or what points at them);
* for a SPARQL constraint joining ``$this p ?v`` with ``?x q ?v`` (``?v`` shared, as the
  check that a document symbol is unique does), every node with ``p`` to a value that a
  new triple gives ``q``;
* the nodes pointing at a node whose asserted types the new triples change (``sh:class``).

They are validated on a slice of the data: the triples of the roots, of their values (the
types ``sh:class`` reads), and of their join partners, with the ontology. The findings of
the previous build whose root is not validated again stay; the others are replaced.

This is exact for shapes that read at most that far from a focus node: core constraints
of single-predicate paths (values' types for ``sh:class``), SPARQL constraints made of
triple patterns on ``$this`` and joins through one shared object, and shapes left to
pyshacl whose property shapes hang directly off targeted shapes, with only value checks
below them. :func:`slice_plan` says whether the shapes are of that kind; otherwise an
incremental build validates everything.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rdflib import RDF, RDFS, Graph, URIRef, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from tipkg.build.data_view import DataView
from tipkg.build.findings import SH, Finding
from tipkg.build.previous import Previous
from tipkg.build.shacl_core import core_plan
from tipkg.build.shacl_oxigraph import _evaluated_shapes, without
from tipkg.build.shacl_shapes import targeted, top_level_shapes
from tipkg.build.shacl_sparql import SparqlConstraint, bulk_query, sparql_constraints
from tipkg.build.terms import LITERAL, rows, stack, unique
from tipkg.build.validate import validate_view

_THIS = Variable("this")


@dataclass(frozen=True)
class SlicePlan:
    """How far the shapes read from a focus node: the SPARQL joins ``(p, q)`` of
    ``$this p ?v . ?x q ?v``, and the predicates of patterns ``?x p $this``."""

    joins: frozenset[tuple[URIRef, URIRef]]
    inward: frozenset[URIRef]


def slice_plan(shapes: Graph) -> SlicePlan | None:
    """The slice the shapes need, or None when they read further (see module doc)."""
    joins: set[tuple[URIRef, URIRef]] = set()
    inward: set[URIRef] = set()
    constraints = sparql_constraints(shapes)
    if len(constraints) != len(set(shapes.objects(None, SH.sparql))):
        return None  # a SPARQL constraint left to pyshacl
    for c in constraints:
        found = _joins(c)
        if found is None:
            return None
        joins |= found[0]
        inward |= found[1]
    remaining = without(shapes, constraints)
    for triple in core_plan(shapes, top_level_shapes(shapes)).removed:
        remaining.remove(triple)  # type: ignore[arg-type]
    roots = targeted(remaining)
    for shape in _evaluated_shapes(remaining):
        path = remaining.value(shape, SH.path)
        attached = any((t, SH.property, shape) in remaining for t in roots)
        if path is not None and not (isinstance(path, URIRef) and attached):
            return None
        if path is None and shape not in roots and (shape, SH.property, None) in remaining:
            return None
    return SlicePlan(frozenset(joins), frozenset(inward))


def _joins(c: SparqlConstraint) -> tuple[set[tuple[URIRef, URIRef]], set[URIRef]] | None:
    """The joins and inward predicates of a constraint, or None if it reads further."""
    if bulk_query(c, ["?this ?p ?o ."]) is None:
        return None
    patterns: list[tuple[Node, Node, Node]] = []
    todo: list[object] = [prepareQuery(c.select, initNs=c.prefixes).algebra]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "triples":
                    patterns += [tuple(t) for t in value]  # type: ignore[misc]
                else:
                    todo.append(value)
        elif isinstance(node, list | tuple):
            todo.extend(node)
    outward = {(o, p) for s, p, o in patterns if s == _THIS and isinstance(o, Variable)}
    joins: set[tuple[URIRef, URIRef]] = set()
    inward: set[URIRef] = set()
    for s, p, o in patterns:
        if not isinstance(p, URIRef):
            return None
        if s == _THIS:
            continue
        if o == _THIS:
            inward.add(p)
            continue
        partners = [q for v, q in outward if v == o]
        if not partners or s in {v for v, _ in outward}:
            return None
        joins |= {(q, p) for q in partners}  # type: ignore[misc]
    return joins, inward


def validate_delta(
    previous: Previous,
    new: np.ndarray,
    shapes: Graph,
    plan: SlicePlan,
    findings: list[Finding],
) -> tuple[list[Finding], int]:
    """The findings of the previous build's data with the ``new`` rows added, and how many
    roots were validated again."""
    terms = previous.terms
    code = terms.intern_rdf
    roots = set(new[:, 0].tolist()) | {o for o in new[:, 2].tolist() if terms.kinds[o] != LITERAL}
    for p, q in plan.joins:  # $this p ?v . ?x q ?v: the nodes with p to a new value of q
        for qq in {code(p), code(q)}:
            for v in new[new[:, 1] == qq, 2].tolist():
                roots |= set(previous.with_object(code(p), v).tolist())
                roots |= set(new[(new[:, 1] == code(p)) & (new[:, 2] == v), 0].tolist())
    kind = code(RDF.type)
    for node, cls in new[new[:, 1] == kind][:, [0, 2]].tolist():
        known = previous.about(node)
        if not ((known[:, 1] == kind) & (known[:, 2] == cls)).any():
            roots |= set(previous.with_object(None, node).tolist())
    data = _slice(previous, new, roots, plan)
    view = DataView(terms, data, previous.ontology_rows())
    validated = {str(terms.rdf(r)) for r in roots}
    kept = [f for f in findings if f.root not in validated]
    return kept + [f for f in validate_view(view, shapes) if f.root in validated], len(roots)


def _slice(previous: Previous, new: np.ndarray, roots: set[int], plan: SlicePlan) -> np.ndarray:
    """The data the roots' validation reads (see module doc)."""
    code = previous.terms.intern_rdf
    about: dict[int, np.ndarray] = {}

    def rows_of(node: int) -> np.ndarray:
        if node not in about:
            about[node] = stack([previous.about(node), new[new[:, 0] == node]])
        return about[node]

    parts = [rows_of(r) for r in roots]
    values = unique(stack(parts)[:, 2]) if parts else np.zeros(0, dtype=np.int64)
    parts += [rows_of(v) for v in values.tolist()]
    for p, q in plan.joins:
        mine = stack(parts)
        for v in mine[mine[:, 1] == code(p), 2].tolist():
            partners = set(previous.with_object(code(q), v).tolist())
            partners |= set(new[(new[:, 1] == code(q)) & (new[:, 2] == v), 0].tolist())
            parts += [rows_of(x) for x in partners]
    for p in plan.inward:
        for r in roots:
            pointing = previous.with_object(code(p), r).tolist()
            parts.append(rows([x for s in pointing for x in (s, code(p), r)]))
        parts.append(new[new[:, 1] == code(p)])
    parts.append(previous.with_predicate(code(RDFS.subClassOf)))
    return stack(parts)
