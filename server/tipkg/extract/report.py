"""Extract a report or draft report of a meeting: its chapters and numbered paragraphs,
and what each sentence states, read by the rows of the sentence table (sentences.toml).

The structure (chapters, sections, numbered paragraphs, the items listed under them and
the recommendations) is read here; what sentences state is read by the readers of
report_meeting (the meeting, its sittings, agenda and report), report_attendance
(attendance and statements), report_people (officers and panels) and
report_recommendations.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rdflib import URIRef

from tipkg.extract import parse
from tipkg.extract import report_meeting as meeting_readers
from tipkg.extract.acts import bureau_decision, provisions
from tipkg.extract.coverage import NOT_UNDERSTOOD, TEXT_ONLY, UNDERSTOOD, Triggers, unread
from tipkg.extract.document import SECRETARIAT, DocumentGraph
from tipkg.extract.patterns import Table, sentences
from tipkg.extract.report_attendance import (
    read_attendance,
    read_participants_document,
    read_secretariat,
    read_statement,
    settle_speaker_status,
)
from tipkg.extract.report_people import (
    read_officers,
    read_officers_as,
    read_officers_elected,
    read_panel,
    read_presentation,
)
from tipkg.extract.report_recommendations import RECOMMENDATION, read_recommendations
from tipkg.extract.report_state import PARAGRAPH, Paragraph, ReportState
from tipkg.extract.resolve import ExtractError, UnknownName, normalize
from tipkg.extract.text import Block
from tipkg.vocab import ID, TIPKG

_CHAPTER = re.compile(r"^([IVX]+)\.\s+(.+)$")
_SECTION = re.compile(r"^([A-H])\.\s+(.+)$")
_TITLE = ("report on the meeting", "report of the", "draft report", "report on its")
Reader = Callable[[ReportState, Paragraph, re.Match[str], dict[str, str]], bool | str]
READERS: dict[str, Reader] = {
    "statement": read_statement,
    "secretariat": read_secretariat,
    "presentation": read_presentation,
    "panel": read_panel,
    "officers": read_officers,
    "officers-elected": read_officers_elected,
    "officers-as": read_officers_as,
    "attendance": read_attendance,
    "participants-document": read_participants_document,
    "agenda-adoption": meeting_readers.read_agenda_adoption,
    "report-adoption": meeting_readers.read_report_adoption,
    "meeting-held": meeting_readers.read_meeting_held,
    "hybrid": meeting_readers.read_hybrid,
    "in-person": meeting_readers.read_in_person,
    "plenary-count": meeting_readers.read_plenary_count,
    "first-meeting": meeting_readers.read_first_meeting,
    "earlier-meeting": meeting_readers.read_earlier_meeting,
    "prior-meetings": meeting_readers.read_prior_meetings,
    "previous-meetings": meeting_readers.read_previous_meetings,
    "established": meeting_readers.read_established,
    "considered": meeting_readers.read_considered,
    "documentation": meeting_readers.read_documentation,
    "recommendations-adopted": meeting_readers.read_recommendations_adopted,
    "recommendations-intro": meeting_readers.read_nothing_more,
    "opening": meeting_readers.read_nothing_more,
}


def is_report(heads: list[str]) -> bool:
    """Whether the normalized first blocks of a document show a report or draft report."""
    return any(h.startswith(_TITLE) for h in heads)


def extract_report(doc: DocumentGraph, meeting: int | None) -> None:
    """Add everything a report or draft report states to ``doc.graph``."""
    heads = [normalize(b.text) for b in doc.text.blocks[:25]]
    draft = "draft report" in heads or any(h.startswith("draft report") for h in heads)
    header = doc.read_header(TIPKG.DraftReport if draft else TIPKG.Report)
    table = doc.table
    paragraphs, recommendations = _structure(doc)
    header.ordinal = _ordinal(doc, table, paragraphs, meeting)
    state = ReportState(doc=doc, meeting=header, table=table)
    meeting_iri = doc.describe_meeting(header, URIRef(f"{doc.doc}/section/header"))
    title = next(b.text for b in doc.text.blocks[:25] if normalize(b.text).startswith(_TITLE))
    doc.text_value(doc.doc, TIPKG.title, title)
    doc.add(doc.doc, TIPKG.preparedFor, meeting_iri)
    doc.add(doc.doc, TIPKG.preparedBy, SECRETARIAT)
    state.titles = _adopted_agenda_titles(doc, table, paragraphs)
    triggers = Triggers(doc.reference)
    read_by_structure = {intro.number for _, intro, _ in recommendations}
    for paragraph in paragraphs:
        paragraph.item = _section_item(state, paragraph)
        _read_paragraph(state, paragraph, triggers, paragraph.number in read_by_structure)
    for section, intro, blocks in recommendations:
        read_recommendations(state, section, intro, blocks)
    for paragraph, match, params in state.deferred:
        outcome = read_presentation(state, paragraph, match, params)
        if outcome is not True:
            doc.coverage.demote(
                paragraph.iri, paragraph.block.line, f"paragraph {paragraph.number}", str(outcome)
            )
    settle_speaker_status(state)


def _structure(
    doc: DocumentGraph,
) -> tuple[list[Paragraph], list[tuple[URIRef, Paragraph, list[Block]]]]:
    """Group the blocks into chapters, sections, numbered paragraphs and recommendations.

    Recommendations are either headed "Recommendation N" or printed as the list items
    of a paragraph ending "... the following actions:".
    """
    chapter = ""
    section: URIRef = doc.section("header", "Document header")
    paragraphs: list[Paragraph] = []
    recommendations: list[tuple[URIRef, Paragraph, list[Block]]] = []
    group: list[Block] | None = None
    for block in doc.text.blocks:
        chapter_match, section_match = _CHAPTER.match(block.text), _SECTION.match(block.text)
        numbered = PARAGRAPH.match(block.text)
        expected = paragraphs[-1].number + 1 if paragraphs else 1
        if chapter_match and not numbered:
            chapter, group = chapter_match.group(1), None
            section = doc.section(chapter, chapter_match.group(2), number=chapter)
        elif not chapter:
            continue
        elif section_match and not numbered:
            key, group = f"{chapter}.{section_match.group(1)}", None
            section = doc.section(key, section_match.group(2), number=key)
            doc.add(section, TIPKG.inSection, URIRef(f"{doc.doc}/section/{chapter}"))
        elif numbered and int(numbered.group(1)) == expected and not _continues_list(paragraphs):
            iri = URIRef(f"{doc.doc}/para/{expected}")
            paragraphs.append(Paragraph(expected, block, iri, section, chapter))
            group = None
        elif not paragraphs:
            raise doc.fail(
                block,
                f"expected paragraph 1 after the first chapter heading; got {block.text[:80]!r}",
            )
        elif RECOMMENDATION.match(block.text):
            group = [block]
            recommendations.append((section, paragraphs[-1], group))
        elif group is not None:
            group.append(block)
        else:
            paragraphs[-1].children.append(block)
    for paragraph in paragraphs:
        if paragraph.children and paragraph.text.endswith("the following actions:"):
            recommendations.append((paragraph.section, paragraph, paragraph.children))
    if not paragraphs:
        raise doc.fail(
            doc.text.blocks[-1],
            'expected chapters ("I. Introduction") with numbered paragraphs ("1. ...")',
        )
    return paragraphs, recommendations


def _continues_list(paragraphs: list[Paragraph]) -> bool:
    """Whether the next numbered block continues a numbered list printed under the last
    paragraph (an agenda "1. ... 2. ..." under paragraph 1 is no paragraph 2)."""
    if not paragraphs or not paragraphs[-1].children:
        return False
    numbers = [PARAGRAPH.match(child.text) for child in paragraphs[-1].children]
    last = next((m for m in reversed(numbers) if m), None)
    return last is not None and int(last.group(1)) == paragraphs[-1].number


def _ordinal(
    doc: DocumentGraph, table: Table, paragraphs: list[Paragraph], manifest: int | None
) -> int:
    """Return the meeting's ordinal as the text states it, or as the manifest gives it."""
    stated = stated_ordinal(table, [p.text for p in paragraphs], doc)
    if stated and manifest and stated != manifest:
        raise doc.fail(
            paragraphs[0].block,
            f"the text says this is meeting {stated} but the "
            f"manifest says {manifest}; correct data/sources/manifest.toml",
        )
    ordinal = stated or manifest
    if ordinal is None:
        raise doc.fail(
            paragraphs[0].block,
            "the text does not say which meeting this report is "
            "on; add meeting = N to its entry in data/sources/manifest.toml",
        )
    return ordinal


