"""The corpus of tests/extract/corpus/: every document extracts, and its expected facts
({stem}.facts.toml) are scored.

Issue 11 asks for at least 97 % of the corpus's checks right and none invented: a
``[[fact]]`` must hold, an ``[[absent]]`` must not (a failed absent check is an invented
fact), and a ``[[set]]`` is right only when its rows are exactly those listed (a row too
many is an invented fact). The score is of the whole corpus; each document must extract
and invent nothing.
"""

from __future__ import annotations

import pytest
from rdflib import Graph

from tests.extract.conftest import CORPUS, CORPUS_STEMS, manifest_of, source_of
from tests.extract.corpus_score import Score, score
from tipkg.extract import extract

pytestmark = pytest.mark.skipif(not CORPUS_STEMS, reason="no corpus in tests/extract/corpus")


@pytest.fixture(scope="module")
def scores(reference_graph: Graph) -> dict[str, Score]:
    out = {}
    for stem in CORPUS_STEMS:
        graph = extract(source_of(stem), manifest_of(stem), reference_graph).graph
        out[stem] = score(stem, graph, CORPUS / f"{stem}.facts.toml", reference_graph)
    return out


@pytest.mark.parametrize("stem", CORPUS_STEMS)
def test_document_invents_nothing(stem: str, scores: dict[str, Score]) -> None:
    assert scores[stem].invented == []


def test_corpus_scores_at_least_97_percent(scores: dict[str, Score]) -> None:
    right = sum(s.checks_right for s in scores.values())
    checks = sum(s.checks for s in scores.values())
    missed = [f"{s.stem}: {what}" for s in scores.values() for what in s.missed]
    assert right >= 0.97 * checks, f"{right}/{checks} checks right; missed: {missed}"
