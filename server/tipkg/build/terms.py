"""The build's data: every distinct RDF term once, triples as rows of integer ids.

A million triples held as rdflib terms in rdflib graphs take gigabytes and seconds for every
pass over them. The build holds them as Oxigraph terms interned in a :class:`Terms` table
(a tenth as many terms as triples on tipkg's data) and each graph as an ``(n, 3)`` numpy
array of term ids: 24 bytes a triple, sets and joins in numpy, and each term converted once
to what a consumer needs (its N-Triples bytes for the store, an rdflib term for a SHACL
check that reads a literal's value).

:class:`RdfTerms` is the same table keyed by rdflib terms, for callers that already hold
rdflib graphs (``tipkg validate``, the tests that compare with owlrl and pyshacl): it
gives each id back as the rdflib term it came from, so nothing is lost in conversion.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal

IRI, BLANK, LITERAL = 0, 1, 2
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_NO_TRIPLES = np.zeros((0, 3), dtype=np.int64)


class Terms:
    """Interned Oxigraph terms: :meth:`id` gives each distinct term a small integer."""

    def __init__(self) -> None:
        self.ids: dict[object, int] = {}
        self.terms: list[object] = []
        self.kinds = bytearray()
        self._rdf: list[Node | None] = []
        self._nt: list[bytes | None] = []

    def __len__(self) -> int:
        return len(self.terms)

    def id(self, term: object) -> int:
        """The id of ``term``, allocating one for a new term."""
        code = self.ids.get(term)
        if code is None:
            code = self.ids[term] = len(self.terms)
            self.terms.append(term)
            self.kinds.append(self._kind(term))
            self._rdf.append(None)
            self._nt.append(None)
        return code

    def iri(self, value: str) -> int:
        """The id of the IRI ``value``."""
        return self.id(ox.NamedNode(value))

    def find(self, term: OxTerm) -> int | None:
        """The id of an Oxigraph term, or None if it has none."""
        return self.ids.get(term)

    def of_rdf(self, node: Node) -> int | None:
        """The id of an rdflib term, or None if it has none."""
        return self.ids.get(to_ox(node))

    def intern_rdf(self, node: Node) -> int:
        """The id of an rdflib term, allocating one for a new term."""
        return self.id(to_ox(node))

    @staticmethod
    def _kind(term: object) -> int:
        if isinstance(term, ox.NamedNode):
            return IRI
        return BLANK if isinstance(term, ox.BlankNode) else LITERAL

    def ox(self, code: int) -> OxTerm:
        """The term as an Oxigraph term."""
        return self.terms[code]  # type: ignore[return-value]

    def rdf(self, code: int) -> Node:
        """The term as an rdflib term (converted once)."""
        node = self._rdf[code]
        if node is None:
            node = self._rdf[code] = from_ox(self.ox(code))
        return node

    def nt(self, code: int) -> bytes:
        """The term in N-Triples syntax, as UTF-8 bytes (converted once)."""
        text = self._nt[code]
        if text is None:
            text = self._nt[code] = str(self.ox(code)).encode()
        return text

    def datatype(self, code: int) -> str | None:
        """The datatype IRI of a literal as rdflib sees it: None for a plain or
        language-tagged literal (RDF 1.1 writes those as xsd:string, rdf:langString)."""
        if self.kinds[code] != LITERAL:
            return None
        datatype = self.terms[code].datatype.value  # type: ignore[attr-defined]
        return None if datatype in (_XSD_STRING, _LANG_STRING) else datatype

    def is_literal(self, code: int) -> bool:
        return self.kinds[code] == LITERAL

    def is_blank(self, code: int) -> bool:
        return self.kinds[code] == BLANK

    def blank_mask(self) -> np.ndarray:
        """A boolean per id: True for blank nodes."""
        return np.frombuffer(bytes(self.kinds), dtype=np.uint8) == BLANK

    def of_ox(self, term: OxTerm) -> int:
        """The id of an Oxigraph term (a query result), allocating one if new."""
        return self.id(term)

    def triples(self, rows: np.ndarray) -> Iterator[tuple[OxTerm, OxTerm, OxTerm]]:
        """The Oxigraph terms of each row of ``rows``."""
        ox_term = self.ox
        for s, p, o in rows.tolist():
            yield ox_term(s), ox_term(p), ox_term(o)


class RdfTerms(Terms):
    """A :class:`Terms` table keyed by rdflib terms, which it gives back unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self._ox: dict[int, OxTerm] = {}
        self._by_ox: dict[OxTerm, int] = {}
        self._by_ox_upto = 0

    def iri(self, value: str) -> int:
        return self.id(URIRef(value))

    @staticmethod
    def _kind(term: object) -> int:
        if isinstance(term, Literal):
            return LITERAL
        return BLANK if isinstance(term, BNode) else IRI

    def ox(self, code: int) -> OxTerm:
        term = self._ox.get(code)
        if term is None:
            term = self._ox[code] = to_ox(self.terms[code])  # type: ignore[arg-type]
        return term

    def rdf(self, code: int) -> Node:
        return self.terms[code]  # type: ignore[return-value]

    def datatype(self, code: int) -> str | None:
        if self.kinds[code] != LITERAL:
            return None
        datatype = self.terms[code].datatype  # type: ignore[attr-defined]
        return None if datatype is None else str(datatype)

    def of_rdf(self, node: Node) -> int | None:
        return self.ids.get(node)

    def intern_rdf(self, node: Node) -> int:
        return self.id(node)

    def find(self, term: OxTerm) -> int | None:
        for code in range(self._by_ox_upto, len(self.terms)):
            self._by_ox.setdefault(self.ox(code), code)
        self._by_ox_upto = len(self.terms)
        return self._by_ox.get(term)

    def of_ox(self, term: OxTerm) -> int:
        found = self.find(term)
        return found if found is not None else self.id(from_ox(term))

    def graph(self, triples: Iterable[tuple[Node, Node, Node]]) -> np.ndarray:
        """The rows of rdflib ``triples``."""
        v = self.id
        return rows([v(t) for triple in triples for t in triple])


