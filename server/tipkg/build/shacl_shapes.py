"""Reading a SHACL shapes graph: which shapes are top level, what they target, and the
SPARQL patterns that find their focus nodes (shared by the Oxigraph-backed checks)."""

from __future__ import annotations

import numpy as np
from rdflib import RDF, RDFS, BNode, Graph, URIRef
from rdflib.namespace import OWL
from rdflib.term import Node

from tipkg.build.data_view import DataView
from tipkg.build.findings import SH
from tipkg.build.terms import unique

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
NESTING = (SH.node, SH.property, SH["and"], SH["or"], SH.xone, SH["not"], SH.qualifiedValueShape)


def targeted(shapes: Graph) -> set[Node]:
    """Shapes with explicit targets or implicit class targets."""
    found = {s for p in TARGETS for s in shapes.subjects(p, None)}
    for cls in (RDFS.Class, OWL.Class):
        for s in shapes.subjects(RDF.type, cls):
            if isinstance(s, URIRef) and (s, RDF.type, SH.NodeShape) in shapes:
                found.add(s)
    return found


def nested(shapes: Graph) -> set[Node]:
    """Shapes that another shape reaches (``sh:node``, ``sh:property``, lists, ...)."""
    found = {o for p in NESTING for o in shapes.objects(None, p)}
    for p in (SH["or"], SH["and"], SH.xone):
        found |= {m for head in shapes.objects(None, p) for m in shapes.items(head)}
    return found


def top_level_shapes(shapes: Graph) -> list[URIRef | BNode]:
    """Node shapes with ordinary targets that no other shape reaches."""
    found = targeted(shapes)
    inner = nested(shapes)
    return [
        s
        for s in found
        if isinstance(s, URIRef | BNode)
        and s not in inner
        and shapes.value(s, SH.path) is None
        and shapes.value(s, SH.target) is None
        and (s, SH.deactivated, None) not in shapes
    ]


def target_patterns(shapes: Graph, shape: Node) -> list[str]:
    """SPARQL group patterns binding ``?this`` to the focus nodes of ``shape``'s class,
    subjects-of and objects-of targets, as SHACL finds them (``rdf:type/rdfs:subClassOf*``)."""
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
    return patterns


def target_predicates(shapes: Graph) -> set[Node]:
    """The predicates the targets of all shapes read (``target_patterns``)."""
    found: set[Node] = {RDF.type, RDFS.subClassOf}
    for p in (SH.targetSubjectsOf, SH.targetObjectsOf):
        found |= set(shapes.objects(None, p))
    return found


class Targets:
    """The focus nodes of each shape in a view's data + ontology, as SHACL finds them
    (what :func:`target_patterns` selects, and ``sh:targetNode``), as term ids."""

    def __init__(self, view: DataView, shapes: Graph) -> None:
        self.view = view
        self.shapes = shapes
        self._found: dict[Node, list[int]] = {}
        self._children: dict[int, list[int]] | None = None

    def __call__(self, shape: Node) -> list[int]:
        """The focus nodes of ``shape``, each once."""
        found = self._found.get(shape)
        if found is None:
            found = self._found[shape] = self._focus_nodes(shape)
        return found

    def _focus_nodes(self, shape: Node) -> list[int]:
        view, shapes = self.view, self.shapes
        classes = list(shapes.objects(shape, SH.targetClass))
        if isinstance(shape, URIRef) and (
            (shape, RDF.type, RDFS.Class) in shapes or (shape, RDF.type, OWL.Class) in shapes
        ):
            classes.append(shape)
        parts = [np.zeros(0, dtype=np.int64)]
        if classes:
            below = set().union(*(self.subclasses(c) for c in classes))
            typed = self._rows(RDF.type)
            parts.append(typed[np.isin(typed[:, 2], list(below)), 0])
        for p in shapes.objects(shape, SH.targetSubjectsOf):
            parts.append(self._rows(p)[:, 0])
        for p in shapes.objects(shape, SH.targetObjectsOf):
            parts.append(self._rows(p)[:, 2])
        nodes = unique(np.concatenate(parts)).tolist()
        given = [view.terms.intern_rdf(n) for n in shapes.objects(shape, SH.targetNode)]
        return nodes + [n for n in dict.fromkeys(given) if n not in set(nodes)]

    def subclasses(self, cls: Node) -> set[int]:
        """``cls`` and every class below it by ``rdfs:subClassOf`` (zero or more steps)."""
        code = self.view.code(cls)
        if code is None:
            return set()
        if self._children is None:
            self._children = {}
            for s, o in self._rows(RDFS.subClassOf)[:, [0, 2]].tolist():
                self._children.setdefault(o, []).append(s)
        found, todo = {code}, [code]
        while todo:
            for child in self._children.get(todo.pop(), ()):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found

    def _rows(self, predicate: Node) -> np.ndarray:
        code = self.view.code(predicate)
        if code is None:
            return np.zeros((0, 3), dtype=np.int64)
        return self.view.with_predicate(code)
