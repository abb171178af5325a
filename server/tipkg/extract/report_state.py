"""What the readers of a report share: its numbered paragraphs and what reading has found."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, XSD, URIRef

from tipkg.extract import parse
from tipkg.extract.document import DocumentGraph, Meeting
from tipkg.extract.patterns import Table
from tipkg.extract.text import Block
from tipkg.vocab import TIPKG

PARAGRAPH = re.compile(r"^(\d+)\.\s+(.+)$")


@dataclass
class Paragraph:
    """A numbered paragraph with the blocks printed under it (list items, sub-paragraphs)."""

    number: int
    block: Block
    iri: URIRef
    section: URIRef
    chapter: str
    children: list[Block] = field(default_factory=list)
    item: str | None = None

    @property
    def text(self) -> str:
        match = PARAGRAPH.match(self.block.text)
        return match.group(2) if match else self.block.text


@dataclass
class SpokenStatement:
    """A statement whose speaker's status may come from the meeting's attendance."""

    iri: URIRef
    speaker: URIRef
    capacity: str | None


@dataclass
class ReportState:
    """What reading a report has established so far."""

    doc: DocumentGraph
    meeting: Meeting
    table: Table
    titles: dict[str, str] = field(default_factory=dict)
    statement_items: list[str] = field(default_factory=list)
    statements: int = 0
    lists: int = 0
    people: dict[str, URIRef] = field(default_factory=dict)
    recommendations: int = 0
    spoken: list[SpokenStatement] = field(default_factory=list)
    last_act: URIRef | None = None
    deferred: list[tuple[Paragraph, re.Match[str], dict[str, str]]] = field(default_factory=list)


def items(text: str) -> list[str]:
    """Return the agenda item keys in "2, 3 and 4 (b)": ["2", "3", "4b"]."""
    return [n + (letter or "") for n, letter in re.findall(r"(\d+)\s*(?:\(([a-z])\))?", text)]


def plenary(state: ReportState, ordinal: int, source: URIRef, day: object = None) -> URIRef:
    """Describe a plenary meeting (a sitting) of the meeting, by its ordinal."""
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


def ordinals(text: str) -> list[int]:
    """Return the ordinals in "1st, 2nd and 3rd" or "first and second"."""
    found = [parse.ordinal(word) for word in re.findall(r"[\w-]+", text)]
    return [number for number in found if number]


def _nth(number: int) -> str:
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number if number < 20 else number % 10, "th")
    return f"{number}{suffix}"
