"""Reading document text into blocks: markup, footnotes, page breaks, PDF furniture."""

from __future__ import annotations

from tipkg.extract.reading import read_text


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


def test_text_without_blank_lines_or_layout_is_rebuilt_from_its_markers() -> None:
    """Plain pdftotext (or copy-paste) text: no indentation, no blank lines between
    paragraphs; numbers, markers, headings and short lines ending a sentence cut it."""
    raw = (
        "United Nations\n\nCTOC/COP/WG.4/2022/4\n\n"
        "Conference of the Parties to the\nUnited Nations Convention against\n"
        "Transnational Organized Crime\nDistr.: Limited\n14 July 2022\nOriginal: English\n"
        "Working Group on Trafficking in Persons\nVienna, 29 and 30 June 2022\n"
        "I. Introduction\n"
        "1. The Working Group on Trafficking in Persons met for the first time on 14 and 15 April\n"
        "2009 and held a total of eleven meetings prior to its meeting in 2022.\n"
        "2. The meeting was opened by the Chair.\n"
        "V.22-03829 (E)    140722    150722\n*2203829*\n"
    )
    text = read_text(
        raw, lexicon=["united nations convention against transnational organized crime"]
    )
    assert [b.text for b in text.blocks] == [
        "Conference of the Parties to the United Nations Convention against Transnational "
        "Organized Crime",
        "Distr.: Limited",
        "14 July 2022",
        "Original: English",
        "Working Group on Trafficking in Persons",
        "Vienna, 29 and 30 June 2022",
        "I. Introduction",
        "1. The Working Group on Trafficking in Persons met for the first time on 14 and 15 "
        "April 2009 and held a total of eleven meetings prior to its meeting in 2022.",
        "2. The meeting was opened by the Chair.",
    ]


def test_masthead_columns_side_by_side_are_cut_apart() -> None:
    raw = (
        "United Nations                                           CTOC/COP/WG.4/2022/4\n\n"
        "           Conference of the Parties to the                         Distr.: General\n"
        "           United Nations Convention against                        14 July 2022\n"
        "           Transnational Organized Crime\n"
        "                                                                    Original: English\n"
        "\n           Working Group on Trafficking in Persons\n"
        "\n           I. Introduction\n"
        "           1.    The meeting was opened by the Chair of the Working Group, who\n"
        "                 welcomed the participants.\n"
        "V.22-03829 (E)   140722   150722\n*2203829*\n\f"
    )
    text = read_text(
        raw, lexicon=["united nations convention against transnational organized crime"]
    )
    assert [b.text for b in text.blocks][:5] == [
        "Conference of the Parties to the United Nations Convention against Transnational "
        "Organized Crime",
        "Distr.: General",
        "14 July 2022",
        "Original: English",
        "Working Group on Trafficking in Persons",
    ]
    assert not any("V.22" in b.text or "140722" in b.text for b in text.blocks)
