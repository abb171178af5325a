"""A previous build, read back for an incremental build: its store (the closure in the default
graph, each asserted graph, the inferred graph), its source files, and what it recorded
beside the store (``state.json``: the files it read and the datatypes asserted;
``findings.json``: what validation found, by root focus node).

The store is where to look (which graphs say something about a node, which nodes have a
value), but it normalises literals (``"6"^^xsd:positiveInteger`` is stored as
``"6"^^xsd:integer``), which SHACL must not see: the asserted triples themselves are read
again from the files of the graphs that hold them, unchanged since that build.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pyoxigraph as ox

from tipkg.build.dataset import NamedGraph
from tipkg.build.findings import Finding
from tipkg.build.terms import BLANK, LITERAL, Terms, rows, stack

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
STATE_FILE = "state.json"
FINDINGS_FILE = "findings.json"


class StoreBlankNode(Exception):
    """A blank node of the previous build is needed: its files name it otherwise."""


@dataclass
class BuildState:
    """What a build read: each file's hash, size, time and graph, by path relative to the
    project; the version of tipkg and of the store format; the datatypes of the asserted
    literals."""

    files: dict[str, dict[str, object]]
    version: str
    datatypes: list[str]

    def save(self, build: Path, findings: list[Finding]) -> None:
        (build / STATE_FILE).write_text(json.dumps(asdict(self), indent=1) + "\n")
        records = [asdict(f) | {"location": None} for f in findings]
        (build / FINDINGS_FILE).write_text(json.dumps(records) + "\n")


def load_state(build: Path) -> tuple[BuildState, list[Finding]] | None:
    """The state and findings a build recorded, or None (an older build, or none)."""
    try:
        state = BuildState(**json.loads((build / STATE_FILE).read_text()))
        findings = [Finding(**r) for r in json.loads((build / FINDINGS_FILE).read_text())]
    except (OSError, ValueError, TypeError):
        return None
    return state, findings


class Previous:
    """A previous build: its store, and the asserted triples of its graphs as written in
    their files, as rows of ``terms``.

    Args:
        build: the build directory.
        terms: the term table of the new build.
        graphs: the previous build's graphs (with their files).
        ontology, inferred: the IRIs of the ontology and the inferred graph.
    """

    def __init__(
        self, build: Path, terms: Terms, graphs: list[NamedGraph], ontology: str, inferred: str
    ) -> None:
        self.path = build
        self.store = ox.Store.read_only(str(build))
        self.terms = terms
        self.graphs = {str(g.iri): g for g in graphs}  # the graphs read from files
        self.ontology = ontology
        self.inferred = ox.NamedNode(inferred)
        self._read: dict[str, np.ndarray] = {}
        self._blank_home: dict[int, str] = {}

    # -- the store --------------------------------------------------------------------

    def stored(self, code: int) -> OxTerm:
        """A term as the store holds it (literals normalised)."""
        return store_forms(self.terms, [code])[code]

    def _quads(self, s: int | None, p: int | None, o: int | None) -> list[ox.Quad]:
        """The quads of the graphs read from files matching (not the inferred or another
        generated graph, not the merge)."""
        pattern = [None if x is None else self.stored(x) for x in (s, p, o)]
        return [
            q
            for q in self.store.quads_for_pattern(*pattern)  # type: ignore[arg-type]
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in self.graphs
        ]

    def asserted(self, s: int, p: int, o: int) -> bool:
        """Whether a graph read from files held the triple."""
        return bool(self._quads(s, p, o))

    def pointing(self, node: int) -> np.ndarray:
        """The asserted triples with object ``node`` (subjects and predicates as stored)."""
        quads = self._quads(None, None, node)
        if any(isinstance(q.subject, ox.BlankNode) for q in quads):
            raise StoreBlankNode(f"a blank node of the previous build points at {node}")
        intern = self.terms.id
        return rows([x for q in quads for x in (intern(q.subject), intern(q.predicate), node)])

    def graph_triples(self, graph: str, subject: int) -> list[ox.Quad]:
        """The quads of ``subject`` in the graph ``graph`` as the store holds them."""
        term = self.stored(subject)
        return list(self.store.quads_for_pattern(term, None, None, ox.NamedNode(graph)))  # type: ignore[arg-type]

    def with_object(self, predicate: int | None, node: int) -> np.ndarray:
        """The nodes with an asserted triple to ``node`` (by ``predicate`` if given)."""
        subjects = {q.subject for q in self._quads(None, predicate, node)}
        if any(isinstance(s, ox.BlankNode) for s in subjects):
            raise StoreBlankNode(f"a blank node of the previous build points at {node}")
        return np.array([self.terms.id(s) for s in subjects], dtype=np.int64)

    def inferred_of(self, triples: np.ndarray) -> np.ndarray:
        """The rows of ``triples`` (in store forms) the previous inferred graph holds."""
        return self.in_graph(triples, self.inferred)

    def in_graph(self, triples: np.ndarray, graph: ox.NamedNode) -> np.ndarray:
        """The rows of ``triples`` (in store forms) the previous ``graph`` holds."""
        ox_term, found = self.terms.ox, []
        for s, p, o in triples.tolist():
            quad = ox.Quad(ox_term(s), ox_term(p), ox_term(o), graph)  # type: ignore[arg-type]
            if quad in self.store:
                found += [s, p, o]
        return rows(found)

    def in_default(self, s: int, p: int, o: int) -> bool:
        """Whether the previous default graph (the merge) holds the triple (store forms)."""
        ox_term = self.terms.ox
        quad = ox.Quad(ox_term(s), ox_term(p), ox_term(o), ox.DefaultGraph())  # type: ignore[arg-type]
        return quad in self.store

    # -- the files ------------------------------------------------------------------------

    def graph_rows(self, iri: str) -> np.ndarray:
        """A previous graph's triples as written in its files (read once)."""
        found = self._read.get(iri)
        if found is None:
            found = self._read[iri] = self.graphs[iri].read(self.terms)
            for code in stack([found[:, [0]], found[:, [2]]]).ravel().tolist():
                if self.terms.kinds[code] == BLANK:
                    self._blank_home[code] = iri
        return found

    def about(self, node: int) -> np.ndarray:
        """The asserted data triples with subject ``node``, as written (not the ontology's)."""
        kind = self.terms.kinds[node]
        if kind == LITERAL:
            return rows([])
        if kind == BLANK:
            home = self._blank_home.get(node)
            if home is None:
                if self._quads(node, None, None):
                    raise StoreBlankNode("a blank node of the previous build is needed")
                return rows([])
            homes = {home}
        else:
            homes = {str(q.graph_name.value) for q in self._quads(node, None, None)}  # type: ignore[union-attr]
        parts = []
        for iri in homes - {self.ontology}:
            graph = self.graph_rows(iri)
            lo, hi = np.searchsorted(graph[:, 0], [node, node + 1])
            parts.append(graph[lo:hi])
        return stack(parts)

    def with_predicate(self, predicate: int) -> np.ndarray:
        """The asserted data triples with ``predicate``, as written."""
        homes = {str(q.graph_name.value) for q in self._quads(None, predicate, None)}  # type: ignore[union-attr]
        parts = [self.graph_rows(iri) for iri in homes - {self.ontology}]
        return stack([g[g[:, 1] == predicate] for g in parts])

    def ontology_rows(self) -> np.ndarray:
        """The ontology graph, as written."""
        return self.graph_rows(self.ontology)


def store_forms(
    terms: Terms, codes: list[int]
) -> dict[int, ox.NamedNode | ox.BlankNode | ox.Literal]:
    """The terms as an Oxigraph store holds them: literals normalised (``"012"^^xsd:integer``
    is ``"12"``, ``xsd:positiveInteger`` is ``xsd:integer``), other terms unchanged."""
    literals = [c for c in set(codes) if terms.kinds[c] == LITERAL]
    found = {c: terms.ox(c) for c in codes}
    if literals:
        store = ox.Store()
        store.extend(
            ox.Quad(ox.NamedNode(f"urn:t:{c}"), ox.NamedNode("urn:p"), terms.ox(c))  # type: ignore[arg-type]
            for c in literals
        )
        for quad in store:
            found[int(quad.subject.value[6:])] = quad.object  # type: ignore[union-attr]
    return found
