"""The project's RDF files as named graphs: where each triple of the dataset comes from.

* ``{base}graph/ontology``: ontology/*.ttl
* ``{base}graph/reference``: data/reference/*.ttl
* ``{base}graph/document/{UN symbol}``: the triples extracted from one source document
  (data/{stem}.ttl, its symbol from data/sources/manifest.toml)

The SPARQL default graph of the service is the union of these (and of the inferred
graph), so simple queries just work and ``GRAPH ?g`` tells where a statement came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from tipkg.build.rdf_files import parse_file
from tipkg.config import Settings, get_settings
from tipkg.errors import TipkgError
from tipkg.extract import load_manifest


@dataclass(frozen=True)
class NamedGraph:
    """One named graph of the dataset and the files it is read from."""

    iri: URIRef
    paths: tuple[Path, ...]

    def load(self) -> Graph:
        graph = Graph(identifier=self.iri)
        for path in self.paths:
            parse_file(path, graph)
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
