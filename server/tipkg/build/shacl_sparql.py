"""SHACL-SPARQL constraints (``sh:sparql``) run by Oxigraph, with pyshacl's findings.

A constraint is a SELECT with ``$this`` pre-bound to each focus node in turn (SHACL's
pre-binding). Run that way, 100,000 focus nodes cost 100,000 parses and plans of the same
query, which was most of the time SHACL took on a million triples. :func:`bulk_query`
rewrites a constraint whose WHERE clause is one group of triple patterns and filters
(``FILTER``, ``EXISTS``, ``NOT EXISTS``), with no subquery, modifier, aggregate, ``BIND``
or ``VALUES``, into one query over all focus nodes: the target's focus nodes joined in
front of the same group. For such a group, pre-binding ``$this`` and joining it with the
focus nodes give the same solutions (a filter applies to its whole group, and
``EXISTS`` sees the outer binding in both); every other constraint runs per focus node,
as before. Each focus node's rows become findings exactly as pyshacl reports them
(focus, ``?value`` or the focus node, ``?path``, severity, the shape's and the
constraint's messages with ``{?var}``/``{$var}`` filled in, duplicate rows dropped).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from tipkg.build.data_view import DataView
from tipkg.build.findings import SH, Finding, literal_text, short_name
from tipkg.build.shacl_shapes import nested, target_patterns, target_predicates

_THIS = ox.Variable("this")
# Oxigraph normalises derived datatypes (xsd:positiveInteger to xsd:integer) and numeric
# lexical forms; queries that look at datatypes or term identity stay with pyshacl.
_DATATYPE_SENSITIVE = re.compile(r"\b(DATATYPE|sameTerm)\s*\(", re.IGNORECASE)
_SELECT = re.compile(r"\bSELECT\b", re.IGNORECASE)
# What may stand between the prologue and the WHERE group of a bulk query: plain variables.
_PROJECTION = re.compile(r"^\s*(DISTINCT\s+)?(\*|([?$]\w+\s*)+)\s*(WHERE\s*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class SparqlConstraint:
    """One ``sh:sparql`` constraint of a node shape, ready to run outside pyshacl."""

    shape: URIRef | BNode
    node: Node
    select: str
    prefixes: dict[str, str]
    messages: tuple[Literal, ...]
    severity: str


def sparql_constraints(shapes: Graph) -> list[SparqlConstraint]:
    """The ``sh:sparql`` constraints of node shapes with ordinary targets that no other
    shape reaches, that this module runs itself."""
    inner = nested(shapes)
    found = []
    for shape, node in shapes.subject_objects(SH.sparql):
        if (
            shape in inner
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


def bulk_query(c: SparqlConstraint, patterns: list[str]) -> tuple[str, bool] | None:
    """The constraint as one query over the focus nodes that ``patterns`` bind to ``?this``
    (see the module doc), and whether the original projects ``$this``; None when the
    query is not of the kind that allows it."""
    if not patterns or len(_SELECT.findall(c.select)) != 1:
        return None
    try:
        algebra = prepareQuery(c.select, initNs=c.prefixes).algebra
    except Exception:  # anything rdflib cannot read runs per focus node
        return None
    if algebra.name != "SelectQuery" or algebra.get("datasetClause"):
        return None
    node = algebra["p"]
    if node.name != "Project":
        return None
    variables = [str(v) for v in node["PV"]]
    node = node["p"]
    if node.name == "Distinct":
        node = node["p"]
    while node.name == "Filter":
        node = node["p"]
    if node.name != "BGP":
        return None
    select = _SELECT.search(c.select)
    start, end = c.select.find("{"), c.select.rfind("}")
    if select is None or start < select.end() or c.select[end + 1 :].strip():
        return None
    if not _PROJECTION.match(c.select[select.end() : start]):
        return None
    targets = " UNION ".join(f"{{ {p} }}" for p in patterns)
    projected = " ".join(f"?{v}" for v in ["this", *[v for v in variables if v != "this"]])
    focus = f"{{ SELECT DISTINCT ?this WHERE {{ {targets} }} }}"
    body = c.select[start + 1 : end]
    query = f"{c.select[: select.start()]}SELECT {projected} WHERE {{ {focus} {body} }}"
    return query, "this" in variables


def query_predicates(c: SparqlConstraint) -> set[URIRef] | None:
    """The predicates the constraint's triple patterns name, or None when a pattern has a
    variable predicate or a property path (it may read any triple)."""
    try:
        algebra = prepareQuery(c.select, initNs=c.prefixes).algebra
    except Exception:  # anything rdflib cannot read may read any triple
        return None
    found: set[URIRef] = set()
    todo: list[object] = [algebra]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "triples":
                    for triple in value:
                        if not isinstance(triple[1], URIRef):
                            return None
                        found.add(triple[1])
                else:
                    todo.append(value)
        elif isinstance(node, list | tuple):
            todo.extend(node)
    return found


def run_sparql_constraints(
    view: DataView,
    shapes: Graph,
    constraints: Iterable[SparqlConstraint],
    targets_of: Callable[[Node], list[int]],
) -> list[Finding]:
    """Run each constraint on the focus nodes of its shape and return the findings.

    The store holds the triples the constraints and the targets read (all of them if a
    constraint may read any). Reported literal values get back the datatype Oxigraph
    normalised (``"7"^^xsd:positiveInteger`` is stored as ``xsd:integer``): a value equal
    to one of the focus node's own literals is that literal, as pyshacl reports it.
    """
    constraints = list(constraints)
    if not constraints:
        return []
    needed: set[Node] | None = set(target_predicates(shapes))
    for c in constraints:
        read = query_predicates(c)
        needed = None if read is None or needed is None else needed | read
    store = view.store(needed)
    ox_term = view.terms.ox
    findings = []
    for c in constraints:
        bulk = bulk_query(c, target_patterns(shapes, c.shape))
        if bulk is not None and (c.shape, SH.targetNode, None) not in shapes:
            query, projects_this = bulk
            solutions = store.query(query, prefixes=c.prefixes)
            variables = [v.value for v in solutions.variables]  # type: ignore[union-attr]
            by_focus: dict[object, list[ox.QuerySolution]] = {}
            for row in solutions:  # type: ignore[union-attr]
                by_focus.setdefault(row["this"], []).append(row)
            if not projects_this:
                variables.remove("this")
            for focus, found in by_focus.items():
                findings += _findings(view, c, view.terms.of_ox(focus), variables, found)  # type: ignore[arg-type]
            continue
        for focus in targets_of(c.shape):
            solutions = store.query(
                c.select, prefixes=c.prefixes, substitutions={_THIS: ox_term(focus)}
            )
            variables = [v.value for v in solutions.variables]  # type: ignore[union-attr]
            findings += _findings(view, c, focus, variables, solutions)  # type: ignore[arg-type]
    return findings


def _findings(
    view: DataView,
    c: SparqlConstraint,
    this_code: int,
    variables: list[str],
    solutions: Iterable[ox.QuerySolution],
) -> list[Finding]:
    """The findings of one focus node's rows."""
    from_ox = view.terms.rdf
    this = from_ox(this_code)
    seen: list[tuple[object, ...]] = []
    findings = []
    failed = False
    for row in solutions:
        bound = {
            name: _original(view, from_ox(view.terms.of_ox(row[name])), this_code)
            for name in variables
            if row[name] is not None
        }
        if "failure" in bound:  # pyshacl: one failure result per focus node, no value
            bound.pop("failure")
            if failed:
                continue
            failed = True
            findings.append(_finding(c, this, this, None, bound, this))
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
        findings.append(_finding(c, t or this, value, path, variables_used, this))
    return findings


