"""Sanity checks of the pdftotext fixtures made by ``make_pdf_text.py`` (no extractor needed).

The fixtures must look like real ``pdftotext`` output of a UN document (running header
with the symbol, job-number footer, hyphenated line ends) and must carry exactly the
words of the source text: after page furniture, footnotes, line breaks and hyphens are
normalised away, the word sequence equals that of the source with its markup stripped.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

import pytest

from tests.extract.conftest import CORPUS_STEMS, STEMS, manifest_of, source_of, variant_of

MODES = {"default": "pdftext", "layout": "pdftext-layout", "noblank": "pdftext-noblank"}
DOCUMENTS = STEMS + CORPUS_STEMS
CASES = [(stem, mode) for stem in DOCUMENTS for mode in MODES]
DISTRIBUTION_RE = re.compile(r"Distr\.:.*|\d{1,2} [A-Z][a-z]+ \d{4}|Original:.*")
JOB_RE = re.compile(r"V\.\d\d-\d{5}( \(E\))?")
SUPERSCRIPTS = str.maketrans("¹²³⁴⁵⁶⁷⁸⁹⁰", "1234567890")
NOTE_DEF_RE = re.compile(r"^\s*(?:<sup>(\d+)</sup>|([¹²³⁴⁵⁶⁷⁸⁹⁰]+))\s*(.*)$")


def symbol(stem: str) -> str:
    return manifest_of(stem)[stem].symbol


def fixture(stem: str, mode: str) -> str:
    return variant_of(stem, MODES[mode]).read_text(encoding="utf-8")


def words(text: str) -> list[str]:
    """Whitespace-separated tokens, hyphens removed, punctuation-only tokens dropped."""
    out = []
    for tok in text.split():
        tok = tok.replace("-", "")
        if any(c.isalnum() for c in tok):
            out.append(tok)
    return out


# ------------------------------------------------------------------ the source side


def strip_source(text: str) -> tuple[list[str], list[str], list[list[str]]]:
    """Return (body words before the annex table, table words, footnotes' words)."""
    body: list[str] = []
    table: list[str] = []
    notes: list[list[str]] = []
    for line in text.splitlines():
        if line.strip() == "---":
            continue
        m = NOTE_DEF_RE.match(line)
        if m:
            num = m.group(1) or m.group(2).translate(SUPERSCRIPTS)
            notes.append([num, *words(clean(m.group(3)))])
            continue
        target = table if "\t" in line else body
        if table and target is body and line.strip():
            raise AssertionError("text after the annex table is not expected")
        s = line.strip()
        s = re.sub(r"^#+\s*", "", s)
        s = re.sub(r"^- ", "", s)
        target.extend(words(clean(s)))
    return body, table, notes


def clean(s: str) -> str:
    s = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", s)
    s = re.sub(r"\\([\\`*_{}\[\]()#+\-.!<>])", r"\1", s)
    s = re.sub(r"</?[ib]>", "", s)
    s = s.replace("**", "")
    s = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", s)
    s = re.sub(r"\s*<sup>(\d+)</sup>", r"\1", s)  # a footnote mark is glued to its word
    return re.sub(r"\s*([¹²³⁴⁵⁶⁷⁸⁹⁰]+)", lambda m: m.group(1).translate(SUPERSCRIPTS), s)


# ------------------------------------------------------------------ the fixture side


def is_furniture(line: str, sym: str) -> bool:
    """A line made only of masthead, running header or footer items."""
    parts = [p for p in re.split(r"\s{2,}", line.strip()) if p]
    return bool(parts) and all(
        p in ("United Nations", sym)
        or JOB_RE.fullmatch(p)
        or re.fullmatch(r"\d{6}", p)  # the dates of the job-number footer
        or re.fullmatch(r"\*\d{7}\*", p)
        or re.fullmatch(r"\d+/\d+", p)
        for p in parts
    )


def fixture_tokens(text: str, sym: str) -> list[tuple[str, bool]]:
    """(token, ends a line with a hyphen) for every word outside the page furniture."""
    toks: list[tuple[str, bool]] = []
    for line in _masthead_in_reading_order(text).replace("\f", "\n").splitlines():
        if not line.strip() or is_furniture(line, sym):
            continue
        parts = line.split()
        hyphenated = re.search(r"[^\W\d_]-$", line.rstrip()) is not None
        for k, p in enumerate(parts):
            toks.append((p, hyphenated and k == len(parts) - 1))
    return toks


def _masthead_in_reading_order(text: str) -> str:
    """Page 1 prints the body's name and the distribution block side by side: read the
    left column first, then the right one (the source's order)."""
    first, _, rest = text.partition("\f")
    left: list[str] = []
    right: list[str] = []
    for line in first.splitlines():
        parts = re.split(r"\s{4,}", line.strip())
        if len(parts) == 2 and DISTRIBUTION_RE.fullmatch(parts[1]):
            left.append(parts[0])
            right.append(parts[1])
        elif right and (not line.strip() or DISTRIBUTION_RE.fullmatch(line.strip())):
            left.extend(right)
            right = []
            left.append(line)
        else:
            left.append(line)
    return "\n".join(left + right) + ("\f" + rest if rest else "")


def normalise(tokens: list[tuple[str, bool]]) -> list[str]:
    """Join words split at line ends, then reduce to comparable words."""
    joined: list[str] = []
    carry = ""
    for tok, hyph in tokens:
        if hyph:
            carry += tok
            continue
        joined.append(carry + tok)
        carry = ""
    if carry:
        joined.append(carry)
    return words(" ".join(joined))


def notes_after_split_words(
    tokens: list[tuple[str, bool]], notes: list[list[str]]
) -> list[tuple[str, bool]]:
    """Move a footnote printed between the two halves of a word hyphenated across a page
    break ("prac-" / footnote 1 / "tices") after the word's second half."""
    out = list(tokens)
    for note in notes:
        for i in range(len(out) - len(note) - 1):
            if (
                out[i][1]
                and [words(t)[0] if words(t) else t for t, _ in out[i + 1 : i + 1 + len(note)]]
                == note
            ):
                block = out[i + 1 : i + 1 + len(note)]
                del out[i + 1 : i + 1 + len(note)]
                out[i + 2 : i + 2] = block
                break
    return out


def remove_notes(ws: list[str], notes: list[list[str]]) -> list[str]:
    """Delete each footnote (number then text) from the word stream; fail if missing."""
    for note in notes:
        n = len(note)
        at = next((i for i in range(len(ws) - n + 1) if ws[i : i + n] == note), None)
        assert at is not None, f"footnote not found: {' '.join(note)[:80]}"
        del ws[at : at + n]
    return ws


# ------------------------------------------------------------------ tests


@pytest.mark.parametrize(("stem", "mode"), CASES)
def test_fixture_exists(stem: str, mode: str) -> None:
    assert variant_of(stem, MODES[mode]).stat().st_size > 1000


@pytest.mark.parametrize(("stem", "mode"), CASES)
def test_running_header_on_later_page(stem: str, mode: str) -> None:
    pages = fixture(stem, mode).split("\f")
    sym = symbol(stem)
    assert len(pages) > 2
    assert any(any(line.strip() == sym for line in page.splitlines()) for page in pages[1:]), (
        "no later page carries the symbol alone on a line"
    )


@pytest.mark.parametrize(("stem", "mode"), CASES)
def test_job_number_footer(stem: str, mode: str) -> None:
    lines = fixture(stem, mode).splitlines()
    assert any(JOB_RE.search(line) and is_furniture(line, symbol(stem)) for line in lines)


def hyphenated_line_ends(text: str) -> int:
    lines = text.splitlines()
    return sum(
        1
        for a, b in itertools.pairwise(lines)
        if re.search(r"[^\W\d_]-$", a.rstrip()) and b.strip()[:1].islower()
    )


@pytest.mark.parametrize("stem", DOCUMENTS)
def test_hyphenated_line_ends_layout(stem: str) -> None:
    assert hyphenated_line_ends(fixture(stem, "layout")) >= 3


@pytest.mark.parametrize("stem", DOCUMENTS)
def test_default_mode_rejoins_hyphenated_lines(stem: str) -> None:
    """pdftotext's default mode deletes a line-final "-" and joins the lines itself.

    Only a hyphen that ends a text block (last line of a page, a cell) survives, so the
    default-mode fixtures have (almost) no hyphenated line ends; see README.md.
    """
    assert hyphenated_line_ends(fixture(stem, "default")) < hyphenated_line_ends(
        fixture(stem, "layout")
    )


@pytest.mark.parametrize(("stem", "mode"), CASES)
def test_same_words_as_source(stem: str, mode: str) -> None:
    body, table, notes = strip_source(source_of(stem).read_text(encoding="utf-8"))
    tokens = notes_after_split_words(fixture_tokens(fixture(stem, mode), symbol(stem)), notes)
    got = remove_notes(normalise(tokens), notes)
    if table:
        # pdftotext reads a table column by column or row by row: compare it as a bag.
        start = next(i for i in range(len(got)) if got[i : i + 3] == ["Date", "and", "time"])
        assert Counter(got[start:]) == Counter(table)
        got = got[:start]
    for i, (g, b) in enumerate(zip(got, body, strict=False)):
        assert g == b, f"word {i}: {g!r} != {b!r} near {' '.join(body[max(0, i - 8) : i + 3])}"
    assert len(got) == len(body)


@pytest.mark.parametrize("stem", DOCUMENTS)
def test_first_page_prints_the_masthead_columns_side_by_side(stem: str) -> None:
    first = fixture(stem, "layout").split("\f")[0]
    assert re.search(r"\S\s{4,}Distr\.: (General|Limited)", first)
    assert re.search(r"^V\.\d\d-\d{5} \(E\)\s+\d{6}\s+\d{6}$", first, re.MULTILINE)


@pytest.mark.parametrize("stem", DOCUMENTS)
def test_no_blank_line_variant_is_the_layout_text_without_blank_lines(stem: str) -> None:
    layout = [line for line in fixture(stem, "layout").split("\n") if line.strip(" ")]
    assert [line for line in fixture(stem, "noblank").split("\n") if line] == layout
