"""The dataset's N-Quads and the store loaded from them in chunks (``tipkg.build.nquads``),
on generated datasets: every graph named, the default graph the merge of all graphs (each
distinct triple once, over several batches), escapes kept, and blank nodes shared between
graphs and with the default graph one node each, however small the chunks."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pyoxigraph as ox
import pytest

from tests.store.test_remote_load import PREFIX, canonical, generated_dataset
from tipkg.build.nquads import NQuadsWriter, StoreWriter
from tipkg.build.terms import Terms, distinct, rows
from tipkg.store.layout import DUMP_FILE


def _graphs(quads: list[ox.Quad], terms: Terms) -> dict[str, np.ndarray]:
    """The named graphs of ``quads`` as rows (the default graph's quads left out)."""
    graphs: dict[str, list[int]] = {}
    for q in quads:
        if q.graph_name != ox.DefaultGraph():
            flat = graphs.setdefault(q.graph_name.value, [])
            flat += [terms.id(q.subject), terms.id(q.predicate), terms.id(q.object)]
    return {g: distinct(rows(flat), len(terms)) for g, flat in graphs.items()}


def _expected(quads: list[ox.Quad]) -> list[ox.Quad]:
    """The named graphs' quads and their merge as the default graph."""
    named = [q for q in quads if q.graph_name != ox.DefaultGraph()]
    return named + [ox.Quad(*t) for t in {q.triple for q in named}]


def test_each_graph_is_named_and_the_default_graph_can_be_named() -> None:
    terms = Terms()
    a, p = ox.NamedNode("urn:a"), ox.NamedNode("urn:p")
    text = ox.Literal('quote " backslash \\ newline \n end', language="en")
    reference = rows([terms.id(a), terms.id(p), terms.id(text)])
    sink = io.BytesIO()
    writer = NQuadsWriter(sink, terms)
    writer.add({f"{PREFIX}reference": reference})
    assert writer.finish() == 1
    quads = list(ox.parse(sink.getvalue(), format=ox.RdfFormat.N_QUADS))
    assert [str(q.graph_name) for q in quads] == [f"<{PREFIX}reference>", "DEFAULT"]
    assert quads[0].object == text
    sink = io.BytesIO()
    writer = NQuadsWriter(sink, terms, default_graph=f"{PREFIX}default")
    writer.add({f"{PREFIX}reference": reference})
    writer.finish()
    last = list(ox.parse(sink.getvalue(), format=ox.RdfFormat.N_QUADS))[-1]
    assert last.graph_name == ox.NamedNode(f"{PREFIX}default")


@pytest.mark.parametrize("seed", [5, 6])
def test_the_default_graph_is_the_merge_over_batches_with_the_blank_nodes(seed: int) -> None:
    quads = generated_dataset(seed=seed, size=1500)
    terms = Terms()
    graphs = _graphs(quads, terms)
    names = sorted(graphs)
    sink = io.BytesIO()
    writer = NQuadsWriter(sink, terms, chunk=50)
    writer.add({g: graphs[g] for g in names[:2]})  # a triple in both batches is written once
    writer.add({g: graphs[g] for g in names[2:]})
    expected = _expected(quads)
    assert writer.finish() == len({q.triple for q in quads if q.graph_name != ox.DefaultGraph()})
    written = list(ox.parse(sink.getvalue(), format=ox.RdfFormat.N_QUADS))
    assert len(written) == len(expected)
    assert set(written) == set(expected)  # the same labels: the same blank nodes


@pytest.mark.parametrize("chunk", [7, 100, 100_000])
def test_a_store_loaded_in_chunks_keeps_shared_blank_nodes_whole(
    tmp_path: Path, chunk: int
) -> None:
    """Each bulk load renames blank nodes: loaded chunk by chunk, a blank node shared by
    two graphs (or by a named graph and the default graph) must still be one node."""
    quads = generated_dataset(seed=7, size=2000)
    terms = Terms()
    graphs = _graphs(quads, terms)
    writer = StoreWriter(tmp_path / "build", terms, chunk=chunk)
    writer.add(graphs)
    writer.finish()
    store = ox.Store.read_only(str(tmp_path / "build"))
    assert canonical(list(store)) == canonical(_expected(quads))
    dump = (tmp_path / "build" / DUMP_FILE).read_bytes()
    assert canonical(list(ox.parse(dump, format=ox.RdfFormat.N_QUADS))) == canonical(
        _expected(quads)
    )


def test_an_aborted_store_leaves_nothing(tmp_path: Path) -> None:
    terms = Terms()
    graphs = _graphs(generated_dataset(seed=8, size=500), terms)
    writer = StoreWriter(tmp_path / "build", terms, chunk=10)
    writer.add(graphs)
    writer.abort()
    assert not (tmp_path / "build").exists()
