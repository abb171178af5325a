"""Extract a report or draft report of a meeting: its chapters and numbered paragraphs,
recommendations, summaries of deliberations, plenary meetings, officers, panellists,
statements, attendance, documentation and the adoption of the agenda and report."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, XSD, Literal, URIRef

from tipkg.extract import parse
from tipkg.extract.agenda import SCHEMA_MIXED, bureau_decision, list_items, provisions, sentences
from tipkg.extract.document import COP, SECRETARIAT, STATES_PARTIES, DocumentGraph, Meeting, slug
from tipkg.extract.resolve import normalize
from tipkg.extract.text import Block
from tipkg.vocab import ID, TIPKG

_CHAPTER = re.compile(r"^([IVX]+)\.\s+(.+)$")
_SECTION = re.compile(r"^([A-H])\.\s+(.+)$")
_PARAGRAPH = re.compile(r"^(\d+)\.\s+(.+)$")
_RECOMMENDATION = re.compile(r"^Recommendation (\d+)$")
_LETTERED = re.compile(r"^\(([a-z])\)\s+(.+)$")
_ITEMS_AT = r"agenda items? (?P<items>(?:\d+(?:\s*\([a-z]\))?(?:,\s*|\s+and\s+)?)+)"
_STATUS_BY_LIST = [
    (r"^The following (?:States )?parties to the .+? were represented", TIPKG.PartyToProtocol),
    (r"^The following States signatories to the .+? were represented", TIPKG.SignatoryObserver),
    (
        r"^The following States that are not parties or signatories .+? were represented",
        TIPKG.NonPartyObserver,
    ),
    (
        r"^The following intergovernmental organizations.*? were represented",
        TIPKG.IntergovernmentalObserver,
    ),
]
_STATUS_BY_SUBJECT = [
    (
        r"^(?:The )?(.+?), a non-member State maintaining a permanent observer mission, was "
        r"represented by an observer\.$",
        TIPKG.NonMemberStateObserver,
    ),
    (
        r"^(?:The )?(.+?), an entity maintaining a permanent observer office, was represented by "
        r"an observer\.$",
        TIPKG.ObserverEntityObserver,
    ),
    (
        r"^(?:The )?(.+?), a regional economic integration organization that is a party to "
        r"the .+?, "
        r"was represented at the meeting\.$",
        TIPKG.PartyToProtocol,
    ),
    (r"^(?:The )?(.+?) was represented by an observer\.$", TIPKG.IntergovernmentalObserver),
]


@dataclass
class Paragraph:
    """A numbered paragraph with the blocks printed under it (list items, sub-paragraphs)."""

    number: int
    block: Block
    iri: URIRef
    section: URIRef
    chapter: str
    children: list[Block] = field(default_factory=list)

    @property
    def text(self) -> str:
        return _PARAGRAPH.match(self.block.text).group(2)  # type: ignore[union-attr]


@dataclass
class ReportState:
    """What reading a report has established so far."""

    doc: DocumentGraph
    meeting: Meeting
    titles: dict[str, str] = field(default_factory=dict)
    statement_items: list[str] = field(default_factory=list)
    statements: int = 0
    lists: int = 0
    people: dict[str, URIRef] = field(default_factory=dict)
    recommendations: int = 0


def extract_report(doc: DocumentGraph, meeting: int | None) -> None:
    """Add everything a report or draft report states to ``doc.graph``."""
    draft = any(normalize(b.text) == "draft report" for b in doc.text.blocks[:15])
    header = doc.read_header(TIPKG.DraftReport if draft else TIPKG.Report)
    paragraphs, recommendations = _structure(doc)
    header.ordinal = _ordinal(doc, paragraphs, meeting)
    state = ReportState(doc=doc, meeting=header)
    meeting_iri = doc.describe_meeting(header, URIRef(f"{doc.doc}/section/header"))
    title = next(
        b.text
        for b in doc.text.blocks[:15]
        if normalize(b.text).startswith(("report on the meeting", "draft report"))
    )
    doc.text_value(doc.doc, TIPKG.title, title)
    doc.add(doc.doc, TIPKG.preparedFor, meeting_iri)
    doc.add(doc.doc, TIPKG.preparedBy, SECRETARIAT)
    state.titles = _adopted_agenda_titles(doc, paragraphs)
    for paragraph in paragraphs:
        _read_paragraph(state, paragraph)
    for section, intro, blocks in recommendations:
        _recommendations(state, section, intro, blocks)


def _structure(
    doc: DocumentGraph,
) -> tuple[list[Paragraph], list[tuple[URIRef, Paragraph, list[Block]]]]:
    """Group the blocks into chapters, sections, numbered paragraphs and recommendations.

    Recommendations are either headed "Recommendation N" (2022) or printed as the list
    items of a paragraph of chapter II ending "... the following actions:" (2017).
    """
    chapter = ""
    section: URIRef = doc.section("header", "Document header")
    paragraphs: list[Paragraph] = []
    recommendations: list[tuple[URIRef, Paragraph, list[Block]]] = []
    group: list[Block] | None = None
    for block in doc.text.blocks:
        chapter_match, section_match = _CHAPTER.match(block.text), _SECTION.match(block.text)
        numbered = _PARAGRAPH.match(block.text)
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
        elif numbered and int(numbered.group(1)) == expected:
            iri = URIRef(f"{doc.doc}/para/{expected}")
            paragraphs.append(Paragraph(expected, block, iri, section, chapter))
            group = None
        elif not paragraphs:
            raise doc.fail(
                block,
                f"expected paragraph 1 after the first chapter heading; got {block.text[:80]!r}",
            )
        elif _RECOMMENDATION.match(block.text):
            group = [block]
            recommendations.append((section, paragraphs[-1], group))
        elif group is not None:
            group.append(block)
        else:
            paragraphs[-1].children.append(block)
    for paragraph in paragraphs:
        if paragraph.chapter == "II" and paragraph.text.endswith("the following actions:"):
            recommendations.append((paragraph.section, paragraph, paragraph.children))
    return paragraphs, recommendations


def _ordinal(doc: DocumentGraph, paragraphs: list[Paragraph], manifest: int | None) -> int:
    stated = None
    for paragraph in paragraphs:
        match = re.search(r"The (\w+) meeting of the Working Group .*?was held", paragraph.text)
        if match and parse.ordinal(match.group(1)):
            stated = parse.ordinal(match.group(1))
        prior = re.search(r"held a total of (\w+) meetings prior to its meeting", paragraph.text)
        if prior and parse.cardinal(prior.group(1)):
            stated = (parse.cardinal(prior.group(1)) or 0) + 1
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


def _adopted_agenda_titles(doc: DocumentGraph, paragraphs: list[Paragraph]) -> dict[str, str]:
    for paragraph in paragraphs:
        if re.search(r"adopted by consensus the following agenda", paragraph.text):
            items = [b.text for b in paragraph.children]
            titles: dict[str, str] = {}
            parent = ""
            for text in items:
                number = re.match(r"^(\d+)\.\s+(.+?)[.:;]?$", text)
                letter = re.match(r"^\(([a-z])\)\s+(.+?)[.:;]?$", text)
                if number:
                    parent = number.group(1)
                    titles[parent] = number.group(2)
                elif letter:
                    titles[f"{parent}{letter.group(1)}"] = letter.group(2)
            return titles
    raise doc.fail(
        paragraphs[-1].block,
        'expected a paragraph "... adopted by consensus the '
        'following agenda:" listing the agenda items',
    )


def _read_paragraph(state: ReportState, paragraph: Paragraph) -> None:
    doc, text = state.doc, paragraph.text
    full = " ".join([text, *(b.text for b in paragraph.children)]) if paragraph.children else text
    item = _section_item(state, paragraph)
    kind = TIPKG.Paragraph if item is None else TIPKG.SummaryParagraph
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
    if item is not None:
        doc.add(paragraph.iri, TIPKG.aboutAgendaItem, state.meeting.item(item))
    for sentence in sentences(text):
        bureau_decision(doc, state.meeting, sentence, paragraph.iri)
    provisions(doc, paragraph.block, paragraph.iri)
    for reader in _READERS:
        if reader(state, paragraph, item):
            break
    doc.mentions(paragraph.iri, full)
    doc.tag_topics(paragraph.iri, full)


def _is_summary(doc: DocumentGraph, paragraph: Paragraph) -> bool:
    heading = doc.graph.value(URIRef(f"{doc.doc}/section/{paragraph.chapter}"), TIPKG.heading)
    return heading is not None and normalize(str(heading)) == "summary of deliberations"


def _section_item(state: ReportState, paragraph: Paragraph) -> str | None:
    """Return the agenda item a section of the summary of deliberations is about."""
    heading = state.doc.graph.value(paragraph.section, TIPKG.heading)
    if heading is None or paragraph.section == URIRef(
        f"{state.doc.doc}/section/{paragraph.chapter}"
    ):
        return None
    wanted = normalize(str(heading))
    for number, title in state.titles.items():
        if (
            normalize(title) == wanted
            and paragraph.chapter == "III"
            and _is_summary(state.doc, paragraph)
        ):
            state.doc.add(paragraph.section, TIPKG.aboutAgendaItem, state.meeting.item(number))
            return number
    return None


# -- paragraph readers: each returns True when it recognised the paragraph -----------------


def _earlier_meetings(state: ReportState, paragraph: Paragraph, item: str | None) -> bool:
    doc, text, meeting = state.doc, paragraph.text, state.meeting
    first = re.search(r"met for the first time on (.+? \d{4})", text)
    if first:
        doc.other_meeting(meeting.body, 1, paragraph.iri, parse.date_range(first.group(1)))
    previous = re.search(r"The previous sessions of this working group were held (.+)$", text)
    if previous:
        spans = parse.find_date_ranges(previous.group(1))
        for ordinal, span in enumerate(spans, start=1):
            doc.other_meeting(meeting.body, ordinal, paragraph.iri, span)
        if meeting.ordinal is not None and len(spans) != meeting.ordinal - 1:
            raise doc.fail(
                paragraph.block,
                f"{len(spans)} previous sessions are listed but this is meeting {meeting.ordinal}",
            )
    if re.search(r"decided to establish an open-ended interim working group", text):
        doc.add(meeting.body, TIPKG.establishedBy, ID["decision/cop/4-4"])
    return bool(first or previous)


def _meeting_held(state: ReportState, paragraph: Paragraph, item: str | None) -> bool:
    doc, text, meeting = state.doc, paragraph.text, state.meeting
    held = re.search(r"(?:met|was held) in (\w+) (?:on|from) (.+? \d{4})", text)
    count = re.search(
        r"holding a total of (\w+) meetings|(\w+) meetings were held during the session",
        text,
        re.IGNORECASE,
    )
    if not (held or count):
        return False
    if count:
        number = parse.cardinal(count.group(1) or count.group(2))
        doc.typed(meeting.iri, number, TIPKG.plenaryMeetingCount, XSD.nonNegativeInteger)
    if re.search(r"was held in a hybrid format", text):
        doc.add(meeting.iri, TIPKG["format"], SCHEMA_MIXED)
    doc.source(meeting.iri, paragraph.iri)
    return True


def _adoption_of_recommendations(
    state: ReportState, paragraph: Paragraph, item: str | None
) -> bool:
    if re.search(r"adopted the recommendations presented below", paragraph.text):
        state.doc.source(state.meeting.iri, paragraph.iri)
        return True
    return False


def _considered(state: ReportState, paragraph: Paragraph, item: str | None) -> bool:
    match = re.search(
        rf"At its ([\w,\s]+?) meetings?, on (.+? \d{{4}}), the Working Group considered "
        rf"{_ITEMS_AT}",
        paragraph.text,
    )
    if not match:
        return False
    ordinals = [parse.ordinal(w) for w in re.findall(r"\w+", match.group(1)) if parse.ordinal(w)]
    dates = parse.find_date_ranges(match.group(2))
    single_day = len(dates) == 1 and dates[0][0] == dates[0][1]
    for number in _items(match.group("items")):
        for ordinal in ordinals:
            plenary = _plenary(
                state, ordinal or 0, paragraph.iri, dates[0][0] if single_day else None
            )
            state.doc.add(plenary, TIPKG.consideredItem, state.meeting.item(number))
            state.doc.add(state.meeting.item(number), TIPKG.consideredAt, plenary)
    _panel(state, paragraph, item)
    return True


def _plenary(state: ReportState, ordinal: int, source: URIRef, day: object = None) -> URIRef:
    doc, meeting = state.doc, state.meeting
    iri = URIRef(f"{meeting.iri}/plenary/{ordinal}")
    doc.add(iri, RDF.type, TIPKG.PlenaryMeeting)
    doc.add(iri, TIPKG.plenaryOf, meeting.iri)
    doc.typed(iri, ordinal, TIPKG.ordinal, XSD.positiveInteger)
    doc.text_value(
        iri,
        RDFS.label,
        f"{_nth(ordinal)} plenary meeting of the {doc.graph.value(meeting.iri, RDFS.label)}",
    )
    if day is not None:
        doc.typed(iri, day.isoformat(), TIPKG.date, XSD.date)  # type: ignore[attr-defined]
    doc.source(iri, source)
    return iri


def _nth(number: int) -> str:
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number if number < 20 else number % 10, "th")
    return f"{number}{suffix}"


def _items(text: str) -> list[str]:
    return [n + (letter or "") for n, letter in re.findall(r"(\d+)\s*(?:\(([a-z])\))?", text)]


def _panel(state: ReportState, paragraph: Paragraph, item: str | None) -> bool:
    text = paragraph.text
    match = re.search(
        r"[Tt]he discussion (?:under item (\d+) )?was (facilitated|led) by "
        r"(?:the following panellists: )?(.+)\.$",
        text,
    )
    under = re.search(r"Under agenda item (\d+)", text)
    if not match:
        return False
    number = match.group(1) or (under.group(1) if under else item)
    if number is None:
        raise state.doc.fail(
            paragraph.block, "cannot tell which agenda item this discussion was under"
        )
    role = (
        TIPKG.Panellist
        if "panellist" in text
        else TIPKG.Facilitator
        if match.group(2) == "facilitated"
        else None
    )
    for person in _people(state, match.group(3), paragraph):
        panel = URIRef(f"{state.meeting.item(number)}/panel/{str(person).rsplit('/', 1)[1]}")
        state.doc.add(panel, RDF.type, TIPKG.PanelRole)
        state.doc.add(panel, TIPKG.participant, person)
        state.doc.add(panel, TIPKG.participationIn, state.meeting.iri)
        state.doc.add(panel, TIPKG.underItem, state.meeting.item(number))
        if role is not None:
            state.doc.add(panel, TIPKG.role, role)
        state.doc.source(panel, paragraph.iri)
    return True


def _people(state: ReportState, text: str, paragraph: Paragraph) -> list[URIRef]:
    """Read "Name, Title, Affiliation (State), and Name (State)" into person resources."""
    doc = state.doc
    entries = re.findall(r"\s*(?:and\s+)?(.+?)\s*\(([^()]+)\)(?:,|$)", text)
    if not entries:
        raise doc.fail(
            paragraph.block, f'expected persons written "Name, Title (State)"; got {text[:80]!r}'
        )
    people = []
    for described, state_name in entries:
        described = re.sub(r"^and\s+", "", described.strip())
        honorific = re.match(r"^(Mr|Mrs|Ms|Dr|H\.E\.)\.?\s+", described)
        if honorific:
            described = described[honorific.end() :]
        chunks = [c.strip() for c in described.split(",")]
        name, rest = chunks[0], chunks[1:]
        person = ID[f"person/{slug(name)}"]
        doc.add(person, RDF.type, TIPKG.Person)
        doc.text_value(person, RDFS.label, name)
        if honorific:
            doc.add(person, TIPKG.honorific, Literal(honorific.group(1) + "."))
        doc.add(person, TIPKG.fromState, doc.names.resolve(state_name, doc.where(paragraph.block)))
        affiliation_at = next(
            (i for i in range(len(rest)) if doc.names.get(", ".join(rest[i:]))), None
        )
        if rest and affiliation_at is None:
            raise doc.fail(
                paragraph.block,
                f"the affiliation in {', '.join(rest)!r} is not an "
                "organization known to data/reference/organizations.ttl; add it there",
            )
        if affiliation_at is not None:
            doc.add(
                person,
                TIPKG.affiliation,
                doc.names.resolve(", ".join(rest[affiliation_at:]), doc.where(paragraph.block)),
            )
            if affiliation_at:
                doc.text_value(person, TIPKG.jobTitle, ", ".join(rest[:affiliation_at]))
        doc.source(person, paragraph.iri)
        state.people[name] = person
        people.append(person)
    return people


def _officers(state: ReportState, paragraph: Paragraph, item: str | None) -> bool:
    match = re.search(
        r"The meeting was opened by (.+?), (Co-Chairs|Chair) of the Working Group\.", paragraph.text
    )
    if not match:
        return False
    role = TIPKG.CoChair if match.group(2) == "Co-Chairs" else TIPKG.Chair
    for person in _people(state, match.group(1).replace(" and ", ", "), paragraph):
        office = URIRef(f"{state.meeting.iri}/office/{str(person).rsplit('/', 1)[1]}")
        doc = state.doc
        doc.add(office, RDF.type, TIPKG.Office)
        doc.add(office, TIPKG.holder, person)
        doc.add(office, TIPKG.officeOf, state.meeting.body)
        doc.add(office, TIPKG.role, role)
        doc.add(office, TIPKG.atMeeting, state.meeting.iri)
        doc.source(office, paragraph.iri)
    return True


def _presentation(state: ReportState, paragraph: Paragraph, item: str | None) -> bool:
    match = re.match(
        r"(Ms|Mr|Mrs)\. ([\w’'-]+)(, whose statement was read by a delegate from the (.+?),)?",
        paragraph.text,
    )
    if not match or item is None:
        return False
    person = next(
        (iri for name, iri in state.people.items() if name.split()[-1] == match.group(2)), None
    )
    if person is None:
        raise state.doc.fail(
            paragraph.block,
            f"{match.group(1)}. {match.group(2)} is not one of the "
            "panellists or facilitators named before",
        )
    doc = state.doc
    doc.add(person, TIPKG.honorific, Literal(match.group(1) + "."))
    doc.add(person, TIPKG.familyName, Literal(match.group(2)))
    statement = _statement(state, person, [item], TIPKG.Presentation, paragraph)
    if match.group(4):
        doc.add(
            statement,
            TIPKG.deliveredBy,
            doc.names.resolve(match.group(4), doc.where(paragraph.block)),
        )
    return True


def _statement(
    state: ReportState,
    speaker: URIRef,
    items: list[str],
    kind: URIRef,
    paragraph: Paragraph,
    status: URIRef | None = None,
) -> URIRef:
    doc = state.doc
    state.statements += 1
    iri = URIRef(f"{state.meeting.iri}/statement/{state.statements}")
    doc.add(iri, RDF.type, TIPKG.Statement)
    doc.add(iri, TIPKG.speaker, speaker)
    doc.add(iri, TIPKG.atMeeting, state.meeting.iri)
    doc.add(iri, TIPKG.statementKind, kind)
    doc.typed(iri, state.statements, TIPKG.position, XSD.positiveInteger)
    for number in items:
        doc.add(iri, TIPKG.underItem, state.meeting.item(number))
    if status is not None:
        doc.add(iri, TIPKG.speakerStatus, status)
    doc.source(iri, paragraph.iri)
    return iri


_STATEMENT_PATTERNS = [
    (
        re.compile(
            rf"^Under {_ITEMS_AT}, statements were made by (?:the )?representatives of "
            r"(?:the following (?P<parties>(?:States )?parties) to the [^:]+: )?(?P<names>.+)\.$"
        ),
        TIPKG.Intervention,
    ),
    (
        re.compile(
            r"^At the opening of the session, statements were made by the representatives of "
            r"(?:the )?(?P<names>.+)\.$"
        ),
        TIPKG.OpeningStatement,
    ),
    (
        re.compile(rf"^Under {_ITEMS_AT}[^,]*, (?P<names>.+) made interventions\.$"),
        TIPKG.Intervention,
    ),
    (
        re.compile(
            r"^The observers? for (?:the )?(?P<names>.+?) (?:also )?made (?:a )?statements?"
            rf"(?: under {_ITEMS_AT})?\.$"
        ),
        TIPKG.Intervention,
    ),
    (
        re.compile(
            r"^The Working Group also heard (?:a )?statements? by the observers? for (?:the )?"
            r"(?P<names>.+)\.$"
        ),
        TIPKG.Intervention,
    ),
    (
        re.compile(
            r"^The following States that are not (?P<nonparties>parties or signatories) to the "
            r"[^:]+ made a statement: (?P<names>.+)\.$"
        ),
        TIPKG.Intervention,
    ),
]
_SECRETARIAT_STATEMENT = re.compile(
    r"statement was made by the Secretariat under agenda item (\S+?)\.?$"
)


def _statements(state: ReportState, paragraph: Paragraph, item: str | None) -> bool:
    """Read who made statements, under which items and in what capacity.

    A paragraph that names no item ("The observer for the Holy See also made a
    statement.") continues the items of the statement paragraph before it.
    """
    doc, text = state.doc, paragraph.text
    for pattern, kind in _STATEMENT_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        groups = match.groupdict()
        if groups.get("items"):
            items = _items(groups["items"])
        elif kind == TIPKG.OpeningStatement:
            items = []
        else:
            items = list(state.statement_items)
        status = TIPKG.PartyToProtocol if groups.get("parties") else None
        if groups.get("nonparties"):
            status = TIPKG.NonPartyObserver
        names = groups["names"]
        printed = re.sub(r"\s*\[(\.\.\.|…)\]\s*", "", names).strip()
        if printed != names.strip():
            doc.add(paragraph.iri, TIPKG.complete, Literal(False))
        speakers: list[URIRef] = []
        if printed not in (
            "",
            "signatory States",
        ):  # "The observers for the signatory States [...]"
            speakers, _ = doc.names.resolve_list(names, doc.where(paragraph.block))
        for speaker in speakers:
            _statement(state, speaker, items, kind, paragraph, status)
        if items:
            state.statement_items = items
        return True
    presentation = re.match(r"A representative of the secretariat made a presentation", text)
    if presentation and item is not None:
        _statement(state, SECRETARIAT, [item], TIPKG.Presentation, paragraph)
        return True
    secretariat = _SECRETARIAT_STATEMENT.search(text)
    if secretariat:
        items = _items(secretariat.group(1))
        _statement(state, SECRETARIAT, items, TIPKG.IntroductoryStatement, paragraph)
        return True
    return False


def _attendance(state: ReportState, paragraph: Paragraph, item: str | None) -> bool:
    doc, text = state.doc, paragraph.text
    where = doc.where(paragraph.block)
    for pattern, status in _STATUS_BY_LIST:
        if re.search(pattern, text):
            names = re.search(r"represented[^:]*: (.+)\.$", text)
            if not names:
                raise doc.fail(
                    paragraph.block, "expected the list of those represented after a colon"
                )
            agents, complete = doc.names.resolve_list(names.group(1), where)
            _participations(state, agents, status, complete, paragraph)
            return True
    for pattern, status in _STATUS_BY_SUBJECT:
        match = re.search(pattern, text)
        if match:
            agent = doc.names.resolve(match.group(1), where)
            _participations(state, [agent], status, True, paragraph)
            return True
    participants = re.search(r"A list of participants is contained in document (\S+?)\.?$", text)
    if participants:
        document = doc.document(participants.group(1), "List of participants")
        doc.add(document, TIPKG.preparedFor, state.meeting.iri)
        doc.source(document, paragraph.iri)
        return True
    return False


def _participations(
    state: ReportState, agents: list[URIRef], status: URIRef, complete: bool, paragraph: Paragraph
) -> None:
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


def _agenda_adoption(state: ReportState, paragraph: Paragraph, item: str | None) -> bool:
    match = re.search(
        r"At its (\w+) meeting, on (.+? \d{4}), the Working Group adopted "
        r"(by consensus )?the following agenda:",
        paragraph.text,
    )
    if not match:
        return False
    doc, meeting = state.doc, state.meeting
    agenda = URIRef(f"{meeting.iri}/agenda/adopted")
    doc.add(agenda, RDF.type, TIPKG.AdoptedAgenda)
    doc.add(agenda, TIPKG.agendaOf, meeting.iri)
    doc.add(agenda, TIPKG.adoptedAt, meeting.iri)
    doc.text_value(
        agenda, RDFS.label, f"agenda adopted by the {doc.graph.value(meeting.iri, RDFS.label)}"
    )
    doc.source(agenda, paragraph.iri)
    list_items(doc, meeting, paragraph.children, agenda, paragraph.iri)
    adoption = _adoption(state, "agenda", match.group(1), match.group(2), paragraph)
    doc.add(adoption, TIPKG.adopted, agenda)
    doc.add(adoption, TIPKG.byConsensus, Literal(bool(match.group(3))))
    return True


def _adoption(
    state: ReportState, what: str, plenary: str | None, date_text: str, paragraph: Paragraph
) -> URIRef:
    """Describe the adoption of the agenda or the report: its date and plenary meeting."""
    doc = state.doc
    adoption = URIRef(f"{state.meeting.iri}/adoption/{what}")
    doc.add(adoption, RDF.type, TIPKG.Adoption)
    doc.text_value(adoption, RDFS.label, f"adoption of the {what}")
    day = parse.date_range(date_text)
    if day:
        doc.typed(adoption, day[0].isoformat(), TIPKG.date, XSD.date)
        if plenary:
            sitting = _plenary(state, parse.ordinal(plenary) or 1, paragraph.iri, day[0])
            doc.add(adoption, TIPKG.duringPlenary, sitting)
    doc.source(adoption, paragraph.iri)
    return adoption


def _documentation(state: ReportState, paragraph: Paragraph, item: str | None) -> bool:
    if not re.search(r"The Working Group had before it the following:", paragraph.text):
        return False
    for child in paragraph.children:
        document, _ = state.doc.documentation_entry(child)
        state.doc.add(document, TIPKG.beforeMeeting, state.meeting.iri)
        state.doc.source(document, paragraph.iri)
    return True


def _report_adoption(state: ReportState, paragraph: Paragraph, item: str | None) -> bool:
    match = re.search(
        r"(?:At its (\w+) meeting, on|On) (.+? \d{4}), the Working Group adopted "
        r"(?:chapters ([IVX, and]+) of )?the present report",
        paragraph.text,
    )
    if not match:
        return False
    doc = state.doc
    adoption = _adoption(state, "report", match.group(1), match.group(2), paragraph)
    if match.group(3):
        for chapter in re.findall(r"[IVX]+", match.group(3)):
            doc.add(adoption, TIPKG.adopted, URIRef(f"{doc.doc}/section/{chapter}"))
    else:
        doc.add(adoption, TIPKG.adopted, doc.doc)
    return True


_READERS = [
    _earlier_meetings,
    _meeting_held,
    _adoption_of_recommendations,
    _considered,
    _panel,
    _officers,
    _presentation,
    _statements,
    _attendance,
    _agenda_adoption,
    _documentation,
    _report_adoption,
]


def _recommendations(
    state: ReportState, section: URIRef, intro: Paragraph, blocks: list[Block]
) -> None:
    """Describe the recommendations printed under a section of chapter II."""
    doc, meeting = state.doc, state.meeting
    heading = str(doc.graph.value(section, TIPKG.heading) or "")
    topic = normalize(re.sub(r"^Recommendations on\s+", "", heading))
    item = next((n for n, t in state.titles.items() if topic and topic in normalize(t)), None)
    forwarded = "recommended that the Conference of the Parties consider" in intro.text
    addressed = intro.text.startswith("States parties") or "States parties should" in intro.text
    if item:
        doc.add(section, TIPKG.aboutAgendaItem, meeting.item(item))
    numbered = _RECOMMENDATION.match(blocks[0].text)
    groups = _split_numbered(blocks) if numbered else [(None, [b]) for b in blocks]
    for number, parts in groups:
        state.recommendations += 1
        position = number or state.recommendations
        iri = URIRef(f"{meeting.iri}/recommendation/{position}")
        body = [b for b in parts if not _LETTERED.match(b.text)]
        letters = [b for b in parts if _LETTERED.match(b.text)]
        text = "\n".join(b.text for b in parts)
        doc.add(iri, RDF.type, TIPKG.Recommendation)
        doc.typed(iri, position, TIPKG.position, XSD.positiveInteger)
        if number:
            doc.typed(iri, number, TIPKG.recommendationNumber, XSD.positiveInteger)
        doc.text_value(
            iri,
            RDFS.label,
            f"Recommendation {number}" if number else f"Recommendation {position} ({heading})",
        )
        doc.text_value(iri, TIPKG.text, text)
        doc.add(iri, TIPKG.inSection, section)
        doc.add(iri, TIPKG.adoptedAt, meeting.iri)
        if item:
            doc.add(iri, TIPKG.aboutAgendaItem, meeting.item(item))
        if forwarded:
            doc.add(iri, TIPKG.forwardedTo, COP)
        first = body[0].text if body else text
        if addressed or re.match(r"States? parties", first):
            doc.add(iri, TIPKG.addressee, STATES_PARTIES)
        for letter_block in letters:
            match = _LETTERED.match(letter_block.text)
            sub = URIRef(f"{iri}/{match.group(1)}")  # type: ignore[union-attr]
            doc.add(sub, RDF.type, TIPKG.SubParagraph)
            doc.add(sub, TIPKG.letter, Literal(match.group(1)))  # type: ignore[union-attr]
            doc.text_value(sub, TIPKG.text, match.group(2))  # type: ignore[union-attr]
            doc.add(iri, TIPKG.subParagraph, sub)
            doc.source(sub, intro.iri)
        doc.cite(iri, text, parts[0])
        doc.mentions(iri, text)
        doc.tag_topics(iri, text)
        doc.source(iri, intro.iri)
        doc.source(iri, section)


def _split_numbered(blocks: list[Block]) -> list[tuple[int | None, list[Block]]]:
    groups: list[tuple[int | None, list[Block]]] = []
    for block in blocks:
        match = _RECOMMENDATION.match(block.text)
        if match:
            groups.append((int(match.group(1)), []))
        elif groups:
            groups[-1][1].append(block)
    return groups
