"""Render the corpus documents as UN-style PDFs and convert them back to text.

Uses the typesetter of ``tests/extract/make_pdf_text.py`` (masthead, running headers,
job-number footers, hyphenated justified lines, footnotes at the page foot, the annex as a
table) on the documents of this directory, and writes what ``pdftotext`` makes of each PDF:
``pdftext/{stem}.txt`` (default mode: no blank lines between paragraphs, hyphens undone)
and ``pdftext-layout/{stem}.txt`` (``-layout``: masthead columns side by side, job-number
footer lines). The extractor must give each document's clean-text graph from both.

Run from the repository root, with the same tools as ``make_pdf_text.py``::

    pip install fpdf2 pyphen          # not project dependencies
    python tests/extract/corpus/make_variants.py
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import make_pdf_text  # noqa: E402  (the sibling script, found through the path above)

#: Invented job numbers (V.YY-NNNNN), one per document, as printed in the page footers.
JOB_NUMBERS: dict[str, str] = {
    "wg2-2019-annotated-provisional-agenda": "V.19-07731",
    "wg3-2023-report": "V.23-11842",
    "wg4-2009-report": "V.09-82711",
    "wg4-2010-annotated-provisional-agenda": "V.09-88102",
    "wg4-2013-report": "V.13-87920",
    "wg4-2019-report": "V.19-09164",
    "wg4-2023-annotated-provisional-agenda": "V.23-06418",
    "wg4-2024-draft-report": "V.24-11275",
    "wg4-2041-annotated-provisional-agenda": "V.41-02390",
    "wg6-2019-draft-report": "V.19-05123",
    "wg6-2021-annotated-provisional-agenda": "V.21-01976",
    "wg7-2022-report": "V.22-03977",
    "wg7-2023-annotated-provisional-agenda": "V.23-07250",
}


def main() -> None:
    """Point the typesetter at this directory and run it."""
    make_pdf_text.SOURCES = HERE
    make_pdf_text.OUT_DEFAULT = HERE / "pdftext"
    make_pdf_text.OUT_LAYOUT = HERE / "pdftext-layout"
    make_pdf_text.JOB_NUMBERS = JOB_NUMBERS
    make_pdf_text.main()


if __name__ == "__main__":
    main()
