"""Reading a SHACL shapes graph: which shapes are top level, what they target, and the
SPARQL patterns that find their focus nodes (shared by the Oxigraph-backed checks)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, URIRef
from rdflib.namespace import OWL
from rdflib.term import Node

from tipkg.build.findings import SH
from tipkg.build.terms import to_ox

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


def focus_nodes(store: ox.Store, shapes: Graph, shape: Node) -> list[object]:
    """Return the focus nodes of ``shape``'s targets in ``store`` (data + ontology), as
    Oxigraph terms, each once."""
    nodes: dict[object, object] = {}
    patterns = target_patterns(shapes, shape)
    if patterns:
        union = " UNION ".join(f"{{ {p} }}" for p in patterns)
        for row in store.query(f"SELECT DISTINCT ?this WHERE {{ {union} }}"):  # type: ignore[union-attr]
            nodes[row["this"]] = row["this"]
    for n in shapes.objects(shape, SH.targetNode):
        converted = to_ox(n)
        nodes[converted] = converted
    return list(nodes.values())
