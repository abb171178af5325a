"""The same graph from a PDF's text (``pdftotext -layout``) as from the clean source."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, to_isomorphic

from tests.extract.conftest import STEMS
from tipkg.extract import ExtractError, Manifest, extract_file

HERE = Path(__file__).resolve().parent


@pytest.mark.parametrize("stem", STEMS)
def test_layout_conversion_gives_the_same_graph(
    stem: str, extracted: dict[str, Graph], reference_graph: Graph, manifest: dict[str, Manifest]
) -> None:
    from_pdf = extract_file(HERE / "pdftext-layout" / f"{stem}.txt", manifest, reference_graph)
    _, only_clean, only_pdf = graph_diff(to_isomorphic(extracted[stem]), to_isomorphic(from_pdf))
    assert sorted(only_clean) == [] and sorted(only_pdf) == []


def test_conversion_without_layout_is_refused_with_the_fix(
    reference_graph: Graph, manifest: dict[str, Manifest]
) -> None:
    path = HERE / "pdftext" / "wg4-2022-report.txt"
    with pytest.raises(ExtractError, match=r"wg4-2022-report\.txt:1: .*pdftotext -layout"):
        extract_file(path, manifest, reference_graph)
