"""The build's search index and outbound links: the index file written into each new build
directory before the build is switched in (so the index and the store change together),
and the UN Digital Library links added to every document with a UN symbol."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDFS, Graph, Literal, URIRef

from tipkg.store.search_index import INDEX_FILE, write_index
from tipkg.store.search_sources import select_from_store
from tipkg.un_symbols import digital_library_search
from tipkg.vocab import TIPKG


def write_search_index(build_dir: Path, base_iri: str) -> int:
    """Index the store in ``build_dir`` into ``build_dir/search.sqlite``; return how many
    resources were indexed."""
    store = ox.Store.read_only(str(build_dir))
    try:
        return write_index(select_from_store(store), build_dir / INDEX_FILE, base_iri)
    finally:
        del store


def digital_library_links(graphs: Iterable[Graph]) -> Graph:
    """``rdfs:seeAlso`` from every document with a ``tipkg:symbol`` to the UN Digital
    Library's search for that symbol (beside undocs.org, which the extractor links)."""
    links = Graph()
    for graph in graphs:
        for document, symbol in graph.subject_objects(TIPKG.symbol):
            if isinstance(symbol, Literal) and isinstance(document, URIRef):
                links.add((document, RDFS.seeAlso, URIRef(digital_library_search(str(symbol)))))
    return links
