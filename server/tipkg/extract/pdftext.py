"""Rebuild the paragraphs of text converted from the UN's PDF files.

``pdftotext -layout`` keeps the columns and the indentation; plain ``pdftotext`` and
copy-paste from a PDF viewer keep neither, and often no blank lines between paragraphs.
Whichever it is, the page furniture goes (running header with the symbol, footer with the
job number and the dates of issue, bar code, page numbers), the first page's masthead is
cut into its columns (the body's name on the left, "Distr.: General", the date and
"Original: English" on the right), footnotes are taken from the page bottoms, and the
paragraphs are rebuilt from what marks them: blank lines where there are any, paragraph
numbers, list markers, headings, and a short line that ends a sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from wordfreq import zipf_frequency

from tipkg.extract.text import JOINING_WORDS, Block, normalize_spacing, table_rows, unwrap

_FURNITURE = [
    re.compile(r"^V\.\d{2}-\d{5}(?:\s*\(E\))?(?:\s+\d{6}){0,2}$"),  # job number, dates
    re.compile(r"^\*\d{5,}\*$"),  # bar code
    re.compile(r"^\d{6}$"),  # a date of the job footer on a line of its own (plain text)
    re.compile(r"^\d{1,3}/\d{1,3}(?:\s{2,}V\.\d{2}-\d{5})?$"),  # page number (and job)
    re.compile(r"^V\.\d{2}-\d{5}\s{2,}\d{1,3}/\d{1,3}$"),
    re.compile(r"^United Nations(?:\s{2,}[A-Z]+(?:/[A-Za-z0-9.()]+)+)?$"),  # masthead
]
# A document symbol alone on a line (a running header); one that ends a sentence, "...
# (see" / "CTOC/COP/WG.4/2009/4).", is text.
_SYMBOL_LINE = re.compile(r"^[A-Z]+(?:/[A-Za-z0-9.()]+)*/[A-Za-z0-9.()]*[A-Za-z0-9]$")
# What may stand in the right-hand column of the masthead.
_DISTRIBUTION = re.compile(
    r"^(?:Distr\.:.*|Original:.*|\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z]+(?:/[A-Za-z0-9.()]+)+)$"
)
_MARKER = re.compile(
    r"^(?:\d{1,3}\.(?:\s|$)|\([a-z]\)(?:\s|$)|[-•–](?:\s|$)|Recommendations? \d+$"
    r"|[IVX]+\.\s|[A-H]\.\s|Distr\.:|Original:|\d{1,2} [A-Z][a-z]+ \d{4}$|Annex$)"
)
# The headings of the genre, always a line of their own.
_HEADING = re.compile(
    r"^(?:Annotated provisional agenda|Provisional agenda|Annotations|Documentation|Annex"
    r"|Draft report|Proposed organization of work\d*)$",
    re.IGNORECASE,
)
_NUMBER_ONLY = re.compile(r"^(?:\d{1,3}\.|\([a-z]\)|[-•–])$")
_MONTH_START = re.compile(
    r"^(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\b"
)
_MIN_COLUMN = 60  # characters in a line of a UN document's text column, at the least
_NOTE = re.compile(r"^\s*(\d{1,2})(?:\s+(\S.*))?$")
_TABLE_HEADER = re.compile(r"Date and time\s{2,}Agenda\b.*\s{2,}Title")
_TERMINAL = (".", ":", ";", "!", "?", ".”", ".)", "]")


@dataclass(frozen=True)
class _Line:
    number: int
    text: str  # as printed, with its indentation

    @property
    def body(self) -> str:
        return self.text.strip()

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip())


def read_pdf_text(
    raw: str, vocabulary: Counter[str], bigrams: frozenset[tuple[str, str]]
) -> tuple[list[Block], dict[int, Block]]:
    """Return the blocks and footnotes of text converted from a PDF.

    ``bigrams`` holds the pairs of consecutive words of known names: a line break between
    "against" and "Transnational" continues a name, however short the line.
    """
    pages = _pages(raw)
    layout = _is_layout(raw)
    blocks: list[Block] = []
    footnotes: dict[int, Block] = {}
    in_table = False
    first_line = 1
    for index, page in enumerate(pages):
        lines = [_Line(first_line + i, text.rstrip()) for i, text in enumerate(page.split("\n"))]
        first_line += len(lines) - 1
        lines = _strip_furniture(lines, first=index == 0)
        body, notes = _footnotes(lines, vocabulary)
        footnotes.update(notes)
        width = _width([line.text for line in body], 0.9 if layout else 0.5)
        width = width if layout else max(width, _MIN_COLUMN)
        page_blocks, in_table = _blocks(body, vocabulary, bigrams, width, layout, in_table)
        marks = sorted(notes)
        page_blocks = [_drop_footnote_marks(block, marks) for block in page_blocks]
        if page_blocks:
            page_blocks[-1] = replace(page_blocks[-1], page_end=True)
        blocks.extend(page_blocks)
    return blocks, footnotes


def _pages(raw: str) -> list[str]:
    """Split the text into pages: at form feeds, and after a page's footer (job number,
    bar code, page number) where the form feeds were lost."""
    pages: list[str] = []
    for chunk in raw.split("\f"):
        lines = chunk.split("\n")
        start = 0
        for index, line in enumerate(lines):
            footer = any(p.match(line.strip()) for p in _FURNITURE[:5])
            following = lines[index + 1].strip() if index + 1 < len(lines) else ""
            if footer and following and not any(p.match(following) for p in _FURNITURE[:5]):
                pages.append("\n".join(lines[start : index + 1]))
                start = index + 1
        pages.append("\n".join(lines[start:]))
    return pages


def _is_layout(raw: str) -> bool:
    """Whether the text keeps the PDF's columns (``pdftotext -layout``): many indented
    lines, or runs of spaces inside lines."""
    content = [line for line in raw.splitlines() if line.strip()]
    spaced = sum(line.startswith("   ") or "    " in line.strip() for line in content)
    return spaced >= len(content) * 0.2


def _width(lines: list[str], quantile: float) -> int:
    """The right edge of full lines: a quantile of the lengths of the lines of running
    text (not table rows or the masthead, whose columns are apart). Plain text, whose
    lines pdftotext lengthens where it joins a hyphenated word, takes the median."""
    lengths = sorted(
        len(line.rstrip())
        for line in lines
        if len(line.strip()) > 20 and not re.search(r"\S\s{4,}\S", line)
    )
    return lengths[int(len(lengths) * quantile)] if len(lengths) >= 5 else 80


def _strip_furniture(lines: list[_Line], first: bool) -> list[_Line]:
    """Drop the page's header, footer, bar code and page number; cut the first page's
    masthead into its two columns."""
    kept = [line for line in lines if not any(p.match(line.body) for p in _FURNITURE)]
    head = next((i for i, line in enumerate(kept) if line.body), None)
    if head is not None and _SYMBOL_LINE.match(kept[head].body):
        kept = kept[:head] + kept[head + 1 :]  # the running header (or page 1's symbol)
    if first:
        kept = _split_masthead(kept)
    return kept


def _split_masthead(lines: list[_Line]) -> list[_Line]:
    """Cut each masthead line that holds both columns ("Conference of the Parties to the
    ... Distr.: General") into its left part and its right part; the right parts follow
    the left column's lines, each a line of its own."""
    out: list[_Line] = []
    right: list[_Line] = []
    for line in lines:
        parts = re.split(r"\s{4,}", line.body)
        if len(parts) == 2 and _DISTRIBUTION.match(parts[1]) and not _DISTRIBUTION.match(parts[0]):
            out.append(_Line(line.number, line.text[: line.text.rindex(parts[1])].rstrip()))
            right.append(_Line(line.number, parts[1]))
            continue
        if right and (not line.body or _DISTRIBUTION.match(line.body)):
            out.extend(right)
            right = []
        if _DISTRIBUTION.match(line.body):
            line = _Line(line.number, line.body)  # a line of the right-hand column
        out.append(line)
    return out + right


def _footnotes(
    lines: list[_Line], vocabulary: Counter[str]
) -> tuple[list[_Line], dict[int, Block]]:
    """Take the footnotes from the bottom of a page: a line that starts with a number
    the page's text refers to (a digit glued to a word: "a.m.1"), and the lines after it.
    A number alone on its line (plain text) takes the lines after it as its text."""
    notes: dict[int, Block] = {}
    end = len(lines)
    while end and not lines[end - 1].body:
        end -= 1
    cut = end
    expected: int | None = None
    index = end - 1
    while index >= 0:
        match = _NOTE.match(lines[index].text)
        body_text = " ".join(line.body for line in lines[:index])
        if match and (expected is None or int(match.group(1)) == expected):
            mark = int(match.group(1))
            if re.search(rf"[A-Za-z.,;:)”’]{mark}(?=\s|$)", body_text):
                parts = [match.group(2) or ""] + [line.body for line in lines[index + 1 : cut]]
                parts = [part for part in parts if part]
                text = normalize_spacing(unwrap(parts, vocabulary)) if parts else ""
                if text:
                    notes[mark] = Block(text, lines[index].number)
                    cut, expected = index, mark - 1
                    if expected < 1:
                        break
        elif expected is not None and not lines[index].body:
            pass
        elif expected is not None and index < cut - 6:
            break  # no further footnote above this one
        index -= 1
    if not notes:
        return lines[:end], notes
    return lines[:cut], notes


def _blocks(
    lines: list[_Line],
    vocabulary: Counter[str],
    bigrams: frozenset[tuple[str, str]],
    width: int,
    layout: bool,
    in_table: bool,
) -> tuple[list[Block], bool]:
    """Build blocks from a page body: paragraphs, headings, list items and table rows.

    The organization of work is a table; once its header row ("Date and time  Agenda
    item  Title or description") is seen, the rest of the document is read as its rows.
    """
    blocks: list[Block] = []
    parts: list[list[_Line]] = []
    table: list[tuple[int, str]] = []
    previous: _Line | None = None
    blank = True
    for line in lines:
        if not line.body:
            blank = True
            continue
        if not in_table and layout and _TABLE_HEADER.search(line.text):
            in_table = True
            continue
        if in_table:
            if line.body != "item":  # the header's wrapped second line
                table.append((line.number, line.text))
            continue
        alone = bool(parts) and len(parts[-1]) == 1
        if (
            blank
            or previous is None
            or _starts_block(previous, line, bigrams, width, layout, alone)
        ):
            parts.append([])
        parts[-1].append(line)
        previous, blank = line, False
    parts = _join_labels(parts)
    compounds = {} if layout else _compounds(vocabulary)
    for part in parts:
        text = normalize_spacing(unwrap([line.body for line in part], vocabulary))
        if compounds:
            text = _restore_hyphens(text, compounds)
        if text:
            blocks.append(Block(text, part[0].number))
    if table:
        blocks.extend(table_rows(table))
    return blocks, in_table


def _starts_block(
    previous: _Line,
    line: _Line,
    bigrams: frozenset[tuple[str, str]],
    width: int,
    layout: bool,
    alone: bool = True,
) -> bool:
    """Whether ``line`` starts a new block after ``previous`` in the same run of lines.

    ``alone`` says ``previous`` is the first line of its block: only such a line can be
    a heading in plain text, whose line lengths say little.
    """
    text, before = line.body, previous.body
    if _MARKER.match(text) and not _MARKER_CONTINUES.search(before):
        return True
    if _HEADING.match(text) or _HEADING.match(before):
        return True
    if _DISTRIBUTION.match(before):
        return True  # a line of the masthead's distribution block stands alone
    if _NUMBER_ONLY.match(before):
        return False  # "1." alone: its paragraph follows
    if layout and line.indent >= previous.indent + 30:
        return True  # a right-aligned line
    if not text[:1].isupper() and text[:1] != "“":
        return False  # lower case, a figure ("2009 and held ..."): the sentence runs on
    last = before.rsplit(" ", 1)[-1]
    first = text.split(" ", 1)[0]
    if (last.lower().strip(",;:"), first.lower().strip(",;:")) in bigrams:
        return False  # a name runs on: "... against" / "Transnational Organized Crime"
    if re.search(r"\b(?:Mr|Mrs|Ms|Dr|Prof|No|St|H\.E)\.$", before):
        return False  # a title before a name: "... in her country. Mr." / "Benyoussef ..."
    if re.match(r"[A-Z]+/[\w.]+", text) or before.count("(") > before.count(")"):
        return False  # a document symbol, or a parenthesis still open, runs on
    if re.search(r"\d$", before) and _MONTH_START.match(text):
        return False  # a date runs on: "29 and 30" / "June 2022"
    end = len(previous.text.rstrip()) if layout else len(before)
    short = end < width * (0.88 if layout else 0.75)
    if before.endswith((",", "-", "–")) or last.lower() in JOINING_WORDS:
        return False
    return short and (layout or alone or before.endswith(_TERMINAL))


# A line ending so does not let a marker start a new block: "... in accordance with\n
# 12. ..." is rare; but "resolution\n7/1" or "paragraph\n12." continue.
_MARKER_CONTINUES = re.compile(r"\b(?:paragraphs?|articles?|items?|resolution|decision|No\.)$")


def _compounds(vocabulary: Counter[str]) -> dict[str, int]:
    """Hyphenated words of the document by their letters run together: "openended" -> 4."""
    return {
        word.replace("-", ""): word.index("-")
        for word in vocabulary
        if word.count("-") == 1 and not word.startswith("\x00")
    }


def _restore_hyphens(text: str, compounds: dict[str, int]) -> str:
    """Put back the hyphen plain ``pdftotext`` drops from a word split at a line end
    ("openended"), where the document writes the word with it elsewhere ("open-ended")."""

    def restore(match: re.Match[str]) -> str:
        word = match.group()
        if zipf_frequency(word.lower(), "en") >= 1.5:
            return word  # an English word written whole: "cooperation"
        at = compounds.get(word.lower())
        if at is None and word.islower():
            at = _split_point(word)  # never a name: "Eurojust" stays
        return word if at is None else f"{word[:at]}-{word[at:]}"

    return re.sub(r"(?<![\w-])[A-Za-z]{5,}(?![\w-])", restore, text)


def _split_point(word: str) -> int | None:
    """Where a run-together compound of two English words splits ("openended" -> 4), for
    a word that is no English word itself; None otherwise."""
    if len(word) < 8 or zipf_frequency(word, "en") >= 1.5:
        return None
    best: tuple[float, int] | None = None
    for at in range(3, len(word) - 2):
        score = min(zipf_frequency(word[:at], "en"), zipf_frequency(word[at:], "en"))
        if score >= 3.0 and (best is None or score > best[0]):
            best = (score, at)
    return best[1] if best else None


def _join_labels(parts: list[list[_Line]]) -> list[list[_Line]]:
    """Join a label alone on its line ("1.", "(a)", "•") to the block after it."""
    joined: list[list[_Line]] = []
    pending: list[_Line] = []
    for part in parts:
        if pending and _MARKER.match(part[0].body):
            joined.append(pending)  # "3." that ends a sentence ("agenda item" / "3."), no label
            pending = []
        if len(part) == 1 and _NUMBER_ONLY.match(part[0].body):
            pending.extend(part)
            continue
        joined.append(pending + part)
        pending = []
    if pending:
        joined.append(pending)
    return joined


def _drop_footnote_marks(block: Block, marks: list[int]) -> Block:
    """Remove footnote reference digits glued to a word or punctuation, like "a.m.1"."""
    found: list[int] = []
    text = block.text
    for mark in marks:
        pattern = re.compile(rf"(?<=[A-Za-z.,;:)”’]){mark}(?=[\s,.;:]|$)")
        if pattern.search(text):
            found.append(mark)
            text = pattern.sub("", text, count=1)
    cells = block.cells
    for mark in found:
        if cells is not None:
            cells = tuple(re.sub(rf"(?<=[A-Za-z.,;:)”’]){mark}$", "", cell) for cell in cells)
    return replace(block, text=text, cells=cells, footnotes=tuple(found))
