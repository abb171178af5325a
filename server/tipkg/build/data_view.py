"""What SHACL validation reads: the asserted data and the ontology as rows of term ids, with
the look-ups the checks need (by predicate, by subject) and an Oxigraph store of both for
the SPARQL-based parts (focus nodes, ``sh:sparql`` constraints)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from tipkg.build.terms import RdfTerms, Terms, distinct, stack


class DataView:
    """The data to validate and the ontology mixed into it (SHACL's ``ont_graph``).

    Args:
        terms: the term table of the rows.
        data: rows of the asserted data (the union of the data graphs).
        ontology: rows of the ontology.
        namespaces: prefix bindings to give the part of the data pyshacl sees.
    """

    def __init__(
        self,
        terms: Terms,
        data: np.ndarray,
        ontology: np.ndarray,
        namespaces: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.terms = terms
        self.data = distinct(data, len(terms))
        self.ontology = ontology
        self.namespaces = list(namespaces)
        # data + ontology, sorted by subject (then predicate, object), and its predicate order
        self.union = distinct(stack([self.data, ontology]), len(terms))
        self._by_p = np.argsort(self.union[:, 1], kind="stable")
        self._p_sorted = self.union[self._by_p, 1]

    @classmethod
    def of_graphs(cls, data: Graph, ontology: Graph) -> DataView:
        """The view of rdflib graphs (``tipkg validate``, the equality tests)."""
        terms = RdfTerms()
        return cls(
            terms,
            terms.graph(data),
            terms.graph(ontology),
            [(p, str(n)) for p, n in data.namespaces()],
        )

    def with_predicate(self, predicate: int, rows: np.ndarray | None = None) -> np.ndarray:
        """The rows of data + ontology (or of ``rows``, which must be the data) whose
        predicate is ``predicate``."""
        if rows is not None:
            return rows[rows[:, 1] == predicate]
        lo, hi = np.searchsorted(self._p_sorted, [predicate, predicate + 1])
        return self.union[self._by_p[lo:hi]]

    def about(self, subject: int) -> np.ndarray:
        """The rows of data + ontology whose subject is ``subject``."""
        lo, hi = np.searchsorted(self.union[:, 0], [subject, subject + 1])
        return self.union[lo:hi]

    def code(self, node: Node) -> int | None:
        """The id of an rdflib term, or None if no row uses it."""
        return self.terms.of_rdf(node)

    def store(self, predicates: Iterable[Node] | None = None) -> ox.Store:
        """An in-memory Oxigraph store holding the triples of data + ontology (those with
        one of ``predicates``, if given) in its default graph. Blank nodes keep their
        labels, so results map back to the rows' ids."""
        rows = self.union
        if predicates is not None:
            codes = [c for c in (self.code(p) for p in predicates) if c is not None]
            rows = rows[np.isin(rows[:, 1], codes)]
        store = ox.Store()
        ox_term, quad = self.terms.ox, ox.Quad
        store.bulk_extend(
            quad(ox_term(s), ox_term(p), ox_term(o))  # type: ignore[arg-type]
            for s, p, o in rows.tolist()
        )
        return store

    def graph(self, rows: np.ndarray) -> Graph:
        """An rdflib graph of ``rows`` (for pyshacl), with the view's prefix bindings."""
        graph = Graph()
        for prefix, namespace in self.namespaces:
            graph.bind(prefix, namespace, override=True, replace=True)
        rdf = self.terms.rdf
        graph.addN((rdf(s), rdf(p), rdf(o), graph) for s, p, o in rows.tolist())
        return graph
