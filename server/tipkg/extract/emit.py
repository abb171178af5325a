"""Write a graph as deterministic Turtle: same triples, byte-identical file.

Subjects are sorted by IRI, ``rdf:type`` comes first, then predicates and objects in
sorted order; resources under the data namespace are written relative to
``@base <https://w3id.org/tipkg/id/>`` so the file reads like the URI scheme. No blank
nodes are used, so no labels need to be made up.
"""

from __future__ import annotations

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS, XSD
from rdflib.term import BNode, Node

from tipkg.vocab import ID, TIPKG

PREFIXES = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "tipkg": str(TIPKG),
    "xsd": str(XSD),
}


def to_turtle(graph: Graph, header: str = "") -> str:
    """Return ``graph`` as sorted Turtle, with ``header`` as leading comment lines."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    if lines:
        lines.append("")
    lines.append(f"@base <{ID}> .")
    lines.extend(f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in PREFIXES.items())
    for subject in sorted({s for s in graph.subjects()}, key=_sort_key):
        if isinstance(subject, BNode):
            raise ValueError("blank nodes are not written; give every resource an IRI")
        lines.append("")
        lines.append(_term(subject))
        predicates = sorted(set(graph.predicates(subject)), key=lambda p: (p != RDF.type, str(p)))
        for index, predicate in enumerate(predicates):
            objects = sorted(graph.objects(subject, predicate), key=_sort_key)
            written = " , ".join(_term(o) for o in objects)
            end = " ." if index == len(predicates) - 1 else " ;"
            name = "a" if predicate == RDF.type else _term(predicate)
            lines.append(f"    {name} {written}{end}")
    return "\n".join(lines) + "\n"


def _sort_key(term: Node) -> tuple[int, str]:
    if isinstance(term, URIRef):
        return (0, str(term))
    if isinstance(term, Literal):
        return (1, f"{term}\x00{term.language or ''}\x00{term.datatype or ''}")
    return (2, str(term))


def _term(term: Node) -> str:
    if isinstance(term, URIRef):
        value = str(term)
        for prefix, namespace in PREFIXES.items():
            local = value.removeprefix(namespace)
            if local != value and local.replace("_", "a").isalnum():
                return f"{prefix}:{local}"
        if value.startswith(str(ID)):
            return f"<{value.removeprefix(str(ID))}>"
        return f"<{value}>"
    if isinstance(term, Literal):
        if term.datatype is not None and str(term.datatype).startswith(str(XSD)):
            if term.datatype == XSD.string:
                return Literal(str(term)).n3()
            lexical = Literal(str(term)).n3()
            return f"{lexical}^^xsd:{str(term.datatype).removeprefix(str(XSD))}"
        return term.n3()
    raise ValueError(f"cannot write {term!r}")