def stated_ordinal(table: Table, texts: list[str], doc: DocumentGraph) -> int | None:
    """Return the ordinal the sentences state, or a header line "Ninth meeting" states."""
    found = table.stated_ordinal(texts)
    if found:
        return found
    for block in doc.text.blocks[:25]:
        heading = re.fullmatch(r"(\S+) (?:meeting|session)", block.text.strip(), re.IGNORECASE)
        if heading and parse.ordinal(heading.group(1)):
            return parse.ordinal(heading.group(1))
    return None


def _adopted_agenda_titles(
    doc: DocumentGraph, table: Table, paragraphs: list[Paragraph]
) -> dict[str, str]:
    """Return item number -> title of the agenda the report says was adopted."""
    for paragraph in paragraphs:
        found = [table.match(s) for s in sentences(paragraph.text)]
        if not any(f and f[0].reads == "agenda-adoption" for f in found):
            continue
        titles: dict[str, str] = {}
        parent = ""
        for child in paragraph.children:
            number = re.match(r"^(\d+)\.\s+(.+?)[.:;]?$", child.text)
            letter = re.match(r"^\(([a-z])\)\s+(.+?)[.:;]?$", child.text)
            if number:
                parent = number.group(1)
                titles[parent] = number.group(2)
            elif letter:
                titles[f"{parent}{letter.group(1)}"] = letter.group(2)
        return titles
    raise doc.fail(
        paragraphs[-1].block,
        'expected a paragraph "... adopted (by consensus) the following agenda:" listing '
        "the agenda items",
    )


