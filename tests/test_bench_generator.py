"""The benchmark's synthetic data generator: deterministic, on size, valid against the shapes."""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import Dataset, Graph

from tipkg.build.rdf_files import load_ontology, load_shapes
from tipkg.build.shacl_pyshacl import check_shapes
from tipkg.build.validate import check_vocabulary

GENERATOR = Path(__file__).resolve().parents[1] / "bench" / "generate.py"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _generate(triples: int, seed: int = 1) -> str:
    out = io.StringIO()
    _generator().generate(triples, seed, out)
    return out.getvalue()


@pytest.fixture(scope="module")
def ten_k() -> str:
    return _generate(10_000)


def test_same_seed_gives_byte_identical_output(ten_k: str) -> None:
    assert _generate(10_000) == ten_k


def test_another_seed_gives_other_data(ten_k: str) -> None:
    assert _generate(10_000, seed=2) != ten_k


@pytest.mark.parametrize("target", [5_000, 10_000])
def test_triple_count_within_five_percent(target: int) -> None:
    dataset = Dataset()
    dataset.parse(data=_generate(target), format="nquads")
    quads = sum(1 for _ in dataset.quads((None, None, None, None)))
    assert abs(quads - target) <= 0.05 * target


def test_named_graphs_per_source_document_and_reference(ten_k: str) -> None:
    graphs = {line.rsplit(" ", 2)[-2] for line in ten_k.splitlines()}
    assert "<https://w3id.org/tipkg/graph/reference>" in graphs
    documents = [g for g in graphs if g.startswith("<https://w3id.org/tipkg/graph/document/")]
    assert len(documents) >= 2  # an agenda and a report per meeting


def test_ten_k_conforms_to_the_shapes(ten_k: str) -> None:
    dataset = Dataset()
    dataset.parse(data=ten_k, format="nquads")
    data = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        data.add((s, p, o))
    ontology = load_ontology()
    findings = check_vocabulary(data, ontology) + check_shapes(data, ontology, load_shapes())
    violations = [str(f) for f in findings if f.severity == "Violation"]
    assert violations == []
