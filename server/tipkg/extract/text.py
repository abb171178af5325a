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

import re
from collections import Counter
from dataclasses import dataclass, field

_SUPERSCRIPTS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")
_TERMINAL = (".", ":", ";", "!", "?", "”", ".)", "]")
_JOINING_WORDS = frozenset(
    """a an and are as at be been between both by for from has have her his in including
    into is its of on or such than that the their these this to under was were which with
    within without""".split()
)
_JOB_NUMBER = re.compile(r"^V\.\d{2}-\d{5}(\s*\(E\))?(\s+\S+)*$")
_PAGE_NUMBER = re.compile(r"^(\d{1,3}/\d{1,3}|\d{1,3})$")
_SYMBOL_LINE = re.compile(r"^(United Nations\s+)?[A-Z]+(/[A-Za-z0-9.()]+)+$")


@dataclass(frozen=True)
class Block:
    """One paragraph, heading, list item or table row of a document."""

    text: str
    line: int
    cells: tuple[str, ...] | None = None
    footnotes: tuple[int, ...] = ()


@dataclass
class Text:
    """A document as blocks, with its footnotes by number."""

    blocks: list[Block]
    footnotes: dict[int, Block] = field(default_factory=dict)


def read_text(raw: str) -> Text:
    """Split ``raw`` document text into blocks, whichever layout it comes in."""
    if "\f" in raw:
        lines, footnotes = _pdf_lines(raw)
    else:
        lines, footnotes = _clean_lines(raw)
    blocks = _join_page_breaks(lines)
    return Text(blocks=blocks, footnotes=footnotes)


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


def _clean_lines(raw: str) -> tuple[list[Block], dict[int, Block]]:
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
                blocks.append(Block(text=" ".join(c for c in cells if c), line=number,
                                    cells=cells, footnotes=refs))
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


# -- pdftotext output ---------------------------------------------------------------------


def _pdf_lines(raw: str) -> tuple[list[Block], dict[int, Block]]:
    """Strip page furniture from pdftotext output and rebuild paragraphs from wrapped lines."""
    pages = raw.split("\f")
    vocabulary = _vocabulary(raw)
    paragraphs: list[Block] = []
    footnotes: dict[int, Block] = {}
    line_number = 1
    for page_index, page in enumerate(pages):
        lines = page.split("\n")
        numbered = [(line_number + i, line.rstrip()) for i, line in enumerate(lines)]
        line_number += len(lines) - 1
        body, notes = _split_page(numbered, first=page_index == 0)
        for mark, block in notes:
            footnotes[mark] = block
        paragraphs.extend(_paragraphs(body, vocabulary))
    marks = sorted(footnotes)
    return [_drop_footnote_marks(block, marks) for block in paragraphs], footnotes


def _split_page(
    lines: list[tuple[int, str]], first: bool
) -> tuple[list[tuple[int, str]], list[tuple[int, Block]]]:
    """Return a page's body lines and its footnotes, without headers and footers."""
    content = [(n, line) for n, line in lines if line.strip()]
    # footers: job number and page number lines at the end of the page
    while content and (
        _JOB_NUMBER.match(content[-1][1].strip()) or _PAGE_NUMBER.match(content[-1][1].strip())
    ):
        content.pop()
    # running header: the symbol (and page number) at the top of later pages
    while not first and content and (
        _SYMBOL_LINE.match(content[0][1].strip()) or _PAGE_NUMBER.match(content[0][1].strip())
    ):
        content.pop(0)
    keep = {n for n, _ in content}
    body = [(n, line) for n, line in lines if n in keep or not line.strip()]
    return _take_footnotes(body)


_PDF_NOTE = re.compile(r"^\s*(\d{1,2})\s+(\S.*)$")
_NOTE_RULE = re.compile(r"^\s*_{5,}\s*$")


def _take_footnotes(
    lines: list[tuple[int, str]],
) -> tuple[list[tuple[int, str]], list[tuple[int, Block]]]:
    """Separate the footnotes pdftotext puts after a page's body, below a rule."""
    for index in range(len(lines) - 1, -1, -1):
        if _NOTE_RULE.match(lines[index][1]):
            notes: list[tuple[int, Block]] = []
            for number, line in lines[index + 1 :]:
                match = _PDF_NOTE.match(line)
                if match:
                    notes.append((int(match.group(1)), Block(match.group(2).strip(), number)))
                elif line.strip() and notes:
                    mark, block = notes[-1]
                    notes[-1] = (mark, Block(f"{block.text} {line.strip()}", block.line))
            return lines[:index], notes
    return lines, []


def _paragraphs(lines: list[tuple[int, str]], vocabulary: Counter[str]) -> list[Block]:
    """Join wrapped lines into paragraphs separated by blank lines."""
    blocks: list[Block] = []
    current: list[tuple[int, str]] = []
    for number, line in [*lines, (0, "")]:
        if line.strip():
            current.append((number, line.strip()))
            continue
        if current:
            blocks.append(Block(_unwrap([text for _, text in current], vocabulary), current[0][0]))
            current = []
    return blocks


def _unwrap(lines: list[str], vocabulary: Counter[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        head = re.match(r"(.*?)(\w+)-$", text)
        if head and line[:1].islower():
            text = text[:-1] + ("" if _joins(head.group(2), line, vocabulary) else "-") + line
        else:
            text = f"{text} {line}"
    return re.sub(r"\s+", " ", text).strip()


def _joins(left: str, line: str, vocabulary: Counter[str]) -> bool:
    """Whether a line-end hyphen split one word (drop it) or is part of a compound (keep it)."""
    right = re.match(r"[\w’']+", line)
    if not right:
        return False
    joined, compound = f"{left}{right.group()}".lower(), f"{left}-{right.group()}".lower()
    return vocabulary[joined] >= vocabulary[compound] and (
        vocabulary[joined] > 0 or vocabulary[compound] == 0
    )


def _vocabulary(raw: str) -> Counter[str]:
    """Count the words written whole (not split at a line end) in the document."""
    return Counter(w.lower() for w in re.findall(r"(?<![-\w])[\w’'-]+(?![-\w])(?!\n)", raw))


def _drop_footnote_marks(block: Block, marks: list[int]) -> Block:
    """Remove footnote reference digits glued to a word or punctuation, like "a.m.1"."""
    found: list[int] = []
    text = block.text
    for mark in marks:
        pattern = re.compile(rf"(?<=[A-Za-z.,;:)”’]){mark}(?=[\s,.;:]|$)")
        if pattern.search(text):
            found.append(mark)
            text = pattern.sub("", text, count=1)
    return Block(text, block.line, block.cells, tuple(found))


# -- both layouts -----------------------------------------------------------------------------


def _join_page_breaks(blocks: list[Block]) -> list[Block]:
    """Join a paragraph that a page break (and perhaps a footnote) split in two."""
    joined: list[Block] = []
    for block in blocks:
        if joined and _continues(joined[-1], block):
            previous = joined.pop()
            block = Block(
                f"{previous.text} {block.text}",
                previous.line,
                None,
                previous.footnotes + block.footnotes,
            )
        joined.append(block)
    return joined


def _continues(previous: Block, block: Block) -> bool:
    if previous.cells is not None or block.cells is not None:
        return False
    if previous.text.endswith(_TERMINAL):
        return False
    first = block.text[:1]
    last_word = previous.text.rsplit(" ", 1)[-1].lower()
    return first.islower() or last_word in _JOINING_WORDS or previous.text.endswith(",")
