"""Fixtures and a validation helper for the SHACL shapes in shapes/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pyshacl
import pytest
from rdflib import RDF, Graph, Namespace
from rdflib.term import Node

REPO = Path(__file__).resolve().parents[2]
SHAPES_DIR = REPO / "shapes"
ONTOLOGY = REPO / "ontology" / "tipkg.ttl"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SH = Namespace("http://www.w3.org/ns/shacl#")


class Result(NamedTuple):
    """One SHACL validation result, reduced to what the tests compare."""

    severity: str
    focus: Node | None
    path: Node | None
    message: str
    source_shape: Node | None


Validate = Callable[[Graph], list[Result]]


def load_shapes() -> Graph:
    """Parse every shapes/*.ttl into one graph."""
    graph = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def _local(node: Node | None) -> str:
    text = str(node)
    return text.rsplit("#", 1)[-1]


def run_validation(data: Graph, shapes: Graph, ontology: Graph) -> list[Result]:
    """Validate ``data`` (with the ontology mixed in) and return its results as tuples."""
    _conforms, report, _text = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    if not isinstance(report, Graph):
        raise TypeError("pyshacl returned no report graph")
    results = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        results.append(
            Result(
                severity=_local(report.value(result, SH.resultSeverity)),
                focus=report.value(result, SH.focusNode),
                path=report.value(result, SH.resultPath),
                message=" | ".join(messages),
                source_shape=report.value(result, SH.sourceShape),
            )
        )
    return results


@pytest.fixture(scope="session")
def shapes_graph() -> Graph:
    return load_shapes()


@pytest.fixture(scope="session")
def ontology_graph() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="session")
def validate(shapes_graph: Graph, ontology_graph: Graph) -> Validate:
    def _validate(data: Graph) -> list[Result]:
        return run_validation(data, shapes_graph, ontology_graph)

    return _validate
