"""SHACL validation with the SPARQL-based constraints run by Oxigraph instead of rdflib.

Where ``pyshacl`` spends its time on tipkg's data (cProfile, 10k data triples): about
three quarters in the 25 ``sh:sparql`` constraints, and of that nearly all in
*re-parsing* each query with rdflib's pyparsing grammar once per focus node (1 178
parses, ~20 ms each), not in evaluating it; the rest in the core constraints
(``sh:minCount``, ``sh:class``, ``sh:pattern``, ...). :func:`check_shapes_fast` keeps
pyshacl's semantics and findings but splits the work:

* every ``sh:sparql`` constraint of a node shape with ordinary targets (and that no
  other shape reaches through ``sh:node``, ``sh:property``, ``sh:and``, ``sh:or``,
  ``sh:xone``, ``sh:not`` or ``sh:qualifiedValueShape``) runs on an in-memory
  Oxigraph store holding data + ontology: the focus nodes are found as SHACL does
  (``rdf:type/rdfs:subClassOf*`` for ``sh:targetClass``, ``sh:targetNode``,
  ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``, implicit class targets), and the
  query is run once per focus node with ``$this`` pre-bound through Oxigraph's
  ``substitutions`` (SEP-0007, the SHACL pre-binding), its rows turned into findings
  exactly as pyshacl does (focus, ``?value`` or the focus node, ``?path``, severity of
  the shape, the shape's and the constraint's messages with ``{?var}``/``{$var}``
  filled in, duplicate rows dropped);
* the SHACL Core components of those top-level shapes and of their property shapes
  (``sh:minCount``, ``sh:class``, ``sh:datatype``, ``sh:pattern``, ``sh:node`` to simple
  value shapes, ...) are evaluated by :mod:`tipkg.shacl_core` on the same focus nodes,
  in Python on the rdflib terms (Oxigraph normalises literals);
* pyshacl validates, with the shapes graph minus what was translated, only the part of
  the data the remaining shapes can see (:func:`relevant_data`), which saves it from
  copying the whole data graph; any other SPARQL constraint or core component
  (``sh:or``, ``sh:not``, ``sh:qualifiedValueShape``, ...) stays with pyshacl.

The findings are the same :class:`tipkg.build.findings.Finding` values as
:func:`tipkg.build.shacl_pyshacl.check_shapes` returns (``tests/test_fast_validate.py`` checks the
real data, every shapes fixture, core edge cases and a generated 10k-triple graph).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL
from rdflib.term import Node

from tipkg.build.findings import SH, Finding, literal_text, short_name
from tipkg.build.shacl_core import Index, core_plan, run_core
from tipkg.build.shacl_pyshacl import check_shapes

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_NESTING = (SH.node, SH.property, SH["and"], SH["or"], SH.xone, SH["not"], SH.qualifiedValueShape)
_THIS = ox.Variable("this")
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
# Oxigraph normalises derived datatypes (xsd:positiveInteger to xsd:integer) and numeric
# lexical forms; queries that look at datatypes or term identity stay with pyshacl.
_DATATYPE_SENSITIVE = re.compile(r"\b(DATATYPE|sameTerm)\s*\(", re.IGNORECASE)
_RDF_LANG = str(RDF.langString)


@dataclass(frozen=True)
class SparqlConstraint:
    """One ``sh:sparql`` constraint of a node shape, ready to run outside pyshacl."""

    shape: URIRef | BNode
    node: Node
    select: str
    prefixes: dict[str, str]
    messages: tuple[Literal, ...]
    severity: str


def check_shapes_fast(data: Graph, ontology: Graph, shapes: Graph) -> list[Finding]:
    """Return the findings of :func:`tipkg.build.shacl_pyshacl.check_shapes`, computed faster."""
    constraints = sparql_constraints(shapes)
    plan = core_plan(shapes, top_level_shapes(shapes))
    remaining = without(shapes, constraints)
    for triple in plan.removed:
        remaining.remove(triple)  # type: ignore[arg-type]
    store = to_store(data, ontology)
    findings = check_shapes(relevant_data(data, remaining, store), ontology, remaining)
    targets: dict[Node, list[Node]] = {}

    def targets_of(shape: Node) -> list[Node]:
        if shape not in targets:
            targets[shape] = [_from_ox(n) for n in focus_nodes(store, shapes, shape)]
        return targets[shape]

    findings += run_sparql_constraints(store, shapes, constraints, (data, ontology))
    findings += run_core(plan, Index((data, ontology)), targets_of)
    return findings


def relevant_data(data: Graph, shapes: Graph, store: ox.Store) -> Graph:
    """Return the part of ``data`` that pyshacl can look at when validating ``shapes``.

    pyshacl copies the whole data graph to mix the ontology in (most of its run time once
    the core and SPARQL constraints are done elsewhere). When ``shapes`` uses only core
    components, its results depend only on: the triples of the predicates its paths,
    ``sh:targetSubjectsOf``/``sh:targetObjectsOf`` and property-pair components name;
    ``rdf:type`` and ``rdfs:subClassOf`` (targets, ``sh:class``); and the triples about blank
    nodes (pyshacl writes a blank node's properties into default messages; ``store``, which
    holds ``data``, finds them). So only those are kept, with the namespace bindings.
    Anything else (``sh:sparql``, ``sh:closed``, rules, custom targets or components) gets
    all of ``data``.
    """
    if any((None, p, None) in shapes for p in _WHOLE_GRAPH) or any(
        (None, RDF.type, t) in shapes for t in _WHOLE_GRAPH_TYPES
    ):
        return data
    predicates = {RDF.type, RDFS.subClassOf}
    for shape in _evaluated_shapes(shapes):
        for p in (SH.path, *_PREDICATE_PARAMS):
            for head in shapes.objects(shape, p):
                predicates |= _iris_in(shapes, head)
    kept = Graph()
    for prefix, namespace in data.namespaces():
        kept.bind(prefix, namespace, override=True, replace=True)
    for p in predicates:
        kept += data.triples((None, p, None))
    blank = store.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER isBlank(?s) }")
    for row in blank:  # type: ignore[union-attr]
        kept += data.triples((_from_ox(row["s"]), None, None))
    return kept


def _evaluated_shapes(shapes: Graph) -> set[Node]:
    """The shapes pyshacl evaluates: those with targets and at least one constraint left,
    and every shape they reach (``sh:property``, ``sh:node``, ``sh:not``, lists of
    ``sh:and``/``sh:or``/``sh:xone``, ``sh:qualifiedValueShape``)."""
    todo: list[Node] = [
        s
        for s in _targeted(shapes)
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
        for p in _NESTING:
            for o in shapes.objects(shape, p):
                if p in (SH["and"], SH["or"], SH.xone):
                    todo.extend(shapes.items(o))
                else:
                    todo.append(o)
    return seen


def _targeted(shapes: Graph) -> set[Node]:
    """Shapes with explicit targets or implicit class targets."""
    found = {s for p in _TARGETS for s in shapes.subjects(p, None)}
    for cls in (RDFS.Class, OWL.Class):
        for s in shapes.subjects(RDF.type, cls):
            if isinstance(s, URIRef) and (s, RDF.type, SH.NodeShape) in shapes:
                found.add(s)
    return found


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


def top_level_shapes(shapes: Graph) -> list[URIRef | BNode]:
    """Node shapes with ordinary targets that no other shape reaches (see module doc)."""
    found = _targeted(shapes)
    nested = _nested(shapes)
    return [
        s
        for s in found
        if isinstance(s, URIRef | BNode)
        and s not in nested
        and shapes.value(s, SH.path) is None
        and shapes.value(s, SH.target) is None
        and (s, SH.deactivated, None) not in shapes
    ]


def _nested(shapes: Graph) -> set[Node]:
    nested = {o for p in _NESTING for o in shapes.objects(None, p)}
    for p in (SH["or"], SH["and"], SH.xone):
        nested |= {m for head in shapes.objects(None, p) for m in shapes.items(head)}
    return nested


def sparql_constraints(shapes: Graph) -> list[SparqlConstraint]:
    """Return the ``sh:sparql`` constraints this module can run itself (see module doc)."""
    nested = _nested(shapes)
    found = []
    for shape, node in shapes.subject_objects(SH.sparql):
        if (
            shape in nested
            or shapes.value(shape, SH.path) is not None
            or shapes.value(shape, SH.target) is not None
            or (shape, SH.deactivated, None) in shapes
            or (node, SH.deactivated, None) in shapes
            or not isinstance(shape, URIRef | BNode)
        ):
            continue
        select = shapes.value(node, SH.select)
        messages = tuple(
            m
            for m in (*shapes.objects(shape, SH.message), *shapes.objects(node, SH.message))
            if isinstance(m, Literal)
        )
        if select is None or not messages or _DATATYPE_SENSITIVE.search(str(select)):
            continue
        severity = shapes.value(shape, SH.severity) or SH.Violation
        found.append(
            SparqlConstraint(
                shape=shape,
                node=node,
                select=str(select),
                prefixes=_prefixes(shapes, node),
                messages=messages,
                severity=str(severity).removeprefix(str(SH)),
            )
        )
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


def cached_to_ox() -> Callable[[Node], ox.NamedNode | ox.BlankNode | ox.Literal]:
    """:func:`to_ox` remembering what it converted: terms repeat across a graph's triples."""
    cache: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}

    def term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        converted = cache.get(node)
        if converted is None:
            converted = cache[node] = to_ox(node)
        return converted

    return term


