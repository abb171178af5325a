"""Fixtures for extraction tests: the reference data, the manifest and fresh extractions."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph

from tipkg.extract import Manifest, extract_file, load_manifest
from tipkg.vocab import ID

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "data" / "sources"
CORPUS = ROOT / "tests" / "extract" / "corpus"


def _stems(directory: Path) -> list[str]:
    manifest = directory / "manifest.toml"
    if not manifest.is_file():
        return []
    return list(tomllib.loads(manifest.read_text(encoding="utf-8")))


#: The source documents of data/sources/ and the test corpus of tests/extract/corpus/.
STEMS = _stems(SOURCES)
CORPUS_STEMS = _stems(CORPUS)


def source_of(stem: str) -> Path:
    """The clean text of a source or corpus document."""
    return (SOURCES if stem in STEMS else CORPUS) / f"{stem}.txt"


def variant_of(stem: str, conversion: str) -> Path:
    """A PDF-text conversion (pdftext, pdftext-layout, pdftext-noblank) of a document."""
    base = ROOT / "tests" / "extract" if stem in STEMS else CORPUS
    return base / conversion / f"{stem}.txt"


def manifest_of(stem: str) -> dict[str, Manifest]:
    """The manifest that holds a source or corpus document."""
    return load_manifest((SOURCES if stem in STEMS else CORPUS) / "manifest.toml")


PREFIXES = """
BASE <https://w3id.org/tipkg/id/>
PREFIX tipkg: <https://w3id.org/tipkg/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX id: <https://w3id.org/tipkg/id/>
"""


@pytest.fixture(scope="session")
def reference_graph() -> Graph:
    graph = Graph()
    for path in sorted((ROOT / "data" / "reference").glob("*.ttl")):
        graph.parse(path)
    return graph


@pytest.fixture(scope="session")
def manifest() -> dict[str, Manifest]:
    return load_manifest(SOURCES / "manifest.toml")


@pytest.fixture(scope="session")
def extracted(reference_graph: Graph, manifest: dict[str, Manifest]) -> dict[str, Graph]:
    return {
        stem: extract_file(SOURCES / f"{stem}.txt", manifest, reference_graph) for stem in STEMS
    }


def short(term: object) -> str:
    """Return an IRI without the data namespace, or a literal's text."""
    return str(term).removeprefix(str(ID))


Select = Callable[[str, str], list[tuple[str, ...]]]


@pytest.fixture(scope="session")
def select(extracted: dict[str, Graph]) -> Select:
    """Run a SELECT over one document's extracted graph; rows as tuples of short strings."""

    def run(stem: str, query: str) -> list[tuple[str, ...]]:
        rows = extracted[stem].query(PREFIXES + query)
        return [tuple(short(value) for value in row) for row in rows]  # type: ignore[union-attr]

    return run
