"""The build's search index and outbound links: the index file written into each new build
directory before the build is switched in (so the index and the store change together),
and the UN Digital Library links added to every document with a UN symbol."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pyoxigraph as ox
from rdflib import RDFS

from tipkg.build.terms import IRI, LITERAL, Terms, distinct, rows, stack, unique
from tipkg.store.search_index import INDEX_FILE, write_index
from tipkg.store.search_sources import select_from_store
from tipkg.un_symbols import digital_library_search
from tipkg.vocab import TIPKG


def write_search_index(build_dir: Path, base_iri: str, pages: Iterable[str] | None = None) -> int:
    """Index the store in ``build_dir`` into ``build_dir/search.sqlite``; return how many
    resources were indexed. ``pages`` (see :func:`page_iris`) saves a scan of the store."""
    store = ox.Store.read_only(str(build_dir))
    try:
        return write_index(select_from_store(store), build_dir / INDEX_FILE, base_iri, pages)
    finally:
        del store


def page_iris(terms: Terms, graphs: Iterable[np.ndarray], base_iri: str) -> list[str]:
    """Every IRI under ``{base_iri}id/`` that is the subject of a triple of ``graphs``: the
    pages, as :func:`~tipkg.store.search_sources.resources_query` finds them in a store."""
    space = f"{base_iri}id/"
    subjects = unique(stack(list(graphs))[:, 0]).tolist()
    found = (terms.ox(s).value for s in subjects if terms.kinds[s] == IRI)
    return [iri for iri in found if iri.startswith(space)]


def link_rows(terms: Terms, graphs: Iterable[np.ndarray]) -> np.ndarray:
    """``rdfs:seeAlso`` from every document with a ``tipkg:symbol`` to the UN Digital
    Library's search for that symbol (beside undocs.org, which the extractor links)."""
    symbol = terms.find(ox.NamedNode(str(TIPKG.symbol)))
    data = stack(list(graphs))
    if symbol is None or not len(data):
        return rows([])
    see_also = terms.iri(str(RDFS.seeAlso))
    flat = []
    for document, _, value in data[data[:, 1] == symbol].tolist():
        if terms.kinds[document] == IRI and terms.kinds[value] == LITERAL:
            link = digital_library_search(terms.ox(value).value)
            flat += [document, see_also, terms.iri(link)]
    return distinct(rows(flat), len(terms))
