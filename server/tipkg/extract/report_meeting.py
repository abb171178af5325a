"""Read what a report says about the meeting itself: where and how it was held, its
sittings and what each considered, the earlier meetings of the body, the adoption of the
agenda and the report, and the documents before it."""

from __future__ import annotations

import re

from rdflib import RDF, RDFS, XSD, Literal, URIRef

from tipkg.extract import parse
from tipkg.extract.agenda import SCHEMA_MIXED, SCHEMA_OFFLINE, list_items
from tipkg.extract.report_state import Paragraph, ReportState, items, ordinals, plenary
from tipkg.vocab import TIPKG


def read_meeting_held(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool:
    """The Working Group met in Vienna on ..., holding a total of four meetings."""
    doc, meeting = state.doc, state.meeting
    count = match.groupdict().get("count")
    if count and parse.cardinal(count):
        doc.typed(
            meeting.iri, parse.cardinal(count), TIPKG.plenaryMeetingCount, XSD.nonNegativeInteger
        )
    if "hybrid format" in match.group():
        doc.add(meeting.iri, TIPKG["format"], SCHEMA_MIXED)
    doc.source(meeting.iri, paragraph.iri)
    return True


def read_plenary_count(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool | str:
    """Five meetings were held during the session."""
    return _count(state, paragraph, match, TIPKG.plenaryMeetingCount)


def _count(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], prop: URIRef
) -> bool | str:
    """State the number the sentence spells (group ``count``) as ``prop`` of the meeting."""
    number = parse.cardinal(match.group("count"))
    if number is None:
        return f"{match.group('count')!r} is not a number"
    state.doc.typed(state.meeting.iri, number, prop, XSD.nonNegativeInteger)
    state.doc.source(state.meeting.iri, paragraph.iri)
    return True


def read_hybrid(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool:
    """The meeting was held in a hybrid format."""
    state.doc.add(state.meeting.iri, TIPKG["format"], SCHEMA_MIXED)
    state.doc.source(state.meeting.iri, paragraph.iri)
    return True


def read_in_person(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool:
    """The meeting was held in person."""
    state.doc.add(state.meeting.iri, TIPKG["format"], SCHEMA_OFFLINE)
    state.doc.source(state.meeting.iri, paragraph.iri)
    return True


def read_first_meeting(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool:
    """The Working Group met for the first time on ... (and held a total of N meetings ...)."""
    doc, meeting = state.doc, state.meeting
    doc.other_meeting(meeting.body, 1, paragraph.iri, parse.date_range(match.group("date")))
    if match.groupdict().get("count"):
        read_prior_meetings(state, paragraph, match, params)
    return True


def read_earlier_meeting(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool | str:
    """At its tenth meeting, held on 10 and 11 September 2020, the Working Group ..."""
    number = parse.ordinal(match.group("ordinal"))
    if number is None:
        return f"{match.group('ordinal')!r} is not an ordinal"
    dates = parse.date_range(match.group("date"))
    state.doc.other_meeting(state.meeting.body, number, paragraph.iri, dates)
    return True


def read_prior_meetings(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool | str:
    """The Working Group held a total of eleven meetings prior to its meeting in 2022."""
    return _count(state, paragraph, match, TIPKG.priorMeetingCount)


def read_previous_meetings(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool | str:
    """The previous sessions of this working group were held from ... to ..., on ..."""
    doc, meeting = state.doc, state.meeting
    spans = parse.find_date_ranges(match.group("rest"))
    if meeting.ordinal is not None and len(spans) != meeting.ordinal - 1:
        return f"{len(spans)} previous sessions are listed but this is meeting {meeting.ordinal}"
    for ordinal, span in enumerate(spans, start=1):
        doc.other_meeting(meeting.body, ordinal, paragraph.iri, span)
    return True


def read_established(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool | str:
    """In that decision, the Conference decided to establish an open-ended working group on X:
    the act cited last in the paragraph established the body, if X is this body."""
    doc = state.doc
    if doc.names.get(match.group("group")) != state.meeting.body:
        return f"{match.group('group')!r} is not the body this document is about"
    if state.last_act is None:
        return "no decision or resolution is cited before this sentence"
    doc.add(state.meeting.body, TIPKG.establishedBy, state.last_act)
    return True


def read_considered(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool:
    """At its 1st and 2nd meetings, on 29 June 2022, the Working Group considered item 2."""
    numbers = ordinals(match.group("ordinals"))
    dates = parse.find_date_ranges(match.group("date"))
    single_day = len(dates) == 1 and dates[0][0] == dates[0][1]
    for number in items(match.group("items")):
        for ordinal in numbers:
            sitting = plenary(state, ordinal, paragraph.iri, dates[0][0] if single_day else None)
            state.doc.add(sitting, TIPKG.consideredItem, state.meeting.item(number))
            state.doc.add(state.meeting.item(number), TIPKG.consideredAt, sitting)
    return True


def read_agenda_adoption(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool:
    """At its 1st meeting, on ..., the Working Group adopted (by consensus) the following agenda:"""
    doc, meeting = state.doc, state.meeting
    agenda = URIRef(f"{meeting.iri}/agenda/adopted")
    doc.add(agenda, RDF.type, TIPKG.AdoptedAgenda)
    doc.add(agenda, TIPKG.agendaOf, meeting.iri)
    doc.add(agenda, TIPKG.adoptedAt, meeting.iri)
    doc.text_value(
        agenda, RDFS.label, f"agenda adopted by the {doc.graph.value(meeting.iri, RDFS.label)}"
    )
    doc.source(agenda, paragraph.iri)
    if paragraph.children:
        list_items(doc, meeting, paragraph.children, agenda, paragraph.iri)
    groups = match.groupdict()
    adoption = _adoption(state, "agenda", groups.get("ordinal"), groups["date"], paragraph)
    doc.add(adoption, TIPKG.adopted, agenda)
    doc.add(adoption, TIPKG.byConsensus, Literal(bool(groups.get("consensus"))))
    return True


def read_report_adoption(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool:
    """At its 4th meeting, on ..., the Working Group adopted (chapters of) the present report."""
    doc = state.doc
    groups = match.groupdict()
    adoption = _adoption(state, "report", groups.get("ordinal"), groups["date"], paragraph)
    if groups.get("chapters"):
        for chapter in re.findall(r"[IVX]+", groups["chapters"]):
            doc.add(adoption, TIPKG.adopted, URIRef(f"{doc.doc}/section/{chapter}"))
    else:
        doc.add(adoption, TIPKG.adopted, doc.doc)
    return True


def _adoption(
    state: ReportState, what: str, sitting: str | None, date_text: str, paragraph: Paragraph
) -> URIRef:
    """Describe the adoption of the agenda or the report: its date and plenary meeting."""
    doc = state.doc
    adoption = URIRef(f"{state.meeting.iri}/adoption/{what}")
    doc.add(adoption, RDF.type, TIPKG.Adoption)
    doc.text_value(adoption, RDFS.label, f"adoption of the {what}")
    day = parse.date_range(date_text)
    if day:
        doc.typed(adoption, day[0].isoformat(), TIPKG.date, XSD.date)
        if sitting:
            iri = plenary(state, parse.ordinal(sitting) or 1, paragraph.iri, day[0])
            doc.add(adoption, TIPKG.duringPlenary, iri)
    doc.source(adoption, paragraph.iri)
    return adoption


def read_documentation(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool | str:
    """The Working Group had before it the following: (a) ... (symbol); ..."""
    if not paragraph.children:
        return "the documents before the meeting are not listed under this paragraph"
    for child in paragraph.children:
        document, _ = state.doc.documentation_entry(child)
        state.doc.add(document, TIPKG.beforeMeeting, state.meeting.iri)
        state.doc.source(document, paragraph.iri)
    return True


def read_recommendations_adopted(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool:
    """At its meeting held in Vienna on ..., the Working Group adopted the recommendations."""
    state.doc.source(state.meeting.iri, paragraph.iri)
    return True


def read_nothing_more(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool:
    """A sentence whose facts are read elsewhere (recommendation intros, opening lines)."""
    return True
