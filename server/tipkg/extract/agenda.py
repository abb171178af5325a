"""Extract an annotated provisional agenda: the meeting, its provisional agenda and items,
the annotations and documentation under each item, extended Bureau decisions, acts
cited and what they provided, and the proposed organization of work."""

from __future__ import annotations

import re
from dataclasses import replace

from rdflib import RDF, RDFS, XSD, Literal, URIRef

from tipkg.extract import parse
from tipkg.extract.acts import bureau_decision, provisions
from tipkg.extract.coverage import NOT_UNDERSTOOD, TEXT_ONLY, UNDERSTOOD, Triggers, unread
from tipkg.extract.document import UN_LANGUAGES, DocumentGraph, Meeting
from tipkg.extract.patterns import sentences
from tipkg.extract.resolve import ExtractError, normalize
from tipkg.extract.text import Block
from tipkg.vocab import ID, TIPKG

SCHEMA_MIXED = URIRef("http://schema.org/MixedEventAttendanceMode")
SCHEMA_OFFLINE = URIRef("http://schema.org/OfflineEventAttendanceMode")
_ITEM = re.compile(r"^(\d+)\.\s+(.+?)[.:;]?$")
_SUB_ITEM = re.compile(r"^\(([a-z])\)\s+(.+?)[.:;]?$")


def extract_agenda(doc: DocumentGraph, meeting_number: int | None = None) -> None:
    """Add everything an annotated provisional agenda states to ``doc.graph``."""
    meeting = doc.read_header(TIPKG.AnnotatedProvisionalAgenda)
    blocks = doc.text.blocks
    start = _index_of(
        doc,
        blocks,
        "provisional agenda",
        after=_index_of(doc, blocks, "annotated provisional agenda"),
    )
    annotations = _index_of(doc, blocks, "annotations", after=start)
    annex = _index_of(doc, blocks, "annex", after=annotations, required=False)
    meeting.ordinal = _ordinal(doc, blocks[annotations:annex], meeting_number)
    header_section = URIRef(f"{doc.doc}/section/header")
    meeting_iri = doc.describe_meeting(meeting, header_section)
    doc.add(doc.doc, TIPKG.preparedFor, meeting_iri)
    doc.add(doc.doc, TIPKG.preparedBy, ID["body/secretariat"])
    doc.text_value(
        doc.doc,
        TIPKG.title,
        f"Annotated provisional agenda of the {doc.graph.value(meeting_iri, RDFS.label)}",
    )
    titles = _provisional_agenda(doc, meeting, blocks[start + 1 : annotations])
    _annotations(doc, meeting, titles, blocks[annotations + 1 : annex])
    for note in doc.text.footnotes.values():
        hybrid(doc, meeting, note.text)
    if annex < len(blocks):
        try:
            _organization_of_work(doc, meeting, blocks[annex + 1 :])
        except ExtractError as exc:
            section = URIRef(f"{doc.doc}/section/annex")
            doc.coverage.record(NOT_UNDERSTOOD, section, blocks[annex].line, "annex", str(exc))


def _index_of(
    doc: DocumentGraph, blocks: list[Block], heading: str, after: int = -1, required: bool = True
) -> int:
    for index in range(after + 1, len(blocks)):
        if normalize(blocks[index].text) == heading and blocks[index].cells is None:
            return index
    if required:
        raise doc.fail(
            blocks[-1],
            f"expected a heading {heading!r} in an annotated provisional "
            "agenda; is this file an agenda?",
        )
    return len(blocks)


def _ordinal(doc: DocumentGraph, blocks: list[Block], manifest: int | None) -> int:
    stated = doc.table.stated_ordinal([block.text for block in blocks])
    if stated and manifest and stated != manifest:
        raise doc.fail(
            blocks[0],
            f"the text says this is meeting {stated} but the manifest says {manifest}; "
            "correct data/sources/manifest.toml",
        )
    if stated or manifest:
        return stated or manifest or 0
    raise doc.fail(
        blocks[0],
        'expected "The <ordinal> meeting of ... will be opened on ..." under the opening '
        "item, to tell which meeting this is; or add meeting = N to the document's entry "
        "in data/sources/manifest.toml",
    )


