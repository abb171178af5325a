"""What both document families share: the graph being built, the IRIs of the URI scheme,
the document header, citations, topics and the documentation lists."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef

from tipkg.extract import parse
from tipkg.extract.coverage import Coverage
from tipkg.extract.patterns import load_table
from tipkg.extract.references import body_names, body_of_symbol, mentionable, topic_patterns
from tipkg.extract.resolve import ExtractError, NameIndex, Where
from tipkg.extract.text import Block, Text
from tipkg.vocab import ID, TIPKG

ENGLISH = URIRef("http://publications.europa.eu/resource/authority/language/ENG")
UN_LANGUAGES = [
    URIRef(f"http://publications.europa.eu/resource/authority/language/{code}")
    for code in ("ARA", "ZHO", "ENG", "FRA", "RUS", "SPA")
]
SECRETARIAT = ID["body/secretariat"]
COP = ID["body/cop"]
BUREAU = ID["body/cop-extended-bureau"]
STATES_PARTIES = ID["group/states-parties"]
_DOCUMENT_KINDS = [
    ("annotated provisional agenda", TIPKG.AnnotatedProvisionalAgenda),
    ("background paper", TIPKG.BackgroundPaper),
    ("conference room paper", TIPKG.ConferenceRoomPaper),
    ("non-paper", TIPKG.NonPaper),
    ("thematic compendium", TIPKG.ThematicCompendium),
    ("draft questionnaire", TIPKG.Questionnaire),
    ("questionnaire", TIPKG.Questionnaire),
    ("note by the secretariat", TIPKG.NoteBySecretariat),
    ("list of participants", TIPKG.ListOfParticipants),
    ("report on", TIPKG.Report),
]
_ORDINAL_NAMES = {number: word for word, number in parse.ORDINAL_WORDS.items()}
HEAD = 25  # blocks at the head of a document that hold its masthead and meeting line


def slug(name: str) -> str:
    """Return the IRI key of a person's name: ASCII, lower case, words joined by hyphens."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


@dataclass
class Meeting:
    """The meeting a document is about, once the header has been read."""

    body: URIRef
    body_key: str
    ordinal: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def iri(self) -> URIRef:
        if self.ordinal is None:
            raise ValueError("meeting ordinal not known yet")
        return ID[f"meeting/{self.body_key}/{self.ordinal}"]

    def item(self, number: str) -> URIRef:
        return URIRef(f"{self.iri}/item/{number}")


