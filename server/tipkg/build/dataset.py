"""The project's RDF files as named graphs: where each triple of the dataset comes from.

* ``{base}graph/ontology``: ontology/*.ttl
* ``{base}graph/reference``: data/reference/*.ttl
* ``{base}graph/document/{UN symbol}``: the triples extracted from one source document
  (data/{stem}.ttl, its symbol from data/sources/manifest.toml)

The SPARQL default graph of the service is the union of these (and of the inferred
graph), so simple queries just work and ``GRAPH ?g`` tells where a statement came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rdflib import Graph, URIRef
from rdflib.term import Node

from tipkg.build.data_view import DataView
from tipkg.build.rdf_files import parse_file, read_triples
from tipkg.build.terms import Terms, distinct, rows, stack, to_ox
from tipkg.config import Settings, get_settings
from tipkg.errors import TipkgError
from tipkg.extract import load_manifest


@dataclass(frozen=True)
class NamedGraph:
    """One named graph of the dataset and the files it is read from."""

    iri: URIRef
    paths: tuple[Path, ...]

    def load(self) -> Graph:
        """The graph as an rdflib graph (the reference implementations' input)."""
        graph = Graph(identifier=self.iri)
        for path in self.paths:
            parse_file(path, graph)
        return graph

    def read(self, terms: Terms) -> np.ndarray:
        """The graph's triples, parsed by Oxigraph, as rows of ``terms``."""
        return read_triples(self.paths, terms)


@dataclass
class Dataset:
    """The build's named graphs as rows of one term table (see :mod:`.terms`)."""

    terms: Terms
    ontology: URIRef
    graphs: dict[URIRef, np.ndarray] = field(default_factory=dict)

    @classmethod
    def read(cls, graphs: Iterable[NamedGraph], ontology: URIRef) -> Dataset:
        """Parse every graph's files (the ontology's among them)."""
        dataset = cls(Terms(), ontology)
        for graph in graphs:
            dataset.graphs[graph.iri] = graph.read(dataset.terms)
        return dataset

    def add(self, iri: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Add a graph of rdflib triples (a graph a build step generates)."""
        v = self.terms.id
        flat = [v(to_ox(t)) for triple in triples for t in triple]
        self.graphs[iri] = distinct(rows(flat), len(self.terms))

    def data(self) -> list[np.ndarray]:
        """The rows of every graph but the ontology."""
        return [g for iri, g in self.graphs.items() if iri != self.ontology]

    def view(self) -> DataView:
        """What SHACL validates: the data (every graph but the ontology), the ontology."""
        return DataView(self.terms, stack(self.data()), self.graphs[self.ontology])

    def merged(self) -> np.ndarray:
        """The RDF merge of all graphs: each distinct triple once (the default graph)."""
        return distinct(stack(self.graphs.values()), len(self.terms))

    def rdflib(self, iri: URIRef) -> Graph:
        """One graph as an rdflib graph (for owlrl, when the compiled reasoner cannot)."""
        graph = Graph(identifier=iri)
        rdf = self.terms.rdf
        graph.addN((rdf(s), rdf(p), rdf(o), graph) for s, p, o in self.graphs[iri].tolist())
        return graph


def graph_iri(name: str, settings: Settings | None = None) -> URIRef:
    """Return the IRI of a named graph, e.g. ``graph_iri("reference")``."""
    settings = settings or get_settings()
    return URIRef(f"{settings.base_iri}graph/{name}")


def named_graphs(settings: Settings | None = None) -> list[NamedGraph]:
    """Return the dataset's named graphs, in a stable order.

    Raises:
        TipkgError: a data file has no entry in the manifest, so its document is unknown.
    """
    settings = settings or get_settings()
    graphs = [
        NamedGraph(
            graph_iri("ontology", settings), tuple(sorted(settings.ontology_dir.glob("*.ttl")))
        ),
        NamedGraph(
            graph_iri("reference", settings),
            tuple(sorted((settings.data_dir / "reference").glob("*.ttl"))),
        ),
    ]
    manifest = load_manifest(settings.data_dir / "sources" / "manifest.toml")
    for path in sorted(settings.data_dir.glob("*.ttl")):
        entry = manifest.get(path.stem)
        if entry is None:
            raise TipkgError(
                f"{path}: no entry [{path.stem}] in data/sources/manifest.toml, so the document "
                "it was extracted from is unknown; add the entry or remove the file"
            )
        graphs.append(NamedGraph(graph_iri(f"document/{entry.symbol}", settings), (path,)))
    return graphs