def _provisional_agenda(
    doc: DocumentGraph, meeting: Meeting, blocks: list[Block]
) -> dict[str, str]:
    """Read the numbered list of the provisional agenda; return item number -> title."""
    section = doc.section("provisional-agenda", "Provisional agenda")
    agenda = URIRef(f"{meeting.iri}/agenda/provisional")
    doc.add(agenda, RDF.type, TIPKG.ProvisionalAgenda)
    doc.add(agenda, TIPKG.agendaOf, meeting.iri)
    doc.text_value(
        agenda, RDFS.label, f"provisional agenda of the {doc.graph.value(meeting.iri, RDFS.label)}"
    )
    doc.source(agenda, section)
    doc.add(agenda, TIPKG.source, doc.doc)
    return list_items(doc, meeting, blocks, agenda, section)


def list_items(
    doc: DocumentGraph, meeting: Meeting, blocks: list[Block], agenda: URIRef, source: URIRef
) -> dict[str, str]:
    """Describe the items an agenda lists ("1. Organizational matters:", "(a) ...")."""
    titles: dict[str, str] = {}
    parent: str | None = None
    for position, block in enumerate(blocks, start=1):
        item, sub = _ITEM.match(block.text), _SUB_ITEM.match(block.text)
        if item:
            number, title, parent_iri, printed = item.group(1), item.group(2), None, item.group(1)
            parent = number
        elif sub and parent:
            number, title = f"{parent}{sub.group(1)}", sub.group(2)
            parent_iri, printed = meeting.item(parent), f"{parent} ({sub.group(1)})"
        else:
            raise doc.fail(
                block,
                f'expected an agenda item ("2. Title") or sub-item '
                f'("(a) Title"); got {block.text[:80]!r}',
            )
        iri = meeting.item(number)
        titles[number] = title
        doc.add(iri, RDF.type, TIPKG.AgendaItem)
        doc.add(iri, TIPKG.itemOf, meeting.iri)
        doc.add(iri, TIPKG.itemNumber, Literal(printed))
        doc.text_value(iri, TIPKG.title, title)
        doc.text_value(iri, RDFS.label, f"Item {printed}: {title}")
        doc.typed(iri, position, TIPKG.position, XSD.positiveInteger)
        if parent_iri is not None:
            doc.add(iri, TIPKG.subItemOf, parent_iri)
        doc.add(agenda, TIPKG.listsItem, iri)
        doc.source(iri, source)
        doc.tag_topics(iri, title)
    return titles


