"""Render the Working Group source texts as UN-style PDFs and convert them back to text.

The extractor must give the same graph from ``pdftotext`` output as from the clean
source texts in ``data/sources/``.  This script produces realistic ``pdftotext``
fixtures: it strips the light Markdown/HTML markup of each source, typesets the
words as an A4 United Nations document (header block on page 1, running header with
the document symbol and a footer with a job number and page number on later pages,
justified body text with hyphenated line ends, hanging paragraph numbers, footnotes
at the foot of the page, the annex "organization of work" as a three-column table),
writes the PDF to a temporary directory and runs ``pdftotext`` on it twice.

Run from the repository root::

    . .venv/bin/activate
    pip install fpdf2 pyphen          # not project dependencies
    apt-get install -y poppler-utils  # provides pdftotext
    python tests/extract/make_pdf_text.py [--keep-pdf DIR]

Needs: Python >= 3.11, fpdf2, pyphen, ``pdftotext`` (poppler-utils) on PATH and the
DejaVu Serif fonts (``fonts-dejavu-core``; another directory with ``--font-dir``).
Converts every document of ``data/sources/manifest.toml`` (into ``tests/extract/``) and of
``tests/extract/corpus/manifest.toml`` (into ``tests/extract/corpus/``) and writes, per
document, ``pdftext/{stem}.txt`` (``pdftotext -enc UTF-8``, default mode),
``pdftext-layout/{stem}.txt`` (``pdftotext -layout``) and ``pdftext-noblank/{stem}.txt``
(the ``-layout`` text with every blank line removed, as copy-paste from a PDF viewer and
many converters give it).
The first page carries the UN masthead as real documents print it: the body's name on
the left with the distribution block ("Distr.: General", date, "Original: English") on
the same lines to the right, the symbol top right, and at the foot the job number with
the dates of issue and processing (``V.22-03829 (E)    140722    150722``) above the
bar code. The output is deterministic for a given fpdf2/pyphen/poppler version.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import re
import shutil
import subprocess
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyphen
from fpdf import FPDF

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "data" / "sources"
HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
DEFAULT_NAME, LAYOUT_NAME, NOBLANK_NAME = "pdftext", "pdftext-layout", "pdftext-noblank"
MONTHS = "January February March April May June July August September October November December"


def job_number(stem: str, symbol: str) -> str:
    """An invented job number (V.YY-NNNNN), the same for the same document."""
    year = re.search(r"/(\d{2})(\d{2})/", symbol)
    digits = int(hashlib.sha1(stem.encode()).hexdigest(), 16) % 90000 + 10000
    return f"V.{year.group(2) if year else '20'}-{digits:05d}"


def job_dates(issued: str) -> str:
    """The dates printed after the job number: issue and processing day, as DDMMYY."""
    found = re.fullmatch(r"(\d{1,2}) (\w+) (\d{4})", issued.strip())
    if not found or found.group(2) not in MONTHS.split():
        return ""
    day = dt.date(
        int(found.group(3)), MONTHS.split().index(found.group(2)) + 1, int(found.group(1))
    )
    return "    ".join(f"{d:%d%m%y}" for d in (day, day + dt.timedelta(days=1)))


SUP = "\x00"  # in a word, separates the word from its superscript footnote mark
SUPERSCRIPTS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")

# Page geometry in millimetres (A4).
PAGE_W = 210.0
X0 = 45.0  # left edge of the text column
COL_W = 125.0  # width of the text column (12.5 cm)
HANG = 10.0  # hanging indent of paragraph numbers and list labels
BODY_TOP = 30.0  # first baseline on later pages
BODY_BOTTOM = 268.0  # lowest baseline available to body text and footnotes
HEADER_Y = 17.0
FOOTER_Y = 284.0
PT = 0.3528  # mm per point

BODY_SIZE = 10.0
BODY_LEAD = 4.6
NOTE_SIZE = 8.5
NOTE_LEAD = 3.8
SUP_SIZE = 6.5
PARA_SKIP = 2.6
HYPHEN_SLACK = 4.0  # hyphenate only when the line would otherwise be this short (mm)

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]


# --------------------------------------------------------------------------- parsing


@dataclass
class Para:
    """One typeset unit of the body: heading, paragraph, list item or table."""

    kind: str  # "heading" | "text" | "item" | "table"
    text: str = ""
    label: str = ""  # "1.", "(a)", "•"
    level: int = 0
    size: float = BODY_SIZE
    style: str = ""  # "", "B", "I"
    rows: list[list[str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)  # footnotes referenced here


@dataclass
class Doc:
    stem: str
    symbol: str
    job: str
    front: list[str]  # Conference line, Distr., date, Original
    paras: list[Para]


MARK_RE = re.compile(r"<sup>(\d+)</sup>|([¹²³⁴⁵⁶⁷⁸⁹⁰]+)")
NOTE_DEF_RE = re.compile(r"^\s*(?:<sup>(\d+)</sup>|([¹²³⁴⁵⁶⁷⁸⁹⁰]+))\s*(.*)$")
TERMINAL = tuple(".:;,)")


def strip_inline(text: str) -> str:
    """Remove inline markup, keeping the words; footnote marks become SUP+number."""
    text = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!<>])", r"\1", text)
    text = re.sub(r"</?[ib]>", "", text)
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)

    def mark(m: re.Match[str]) -> str:
        num = m.group(1) or m.group(2).translate(SUPERSCRIPTS)
        return SUP + num

    text = MARK_RE.sub(mark, text)
    text = re.sub(r"\s+" + SUP, SUP, text)  # a mark always follows its word
    return text.strip()


def plain(text: str) -> str:
    """The words of a marked-up string as they will be printed (marks as digits)."""
    return strip_inline(text).replace(SUP, "")


def is_heading_text(text: str) -> bool:
    t = text.replace(SUP, " ").strip()
    t = re.sub(r"\s\d+$", "", t)
    return bool(t) and not t.endswith(TERMINAL) and len(t) < 260 and not t[0].islower()


def parse(stem: str, text: str, symbol: str) -> Doc:
    lines = [ln.rstrip(" \r") for ln in text.splitlines()]
    # Front matter: first four non-empty lines (Conference, Distr., date, Original).
    front: list[str] = []
    i = 0
    while len(front) < 4:
        ln = lines[i]
        i += 1
        if ln.strip() and ln.strip() != "---":
            front.append(plain(ln.lstrip("# ")))
    # A block that starts in lower case continues the paragraph cut by a page break
    # of the document the source was taken from; glue it back.
    body_lines: list[str] = []
    after_blank = False
    for ln in lines[i:]:
        s = ln.strip()
        if not s:
            after_blank = True
            body_lines.append("")
            continue
        if after_blank and s[0].islower() and "\t" not in ln:
            k = len(body_lines) - 1
            while k >= 0 and (
                not body_lines[k].strip()
                or body_lines[k].strip() == "---"
                or NOTE_DEF_RE.match(body_lines[k])
            ):
                k -= 1
            if k >= 0:
                body_lines[k] += " " + s
                continue
        after_blank = False
        body_lines.append(ln)
    paras: list[Para] = []
    note_defs: list[tuple[str, str]] = []
    for ln in body_lines:
        if not ln.strip():
            continue
        if ln.strip() == "---":
            continue
        m = NOTE_DEF_RE.match(ln)
        if m:
            num = m.group(1) or m.group(2).translate(SUPERSCRIPTS)
            note_defs.append((num, plain(m.group(3))))
            continue
        if "\t" in ln:
            cells = [strip_inline(c) for c in ln.split("\t")]
            cells += [""] * (3 - len(cells))
            if paras and paras[-1].kind == "table":
                paras[-1].rows.append(cells)
            else:
                paras.append(Para("table", rows=[cells]))
            continue
        stripped = ln.lstrip()
        indent = len(ln) - len(stripped)
        hashes = len(stripped) - len(stripped.lstrip("#"))
        body = strip_inline(stripped.lstrip("#").strip())
        emphasised = re.fullmatch(r"\*\*.*\*\*|\*[^*].*\*", stripped) is not None
        if stripped.startswith("- "):
            body = strip_inline(stripped[2:])
            m2 = re.match(r"(\([a-z]\))\s+(.*)", body)
            if m2:
                paras.append(Para("item", m2.group(2), label=m2.group(1), level=2))
            else:
                paras.append(Para("item", body, label="•", level=1))
            continue
        num = re.match(r"(\d+\.|\([a-z]\))\s+(.*)", body)
        if hashes or emphasised or is_heading_text(body):
            size = 12.0 if re.match(r"[IVX]+\.\s", body) else BODY_SIZE
            style = "I" if stripped.startswith("*") and not stripped.startswith("**") else "B"
            paras.append(Para("heading", body, size=size, style=style))
        elif num and indent:
            paras.append(Para("item", num.group(2), label=num.group(1), level=1))
        elif num:
            paras.append(Para("text", num.group(2), label=num.group(1)))
        else:
            paras.append(Para("text", body))
    attach_notes(paras, note_defs)
    return Doc(stem, symbol, job_number(stem, symbol), front, paras)


def attach_notes(paras: list[Para], defs: list[tuple[str, str]]) -> None:
    """Pair each footnote mark, in order, with the next definition of that number."""
    pending = list(defs)
    for p in paras:
        texts = [p.text] if p.kind != "table" else [c for row in p.rows for c in row]
        for t in texts:
            for num in re.findall(SUP + r"(\d+)", t):
                for k, (n, note) in enumerate(pending):
                    if n == num:
                        p.notes.append((n, note))
                        del pending[k]
                        break
    if pending:
        raise ValueError(f"footnotes without a mark: {pending}")


# --------------------------------------------------------------------------- typesetting

Measure = Callable[[str], float]


@dataclass
class Line:
    words: list[str]
    justify: bool


class Hyphenator:
    def __init__(self) -> None:
        self.dic = pyphen.Pyphen(lang="en_GB", left=2, right=3)

    def splits(self, word: str) -> list[tuple[str, str]]:
        """Possible (head, tail) breaks of a word, shortest head first."""
        if SUP in word or "/" in word or any(c.isdigit() for c in word) or "@" in word:
            return []
        m = re.fullmatch(r"([^\w]*)([\w\u2019'-]+?)([^\w]*)", word)
        if not m:
            return []
        lead, core, trail = m.groups()
        out: list[tuple[int, bool]] = []
        start = 0
        for seg in re.split(r"(-)", core):
            if seg == "-":
                out.append((start + 1, False))  # break after an existing hyphen
            elif len(seg) >= 6 and seg.isalpha():
                out.extend((start + pos, True) for pos in self.dic.positions(seg))
            start += len(seg)
        res: list[tuple[str, str]] = []
        for pos, add in sorted(out):
            if 0 < pos < len(core):
                head = lead + core[:pos] + ("-" if add else "")
                res.append((head, core[pos:] + trail))
        return res


def break_lines(
    words: list[str], width: float, measure: Measure, space: float, hyph: Hyphenator | None
) -> list[Line]:
    lines: list[Line] = []
    cur: list[str] = []
    cur_w = 0.0
    queue = list(words)
    i = 0
    while i < len(queue):
        w = queue[i]
        ww = measure(w)
        new_w = ww if not cur else cur_w + space + ww
        if new_w <= width:
            cur.append(w)
            cur_w = new_w
            i += 1
            continue
        if not cur:  # a word wider than the line
            lines.append(Line([w], justify=False))
            i += 1
            continue
        if hyph is not None and width - cur_w > HYPHEN_SLACK:
            best: tuple[str, str] | None = None
            for head, tail in hyph.splits(w):
                if cur_w + space + measure(head) <= width:
                    best = (head, tail)
            if best is not None:
                cur.append(best[0])
                lines.append(Line(cur, justify=True))
                queue[i] = best[1]
                cur, cur_w = [], 0.0
                continue
        lines.append(Line(cur, justify=True))
        cur, cur_w = [], 0.0
    if cur:
        lines.append(Line(cur, justify=False))
    return lines


@dataclass
class Box:
    """A vertical slice of the page: one text line, a table row, a rule or a skip."""

    height: float
    draw: Callable[[FPDF, float], None]  # draws with the given baseline/top y
    notes: list[tuple[str, str]] = field(default_factory=list)
    keep_with_next: int = 0  # number of following boxes that must share the page
    skip: bool = False  # vertical space, dropped at the top of a page


class Typesetter:
    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self.hyph = Hyphenator()

    def measurer(self, style: str, size: float) -> Measure:
        pdf = self.pdf

        def measure(word: str) -> float:
            main, _, sup = word.partition(SUP)
            pdf.set_font("Serif", style, size)
            w = pdf.get_string_width(main)
            if sup:
                pdf.set_font("Serif", "", SUP_SIZE)
                w += pdf.get_string_width(sup)
            return w

        return measure

    def draw_words(
        self, x: float, y: float, width: float, line: Line, style: str, size: float
    ) -> None:
        pdf = self.pdf
        measure = self.measurer(style, size)
        pdf.set_font("Serif", style, size)
        space = pdf.get_string_width(" ")
        natural = sum(measure(w) for w in line.words) + space * (len(line.words) - 1)
        gap = space
        if line.justify and len(line.words) > 1:
            stretched = space + (width - natural) / (len(line.words) - 1)
            if stretched <= 3 * space:  # a looser line stays ragged, as in Word
                gap = stretched
        for w in line.words:
            main, _, sup = w.partition(SUP)
            pdf.set_font("Serif", style, size)
            pdf.text(x, y, main)
            mw = pdf.get_string_width(main)
            if sup:
                pdf.set_font("Serif", "", SUP_SIZE)
                pdf.text(x + mw, y - size * PT * 0.38, sup)
            x += measure(w) + gap

    def paragraph(
        self,
        text: str,
        x: float,
        width: float,
        style: str = "",
        size: float = BODY_SIZE,
        lead: float = BODY_LEAD,
        justify: bool = True,
        hyphenate: bool = True,
    ) -> list[Line]:
        measure = self.measurer(style, size)
        self.pdf.set_font("Serif", style, size)
        space = self.pdf.get_string_width(" ")
        lines = break_lines(text.split(), width, measure, space, self.hyph if hyphenate else None)
        if not justify:
            for ln in lines:
                ln.justify = False
        return lines

    def text_boxes(
        self,
        text: str,
        x: float,
        width: float,
        label: str = "",
        label_x: float = X0,
        style: str = "",
        size: float = BODY_SIZE,
        justify: bool = True,
        hyphenate: bool = True,
        notes: list[tuple[str, str]] | None = None,
    ) -> list[Box]:
        lead = BODY_LEAD * size / BODY_SIZE
        lines = self.paragraph(text, x, width, style, size, lead, justify, hyphenate)
        boxes: list[Box] = []
        remaining = list(notes or [])
        for k, line in enumerate(lines):
            marks = [w.partition(SUP)[2] for w in line.words if SUP in w]
            line_notes: list[tuple[str, str]] = []
            for num in marks:
                for j, (n, _) in enumerate(remaining):
                    if n == num:
                        line_notes.append(remaining.pop(j))
                        break

            def draw(pdf: FPDF, y: float, line: Line = line, first: bool = k == 0) -> None:
                if first and label:
                    pdf.set_font("Serif", style, size)
                    pdf.text(label_x, y, label)
                self.draw_words(x, y, width, line, style, size)

            boxes.append(Box(lead, draw, line_notes))
        return boxes

    def note_lines(self, num: str, text: str) -> list[Line]:
        return self.paragraph(text, X0 + 5, COL_W - 5, "", NOTE_SIZE, NOTE_LEAD)

    def notes_height(self, notes: list[tuple[str, str]]) -> float:
        if not notes:
            return 0.0
        n = sum(len(self.note_lines(num, t)) for num, t in notes)
        return 5.0 + n * NOTE_LEAD

    def draw_notes(self, notes: list[tuple[str, str]]) -> None:
        if not notes:
            return
        pdf = self.pdf
        y = BODY_BOTTOM - self.notes_height(notes) + 3.0
        pdf.set_line_width(0.2)
        pdf.line(X0, y, X0 + 30, y)
        y += 2.0 + NOTE_LEAD - 1.0
        for num, text in notes:
            for k, line in enumerate(self.note_lines(num, text)):
                if k == 0:
                    pdf.set_font("Serif", "", SUP_SIZE)
                    pdf.text(X0 + 1.5, y - NOTE_SIZE * PT * 0.38, num)
                self.draw_words(X0 + 5, y, COL_W - 5, line, "", NOTE_SIZE)
                y += NOTE_LEAD

    # ------------------------------------------------------------------ document parts

    def body_boxes(self, doc: Doc) -> list[Box]:
        boxes: list[Box] = []

        def skip(h: float) -> None:
            boxes.append(Box(h, lambda pdf, y: None, skip=True))

        for p in doc.paras:
            if p.kind == "heading":
                skip(PARA_SKIP * (2.0 if p.size > BODY_SIZE else 1.4))
                hb = self.text_boxes(
                    p.text,
                    X0,
                    COL_W,
                    style=p.style,
                    size=p.size,
                    justify=False,
                    hyphenate=False,
                    notes=p.notes,
                )
                for k, b in enumerate(hb):
                    b.keep_with_next = len(hb) - k + 2  # never strand a heading
                boxes.extend(hb)
            elif p.kind == "text":
                skip(PARA_SKIP)
                if p.label:
                    boxes.extend(
                        self.text_boxes(
                            p.text, X0 + HANG, COL_W - HANG, label=p.label, notes=p.notes
                        )
                    )
                else:
                    boxes.extend(self.text_boxes(p.text, X0, COL_W, notes=p.notes))
            elif p.kind == "item":
                skip(PARA_SKIP * 0.6)
                ind = HANG * p.level
                boxes.extend(
                    self.text_boxes(
                        p.text,
                        X0 + ind + 7,
                        COL_W - ind - 7,
                        label=p.label,
                        label_x=X0 + ind,
                        notes=p.notes,
                    )
                )
            elif p.kind == "table":
                skip(PARA_SKIP * 2)
                boxes.extend(self.table_boxes(p))
        return boxes

    def table_boxes(self, p: Para) -> list[Box]:
        cols = [(X0, 33.0), (X0 + 36.0, 20.0), (X0 + 58.0, COL_W - 58.0)]
        boxes: list[Box] = []
        notes = list(p.notes)
        day_re = re.compile(r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),")
        for r, row in enumerate(p.rows):
            filled = [c for c in row if c]
            header = r == 0
            if len(filled) == 1 and day_re.match(filled[0]):
                cells = [(filled[0], "B")] + [("", "")] * 2
            else:
                cells = [(c, "I" if header else "") for c in row[:3]]
            cell_lines = [
                self.paragraph(t, x, w, st, 9.0, 4.1, justify=False, hyphenate=False) if t else []
                for (t, st), (x, w) in zip(cells, cols, strict=True)
            ]
            n = max(len(c) for c in cell_lines)
            height = n * 4.1 + 2.2

            def draw(
                pdf: FPDF,
                y: float,
                cell_lines: list[list[Line]] = cell_lines,
                cells: list[tuple[str, str]] = cells,
                header: bool = header,
                height: float = height,
            ) -> None:
                top = y - 3.2
                if header:
                    pdf.set_line_width(0.3)
                    pdf.line(X0, top - 0.5, X0 + COL_W, top - 0.5)
                for lines, (_, st), (x, w) in zip(cell_lines, cells, cols, strict=True):
                    yy = y + 0.6
                    for ln in lines:
                        self.draw_words(x, yy, w, ln, st, 9.0)
                        yy += 4.1
                if header:
                    pdf.line(X0, top + height - 0.6, X0 + COL_W, top + height - 0.6)

            row_notes = []
            for t, _st in cells:
                for num in re.findall(SUP + r"(\d+)", t):
                    for j, (nn, _) in enumerate(notes):
                        if nn == num:
                            row_notes.append(notes.pop(j))
                            break
            boxes.append(Box(height, draw, row_notes, keep_with_next=1 if header else 0))

        def bottom_rule(pdf: FPDF, y: float) -> None:
            pdf.set_line_width(0.3)
            pdf.line(X0, y - 3.0, X0 + COL_W, y - 3.0)

        boxes.append(Box(1.0, bottom_rule))
        return boxes

    def first_page_header(self, doc: Doc) -> float:
        """Draw the page-1 masthead; return the first body baseline.

        The body's name (left) and the distribution block (right) share their lines, as
        on the UN's documents, so ``pdftotext -layout`` runs them together on one line.
        """
        pdf = self.pdf
        pdf.set_font("Serif", "B", 16)
        pdf.text(X0 - 20, 20, "United Nations")
        pdf.set_font("Serif", "B", 13)
        pdf.text(PAGE_W - 20 - pdf.get_string_width(doc.symbol), 20, doc.symbol)
        pdf.set_line_width(0.8)
        pdf.line(X0 - 20, 23, PAGE_W - 20, 23)
        top = 31.0
        y = top
        conf = self.paragraph(doc.front[0], X0, 95, "B", 12.5, 5.6, justify=False, hyphenate=False)
        for ln in conf:
            self.draw_words(X0, y, 95, ln, "B", 12.5)
            y += 5.6
        right = top
        pdf.set_font("Serif", "", 10)
        for k, s in enumerate(doc.front[1:]):
            pdf.text(148, right, s)
            right += 5.6 if k < 1 else 11.2
        y = max(y, right - 5.6) + 3.0
        pdf.set_line_width(0.4)
        pdf.line(X0 - 20, y - 3, PAGE_W - 20, y - 3)
        pdf.set_font("Serif", "", 9)
        dates = job_dates(doc.front[2]) if len(doc.front) > 2 else ""
        pdf.text(X0 - 20, FOOTER_Y - 4, f"{doc.job} (E)")
        if dates:
            pdf.text(X0 + 10, FOOTER_Y - 4, dates)
        barcode = "*" + doc.job[2:].replace("-", "") + "*"
        pdf.set_font("Serif", "B", 11)
        pdf.text(X0 - 20, FOOTER_Y + 2, barcode)
        return y + 6.0

    def running_header_footer(self, doc: Doc, page: int, total: int) -> None:
        pdf = self.pdf
        left = page % 2 == 0  # even pages: symbol and page number at the left
        pdf.set_font("Serif", "B", 9)
        sw = pdf.get_string_width(doc.symbol)
        pdf.text(X0 if left else X0 + COL_W - sw, HEADER_Y, doc.symbol)
        pdf.set_line_width(0.3)
        pdf.line(X0, HEADER_Y + 2, X0 + COL_W, HEADER_Y + 2)
        pdf.line(X0, FOOTER_Y - 4, X0 + COL_W, FOOTER_Y - 4)
        pdf.set_font("Serif", "B", 9)
        num = f"{page}/{total}"
        nw = pdf.get_string_width(num)
        pdf.set_font("Serif", "", 8)
        jw = pdf.get_string_width(doc.job)
        if left:
            pdf.set_font("Serif", "B", 9)
            pdf.text(X0, FOOTER_Y, num)
            pdf.set_font("Serif", "", 8)
            pdf.text(X0 + COL_W - jw, FOOTER_Y, doc.job)
        else:
            pdf.set_font("Serif", "", 8)
            pdf.text(X0, FOOTER_Y, doc.job)
            pdf.set_font("Serif", "B", 9)
            pdf.text(X0 + COL_W - nw, FOOTER_Y, num)

    def paginate(self, boxes: list[Box], first_top: float) -> list[list[tuple[float, Box]]]:
        pages: list[list[tuple[float, Box]]] = [[]]
        notes: list[tuple[str, str]] = []
        y = first_top
        for k, box in enumerate(boxes):
            if box.skip:
                if pages[-1]:
                    y += box.height
                continue
            need = box.height
            extra_notes = list(box.notes)
            taken = 0
            j = k + 1
            while taken < box.keep_with_next and j < len(boxes):
                if not boxes[j].skip:
                    taken += 1
                    extra_notes += boxes[j].notes
                need += boxes[j].height
                j += 1
            limit = BODY_BOTTOM - self.notes_height(notes + extra_notes)
            if pages[-1] and y + need > limit:
                pages.append([])
                notes = []
                y = BODY_TOP
            pages[-1].append((y, box))
            notes += box.notes
            y += box.height
        return pages

    def render(self, doc: Doc) -> None:
        pdf = self.pdf
        boxes = self.body_boxes(doc)
        pdf.add_page()
        first_top = self.first_page_header(doc)
        pages = self.paginate(boxes, first_top)
        for n, page in enumerate(pages, start=1):
            if n > 1:
                pdf.add_page()
                self.running_header_footer(doc, n, len(pages))
            notes: list[tuple[str, str]] = []
            for y, box in page:
                box.draw(pdf, y)
                notes += box.notes
            self.draw_notes(notes)


def new_pdf(font_dir: Path) -> FPDF:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    for style, name in (
        ("", "DejaVuSerif"),
        ("B", "DejaVuSerif-Bold"),
        ("I", "DejaVuSerif-Italic"),
        ("BI", "DejaVuSerif-BoldItalic"),
    ):
        pdf.add_font("Serif", style, str(font_dir / f"{name}.ttf"))
    return pdf


def find_font_dir(given: Path | None) -> Path:
    for d in ([given] if given else []) + FONT_DIRS:
        if (d / "DejaVuSerif.ttf").exists():
            return d
    raise SystemExit("DejaVu Serif fonts not found; install fonts-dejavu-core or --font-dir")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep-pdf", type=Path, help="also copy the PDFs into this directory")
    ap.add_argument("--font-dir", type=Path, help="directory holding DejaVuSerif*.ttf")
    args = ap.parse_args()
    if shutil.which("pdftotext") is None:
        raise SystemExit("pdftotext not found; apt-get install -y poppler-utils")
    font_dir = find_font_dir(args.font_dir)
    documents: dict[str, tuple[Path, str, Path]] = {}
    for directory, out in ((SOURCES, HERE), (CORPUS, CORPUS)):
        if (directory / "manifest.toml").is_file():
            manifest = tomllib.loads((directory / "manifest.toml").read_text(encoding="utf-8"))
            for stem, entry in manifest.items():
                documents[stem] = (directory / f"{stem}.txt", entry["symbol"], out)
    with tempfile.TemporaryDirectory() as tmp:
        for stem, (source, symbol, out) in sorted(documents.items()):
            doc = parse(stem, source.read_text(encoding="utf-8"), symbol)
            pdf = new_pdf(font_dir)
            Typesetter(pdf).render(doc)
            pdf_path = Path(tmp) / f"{stem}.pdf"
            pdf.output(str(pdf_path))
            for name in (DEFAULT_NAME, LAYOUT_NAME, NOBLANK_NAME):
                (out / name).mkdir(parents=True, exist_ok=True)
            for mode, name in (([], DEFAULT_NAME), (["-layout"], LAYOUT_NAME)):
                subprocess.run(
                    [
                        "pdftotext",
                        "-enc",
                        "UTF-8",
                        *mode,
                        str(pdf_path),
                        str(out / name / f"{stem}.txt"),
                    ],
                    check=True,
                )
            layout = (out / LAYOUT_NAME / f"{stem}.txt").read_text(encoding="utf-8")
            noblank = "".join(
                line for line in layout.splitlines(keepends=True) if line.strip(" \n")
            )
            (out / NOBLANK_NAME / f"{stem}.txt").write_text(noblank, encoding="utf-8")
            if args.keep_pdf:
                args.keep_pdf.mkdir(parents=True, exist_ok=True)
                shutil.copy(pdf_path, args.keep_pdf / pdf_path.name)
            print(f"{stem}: {pdf.page_no()} pages")


if __name__ == "__main__":
    main()
