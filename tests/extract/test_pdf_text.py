"""The same graph from a PDF's text as from the clean source, for every source and
corpus document, in each conversion tests/extract/make_pdf_text.py makes:

* ``pdftext-layout/``: ``pdftotext -layout`` (masthead and distribution block side by
  side, symbol top right, dated job-number footer, bar code): the same graph;
* ``pdftext-noblank/``: the same text with no blank line between paragraphs (as
  copy-paste from a PDF viewer gives it): the same graph for reports, whose paragraphs
  are numbered; for agendas the same facts, except where an unnumbered annotation
  paragraph ends on a full line, so that nothing marks its end: the paragraphs of one
  agenda item are compared as one text;
* ``pdftext/``: plain ``pdftotext`` (no -layout), which drops hyphens at line ends and
  reads tables column by column: reports give the same graph up to hyphens inside
  words; agendas are read, and their organization of work is reported as not
  understood rather than guessed.
"""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, Literal, URIRef

from tests.extract.conftest import CORPUS_STEMS, STEMS, manifest_of, source_of, variant_of
from tipkg.extract import extract
from tipkg.vocab import TIPKG

DOCUMENTS = STEMS + CORPUS_STEMS
_ANNOTATION = re.compile(r"(/section/item-[^/]+)/para/\d+$")
_SEGMENTATION = {TIPKG.position, TIPKG.understoodParagraphCount, TIPKG.textOnlyParagraphCount}


def _clean(stem: str, reference: Graph, cache: dict[str, Graph] = {}) -> Graph:  # noqa: B006
    if stem not in cache:
        cache[stem] = extract(source_of(stem), manifest_of(stem), reference).graph
    return cache[stem]


def _variant(stem: str, variant: str, reference: Graph) -> Graph:
    return extract(variant_of(stem, variant), manifest_of(stem), reference).graph


def _is_agenda(graph: Graph) -> bool:
    return any(graph.subjects(None, TIPKG.AnnotatedProvisionalAgenda))


def _differences(a: set[tuple[object, ...]], b: set[tuple[object, ...]]) -> list[str]:
    return [f"- {t}" for t in sorted(map(str, a - b))[:10]] + [
        f"+ {t}" for t in sorted(map(str, b - a))[:10]
    ]


def _by_item(graph: Graph) -> set[tuple[object, ...]]:
    """The graph with the annotation paragraphs of each agenda item taken as one."""
    out: set[tuple[object, ...]] = set()
    for s, p, o in graph:
        s = URIRef(_ANNOTATION.sub(r"\1/para", str(s)))
        if isinstance(o, URIRef):
            o = URIRef(_ANNOTATION.sub(r"\1/para", str(o)))
        if p in _SEGMENTATION or (p == TIPKG.text and str(s).endswith("/para")):
            continue  # the item's text is compared as its annotation, below
        if p == TIPKG.annotation:
            o = Literal(" ".join(str(o).split()), lang="en")
        out.add((s, p, o))
    return out


def _up_to_hyphens(graph: Graph) -> set[tuple[object, ...]]:
    """The graph with the hyphens inside words of its texts removed."""
    return {
        (s, p, Literal(re.sub(r"(?<=\w)-(?=\w)", "", str(o)), lang=o.language))
        if isinstance(o, Literal) and o.language
        else (s, p, o)
        for s, p, o in graph
    }


@pytest.mark.parametrize("stem", DOCUMENTS)
def test_layout_conversion_gives_the_same_graph(stem: str, reference_graph: Graph) -> None:
    clean, pdf = _clean(stem, reference_graph), _variant(stem, "pdftext-layout", reference_graph)
    assert set(clean) == set(pdf), _differences(set(clean), set(pdf))


@pytest.mark.parametrize("stem", DOCUMENTS)
def test_text_without_blank_lines_gives_the_same_facts(stem: str, reference_graph: Graph) -> None:
    clean = _clean(stem, reference_graph)
    pdf = _variant(stem, "pdftext-noblank", reference_graph)
    if _is_agenda(clean):
        assert _by_item(clean) == _by_item(pdf), _differences(_by_item(clean), _by_item(pdf))
    else:
        assert set(clean) == set(pdf), _differences(set(clean), set(pdf))


@pytest.mark.parametrize("stem", DOCUMENTS)
def test_plain_pdftotext_is_read(stem: str, reference_graph: Graph) -> None:
    clean = _clean(stem, reference_graph)
    extraction = extract(variant_of(stem, "pdftext"), manifest_of(stem), reference_graph)
    if _is_agenda(clean):
        units = [finding.unit for finding in extraction.coverage.findings]
        if any(clean.subjects(None, TIPKG.TimeSlot)):
            assert "annex" in units  # the organization of work: reported, not guessed
        assert not any(extraction.graph.subjects(None, TIPKG.TimeSlot))
    else:
        a, b = _up_to_hyphens(clean), _up_to_hyphens(extraction.graph)
        assert a == b, _differences(a, b)
