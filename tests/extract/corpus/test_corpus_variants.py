"""The pdftotext variants of the corpus documents carry exactly the words of their clean text.

Same checks as ``tests/extract/test_pdf_text_fixtures.py`` for the five sources: after page
furniture, footnotes, line breaks and hyphens are normalised away, the word sequence of
each variant equals that of the document with its markup stripped, and the page furniture
(running header, job-number footer) is there. Regenerate with ``make_variants.py``.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest

from tests.extract.test_pdf_text_fixtures import (
    JOB_RE,
    fixture_tokens,
    is_furniture,
    normalise,
    remove_notes,
    strip_source,
)

HERE = Path(__file__).resolve().parent
MANIFEST = tomllib.loads((HERE / "manifest.toml").read_text(encoding="utf-8"))
MODES = {"default": HERE / "pdftext", "layout": HERE / "pdftext-layout"}
CASES = [(stem, mode) for stem in sorted(MANIFEST) for mode in MODES]


def variant(stem: str, mode: str) -> str:
    return (MODES[mode] / f"{stem}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(("stem", "mode"), CASES)
def test_variant_has_header_and_job_number_footer(stem: str, mode: str) -> None:
    symbol = MANIFEST[stem]["symbol"]
    pages = variant(stem, mode).split("\f")
    assert any(line.strip() == symbol for page in pages[1:] for line in page.splitlines())
    assert any(
        JOB_RE.search(line) and is_furniture(line, symbol)
        for page in pages
        for line in page.splitlines()
    )


@pytest.mark.parametrize(("stem", "mode"), CASES)
def test_variant_has_the_words_of_the_document(stem: str, mode: str) -> None:
    body, table, notes = strip_source((HERE / f"{stem}.txt").read_text(encoding="utf-8"))
    got = remove_notes(
        normalise(fixture_tokens(variant(stem, mode), MANIFEST[stem]["symbol"])), notes
    )
    if table:
        start = next(i for i in range(len(got)) if got[i : i + 3] == ["Date", "and", "time"])
        assert Counter(got[start:]) == Counter(table)
        got = got[:start]
    assert got == body