def to_store(*graphs: Graph) -> ox.Store:
    """Load ``graphs`` into the default graph of a new in-memory Oxigraph store."""
    store = ox.Store()
    term = cached_to_ox()

    def quads() -> Iterator[ox.Quad]:
        for graph in graphs:
            for s, p, o in graph:
                yield ox.Quad(term(s), term(p), term(o))  # type: ignore[arg-type]

    store.bulk_extend(quads())
    return store


def focus_nodes(store: ox.Store, shapes: Graph, shape: Node) -> list[ox.NamedNode | ox.BlankNode]:
    """Return the focus nodes of ``shape``'s targets in the store (data + ontology)."""
    patterns = []
    for c in shapes.objects(shape, SH.targetClass):
        patterns.append(f"?this <{RDF.type}>/<{RDFS.subClassOf}>* <{c}> .")
    if isinstance(shape, URIRef) and (
        (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes
    ):
        patterns.append(f"?this <{RDF.type}>/<{RDFS.subClassOf}>* <{shape}> .")
    for p in shapes.objects(shape, SH.targetSubjectsOf):
        patterns.append(f"?this <{p}> ?any .")
    for p in shapes.objects(shape, SH.targetObjectsOf):
        patterns.append(f"?any <{p}> ?this .")
    nodes: dict[object, ox.NamedNode | ox.BlankNode] = {}
    if patterns:
        union = " UNION ".join(f"{{ {p} }}" for p in patterns)
        for row in store.query(f"SELECT DISTINCT ?this WHERE {{ {union} }}"):  # type: ignore[union-attr]
            nodes[row["this"]] = row["this"]
    for n in shapes.objects(shape, SH.targetNode):
        converted = to_ox(n)
        nodes[converted] = converted  # type: ignore[assignment]
    return list(nodes.values())


def run_sparql_constraints(
    store: ox.Store,
    shapes: Graph,
    constraints: Iterable[SparqlConstraint],
    graphs: tuple[Graph, ...] = (),
) -> list[Finding]:
    """Run each constraint on the focus nodes of its shape and return the findings.

    ``graphs`` (what the store was loaded from) give reported literal values back the
    datatype Oxigraph normalised (``"7"^^xsd:positiveInteger`` is stored as
    ``xsd:integer``): a value equal to one of the focus node's own literals is that
    literal, as pyshacl reports it.
    """
    findings = []
    targets: dict[Node, list[ox.NamedNode | ox.BlankNode]] = {}
    for c in constraints:
        if c.shape not in targets:
            targets[c.shape] = focus_nodes(store, shapes, c.shape)
        for focus in targets[c.shape]:
            findings += _run(store, c, focus, graphs)
    return findings


def _run(
    store: ox.Store,
    c: SparqlConstraint,
    focus: ox.NamedNode | ox.BlankNode,
    graphs: tuple[Graph, ...],
) -> list[Finding]:
    solutions = store.query(c.select, prefixes=c.prefixes, substitutions={_THIS: focus})
    variables = [v.value for v in solutions.variables]  # type: ignore[union-attr]
    seen: list[tuple[object, ...]] = []
    findings = []
    failed = False
    this = _from_ox(focus)
    for row in solutions:  # type: ignore[union-attr]
        bound = {
            name: _original(_from_ox(row[name]), this, graphs)
            for name in variables
            if row[name] is not None
        }
        if "failure" in bound:  # pyshacl: one failure result per focus node, no value
            bound.pop("failure")
            if failed:
                continue
            failed = True
            findings.append(_finding(c, this, this, None, bound))
            continue
        path, value, t = bound.pop("path", None), bound.pop("value", None), bound.pop("this", None)
        if path is None and value is None and t is None:
            continue
        key = (t, path, value, bound)
        if key in seen:
            continue
        seen.append(key)
        value = value if value is not None else this
        variables_used = dict(bound)
        for name, term in (("this", t), ("path", path), ("value", value)):
            if term is not None:
                variables_used[name] = term
        findings.append(_finding(c, t or this, value, path, variables_used))
    return findings


def _finding(
    c: SparqlConstraint, focus: Node, value: Node | None, path: Node | None, bound: dict[str, Node]
) -> Finding:
    messages = {_format(str(m), bound) for m in c.messages}
    return Finding(
        severity=c.severity,
        focus=str(focus),
        path=short_name(path) if isinstance(path, URIRef) else None,
        value=literal_text(value),
        message=" ".join(sorted(messages)),
        shape=str(c.shape),
    )


def _format(message: str, bound: dict[str, Node]) -> str:
    """Fill ``{?var}`` and ``{$var}`` in a message as pyshacl does."""
    for name, term in bound.items():
        message = re.sub(f"{{[?$]{name}}}", str(term), message)
    return message


def _original(term: Node, focus: Node, graphs: tuple[Graph, ...]) -> Node:
    """Return the literal of ``focus`` that ``term`` stands for, or ``term``."""
    if not isinstance(term, Literal) or term.datatype is None:
        return term
    candidates = {
        o
        for graph in graphs
        for o in graph.objects(focus)  # type: ignore[arg-type]
        if isinstance(o, Literal)
        and o.datatype is not None
        and str(o) == str(term)
        and o.datatype != term.datatype
        and _value(o) == _value(term)
    }
    return candidates.pop() if len(candidates) == 1 else term


def _value(literal: Literal) -> object:
    try:
        return literal.toPython()
    except (ValueError, TypeError):  # pragma: no cover - ill-typed literal
        return str(literal)


def _prefixes(shapes: Graph, constraint: Node) -> dict[str, str]:
    prefixes = {}
    for holder in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(holder, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                prefixes[str(prefix)] = str(namespace)
    return prefixes


def to_ox(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"not an RDF term: {node!r}")


def _from_ox(term: object) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (str(XSD.string), _RDF_LANG):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"not an RDF term: {term!r}")
