"""Read who attended a meeting and who spoke: attendance lists, single attendance
sentences, statements and the capacity in which each speaker spoke."""

from __future__ import annotations

import re

from rdflib import RDF, XSD, Literal, URIRef

from tipkg.extract.document import SECRETARIAT
from tipkg.extract.report_state import Paragraph, ReportState, SpokenStatement, items
from tipkg.vocab import TIPKG

_TRUNCATION = re.compile(r"\s*\[(\.\.\.|…)\]\s*")


def statement(
    state: ReportState,
    speaker: URIRef,
    under: list[str],
    kind: URIRef,
    paragraph: Paragraph,
    status: URIRef | None = None,
    capacity: str | None = None,
) -> URIRef:
    """Describe one statement; its speaker's status is settled after the attendance."""
    doc = state.doc
    state.statements += 1
    iri = URIRef(f"{state.meeting.iri}/statement/{state.statements}")
    doc.add(iri, RDF.type, TIPKG.Statement)
    doc.add(iri, TIPKG.speaker, speaker)
    doc.add(iri, TIPKG.atMeeting, state.meeting.iri)
    doc.add(iri, TIPKG.statementKind, kind)
    doc.typed(iri, state.statements, TIPKG.position, XSD.positiveInteger)
    for number in under:
        doc.add(iri, TIPKG.underItem, state.meeting.item(number))
    if status is not None:
        doc.add(iri, TIPKG.speakerStatus, status)
    elif kind != TIPKG.Presentation and speaker != SECRETARIAT:
        state.spoken.append(SpokenStatement(iri, speaker, capacity))
    doc.source(iri, paragraph.iri)
    return iri


def read_statement(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool:
    """Statements were made by the representatives of / the observer for ... (under item N).

    A sentence that names no item ("The observer for the Holy See also made a
    statement.") continues the items of the statement sentence before it.
    """
    doc = state.doc
    groups = match.groupdict()
    kind = TIPKG[params.get("kind", "Intervention")]
    if groups.get("items"):
        under = items(groups["items"])
    elif kind == TIPKG.OpeningStatement:
        under = []
    elif paragraph.item is not None:
        under = [paragraph.item]  # in the summary of an item
    else:
        under = list(state.statement_items)
    status_term = state.table.status(groups["status"]) if groups.get("status") else None
    status = TIPKG[status_term] if status_term else None
    names = groups["names"]
    printed = _TRUNCATION.sub(" ", names).strip()
    if printed != names.strip():
        doc.add(paragraph.iri, TIPKG.complete, Literal(False))
    speakers: list[URIRef] = []
    if re.sub(r"^the\b\s*", "", printed):
        speakers, _ = doc.names.resolve_list(names, doc.where(paragraph.block))
    for speaker in speakers:
        statement(state, speaker, under, kind, paragraph, status, params.get("capacity"))
    if under:
        state.statement_items = under
    return True


def read_secretariat(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool | str:
    """A representative of the secretariat made a presentation / an introductory statement."""
    groups = match.groupdict()
    under = items(groups["items"]) if groups.get("items") else []
    if not under and paragraph.item is not None:
        under = [paragraph.item]
    if not under:
        return "cannot tell which agenda item the secretariat spoke under"
    kind = TIPKG[params.get("kind", "IntroductoryStatement")]
    statement(state, SECRETARIAT, under, kind, paragraph)
    return True


def read_attendance(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool | str:
    """The following parties ... were represented: A, B [...] / X was represented by ..."""
    doc = state.doc
    groups = match.groupdict()
    term = params.get("status") or (
        state.table.status(groups["status"]) if groups.get("status") else None
    )
    if term is None:
        return f"no participation status for {groups.get('status')!r}"
    where = doc.where(paragraph.block)
    if groups.get("name"):
        agents, complete = [doc.names.resolve(groups["name"], where)], True
    else:
        agents, complete = doc.names.resolve_list(groups["names"], where)
    participations(state, agents, TIPKG[term], complete, paragraph)
    return True


def participations(
    state: ReportState, agents: list[URIRef], status: URIRef, complete: bool, paragraph: Paragraph
) -> None:
    """Describe an attendance list and one participation per agent it names."""
    doc, meeting = state.doc, state.meeting
    state.lists += 1
    listing = URIRef(f"{meeting.iri}/attendance-list/{state.lists}")
    doc.add(listing, RDF.type, TIPKG.AttendanceList)
    doc.add(listing, TIPKG.complete, Literal(complete))
    doc.add(listing, TIPKG.atMeeting, meeting.iri)
    doc.typed(listing, state.lists, TIPKG.position, XSD.positiveInteger)
    doc.source(listing, paragraph.iri)
    if not complete:
        doc.add(paragraph.iri, TIPKG.complete, Literal(False))
    for agent in agents:
        participation = URIRef(f"{meeting.iri}/participation/{str(agent).rsplit('/', 1)[1]}")
        doc.add(participation, RDF.type, TIPKG.Participation)
        doc.add(participation, TIPKG.participationIn, meeting.iri)
        doc.add(participation, TIPKG.participant, agent)
        doc.add(participation, TIPKG.participationStatus, status)
        doc.add(participation, TIPKG.listedIn, listing)
        doc.source(participation, paragraph.iri)


def read_participants_document(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool:
    """A list of participants is contained in document X."""
    doc = state.doc
    document = doc.document(match.group("symbol").rstrip("."), "List of participants")
    doc.add(document, TIPKG.preparedFor, state.meeting.iri)
    doc.source(document, paragraph.iri)
    return True


def settle_speaker_status(state: ReportState) -> None:
    """Give each statement the status its speaker attended the meeting in.

    Statement sentences often name only the speaker ("the observer for the Holy See");
    the attendance chapter says in what capacity each State or organization attended.
    """
    doc = state.doc
    for spoken in state.spoken:
        key = str(spoken.speaker).rsplit("/", 1)[1]
        participation = URIRef(f"{state.meeting.iri}/participation/{key}")
        statuses = sorted(set(doc.graph.objects(participation, TIPKG.participationStatus)))
        if len(statuses) == 1 and isinstance(statuses[0], URIRef):
            doc.add(spoken.iri, TIPKG.speakerStatus, statuses[0])
