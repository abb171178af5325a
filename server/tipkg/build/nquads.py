"""The dataset as N-Quads, written once: to ``dataset.nq`` beside the store (what the
in-memory query workers and ``/dump.nq`` read), into the store by Oxigraph's bulk loader,
and to an external store (``tipkg build --endpoint``).

The named graphs come first, then their RDF merge as the default graph (each distinct
triple once). The store is loaded from the same bytes as the file is written, in chunks,
on a second thread (the bulk loader releases the GIL), so serialising the next chunk and
loading this one overlap, and the loader never holds more than one chunk. Oxigraph gives
the blank nodes of each load fresh identities, so every line with a blank node goes into
one last load: a node shared by two graphs (an OWL restriction in the ontology and what is
inferred about it, or a triple and its copy in the default graph) stays one node.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyoxigraph as ox

from tipkg.build.dataset import Dataset
from tipkg.store.layout import DUMP_FILE

#: Lines per chunk: what the bulk loader holds at once (about 100 MB at tipkg's mean line).
CHUNK_LINES = 250_000


def nquad_chunks(
    dataset: Dataset,
    merged: np.ndarray,
    default_graph: str | None = None,
    chunk: int = CHUNK_LINES,
) -> Iterator[tuple[bytes, bool]]:
    """Yield the dataset as N-Quads in chunks, each with whether its lines hold blank nodes.

    Args:
        dataset: the named graphs.
        merged: their merge (:meth:`Dataset.merged`), the default graph.
        default_graph: write the merge into this named graph instead of the default graph
            (for stores whose default graph is the union of all graphs).
        chunk: the most lines in a chunk.
    """
    terms = dataset.terms
    nt = [terms.nt(code) for code in range(len(terms))]
    blank = terms.blank_mask()
    parts: list[tuple[bytes | None, np.ndarray]] = [
        (f"<{iri}>".encode(), triples) for iri, triples in dataset.graphs.items()
    ]
    merged_name = f"<{default_graph}>".encode() if default_graph else None
    parts.append((merged_name, merged))
    for name, triples in parts:
        has_blank = blank[triples[:, 0]] | blank[triples[:, 2]]
        for selected, flag in ((triples[~has_blank], False), (triples[has_blank], True)):
            for start in range(0, len(selected), chunk):
                block = selected[start : start + chunk].tolist()
                if name is None:
                    lines = [b"%s %s %s .\n" % (nt[s], nt[p], nt[o]) for s, p, o in block]
                else:
                    lines = [b"%s %s %s %s .\n" % (nt[s], nt[p], nt[o], name) for s, p, o in block]
                yield b"".join(lines), flag


def write_store(path: Path, dataset: Dataset, merged: np.ndarray) -> None:
    """Write ``dataset.nq`` into the new store directory ``path`` and bulk-load the store
    from the same chunks (see the module doc); compact it for reading."""
    store = ox.Store(str(path))
    pending: Future[None] | None = None
    with_blank: list[bytes] = []
    with (
        ThreadPoolExecutor(1, thread_name_prefix="tipkg-load") as loader,
        (path / DUMP_FILE).open("wb") as dump,
    ):
        for data, has_blank in nquad_chunks(dataset, merged):
            dump.write(data)
            if has_blank:
                with_blank.append(data)
                continue
            if pending is not None:
                pending.result()
            pending = loader.submit(_load, store, data)
        if pending is not None:
            pending.result()
    if with_blank:
        _load(store, b"".join(with_blank))
    store.optimize()
    store.flush()


def _load(store: ox.Store, data: bytes) -> None:
    store.bulk_load(data, format=ox.RdfFormat.N_QUADS, lenient=True)
