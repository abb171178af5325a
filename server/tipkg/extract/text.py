"""Turn a document's text, in any of its layouts, into a list of paragraph blocks.

Inputs come in two families:

* clean text (the sources as published here): one paragraph per line, with light
  Markdown or HTML markup (``#`` headings, ``**bold**``, ``<i>``, ``<sup>1</sup>``
  footnote marks, ``[symbol](#)`` links), tab-separated table rows, and page breaks
  that split a paragraph and interpose a footnote;
* text converted from the UN's PDF files with ``pdftotext`` (recognised by its form
  feeds): hard-wrapped lines, words hyphenated at line ends, running headers with the
  document symbol, footers with job numbers and page numbers, footnotes at page bottoms.

Both become the same blocks: one per paragraph, heading, list item or table row, with
markup and footnote marks removed, the footnotes collected, and paragraphs that a page
break split joined again. Every block keeps the line of the input it starts on, so
errors can name it.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from wordfreq import zipf_frequency

_SUPERSCRIPTS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")
_TERMINAL = (".", ":", ";", "!", "?", "”", ".)", "]")
JOINING_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "between",
        "both",
        "by",
        "for",
        "from",
        "has",
        "have",
        "her",
        "his",
        "in",
        "including",
        "into",
        "is",
        "its",
        "of",
        "on",
        "or",
        "such",
        "than",
        "that",
        "the",
        "their",
        "these",
        "this",
        "to",
        "under",
        "was",
        "were",
        "which",
        "with",
        "within",
        "without",
        "against",
        "among",
    ]
)
_SYMBOL_LINE = re.compile(r"^(United Nations\s+)?[A-Z]+(/[A-Za-z0-9.()]+)+$")


class LayoutError(ValueError):
    """Raised for text whose layout cannot be read; ``line`` is where the problem is."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Block:
    """One paragraph, heading, list item or table row of a document."""

    text: str
    line: int
    cells: tuple[str, ...] | None = None
    footnotes: tuple[int, ...] = ()
    page_end: bool = False


@dataclass
class Text:
    """A document as blocks, with its footnotes by number."""

    blocks: list[Block]
    footnotes: dict[int, Block] = field(default_factory=dict)


# -- clean text ------------------------------------------------------------------------

