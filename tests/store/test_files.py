"""Stores made from files (``serve --data``): with a union default graph, the default graph
is the merge of the graphs, and the workers' memory mode is decided by its size (distinct
triples), not by the quads the merge doubles."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from tipkg.config import Settings
from tipkg.store.files import build_store_from_files
from tipkg.store.live import in_memory_for


def _nquads(path: Path, triples: int, graphs: int) -> None:
    """The same ``triples`` in each of ``graphs`` named graphs."""
    lines = [
        f"<urn:s{n}> <urn:p> <urn:o{n}> <urn:g{g}> .\n"
        for g in range(graphs)
        for n in range(triples)
    ]
    path.write_text("".join(lines))


def test_memory_mode_follows_the_distinct_triples(tmp_path: Path) -> None:
    data = tmp_path / "data.nq"
    _nquads(data, triples=50, graphs=3)  # 150 quads, 50 distinct triples
    store = build_store_from_files([data], tmp_path / "store", merge=True, base_iri="urn:x/")
    assert len(ox.Store.read_only(str(store))) == 200  # 150 in graphs + 50 merged
    settings = Settings(root=tmp_path, in_memory_max_triples=60)
    assert in_memory_for(settings, store)
    assert not in_memory_for(Settings(root=tmp_path, in_memory_max_triples=49), store)