def _annotations(
    doc: DocumentGraph, meeting: Meeting, titles: dict[str, str], blocks: list[Block]
) -> None:
    """Read the annotation, documentation and statements under each item heading."""
    headings = {normalize(f"{n}. {t}"): n for n, t in titles.items() if n.isdigit()}
    current: str | None = None
    section: URIRef | None = None
    in_documentation = False
    position = 0
    annotation: dict[str, list[str]] = {}
    triggers = Triggers(doc.reference)
    for block in _split_headings(blocks, titles):
        key = normalize(block.text)
        sub = _SUB_ITEM.fullmatch(block.text)
        if key in headings:
            current, in_documentation, position = headings[key], False, 0
        elif (
            sub
            and current
            and f"{current[0]}{sub.group(1)}" in titles
            and normalize(sub.group(2)) == normalize(titles[f"{current[0]}{sub.group(1)}"])
        ):
            current, in_documentation, position = f"{current[0]}{sub.group(1)}", False, 0
        elif key == "documentation" and current:
            in_documentation = True
            continue
        elif current is None:
            raise doc.fail(
                block,
                'expected an item heading such as "1. Organizational matters" after "Annotations"',
            )
        else:
            position += 1
            item = meeting.item(current)
            para = URIRef(f"{section}/para/{position}")
            if in_documentation:
                doc.paragraph(block, para, section, position=position)
                try:
                    document, _ = doc.documentation_entry(block)
                except ExtractError as exc:
                    unit = f"documentation entry {position} of item {current}"
                    doc.coverage.record(NOT_UNDERSTOOD, para, block.line, unit, str(exc))
                    continue
                doc.coverage.record(UNDERSTOOD, para, block.line, "documentation entry")
                meetings_mentioned(doc, meeting, block.text, para)
                doc.add(item, TIPKG.documentation, document)
                doc.add(document, TIPKG.documentationFor, item)
                doc.add(document, TIPKG.beforeMeeting, meeting.iri)
                doc.source(document, para)
            else:
                doc.paragraph(block, para, section, position=position)
                doc.add(para, TIPKG.aboutAgendaItem, item)
                annotation.setdefault(current, []).append(block.text)
                read = _annotation_facts(doc, meeting, block, para)
                problems = [
                    problem
                    for sentence in sentences(block.text)
                    if (problem := unread(sentence, triggers, doc.table.cue_words, read))
                ]
                status = NOT_UNDERSTOOD if problems else UNDERSTOOD if read else TEXT_ONLY
                unit = f"annotation {position} of item {current}"
                doc.coverage.record(status, para, block.line, unit, "; ".join(problems))
            continue
        section = doc.section(f"item-{current}", block.text)
        doc.add(section, TIPKG.aboutAgendaItem, meeting.item(current))
    for number, paragraphs in annotation.items():
        item = meeting.item(number)
        doc.text_value(item, TIPKG.annotation, "\n\n".join(paragraphs))
        doc.tag_topics(item, " ".join(paragraphs))
        if any(
            re.search(
                r"\bno documentation regarding the item is currently foreseen", p, re.IGNORECASE
            )
            for p in paragraphs
        ):
            doc.add(item, TIPKG.noDocumentationForeseen, Literal(True))
    _titled_documents(doc, annotation)


def _split_headings(blocks: list[Block], titles: dict[str, str]) -> list[Block]:
    """Cut an item heading from the paragraph that text without blank lines ran into it
    ("3. Title Under agenda item 3, the Working Group ...")."""
    printed = [f"{n}. {t}" for n, t in titles.items() if n.isdigit()]
    printed += [f"({n[-1]}) {t}" for n, t in titles.items() if not n.isdigit()]
    patterns = [
        re.compile(r"\s+".join(re.escape(word) for word in heading.split()) + r"\s+(?=[A-Z])")
        for heading in sorted(printed, key=len, reverse=True)
    ]
    out: list[Block] = []
    for block in blocks:
        match = next((m for p in patterns if (m := p.match(block.text))), None)
        if match is None:
            out.append(block)
            continue
        out.append(replace(block, text=block.text[: match.end()].strip(), footnotes=()))
        out.append(replace(block, text=block.text[match.end() :]))
    return out


def _titled_documents(doc: DocumentGraph, annotation: dict[str, list[str]]) -> None:
    """Give a listed document the title an annotation prints for it (entitled "...")."""
    documents = [
        (s, str(d))
        for s, d in doc.graph.subject_objects(TIPKG.description)
        if isinstance(s, URIRef)
    ]
    for paragraphs in annotation.values():
        for text in paragraphs:
            for match in re.finditer(
                r"(?:for its (\w+) meeting, )?entitled [“\"]([^”\"]+)[”\"]", text
            ):
                title = match.group(2)
                found = _titled(title, documents)
                for subject in found:
                    doc.text_value(subject, TIPKG.title, title)
                    if match.group(1) and parse.ordinal(match.group(1)):
                        meeting = doc.meeting
                        if meeting is not None:
                            other = ID[
                                f"meeting/{meeting.body_key}/{parse.ordinal(match.group(1))}"
                            ]
                            doc.add(subject, TIPKG.preparedFor, other)


