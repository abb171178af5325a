"""The names of resources that have no label, published as ``rdfs:label`` in a graph of
their own (``{base}graph/labels``), so that SPARQL users get "Statement by Azerbaijan
under item 4, twelfth meeting" rather than ``.../statement/41``.

The names are made by :mod:`tipkg.store.names`, the rules the pages use too, from the
triples of the naming properties only (a name reads its resource's facts and those of the
resources they point to, two steps out).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pyoxigraph as ox

from tipkg.build.previous import Previous
from tipkg.build.terms import IRI, Terms, rows, stack, unique, without
from tipkg.store.names import NAMING_PROPERTIES, RDFS_LABEL, SKOS_PREF, Facts, made_name

_NAMING = frozenset(NAMING_PROPERTIES)
_LABELS = (RDFS_LABEL, SKOS_PREF)


def label_rows(terms: Terms, graphs: Iterable[np.ndarray], base_iri: str) -> np.ndarray:
    """An English ``rdfs:label`` for each resource under ``{base_iri}id/`` that is the
    subject of a statement in ``graphs`` (rows of ``terms``; the caller leaves the
    inferences out: their types add nothing to a name) and has no label. Only the rows of
    the naming properties become Oxigraph terms."""
    data = stack(list(graphs))
    facts = Facts(triples(terms, naming_rows(terms, data)))
    subjects = [terms.ox(s) for s in unique(data[:, 0]).tolist() if terms.kinds[s] == IRI]
    made = names(facts, subjects, base_iri)  # type: ignore[arg-type]
    return rows([terms.id(x) for t in made for x in (t.subject, t.predicate, t.object)])


def naming_rows(terms: Terms, data: np.ndarray) -> np.ndarray:
    """The rows of ``data`` whose predicate is a naming property."""
    return data[np.isin(data[:, 1], _naming_codes(terms))]


def triples(terms: Terms, data: np.ndarray) -> list[ox.Triple]:
    """The rows as Oxigraph triples."""
    return [ox.Triple(s, p, o) for s, p, o in terms.triples(data)]  # type: ignore[arg-type]


def names(facts: Facts, subjects: Iterable[ox.NamedNode], base_iri: str) -> list[ox.Triple]:
    """An English ``rdfs:label`` for each of ``subjects`` under ``{base_iri}id/`` that has
    no label, made from ``facts``."""
    space = f"{base_iri}id/"
    label = ox.NamedNode(RDFS_LABEL)
    made_labels = []
    for subject in sorted(subjects, key=lambda node: node.value):
        if not subject.value.startswith(space):
            continue
        if any(facts.values(subject, prop) for prop in _LABELS):
            continue
        made = made_name(facts, subject, ("en",), base_iri)
        if made:
            made_labels.append(ox.Triple(subject, label, ox.Literal(made, language="en")))
    return made_labels


def label_delta(
    previous: Previous, new: np.ndarray, base_iri: str, labels: str
) -> tuple[np.ndarray, np.ndarray]:
    """The label rows to add to and remove from the previous build's graph ``labels`` when
    the rows ``new`` join its data: the names of the new resources, and of those whose
    name reads a naming fact the new rows add (up to two steps back)."""
    terms = previous.terms
    named = naming_rows(terms, new)
    changed = {s for s, p, o in named.tolist() if not previous.asserted(s, p, o)}
    affected = {s for s in new[:, 0].tolist() if terms.kinds[s] == IRI} | changed
    frontier = changed
    codes = _naming_codes(terms)
    for _ in range(2):  # who reads the changed facts: what points at them by a naming property
        pointing = stack(
            [previous.pointing(y) for y in frontier] + [new[np.isin(new[:, 2], list(frontier))]]
        )
        frontier = set(pointing[np.isin(pointing[:, 1], codes), 0].tolist()) - affected
        affected |= frontier
    # the facts their names read: their naming triples, and those of what they point at
    reach, facts_rows = set(affected), []
    for _ in range(3):
        found = stack([naming_rows(terms, previous.about(n)) for n in reach] + [named])
        facts_rows.append(found)
        reach = set(found[:, 2].tolist()) - reach
    facts_rows.append(naming_rows(terms, previous.ontology_rows()))
    facts = Facts(triples(terms, stack(facts_rows)))
    subjects = [terms.ox(a) for a in affected if terms.kinds[a] == IRI]
    made = names(facts, subjects, base_iri)  # type: ignore[arg-type]
    now = rows([terms.id(x) for t in made for x in (t.subject, t.predicate, t.object)])
    before = rows(
        [
            terms.id(x)
            for a in affected
            for q in previous.graph_triples(labels, a)
            for x in (q.subject, q.predicate, q.object)
        ]
    )
    return without(now, before, len(terms)), without(before, now, len(terms))


def _naming_codes(terms: Terms) -> list[int]:
    return [terms.id(ox.NamedNode(p)) for p in NAMING_PROPERTIES]
