"""The names of resources that have no label, published as ``rdfs:label`` in a graph of
their own (``{base}graph/labels``), so that SPARQL users get "Statement by Azerbaijan
under item 4, twelfth meeting" rather than ``.../statement/41``.

The names are made by :mod:`tipkg.store.names`, the rules the pages use too.
"""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from tipkg.store.names import NAMING_PROPERTIES, RDFS_LABEL, SKOS_PREF, Facts, made_name

_NAMING = frozenset(NAMING_PROPERTIES)
_LABELS = (RDFS_LABEL, SKOS_PREF)


def label_triples(
    bodies: Mapping[object, bytes], base_iri: str, skip: frozenset[object] = frozenset()
) -> bytes:
    """Return, as N-Triples, an English ``rdfs:label`` for each resource under
    ``{base_iri}id/`` that is the subject of a statement and has no label.

    Args:
        bodies: each named graph's triples as N-Triples (the ontology included: class and
            role labels go into names).
        base_iri: the dataset's base IRI.
        skip: graphs to leave out (the inferences, whose types add nothing to a name).
    """
    facts = Facts()
    subjects: set[ox.NamedNode] = set()
    space = f"{base_iri}id/"
    for graph, body in bodies.items():
        if graph in skip:
            continue
        for triple in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
            subject = triple.subject
            if isinstance(subject, ox.NamedNode) and subject.value.startswith(space):
                subjects.add(subject)
            if triple.predicate.value in _NAMING:
                facts.add((triple,))
    label = ox.NamedNode(RDFS_LABEL)
    triples = []
    for subject in sorted(subjects, key=lambda node: node.value):
        if any(facts.values(subject, prop) for prop in _LABELS):
            continue
        made = made_name(facts, subject, ("en",), base_iri)
        if made:
            triples.append(ox.Triple(subject, label, ox.Literal(made, language="en")))
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
