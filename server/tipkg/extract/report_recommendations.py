"""Read the recommendations a report prints: headed "Recommendation N", or the list items
of a paragraph ending "... the following actions:"."""

from __future__ import annotations

import re

from rdflib import RDF, RDFS, XSD, Literal, URIRef

from tipkg.extract.document import COP, STATES_PARTIES
from tipkg.extract.report_state import Paragraph, ReportState
from tipkg.extract.resolve import normalize
from tipkg.extract.text import Block
from tipkg.vocab import TIPKG

RECOMMENDATION = re.compile(r"^Recommendation (\d+)$")
_LETTERED = re.compile(r"^\(([a-z])\)\s+(.+)$")


def read_recommendations(
    state: ReportState, section: URIRef, intro: Paragraph, blocks: list[Block]
) -> None:
    """Describe the recommendations printed under a section of the recommendations chapter."""
    doc, meeting = state.doc, state.meeting
    heading = str(doc.graph.value(section, TIPKG.heading) or "")
    topic = normalize(re.sub(r"^Recommendations? on\s+", "", heading))
    item = next((n for n, t in state.titles.items() if topic and topic in normalize(t)), None)
    forwarded = "recommended that the Conference of the Parties consider" in intro.text
    addressed = intro.text.startswith("States parties") or "States parties should" in intro.text
    if item:
        doc.add(section, TIPKG.aboutAgendaItem, meeting.item(item))
    numbered = RECOMMENDATION.match(blocks[0].text)
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
            if match is None:
                continue
            sub = URIRef(f"{iri}/{match.group(1)}")
            doc.add(sub, RDF.type, TIPKG.SubParagraph)
            doc.add(sub, TIPKG.letter, Literal(match.group(1)))
            doc.text_value(sub, TIPKG.text, match.group(2))
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
        match = RECOMMENDATION.match(block.text)
        if match:
            groups.append((int(match.group(1)), []))
        elif groups:
            groups[-1][1].append(block)
    return groups