def _section_item(state: ReportState, paragraph: Paragraph) -> str | None:
    """Return the agenda item a section of the summary of deliberations is about, in
    whichever chapter the summary is."""
    doc = state.doc
    chapter = URIRef(f"{doc.doc}/section/{paragraph.chapter}")
    heading = doc.graph.value(paragraph.section, TIPKG.heading)
    chapter_heading = doc.graph.value(chapter, TIPKG.heading)
    if heading is None or paragraph.section == chapter or chapter_heading is None:
        return None
    if normalize(str(chapter_heading)) not in state.table.summary_chapters:
        return None
    wanted = normalize(re.sub(r"^(?:agenda )?item \d+[a-z]?[.:]\s*", "", str(heading), flags=re.I))
    for number, title in state.titles.items():
        if normalize(title) == wanted:
            doc.add(paragraph.section, TIPKG.aboutAgendaItem, state.meeting.item(number))
            return number
    return None


def _read_paragraph(
    state: ReportState, paragraph: Paragraph, triggers: Triggers, read_by_structure: bool
) -> None:
    doc, text = state.doc, paragraph.text
    full = " ".join([text, *(b.text for b in paragraph.children)]) if paragraph.children else text
    kind = TIPKG.Paragraph if paragraph.item is None else TIPKG.SummaryParagraph
    doc.paragraph(
        paragraph.block,
        paragraph.iri,
        paragraph.section,
        number=paragraph.number,
        kind=kind,
        text=full,
    )
    for child in paragraph.children:
        doc.cite(paragraph.iri, child.text, child)
    if paragraph.item is not None:
        doc.add(paragraph.iri, TIPKG.aboutAgendaItem, state.meeting.item(paragraph.item))
    read_acts = provisions(doc, paragraph.block, paragraph.iri)
    problems: list[str] = []
    understood = read_by_structure or bool(read_acts)
    for sentence in sentences(text):
        acts = list(parse.ACT.finditer(sentence))
        if acts:
            last = acts[-1]
            state.last_act = ID[
                f"{last.group(1)}/cop/{parse.act_slug(last.group(2), last.group(3))}"
            ]
        read = bureau_decision(doc, state.meeting, sentence, paragraph.iri) or sentence in read_acts
        found = state.table.match(sentence)
        if found is not None:
            row, match = found
            reader = READERS.get(row.reads)
            if reader is None:
                raise ExtractError(
                    f"sentences.toml: row {row.id!r} reads {row.reads!r}, which no reader reads"
                )
            try:
                outcome = reader(state, paragraph, match, row.params)
            except UnknownName as exc:
                if exc.is_name:
                    raise
                outcome = str(exc).split(": ", 1)[-1]  # layout debris, at its line
            except ExtractError as exc:
                outcome = str(exc).split(": ", 1)[-1]
            if outcome is True:
                understood = True
                continue
            problems.append(f"row {row.id!r} matched but {outcome}: {sentence[:80]!r}")
            continue
        understood = understood or read
        problem = unread(
            sentence,
            triggers,
            state.table.cue_words,
            read,
            tuple(state.people),
            paragraph.item,
            check_items=True,
        )
        if problem:
            problems.append(problem)
    state.last_act = None
    doc.mentions(paragraph.iri, full)
    doc.tag_topics(paragraph.iri, full)
    status = NOT_UNDERSTOOD if problems else UNDERSTOOD if understood else TEXT_ONLY
    doc.coverage.record(
        status,
        paragraph.iri,
        paragraph.block.line,
        f"paragraph {paragraph.number}",
        "; ".join(problems),
    )