def _titled(title: str, documents: list[tuple[URIRef, str]]) -> list[URIRef]:
    """Return the documents a title names: those whose description contains it, and of
    those the ones it fills most (another document may describe a related subject with
    the same words, "updates related to <title>")."""
    key = normalize(title)
    found = [(len(normalize(d)) - len(key), s) for s, d in documents if key in normalize(d)]
    if not found:
        return []
    least = min(residue for residue, _ in found)
    return sorted(s for residue, s in found if residue == least)


def _annotation_facts(doc: DocumentGraph, meeting: Meeting, block: Block, para: URIRef) -> bool:
    """Read what an annotation states about the meeting; return whether it stated anything
    the extractor reads."""
    text = block.text
    before = len(doc.graph)
    opening = re.search(
        r"will be opened on \w+day, (\d{1,2} \w+(?: \d{4})?), at ([\d.:]+ (?:[ap]\.m\.|noon))", text
    )
    if opening and meeting.start:
        day = parse.day_in_year(opening.group(1), meeting.start.year)
        clock = parse.clock(opening.group(2))
        if day and clock:
            doc.add(
                meeting.iri,
                TIPKG.openingTime,
                Literal(parse.local_datetime(day, clock).isoformat(), datatype=XSD.dateTime),
            )
            doc.source(meeting.iri, para)
    hybrid(doc, meeting, text)
    planned = re.search(r"permit the holding of (\w+) plenary meetings", text)
    if planned and parse.cardinal(planned.group(1)):
        doc.typed(
            meeting.iri,
            parse.cardinal(planned.group(1)),
            TIPKG.plannedPlenaryMeetingCount,
            XSD.nonNegativeInteger,
        )
    if "interpretation into the six official languages" in text:
        for language in UN_LANGUAGES:
            doc.add(meeting.iri, TIPKG.interpretationLanguage, language)
    meetings_mentioned(doc, meeting, text, para)
    read = False
    for sentence in sentences(text):
        read = bureau_decision(doc, meeting, sentence, para) or read
    read = bool(provisions(doc, block, para)) or read
    return read or len(doc.graph) > before


def hybrid(doc: DocumentGraph, meeting: Meeting, text: str) -> bool:
    """Record the meeting's format when the text says it will be (or was) held in a hybrid
    format, or in person."""
    if re.search(r"\b(will be|was) held in a hybrid format", text):
        doc.add(meeting.iri, TIPKG["format"], SCHEMA_MIXED)
        return True
    if re.search(r"\b(will be|was) held in person\b", text):
        doc.add(meeting.iri, TIPKG["format"], SCHEMA_OFFLINE)
        return True
    return False


def meetings_mentioned(doc: DocumentGraph, meeting: Meeting, text: str, para: URIRef) -> None:
    """Describe the other meetings of the body, and sessions of the Conference, a text names,
    with their dates where it gives them ("its seventh meeting, held from 6 to 8 September
    2017")."""
    for ordinal_word in re.findall(
        r"\bits ([\w-]+) meeting\b|\bthe ([\w-]+) meeting of the Working Group", text
    ):
        number = parse.ordinal(next(w for w in ordinal_word if w))
        if number and number != meeting.ordinal:
            doc.other_meeting(meeting.body, number, para)
    for session in re.findall(r"Conference of the Parties at its (\w+) session", text):
        if parse.ordinal(session):
            doc.other_meeting(ID["body/cop"], parse.ordinal(session) or 0, para)
    held = re.search(
        r"(?:its|the Working Group) ([\w-]+) meeting, held "
        r"(?:in ([A-Z][\w-]+) )?(?:on |from )?(.+? \d{4})",
        text,
    )
    if held and parse.ordinal(held.group(1)):
        other = doc.other_meeting(
            meeting.body, parse.ordinal(held.group(1)) or 0, para, parse.date_range(held.group(3))
        )
        venue = doc.names.get(held.group(2)) if held.group(2) else None
        if venue is not None:
            doc.add(other, TIPKG.venue, venue)
    tenth = re.search(
        r"outcome of the (\w+) meeting of the Working Group[^,]*, held on (.+? \d{4})", text
    )
    if tenth and parse.ordinal(tenth.group(1)):
        doc.other_meeting(
            meeting.body, parse.ordinal(tenth.group(1)) or 0, para, parse.date_range(tenth.group(2))
        )


