"""Reading document text into blocks: markup, footnotes, page breaks, PDF furniture."""

from __future__ import annotations

import pytest

from tipkg.extract.text import LayoutError, read_text


def test_markdown_and_html_markup_is_removed() -> None:
    text = read_text(
        "### **3. Best practices** in *joint* <i>investigations</i>\n"
        "Background paper ([CTOC/COP/WG.4/2020/2](#)) on resolutions [2331 \\(2016\\)](#).\n"
    )
    assert [b.text for b in text.blocks] == [
        "3. Best practices in joint investigations",
        "Background paper (CTOC/COP/WG.4/2020/2) on resolutions 2331 (2016).",
    ]
    assert [b.line for b in text.blocks] == [1, 2]


def test_footnote_marks_are_collected_and_the_split_paragraph_joined() -> None:
    text = read_text(
        "The meeting will be opened at 10 a.m.<sup>1</sup> In its resolution the Conference\n"
        "\n---\n\n<sup>1</sup> If the meeting is hybrid, updates will be shared.\n\n\n"
        "encouraged the Working Group to meet.\n"
    )
    assert [b.text for b in text.blocks] == [
        "The meeting will be opened at 10 a.m. In its resolution the Conference "
        "encouraged the Working Group to meet."
    ]
    assert text.blocks[0].footnotes == (1,)
    assert text.footnotes[1].text == "If the meeting is hybrid, updates will be shared."


def test_unicode_superscript_footnotes() -> None:
    text = read_text("See the web page of the meeting.¹\n\n¹ www.unodc.org/x.html.\n")
    assert text.blocks[0].text == "See the web page of the meeting."
    assert text.blocks[0].footnotes == (1,)
    assert text.footnotes[1].text == "www.unodc.org/x.html."


def test_tab_separated_rows_keep_their_cells() -> None:
    text = read_text(
        "<b>Wednesday, 29 June</b>\t\t\n10 a.m.–1 p.m.\t1 (a)\tOpening\n\t2\tX ( <i>continued</i> )\n"
    )
    assert [b.cells for b in text.blocks] == [
        ("Wednesday, 29 June",),
        ("10 a.m.–1 p.m.", "1 (a)", "Opening"),
        ("", "2", "X (continued)"),
    ]


def test_headings_are_not_joined_to_the_next_paragraph() -> None:
    text = read_text("Impact of the pandemic on the organization of work\n\nOwing to the impact.\n")
    assert len(text.blocks) == 2


LAYOUT_PAGES = (
    "United Nations                                   CTOC/COP/WG.4/2022/1\n"
    "\n"
    "           The Working Group on Traffick-\n"
    "           ing in Persons will be opened at 10 a.m.1 It will consider vic-\n"
    "           tim-centred approaches and victim-centred care, and information-\n"
    "           sharing between the Co-\n"
    "           Chairs of the\n"
    "\n"
    "            1    If hybrid, see the web page.\n"
    "\n"
    "V.22-01467 (E)\n"
    "*2201467*\n"
    "\fCTOC/COP/WG.4/2022/1\n"
    "\n"
    "meeting.\n"
    "\n"
    "2/6                                                    V.22-01467\n"
)


def test_pdftotext_layout_pages_are_rebuilt() -> None:
    text = read_text(LAYOUT_PAGES)
    assert [b.text for b in text.blocks] == [
        "The Working Group on Trafficking in Persons will be opened at 10 a.m. It will consider "
        "victim-centred approaches and victim-centred care, and information-sharing between "
        "the Co-Chairs of the meeting."
    ]
    assert text.blocks[0].line == 3
    assert text.footnotes[1].text == "If hybrid, see the web page."


def test_pdftotext_without_layout_is_refused_with_advice() -> None:
    with pytest.raises(LayoutError, match="pdftotext -layout"):
        read_text("United Nations\n\nCTOC/COP/WG.4/2022/1\nSome text\nMore text\n\fNext page\n")
