"""What ``tipkg build --endpoint`` sends, checked on generated datasets without a server: the
SPARQL Update requests, which are applied to an in-memory Oxigraph store holding an older
load and another application's graph; the result must be the new dataset (isomorphic:
blank nodes kept whole) beside the untouched other graph. (The N-Quads of the dataset are
checked in tests/build/test_nquads.py.)"""

from __future__ import annotations

import itertools
import random

import pyoxigraph as ox
import pytest

from tipkg.store.remote_load import update_requests

PREFIX = "https://w3id.org/tipkg/graph/"
FOREIGN = ox.NamedNode("http://example.org/other-application")
LITERALS = [
    ox.Literal("plain"),
    ox.Literal('quote " backslash \\ newline \n tab \t end'),
    ox.Literal("accents é ü and 中文 and 🙂"),
    ox.Literal("Vienne", language="fr"),
    ox.Literal("Wien", language="de-AT"),
    ox.Literal("42", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    ox.Literal("2022-06-13", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
    ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")),
]


def generated_dataset(seed: int, size: int) -> list[ox.Quad]:
    """Random quads in a default graph and named graphs under PREFIX; blank nodes are shared
    between graphs, and one long RDF list makes a blank-node group of over 300 quads."""
    rng = random.Random(seed)
    graphs: list[ox.NamedNode | ox.DefaultGraph] = [ox.DefaultGraph()]
    graphs += [ox.NamedNode(f"{PREFIX}document/{n}") for n in range(4)]
    iris = [ox.NamedNode(f"https://w3id.org/tipkg/id/thing/{n}") for n in range(200)]
    blanks = [ox.BlankNode(f"b{n}") for n in range(60)]
    predicates = [ox.NamedNode(f"https://w3id.org/tipkg/def#p{n}") for n in range(12)]
    quads = set()
    while len(quads) < size:
        subject = rng.choice(blanks) if rng.random() < 0.1 else rng.choice(iris)
        roll = rng.random()
        obj = rng.choice(blanks) if roll < 0.1 else rng.choice(LITERALS if roll < 0.5 else iris)
        quads.add(ox.Quad(subject, rng.choice(predicates), obj, rng.choice(graphs)))
    first = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#first")
    rest = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#rest")
    cells = [ox.BlankNode(f"list{n}") for n in range(160)]
    ontology = ox.NamedNode(f"{PREFIX}ontology")
    for cell, following in itertools.pairwise(cells):
        quads.add(ox.Quad(cell, first, rng.choice(iris), ontology))
        quads.add(ox.Quad(cell, rest, following, ontology))
    quads.add(ox.Quad(iris[0], predicates[0], cells[0], ox.NamedNode(f"{PREFIX}inferred")))
    return sorted(quads, key=str)


def canonical(quads: list[ox.Quad]) -> set[ox.Quad]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)


def store_after(requests: list[str]) -> ox.Store:
    """An older load of tipkg's graphs and another application's graph, then ``requests``."""
    store = ox.Store()
    store.extend(generated_dataset(seed=99, size=300))
    store.add(ox.Quad(ox.NamedNode("urn:x"), ox.NamedNode("urn:y"), ox.Literal("keep"), FOREIGN))
    for request in requests:
        store.update(request)
    return store


@pytest.mark.parametrize("batch", [None, 1, 250, 1000, 5000], ids=lambda b: f"batch-{b}")
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_update_requests_replace_tipkgs_graphs_with_the_dataset(
    seed: int, batch: int | None
) -> None:
    quads = generated_dataset(seed, size=2500)
    sent = list(update_requests(quads, PREFIX, batch))
    if batch is None:
        assert len(sent) == 1
    else:
        # a request holds at most `batch` triples unless one blank-node group alone is larger
        assert all(count <= max(batch, 320) for _, count in sent)
    assert sum(count for _, count in sent) == len(quads)
    store = store_after([text for text, _ in sent])
    kept = [q for q in store if q.graph_name == FOREIGN]
    assert [str(q.object) for q in kept] == ['"keep"']
    assert canonical([q for q in store if q.graph_name != FOREIGN]) == canonical(quads)


def test_quads_linked_by_blank_nodes_go_in_one_operation() -> None:
    """The list of 160 cells and the triple pointing at its head share blank nodes across two
    graphs: split across operations, the store would hold two lists (the check above fails)."""
    quads = generated_dataset(seed=4, size=200)
    ((text, _),) = update_requests(quads, PREFIX, None)
    operations = text.split(" ;\n")
    holding_the_head = [op for op in operations if "_:list0 " in op]
    assert len(holding_the_head) == 1
    assert "_:list159 " in holding_the_head[0] and "WHERE {}" in holding_the_head[0]