def _organization_of_work(doc: DocumentGraph, meeting: Meeting, blocks: list[Block]) -> None:
    """Read the proposed organization of work: days, time slots and the items in each."""
    section = doc.section("annex", "Annex: Proposed organization of work")
    if meeting.start is None:
        raise doc.fail(
            blocks[0], "the meeting's dates must be known to read the organization of work"
        )
    day = None
    slot: URIRef | None = None
    slots = entries = 0
    for block in blocks:
        cells = [c for c in (block.cells or ()) if c] if block.cells else []
        text = block.text
        if block.cells is None and not cells:
            if normalize(text).startswith("proposed organization of work"):
                continue
            day_match = re.fullmatch(r"\w+day, \d{1,2} \w+(?: \d{4})?", text)
            if day_match:
                day = parse.day_in_year(text, meeting.start.year)
                continue
            raise doc.fail(block, f"expected a row of the organization of work; got {text[:80]!r}")
        if normalize(" ".join(cells)) == "date and time agenda item title or description":
            continue
        if len(cells) == 1 and re.fullmatch(r"\w+day, \d{1,2} \w+(?: \d{4})?", cells[0]):
            day = parse.day_in_year(cells[0], meeting.start.year)
            continue
        times = parse.time_range(cells[0]) if cells else None
        if times:
            printed_time, cells = cells[0], cells[1:]
            if day is None:
                raise doc.fail(
                    block, "a time slot comes before any day in the organization of work"
                )
            slots += 1
            entries = 0
            slot = URIRef(f"{meeting.iri}/slot/{slots}")
            doc.add(slot, RDF.type, TIPKG.TimeSlot)
            doc.add(slot, TIPKG.slotOf, meeting.iri)
            doc.typed(slot, day.isoformat(), TIPKG.date, XSD.date)
            doc.typed(slot, slots, TIPKG.position, XSD.positiveInteger)
            for prop, clock in ((TIPKG.startTime, times[0]), (TIPKG.endTime, times[1])):
                doc.typed(slot, parse.local_datetime(day, clock).isoformat(), prop, XSD.dateTime)
            doc.text_value(slot, RDFS.label, f"{day:%A, %d %B %Y}, {printed_time}")
            doc.source(slot, section)
        item = re.fullmatch(r"(\d+)(?:\s*\(([a-z])\))?", cells[0]) if cells else None
        if not item or slot is None:
            raise doc.fail(
                block,
                f"expected an agenda item number in the organization of work; got {text[:80]!r}",
            )
        entries += 1
        entry = URIRef(f"{slot}/entry/{entries}")
        doc.coverage.record(UNDERSTOOD, entry, block.line, "scheduled item")
        doc.add(entry, RDF.type, TIPKG.ScheduledItem)
        doc.add(entry, TIPKG.inTimeSlot, slot)
        doc.add(entry, TIPKG.scheduledItem, meeting.item(item.group(1) + (item.group(2) or "")))
        doc.typed(entry, entries, TIPKG.position, XSD.positiveInteger)
        doc.add(entry, TIPKG.continued, Literal("(continued)" in " ".join(cells[1:])))
        doc.source(entry, section)