@dataclass
class DocumentGraph:
    """The RDF graph extracted from one source document, with its context."""

    path: Path
    symbol: str
    text: Text
    names: NameIndex
    reference: Graph
    graph: Graph = field(default_factory=Graph)
    meeting: Meeting | None = None
    topics: list[tuple[re.Pattern[str], URIRef]] = field(default_factory=list)
    _names_to_mention: list[tuple[str, URIRef]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.doc = ID[f"document/{self.symbol}"]
        self.body = body_of_symbol(self.reference, self.symbol, self.path)
        self.body_names = body_names(self.reference, self.body)
        self.table = load_table(tuple(self.body_names))
        self.coverage = Coverage(self.path)
        for prefix, namespace in (("tipkg", TIPKG), ("id", ID), ("skos", SKOS)):
            self.graph.bind(prefix, namespace)
        self.topics = topic_patterns(self.reference)
        self._names_to_mention = mentionable(self.reference)

    # -- writing -----------------------------------------------------------------------

    def add(self, subject: URIRef, prop: URIRef, value: URIRef | Literal) -> None:
        self.graph.add((subject, prop, value))

    def text_value(self, subject: URIRef, prop: URIRef, value: str) -> None:
        self.add(subject, prop, Literal(value, lang="en"))

    def typed(self, subject: URIRef, value: object, prop: URIRef, datatype: URIRef) -> None:
        self.add(subject, prop, Literal(str(value), datatype=datatype))

    def where(self, block: Block) -> Where:
        return Where(self.path, block.line)

    def fail(self, block: Block, message: str) -> ExtractError:
        return ExtractError(f"{self.where(block)}: {message}")

    # -- the document and its parts ---------------------------------------------------------

    def section(self, key: str, heading: str, number: str | None = None) -> URIRef:
        section = URIRef(f"{self.doc}/section/{key}")
        self.add(section, RDF.type, TIPKG.Section)
        self.add(section, TIPKG.partOfDocument, self.doc)
        self.text_value(section, TIPKG.heading, heading)
        if number:
            self.add(section, TIPKG.sectionNumber, Literal(number))
        return section

    def paragraph(
        self,
        block: Block,
        iri: URIRef,
        section: URIRef | None,
        number: int | None = None,
        position: int | None = None,
        kind: URIRef = TIPKG.Paragraph,
        text: str | None = None,
    ) -> URIRef:
        """Add a paragraph resource with its text, footnotes and citations."""
        self.add(iri, RDF.type, kind)
        self.add(iri, TIPKG.partOfDocument, self.doc)
        self.text_value(iri, TIPKG.text, text if text is not None else block.text)
        if section is not None:
            self.add(iri, TIPKG.inSection, section)
        if number is not None:
            self.typed(iri, number, TIPKG.paragraphNumber, XSD.positiveInteger)
        if position is not None:
            self.typed(iri, position, TIPKG.position, XSD.positiveInteger)
        for mark in block.footnotes:
            self.footnote(iri, mark)
        self.cite(iri, block.text if text is None else text, block)
        return iri

    def footnote(self, paragraph: URIRef, mark: int) -> None:
        note = self.text.footnotes.get(mark)
        if note is None:
            return
        iri = URIRef(f"{self.doc}/footnote/{mark}")
        self.add(iri, RDF.type, TIPKG.Footnote)
        self.add(iri, TIPKG.partOfDocument, self.doc)
        self.typed(iri, mark, TIPKG.position, XSD.positiveInteger)
        self.text_value(iri, TIPKG.text, note.text)
        self.add(paragraph, RDFS.seeAlso, iri)
        for scheme, url in re.findall(
            r"\b(https?://)?((?:www\.|(?<=://)\w)[^\s,;()\[\]<>]*[^\s,;.()\[\]<>])", note.text
        ):
            page = URIRef(f"{scheme or 'https://'}{url}")
            self.add(page, RDF.type, TIPKG.WebPage)
            self.add(iri, TIPKG.citesWebPage, page)
            self.add(paragraph, TIPKG.citesWebPage, page)

    def source(self, subject: URIRef, paragraph: URIRef) -> None:
        self.add(subject, TIPKG.source, paragraph)

    # -- header ------------------------------------------------------------------------

    def read_header(self, kind: URIRef) -> Meeting:
        """Read the issuing body, distribution, date, language and meeting line."""
        blocks = self.text.blocks
        header = self.section("header", "Document header")
        self.add(self.doc, RDF.type, kind)
        self.add(self.doc, TIPKG.symbol, Literal(self.symbol))
        self.add(self.doc, RDFS.seeAlso, URIRef(f"https://undocs.org/{self.symbol}"))
        self.source(self.doc, header)
        head = blocks[:HEAD]
        issuing = next(
            (
                (b, iri)
                for b in head
                if (iri := self.names.get(b.text)) is not None
                and (iri, RDF.type, TIPKG.Body) in self.reference
            ),
            None,
        )
        if issuing is None:
            raise self.fail(
                blocks[0],
                'expected the issuing body (e.g. "Conference of the Parties to the United '
                'Nations Convention ...") at the head of the document, as a name known to '
                "data/reference/bodies.ttl",
            )
        self.add(self.doc, TIPKG.issuingBody, issuing[1])
        for block in head:
            distribution = re.match(r"Distr\.:\s*(General|Limited|Restricted)", block.text)
            if distribution:
                self.add(
                    self.doc, TIPKG.distribution, TIPKG[f"{distribution.group(1)}Distribution"]
                )
            original = re.match(r"Original:\s*(\w+)", block.text)
            if original:
                if original.group(1) != "English":
                    raise self.fail(
                        block,
                        f"original language {original.group(1)!r} is not known; "
                        "add it to extract/document.py",
                    )
                self.add(self.doc, TIPKG.originalLanguage, ENGLISH)
            issued = re.fullmatch(r"(\d{1,2}) (\w+) (\d{4})", block.text)
            if issued and issued.group(2) in parse.MONTHS:
                self.typed(
                    self.doc, parse.date(*issued.groups()).isoformat(), TIPKG.issued, XSD.date
                )
        return self._meeting_line(head, issuing[0])

    def _meeting_line(self, head: list[Block], masthead: Block) -> Meeting:
        """Find the meeting line: the body's name (or "Nth session"), then perhaps
        "Vienna, 29 and 30 June 2022" on the same line or the next; a final report may
        print only the body's name, and its title or first paragraphs give place and dates."""
        names = sorted(self.body_names, key=len, reverse=True)
        body_name = "|".join(re.escape(name) for name in names)
        line = re.compile(
            rf"(?:(?:{body_name})|(?P<session>\S+ session))"
            r"(?:\s+(?P<place>[A-Z][\w-]+), (?P<dates>.+))?"
        )
        meeting = Meeting(body=self.body, body_key=str(self.body).rsplit("/", 1)[1])
        self._venue = None
        self.meeting = meeting
        start = head.index(masthead) + 1
        for index, block in enumerate(head[start:], start=start):
            match = line.fullmatch(block.text)
            if not match:
                continue
            place, dates = match.group("place"), match.group("dates")
            if place is None and index + 1 < len(head):
                nxt = re.fullmatch(r"([A-Z][\w-]+), (.*\d{4})", head[index + 1].text)
                place, dates = (nxt.group(1), nxt.group(2)) if nxt else (None, None)
            if match.group("session"):
                meeting.ordinal = parse.ordinal(match.group("session").split()[0])
            if place is None:
                place, dates = self._held_in(head)
            span = parse.date_range(dates or "")
            if span:
                meeting.start, meeting.end = span
            self._venue = self.names.resolve(place, self.where(block)) if place else None
            return meeting
        raise self.fail(
            head[0],
            f"expected the meeting line, the body's name "
            f"({str(self.reference.value(self.body, RDFS.label))!r}) and perhaps "
            '"Vienna, 29 and 30 June 2022", under the masthead',
        )

    def _held_in(self, head: list[Block]) -> tuple[str | None, str | None]:
        """Place and dates from a title "Report on the meeting ... held in Vienna on ..."."""
        for block in head:
            held = re.search(r"\bheld in ([A-Z][\w-]+) (?:on|from) (.*?\d{4})", block.text)
            if held:
                return held.group(1), held.group(2)
        return None, None

    def describe_meeting(self, meeting: Meeting, source: URIRef) -> URIRef:
        """Write the meeting's identity, body, dates and venue."""
        iri = meeting.iri
        self.add(iri, RDF.type, TIPKG.Meeting)
        self.add(iri, TIPKG.ofBody, meeting.body)
        self.typed(iri, meeting.ordinal, TIPKG.ordinal, XSD.positiveInteger)
        body_label = self.reference.value(meeting.body, RDFS.label)
        word = _ORDINAL_NAMES.get(meeting.ordinal or 0, str(meeting.ordinal))
        noun = (
            "session"
            if (meeting.body, RDF.type, TIPKG.ConferenceOfTheParties) in self.reference
            else "meeting"
        )
        self.text_value(iri, RDFS.label, f"{word} {noun} of the {body_label}")
        if meeting.start and meeting.end:
            self.typed(iri, meeting.start.isoformat(), TIPKG.startDate, XSD.date)
            self.typed(iri, meeting.end.isoformat(), TIPKG.endDate, XSD.date)
        if self._venue is not None:
            self.add(iri, TIPKG.venue, self._venue)
        self.source(iri, source)
        return iri

    def other_meeting(
        self,
        body: URIRef,
        ordinal: int,
        source: URIRef,
        dates: tuple[dt.date, dt.date] | None = None,
    ) -> URIRef:
        """Describe another meeting of a body that the text mentions by number or dates."""
        key = str(body).rsplit("/", 1)[1]
        iri = ID[f"meeting/{key}/{ordinal}"]
        self.add(iri, RDF.type, TIPKG.Meeting)
        self.add(iri, TIPKG.ofBody, body)
        self.typed(iri, ordinal, TIPKG.ordinal, XSD.positiveInteger)
        word = _ORDINAL_NAMES.get(ordinal, str(ordinal))
        noun = "session" if body == COP else "meeting"
        self.text_value(
            iri, RDFS.label, f"{word} {noun} of the {self.reference.value(body, RDFS.label)}"
        )
        if dates:
            self.typed(iri, dates[0].isoformat(), TIPKG.startDate, XSD.date)
            self.typed(iri, dates[1].isoformat(), TIPKG.endDate, XSD.date)
        self.source(iri, source)
        return iri

    # -- citations, documents, topics ---------------------------------------------------------

    def cite(self, subject: URIRef, text: str, block: Block) -> None:
        """Link ``subject`` to the documents and acts its text cites.

        A symbol in parentheses is typed by the kind of document the words before it
        name ("the report on the open-ended intergovernmental meeting ... (CTOC/...)").
        """
        for symbol in parse.symbols(text):
            document = self.document(symbol)
            self.add(subject, TIPKG.cites, document)
            kind = _kind_before(text, symbol)
            if kind is not None:
                self.add(document, RDF.type, kind)
        for match in parse.ACT.finditer(text):
            act = self.act(match.group(1), match.group(2), match.group(3), block)
            self.add(subject, TIPKG.cites, act)
        if "Security Council" in text:
            for number, year in parse.SC_RESOLUTION.findall(text):
                act = ID[f"resolution/sc/{number}"]
                if (act, RDF.type, TIPKG.Resolution) not in self.reference:
                    raise self.fail(
                        block,
                        f"Security Council resolution {number} ({year}) is not "
                        "in data/reference/instruments.ttl; add it there",
                    )
                self.add(subject, TIPKG.cites, act)
        for article in re.finditer(
            r"\barticle (\d+)(?:, paragraph \d+,)? of the "
            r"((?:[A-Z][\w ]+? )?(?:Protocol|Convention))\b",
            text,
        ):
            instrument = self._instrument(article.group(2), block)
            iri = URIRef(f"{instrument}/article/{article.group(1)}")
            self.add(iri, RDF.type, TIPKG.Article)
            self.add(iri, TIPKG.articleOf, instrument)
            self.typed(iri, article.group(1), TIPKG.articleNumber, XSD.positiveInteger)
            self.add(subject, TIPKG.cites, iri)

    def _instrument(self, name: str, block: Block) -> URIRef:
        """The instrument a text names; bare "Protocol" is the body's main instrument."""
        if name == "Protocol":
            main = self.reference.value(self.body, TIPKG.mainInstrument)
            if isinstance(main, URIRef):
                return main
        return self.names.resolve(name, self.where(block))

    def act(self, kind: str, session: str, number: str, block: Block) -> URIRef:
        """Return the IRI of a Conference resolution or decision, describing it if new."""
        iri = ID[f"{kind}/cop/{parse.act_slug(session, number)}"]
        if (iri, RDF.type, None) not in self.reference:
            self.add(iri, RDF.type, TIPKG.Resolution if kind == "resolution" else TIPKG.Decision)
            self.add(iri, TIPKG.actNumber, Literal(f"{int(session)}/{int(number)}"))
            self.add(iri, TIPKG.adoptedBy, COP)
            self.text_value(iri, RDFS.label, f"Conference of the Parties {kind} {session}/{number}")
        return iri

    def document(self, symbol: str, description: str | None = None) -> URIRef:
        """Return the IRI of a cited document, typed by what its symbol and description say."""
        iri = ID[f"document/{symbol}"]
        self.add(iri, RDF.type, TIPKG.Document)
        self.add(iri, TIPKG.symbol, Literal(symbol))
        self.add(iri, RDFS.seeAlso, URIRef(f"https://undocs.org/{symbol}"))
        if "/CRP." in symbol:
            self.add(iri, RDF.type, TIPKG.ConferenceRoomPaper)
        if "/RES/" in symbol:
            self.add(iri, RDF.type, TIPKG.ResolutionDocument)
        base = parse.base_symbol(symbol)
        if base:
            self.add(iri, TIPKG.revisionOf, self.document(base))
        if description:
            lowered = description.lower()
            for phrase, kind in _DOCUMENT_KINDS:
                if lowered.startswith(phrase) or f"containing a {phrase}" in lowered:
                    self.add(iri, RDF.type, kind)
                    if base:  # a revision is a document of the same kind as the original
                        self.add(self.document(base), RDF.type, kind)
            if "prepared by the secretariat" in lowered:
                self.add(iri, TIPKG.preparedBy, SECRETARIAT)
            self.text_value(iri, TIPKG.description, description)
            self.tag_topics(iri, description)
        return iri

    def documentation_entry(self, block: Block) -> tuple[URIRef, str]:
        """Read "Background paper ... (CTOC/COP/WG.4/2022/2)" into a described document."""
        text = re.sub(r"^\([a-z]\)\s*", "", block.text).rstrip(";.")
        match = re.fullmatch(r"(.+?)\s*\(((?:see )?[A-Z]+/[^()]*(?:\(\d{4}\))?)\)", text)
        if not match:
            raise self.fail(
                block,
                "expected a documentation entry ending in a document "
                f'symbol in parentheses, e.g. "Background paper ... '
                f'(CTOC/COP/WG.<n>/<year>/<n>)"; got {text[:80]!r}',
            )
        description, symbol = match.group(1), match.group(2).removeprefix("see ")
        doc = self.document(symbol, description)
        for title in parse.QUOTED.findall(description):
            self.text_value(doc, TIPKG.title, title)
        return doc, description

    def tag_topics(self, subject: URIRef, text: str) -> None:
        """Link ``subject`` to the topics whose hidden labels its text contains."""
        for pattern, topic in self.topics:
            if pattern.search(text):
                self.add(subject, TIPKG.topic, topic)

    def mentions(self, subject: URIRef, text: str) -> None:
        """Link ``subject`` to the organizations and knowledge resources its text names."""
        for name, iri in self._names_to_mention:
            if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
                self.add(subject, TIPKG.mentions, iri)


def _kind_before(text: str, symbol: str) -> URIRef | None:
    """Return the kind of document the clause before "(symbol)" names last, if any."""
    at = text.find(f"({symbol})")
    if at < 0:
        at = text.find(f"(see {symbol})")
    if at < 0:
        return None
    clause = re.split(r"\. |; |before it |\(", text[:at])[-1].lower()
    found = [
        (match.start(), str(kind))
        for phrase, kind in _DOCUMENT_KINDS
        for match in re.finditer(rf"\b{re.escape(phrase.removesuffix(' on'))}\b", clause)
    ]
    return URIRef(max(found)[1]) if found else None