def rows(flat: list[int] | np.ndarray) -> np.ndarray:
    """An ``(n, 3)`` array of ids from a flat sequence ``s p o s p o ...``."""
    if len(flat) == 0:
        return _NO_TRIPLES
    return np.asarray(flat, dtype=np.int64).reshape(-1, 3)


def stack(graphs: Iterable[np.ndarray]) -> np.ndarray:
    """The rows of several graphs in one array (duplicates kept)."""
    parts = [g for g in graphs if len(g)]
    return np.concatenate(parts) if parts else _NO_TRIPLES


def unique(values: np.ndarray) -> np.ndarray:
    """The distinct values of a 1-D array, sorted (numpy's own unique hashes: several
    times slower on millions of ids)."""
    values = np.sort(np.asarray(values).ravel())
    if len(values) < 2:
        return values
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


def keys(triples: np.ndarray, size: int) -> np.ndarray:
    """One sortable key per row, equal for equal rows: an int64 for tables of up to 2**21
    terms, else the row's 24 bytes."""
    t = np.ascontiguousarray(triples, dtype=np.int64)
    if size < 2**21:
        return (t[:, 0] << 42) | (t[:, 1] << 21) | t[:, 2]
    return t.view(np.dtype((np.void, 24))).ravel()


def distinct(triples: np.ndarray, size: int) -> np.ndarray:
    """The distinct rows of ``triples``, sorted."""
    if not len(triples):
        return _NO_TRIPLES
    if size < 2**21:
        k = unique(keys(triples, size))
        mask = (1 << 21) - 1
        return np.stack([k >> 42, (k >> 21) & mask, k & mask], axis=1)
    return np.unique(np.asarray(triples, dtype=np.int64), axis=0)


def without(triples: np.ndarray, removed: np.ndarray, size: int) -> np.ndarray:
    """The rows of ``triples`` that are not rows of ``removed``."""
    if not len(triples) or not len(removed):
        return triples
    return triples[~np.isin(keys(triples, size), keys(removed, size), kind="sort")]


def to_ox(node: Node) -> OxTerm:
    """An rdflib term as an Oxigraph term."""
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


def from_ox(term: object) -> Node:
    """An Oxigraph term as an rdflib term (an xsd:string literal is a plain one)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype in (_XSD_STRING, _LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"not an RDF term: {term!r}")
