"""SHACL Core constraint components evaluated outside pyshacl, with pyshacl's findings.

:func:`core_plan` picks, from a shapes graph, the constraint components this module can
evaluate with exactly pyshacl's semantics and messages; :func:`run_core` evaluates them.

What is translated:

* every property shape linked by ``sh:property`` from a *top-level* node shape (one with
  ordinary targets that no other shape nests), whose path is a single IRI, that has no
  targets of its own, is not deactivated, carries an ``sh:message`` and uses only the
  components ``sh:minCount``, ``sh:maxCount``, ``sh:datatype``, ``sh:class``,
  ``sh:nodeKind``, ``sh:pattern`` (one, no ``sh:flags``), ``sh:in``, ``sh:languageIn``,
  ``sh:uniqueLang`` and ``sh:node`` to a *simple* node shape (one using only
  ``sh:datatype``, ``sh:nodeKind``, ``sh:pattern`` and ``sh:languageIn``);
* the node-level ``sh:datatype``, ``sh:nodeKind``, ``sh:pattern``, ``sh:in``,
  ``sh:languageIn`` and ``sh:class`` of a top-level node shape with an ``sh:message``.

The focus nodes come from the caller (Oxigraph, ``rdf:type/rdfs:subClassOf*``, as for the
SPARQL constraints). Value nodes and the checks themselves are computed in Python on the
*rdflib* terms of data + ontology, because Oxigraph normalises literals
(``"12"^^xsd:positiveInteger`` is stored as ``"12"^^xsd:integer``, ``"012"^^xsd:integer``
as ``"12"``), which would change both ``sh:datatype`` verdicts and reported values. Each
check mirrors the corresponding pyshacl 0.40 component (``pyshacl.constraints.core``),
including the nested ``sh:detail`` results of ``sh:node`` that
:func:`tipkg.build.shacl_pyshacl.check_shapes` also reports as findings.

:func:`core_plan` also returns the shapes-graph triples to drop so that pyshacl skips
exactly what was translated.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from decimal import Decimal

import numpy as np
from pyshacl.rdfutil import stringify_node
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from tipkg.build.data_view import DataView
from tipkg.build.findings import SH, Finding, literal_text, short_name
from tipkg.build.shacl_shapes import Targets

Triple = tuple[Node, Node, Node]
Shape = URIRef | BNode

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
# Shape-graph predicates of a property shape that do not constrain anything.
_INERT = frozenset(
    {SH.path, SH.name, SH.description, SH.message, SH.severity, SH.order, SH.group, SH.defaultValue}
)
_VALUE_PARAMS = frozenset(
    {SH.datatype, SH["class"], SH.nodeKind, SH.pattern, SH["in"], SH.languageIn}
)
_PROPERTY_PARAMS = _VALUE_PARAMS | {SH.minCount, SH.maxCount, SH.uniqueLang, SH.node}
_SIMPLE_PARAMS = frozenset({SH.datatype, SH.nodeKind, SH.pattern, SH.languageIn})
_KINDS: dict[Node, tuple[type, ...]] = {
    SH.IRI: (URIRef,),
    SH.BlankNode: (BNode,),
    SH.Literal: (Literal,),
    SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal),
    SH.IRIOrLiteral: (URIRef, Literal),
}
_ACTUAL: dict[Node, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}


class Index:
    """Subject-to-objects look-ups over data + ontology (ids of :class:`DataView` rows),
    built per predicate on demand, and the rdflib term of each id for the checks."""

    def __init__(self, view: DataView, targets: Targets) -> None:
        self.view = view
        self.term = view.terms.rdf
        self.targets = targets
        self._by_predicate: dict[Node, dict[int, list[int]]] = {}
        self._instances: dict[Node, set[int]] = {}

    def objects(self, predicate: Node) -> dict[int, list[int]]:
        """Return ``{subject: [object, ...]}`` for ``predicate`` (each object once)."""
        table = self._by_predicate.get(predicate)
        if table is None:
            table = self._by_predicate[predicate] = {}
            code = self.view.code(predicate)
            if code is not None:
                for s, o in self.view.with_predicate(code)[:, [0, 2]].tolist():
                    objects = table.get(s)
                    if objects is None:
                        table[s] = [o]
                    else:
                        objects.append(o)
        return table

    def has_class(self, node: int, cls: Node) -> bool:
        """pyshacl's ``sh:class`` test: some ``rdf:type`` of ``node`` is ``cls`` or below it
        (by rdflib's ``transitive_objects`` over ``rdfs:subClassOf``)."""
        instances = self._instances.get(cls)
        if instances is None:
            typed = self.view.with_predicate(self.view.terms.intern_rdf(RDF.type))
            below = list(self.targets.subclasses(cls))
            subjects = typed[np.isin(typed[:, 2], below), 0].tolist()
            instances = self._instances[cls] = set(subjects)
        return node in instances


@dataclass(frozen=True)
class ValueCheck:
    """One value-level constraint (a component with its parameter)."""

    param: URIRef
    argument: Node
    test: Callable[[int, Index], bool]
    generic: str | None


@dataclass(frozen=True)
class SimpleShape:
    """A node shape reached by ``sh:node`` whose checks are all value checks."""

    shape: Shape
    severity: str
    messages: tuple[str, ...]
    checks: tuple[ValueCheck, ...]


@dataclass(frozen=True)
class CoreShape:
    """The translated components of one shape, evaluated on one top-level node shape's
    focus nodes (``path`` is None for the node shape's own components)."""

    parent: Shape
    shape: Shape
    path: URIRef | None
    severity: str
    message: str
    checks: tuple[ValueCheck, ...] = ()
    min_count: int | None = None
    max_count: int | None = None
    unique_lang: bool = False
    nodes: tuple[SimpleShape, ...] = field(default=())


@dataclass
class CorePlan:
    """What :func:`run_core` evaluates, and what pyshacl should no longer see."""

    shapes: list[CoreShape] = field(default_factory=list)
    removed: set[Triple] = field(default_factory=set)


def core_plan(shapes: Graph, top_level: Iterable[Shape]) -> CorePlan:
    """Return the translatable core components of the ``top_level`` node shapes."""
    plan = CorePlan()
    simple: dict[Node, SimpleShape | None] = {}
    for parent in top_level:
        own = _node_level(shapes, parent)
        if own is not None:
            plan.shapes.append(own)
            plan.removed |= {
                (parent, p, o) for p in _VALUE_PARAMS for o in shapes.objects(parent, p)
            }
        for prop in shapes.objects(parent, SH.property):
            core = _property_shape(shapes, parent, prop, simple)
            if core is not None:
                plan.shapes.append(core)
                plan.removed.add((parent, SH.property, prop))
    return plan


def run_core(
    plan: CorePlan, index: Index, focus_nodes: Callable[[Shape], list[int]]
) -> list[Finding]:
    """Evaluate the plan on the focus nodes of each top-level shape; return the findings."""
    findings: list[Finding] = []
    nested: dict[tuple[Shape, int], list[Finding]] = {}
    targets: dict[Shape, list[int]] = {}
    term = index.term
    for core in plan.shapes:
        if core.parent not in targets:
            targets[core.parent] = focus_nodes(core.parent)
        values_of = index.objects(core.path) if core.path is not None else None

        def finding(focus: int, value: int | None, core: CoreShape = core) -> Finding:
            return Finding(
                severity=core.severity,
                focus=str(term(focus)),
                path=short_name(core.path) if core.path is not None else None,
                value=literal_text(term(value)) if value is not None else None,
                message=core.message,
                shape=str(core.shape),
                root=str(term(focus)),
            )

        for focus in targets[core.parent]:
            values = (focus,) if values_of is None else values_of.get(focus, ())
            if core.min_count is not None and len(values) < core.min_count:
                findings.append(finding(focus, None))
            if core.max_count is not None and len(values) > core.max_count:
                findings.append(finding(focus, None))
            if core.unique_lang:
                findings += [finding(focus, None)] * _duplicate_languages(map(term, values))
            for check in core.checks:
                findings += [finding(focus, v) for v in values if not check.test(v, index)]
            for inner in core.nodes:
                for v in values:
                    key = (inner.shape, v)
                    if key not in nested:
                        nested[key] = _simple_findings(inner, v, index)
                    if nested[key]:
                        parent = finding(focus, v)
                        findings.append(parent)
                        findings += [replace(f, root=parent.root) for f in nested[key]]
    return findings


def _simple_findings(inner: SimpleShape, value: int, index: Index) -> list[Finding]:
    node = index.term(value)
    return [
        Finding(
            severity=inner.severity,
            focus=str(node),
            path=None,
            value=literal_text(node),
            message=" ".join(sorted(set(inner.messages))) or str(check.generic),
            shape=str(inner.shape),
        )
        for check in inner.checks
        if not check.test(value, index)
    ]


def _duplicate_languages(values: Iterable[Node]) -> int:
    seen: set[str] = set()
    duplicates: set[str] = set()
    for v in values:
        if isinstance(v, Literal) and v.language:
            lang = str(v.language).lower()
            (duplicates if lang in seen else seen).add(lang)
    return len(duplicates)


def _node_level(shapes: Graph, shape: Shape) -> CoreShape | None:
    """The node shape's own value checks, when all of them translate and it has messages."""
    messages = _messages(shapes, shape)
    params = [(p, o) for p in _VALUE_PARAMS for o in shapes.objects(shape, p)]
    if not params or not messages or (shape, SH.deactivated, None) in shapes:
        return None
    checks = _value_checks(shapes, shape)
    if checks is None:
        return None
    return CoreShape(
        parent=shape,
        shape=shape,
        path=None,
        severity=_severity(shapes, shape),
        message=messages,
        checks=checks,
    )


def _property_shape(
    shapes: Graph, parent: Shape, prop: Node, simple: dict[Node, SimpleShape | None]
) -> CoreShape | None:
    if not isinstance(prop, URIRef | BNode):
        return None
    path = shapes.value(prop, SH.path)
    messages = _messages(shapes, prop)
    if not isinstance(path, URIRef) or not messages:
        return None
    for p in shapes.predicates(prop):
        if str(p).startswith(str(SH)) and p not in _INERT and p not in _PROPERTY_PARAMS:
            return None  # a target, sh:deactivated, sh:flags, sh:or, sh:qualified...
    checks = _value_checks(shapes, prop)
    counts = {}
    for p in (SH.minCount, SH.maxCount, SH.uniqueLang):
        values = list(shapes.objects(prop, p))
        if len(values) > 1 or (values and not isinstance(values[0], Literal)):
            return None
        counts[p] = values[0].toPython() if values else None  # type: ignore[union-attr]
    if checks is None or any(v is not None and not isinstance(v, int) for v in counts.values()):
        return None
    nodes = []
    for target in shapes.objects(prop, SH.node):
        if target not in simple:
            simple[target] = _simple_shape(shapes, target)
        inner = simple[target]
        if inner is None:
            return None
        nodes.append(inner)
    return CoreShape(
        parent=parent,
        shape=prop,
        path=path,
        severity=_severity(shapes, prop),
        message=messages,
        checks=checks,
        min_count=counts[SH.minCount],  # type: ignore[arg-type]
        max_count=counts[SH.maxCount],  # type: ignore[arg-type]
        unique_lang=counts[SH.uniqueLang] is True,
        nodes=tuple(nodes),
    )


def _simple_shape(shapes: Graph, shape: Node) -> SimpleShape | None:
    if not isinstance(shape, URIRef | BNode) or (shape, SH.deactivated, None) in shapes:
        return None
    for p in shapes.predicates(shape):
        if str(p).startswith(str(SH)) and p not in _SIMPLE_PARAMS and p not in _INERT:
            return None
    if (shape, SH.path, None) in shapes:
        return None
    checks = _value_checks(shapes, shape)
    messages = tuple(str(m) for m in shapes.objects(shape, SH.message) if isinstance(m, Literal))
    if checks is None or (not messages and any(c.generic is None for c in checks)):
        return None
    return SimpleShape(
        shape=shape, severity=_severity(shapes, shape), messages=messages, checks=checks
    )


def _value_checks(shapes: Graph, shape: Node) -> tuple[ValueCheck, ...] | None:
    """The value checks of ``shape`` in pyshacl's terms, or None if one does not translate."""
    checks: list[ValueCheck] = []
    for param in (SH.datatype, SH.nodeKind, SH["in"], SH.languageIn, SH.pattern):
        if len(set(shapes.objects(shape, param))) > 1:
            return None
    if (shape, SH.flags, None) in shapes:
        return None
    for dt in shapes.objects(shape, SH.datatype):
        generic = f"Value is not Literal with datatype {stringify_node(shapes, dt)}"
        checks.append(ValueCheck(SH.datatype, dt, _datatype_test(dt), generic))
    for kind in shapes.objects(shape, SH.nodeKind):
        if kind not in _KINDS:
            return None
        generic = f"Value is not of Node Kind {stringify_node(shapes, kind)}"
        checks.append(ValueCheck(SH.nodeKind, kind, _kind_test(_KINDS[kind]), generic))
    for pattern in shapes.objects(shape, SH.pattern):
        if not isinstance(pattern, Literal):
            return None
        text = (
            str(pattern.value)
            if pattern.value is not None and len(pattern.value) > 1
            else str(pattern)
        )
        generic = f"Value does not match pattern '{pattern.value}'"
        checks.append(ValueCheck(SH.pattern, pattern, _pattern_test(re.compile(text)), generic))
    for head in shapes.objects(shape, SH.languageIn):
        langs = list(shapes.items(head))
        if not all(isinstance(x, Literal) and isinstance(x.value, str) for x in langs):
            return None
        generic = f"String language is not in {stringify_node(shapes, head)}"
        wanted = frozenset(str(x.value).lower() for x in langs)  # type: ignore[union-attr]
        checks.append(ValueCheck(SH.languageIn, head, _language_test(wanted), generic))
    for head in shapes.objects(shape, SH["in"]):
        members = frozenset(shapes.items(head))
        checks.append(
            ValueCheck(SH["in"], head, lambda v, index, m=members: index.term(v) in m, None)
        )
    for cls in shapes.objects(shape, SH["class"]):
        checks.append(
            ValueCheck(SH["class"], cls, lambda v, index, c=cls: index.has_class(v, c), None)
        )
    return tuple(checks)


def _datatype_test(rule: Node) -> Callable[[int, Index], bool]:
    """pyshacl's ``DatatypeConstraintComponent`` for one value node."""
    actual = _ACTUAL.get(rule)

    def asserted(v: Literal) -> bool:
        return actual is None or isinstance(v.value, actual)

    def test(code: int, index: Index) -> bool:
        v = index.term(code)
        if not isinstance(v, Literal):
            return False
        if v.datatype == rule:
            return getattr(v, "ill_typed", None) is not True and asserted(v)
        if rule == RDFS.Literal:
            return True
        if rule == RDFS.Datatype and v.datatype:
            return True
        if v.datatype is None and v.language is None and rule == XSD.string:
            return asserted(v)
        if rule == RDF.langString and v.language:
            return asserted(v)
        return False

    return test


def _kind_test(kinds: tuple[type, ...]) -> Callable[[int, Index], bool]:
    def test(code: int, index: Index) -> bool:
        v = index.term(code)
        if isinstance(v, BNode):
            return BNode in kinds
        if isinstance(v, Literal):
            return Literal in kinds
        return URIRef in kinds

    return test


def _pattern_test(matcher: re.Pattern[str]) -> Callable[[int, Index], bool]:
    def test(code: int, index: Index) -> bool:
        v = index.term(code)
        if isinstance(v, BNode):
            return False
        if (
            isinstance(v, Literal)
            and v.value is not None
            and v.datatype in (None, RDF.langString, XSD.string)
        ):
            text = str(v.value)
        else:
            text = str(v)
        return bool(matcher.match(text) or matcher.search(text))

    return test


def _language_test(wanted: frozenset[str]) -> Callable[[int, Index], bool]:
    def test(code: int, index: Index) -> bool:
        v = index.term(code)
        if not isinstance(v, Literal) or not v.language:
            return False
        lang = str(v.language)
        return "*" in wanted or lang.lower() in wanted or lang.split("-")[0].lower() in wanted

    return test


def _messages(shapes: Graph, shape: Node) -> str:
    found = {str(m) for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)}
    return " ".join(sorted(found))


def _severity(shapes: Graph, shape: Node) -> str:
    return str(shapes.value(shape, SH.severity) or SH.Violation).removeprefix(str(SH))