_MARKUP = [
    (re.compile(r"</?(i|b|em|strong)>"), ""),
    (re.compile(r"\*\*"), ""),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\\([()\[\]*_#.-])"), r"\1"),
]
_SUP = re.compile(r"<sup>\s*(\d+)\s*</sup>")
_FOOTNOTE_BODY = re.compile(r"^\s*(?:<sup>\s*(\d+)\s*</sup>|([¹²³⁴⁵⁶⁷⁸⁹]+))\s*(.*)$")
_UNICODE_REF = re.compile(r"(?<=[\w.,;:)”’])([¹²³⁴⁵⁶⁷⁸⁹]+)")


def clean_lines(raw: str) -> tuple[list[Block], dict[int, Block]]:
    blocks: list[Block] = []
    footnotes: dict[int, Block] = {}
    for number, line in enumerate(raw.splitlines(), start=1):
        body = _FOOTNOTE_BODY.match(line)
        if body and (body.group(1) or body.group(2)):
            mark = int((body.group(1) or body.group(2)).translate(_SUPERSCRIPTS))
            footnotes[mark] = Block(text=_strip_markup(body.group(3)), line=number)
            continue
        refs = tuple(int(n) for n in _SUP.findall(line))
        refs += tuple(int(n.translate(_SUPERSCRIPTS)) for n in _UNICODE_REF.findall(line))
        line = _UNICODE_REF.sub("", _SUP.sub("", line))
        if "\t" in line:
            cells = tuple(_strip_markup(cell) for cell in line.rstrip().split("\t"))
            if any(cells):
                blocks.append(
                    Block(
                        text=" ".join(c for c in cells if c),
                        line=number,
                        cells=cells,
                        footnotes=refs,
                    )
                )
            continue
        text = _strip_markup(line)
        if not text or re.fullmatch(r"-{3,}|_{3,}|\*{3,}", text):
            continue
        blocks.append(Block(text=text, line=number, footnotes=refs))
    return blocks, footnotes


def _strip_markup(text: str) -> str:
    text = re.sub(r"^\s*#+\s*", "", text)
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    text = re.sub(r"^\s*[-•]\s+", "", text)
    text = text.replace("( continued )", "(continued)").replace("( continued)", "(continued)")
    return re.sub(r"\s+", " ", text).strip()


# -- shared by both layouts --------------------------------------------------------

# Hyphenated prefixes that keep their hyphen when a line break falls after them.
_COMPOUND_PREFIXES = frozenset(
    [
        "anti",
        "co",
        "cost",
        "cross",
        "front",
        "line",
        "multi",
        "non",
        "open",
        "post",
        "self",
        "trauma",
        "victim",
        "well",
    ]
)
_MARKER = re.compile(r"^(\d+\.\s|\([a-z]\)\s|[-•]\s|Recommendation \d+$|[IVX]+\.\s|[A-H]\.\s)")
_TIME_CELL = re.compile(
    r"^\d{1,2}(?:[.:]\d{2})?(?: [ap]\.m\.| noon)?\s*[–-]\s*\d{1,2}(?:[.:]\d{2})? [ap]\.m\.$"
)
_ITEM_CELL = re.compile(r"^\d+(?: \([a-z]\))?$")
_MONTH_CELL = re.compile(
    r"^(January|February|March|April|May|June|July|August|September|October|November|December)$"
)


def table_rows(group: list[tuple[int, str]]) -> list[Block]:
    """Read table lines into rows (days, and time / item / title) by what each cell holds,
    since pdftotext places the columns at different offsets on different pages."""
    rows: list[list[str]] = []
    lines: list[int] = []
    for number, line in group:
        cells = re.split(r"\s{2,}", line.strip())
        if _TIME_CELL.match(cells[0]) or _ITEM_CELL.match(cells[0]):
            time = cells.pop(0) if _TIME_CELL.match(cells[0]) else ""
            item = cells.pop(0) if cells and _ITEM_CELL.match(cells[0]) else ""
            rows.append([time, item, " ".join(cells)])
            lines.append(number)
        elif rows and len(rows[-1]) == 1 and _MONTH_CELL.match(cells[0]):
            rows[-1][0] = f"{rows[-1][0]} {cells[0]}"
        elif re.match(r"^\w+day,", cells[0]):
            rows.append([cells[0]])
            lines.append(number)
        elif rows:
            rows[-1][-1] = f"{rows[-1][-1]} {' '.join(cells)}"
    return [
        Block(
            normalize_spacing(" ".join(c for c in row if c)),
            number,
            cells=tuple(normalize_spacing(c) for c in row),
        )
        for row, number in zip(rows, lines, strict=True)
    ]


def normalize_spacing(text: str) -> str:
    text = re.sub(r"^[-•]\s+", "", text.strip())
    text = re.sub(r"\(\s*continued\s*\)", "(continued)", text)
    return re.sub(r"\s+", " ", text).strip()


def unwrap(lines: list[str], vocabulary: Counter[str]) -> str:
    """Join wrapped lines, removing the hyphens that split words at line ends."""
    text = lines[0]
    for line in lines[1:]:
        head = re.match(r"(.*?)(\w+)-$", text)
        previous = head.group(1).split()[-1] if head and head.group(1).split() else ""
        if head and line[:1].islower():
            joins = _joins(head.group(2), line, vocabulary, previous)
            text = text[:-1] + ("" if joins else "-") + line
        elif head and line[:1].isupper():
            text += line  # "Co-" + "Chairs": a hyphen before a capital is never a split
        elif re.search(r"[A-Z]+(?:/[\w.]+)*/$", text):
            text += line  # a document symbol cut after a slash: "CTOC/COP/" + "WG.4/2022/4"
        else:
            text = f"{text} {line}"
    return re.sub(r"\s+", " ", text).strip()


def _joins(left: str, line: str, vocabulary: Counter[str], previous: str = "") -> bool:
    """Whether a line-end hyphen split one word (drop it) or is part of a compound (keep it).

    The document itself decides where it can: a form written whole elsewhere in it wins.
    Otherwise a known compound prefix ("non-", "victim-") keeps its hyphen, and English
    word frequencies (wordfreq) tell a split word from a compound of two words.
    """
    right = re.match(r"[\w’']+", line)
    if not right:
        return False
    joined, compound = f"{left}{right.group()}".lower(), f"{left}-{right.group()}".lower()
    if left[:1].isupper() and left.lower() in _COMPOUND_PREFIXES:
        # a prefix in a title-case name: "Co-operation", "Non-Aligned", unless the document
        # writes the same two words whole elsewhere ("International Cooperation")
        after = vocabulary[f"\x02{previous.lower()} {joined}"]
        return after > vocabulary[f"\x02{previous.lower()} {compound}"]
    if vocabulary[joined] or vocabulary[compound]:
        return vocabulary[joined] >= vocabulary[compound]
    if vocabulary[f"\x00{joined}"] or vocabulary[f"\x00{compound}"]:
        return vocabulary[f"\x00{joined}"] > vocabulary[f"\x00{compound}"]
    if left.lower() in _COMPOUND_PREFIXES:
        return False
    if zipf_frequency(joined, "en") >= 2.0:
        return True  # an English word: "predict", "assembly"
    return zipf_frequency(right.group().lower(), "en") < 2.5  # "information-sharing" stays


def word_counts(raw: str) -> Counter[str]:
    """Count the words written whole (not split at a line end) in the document."""
    whole = re.sub(r"[\w’']+-[ \t]*\n\s*[\w’']+", " ", raw)
    words = re.findall(r"(?<![\w-])[\w’']+(?:-[\w’']+)*(?![\w-])", whole)
    counts = Counter(word.lower() for word in words)
    # pairs of words, to tell "International Cooperation" from "Security and Co-operation"
    counts.update(f"\x02{a.lower()} {b.lower()}" for a, b in itertools.pairwise(words))
    return counts


# -- both layouts -----------------------------------------------------------------------------


def join_page_breaks(blocks: list[Block], vocabulary: Counter[str]) -> list[Block]:
    """Join a paragraph that a page break (and perhaps a footnote) split in two."""
    joined: list[Block] = []
    for block in blocks:
        if joined and _continues(joined[-1], block):
            previous = joined.pop()
            block = Block(
                unwrap([previous.text, block.text], vocabulary),
                previous.line,
                None,
                previous.footnotes + block.footnotes,
            )
        joined.append(block)
    return joined


def _continues(previous: Block, block: Block) -> bool:
    if previous.cells is not None or block.cells is not None:
        return False
    if previous.text.endswith(_TERMINAL) or re.search(r"\([A-Z]+/[^()]*\)$", previous.text):
        return False
    first = block.text[:1]
    last_word = previous.text.rsplit(" ", 1)[-1].lower()
    if previous.page_end and not _MARKER.match(block.text):
        return True
    return first.islower() or last_word in JOINING_WORDS or previous.text.endswith(",")
