"""Read a document's text into blocks, whichever way it was made: clean text (one paragraph
per line or blank-line separated, light markup), or text converted from a UN PDF file
(:mod:`.pdftext`)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from tipkg.extract.pdftext import read_pdf_text
from tipkg.extract.text import Text, clean_lines, join_page_breaks, word_counts


def read_text(raw: str, lexicon: Iterable[str] = ()) -> Text:
    """Split ``raw`` document text into blocks, whichever layout it comes in.

    ``lexicon`` holds known names (of States and organizations) whose spelling settles
    whether a hyphen at a line end belongs to the word ("Co-operation").
    """
    lexicon = list(lexicon)
    vocabulary = word_counts(raw)
    for word, count in word_counts("\n".join(lexicon)).items():
        vocabulary[f"\x00{word}"] += count  # known names: evidence after the document's own
    if "\f" in raw or _wrapped(raw):
        lines, footnotes = read_pdf_text(raw, vocabulary, _bigrams(lexicon))
    else:
        lines, footnotes = clean_lines(raw)
    blocks = join_page_breaks(lines, vocabulary)
    return Text(blocks=blocks, footnotes=footnotes)


def _wrapped(raw: str) -> bool:
    """Whether the text comes from a PDF (its job number or bar code is printed) or is
    hard-wrapped (many lines run on in lower case), rather than one paragraph per line."""
    if re.search(r"^\s*(?:V\.\d{2}-\d{5}\b|\*\d{5,}\*\s*$)", raw, re.MULTILINE):
        return True  # a job number or bar code: the text of a UN PDF
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    if len(lines) < 20:
        return False
    runs_on = sum(after[:1].islower() for after in lines[1:])
    return runs_on > len(lines) * 0.25


def _bigrams(lexicon: Iterable[str]) -> frozenset[tuple[str, str]]:
    """Consecutive word pairs of the known names, in lower case."""
    pairs = set()
    for name in lexicon:
        words = name.lower().split()
        pairs.update(itertools.pairwise(words))
    return frozenset(pairs)