def _finding(
    c: SparqlConstraint,
    focus: Node,
    value: Node | None,
    path: Node | None,
    bound: dict[str, Node],
    root: Node,
) -> Finding:
    messages = {_format(str(m), bound) for m in c.messages}
    return Finding(
        severity=c.severity,
        focus=str(focus),
        path=short_name(path) if isinstance(path, URIRef) else None,
        value=literal_text(value),
        message=" ".join(sorted(messages)),
        shape=str(c.shape),
        root=str(root),
    )


def _format(message: str, bound: dict[str, Node]) -> str:
    """Fill ``{?var}`` and ``{$var}`` in a message as pyshacl does."""
    for name, term in bound.items():
        message = re.sub(f"{{[?$]{name}}}", str(term), message)
    return message


def _original(view: DataView, term: Node, focus: int) -> Node:
    """Return the literal of ``focus`` that ``term`` stands for, or ``term``."""
    if not isinstance(term, Literal) or term.datatype is None:
        return term
    rdf = view.terms.rdf
    candidates = set()
    for o in view.about(focus)[:, 2].tolist():
        literal = rdf(o)
        if (
            isinstance(literal, Literal)
            and literal.datatype is not None
            and str(literal) == str(term)
            and literal.datatype != term.datatype
            and _value(literal) == _value(term)
        ):
            candidates.add(literal)
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
