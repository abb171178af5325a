"""What the extractor understood of a document, paragraph by paragraph.

Every paragraph is *understood* (a row of the sentence table or a reader of the
document's structure read at least one of its sentences), kept as *text only* (it states
nothing the extractor reads, and names no State, organization, person or agenda item
that would be lost), or *not understood*: a sentence names a known State, organization,
person or agenda item, or speaks of statements, attendance or offices, and nothing read
it. The figures are written on the document in its own graph; the paragraphs not
understood are listed with file and line by ``tipkg extract`` and fail ``--strict``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef

from tipkg.extract.resolve import AGENT_CLASSES
from tipkg.vocab import ID, TIPKG

UNDERSTOOD, TEXT_ONLY, NOT_UNDERSTOOD = "understood", "text only", "not understood"
_TRIGGER_CLASSES = AGENT_CLASSES
_OTHER_NAMED = (
    TIPKG.Body,
    TIPKG.Treaty,
    TIPKG.Instrument,
    TIPKG.Mechanism,
    TIPKG.KnowledgeResource,
    TIPKG.Place,
    TIPKG.Group,
)
_UMBRELLA = ID["organization/united-nations"]
_ITEM_REFERENCE = re.compile(r"\b(?:agenda )?items? (\d+)(?:\s*\(([a-z])\))?")


@dataclass(frozen=True)
class Finding:
    """A paragraph that was not understood, with why."""

    path: Path
    line: int
    unit: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.unit} not understood: {self.reason}"


@dataclass
class Coverage:
    """The count of paragraphs understood and kept as text, and those not understood."""

    path: Path
    understood: int = 0
    text_only: int = 0
    findings: list[Finding] = field(default_factory=list)
    not_understood_iris: list[URIRef] = field(default_factory=list)

    def record(self, status: str, iri: URIRef, line: int, unit: str, reason: str = "") -> None:
        if status == UNDERSTOOD:
            self.understood += 1
        elif status == TEXT_ONLY:
            self.text_only += 1
        else:
            self.findings.append(Finding(self.path, line, unit, reason))
            if iri not in self.not_understood_iris:
                self.not_understood_iris.append(iri)

    def demote(self, iri: URIRef, line: int, unit: str, reason: str) -> None:
        """Record that a paragraph counted as understood was not, after all."""
        if iri not in self.not_understood_iris:
            self.understood -= 1
        self.record(NOT_UNDERSTOOD, iri, line, unit, reason)

    def summary(self) -> str:
        return (
            f"{self.understood} paragraph(s) understood, {self.text_only} text only, "
            f"{len(self.findings)} not understood"
        )

    def publish(self, graph: Graph, document: URIRef) -> None:
        """Write the figures on the document resource (in the document's own graph)."""
        for prop, value in (
            (TIPKG.understoodParagraphCount, self.understood),
            (TIPKG.textOnlyParagraphCount, self.text_only),
            (TIPKG.notUnderstoodParagraphCount, len(self.not_understood_iris)),
        ):
            graph.add((document, prop, Literal(str(value), datatype=XSD.nonNegativeInteger)))
        for iri in self.not_understood_iris:
            graph.add((document, TIPKG.notUnderstoodParagraph, iri))


class Triggers:
    """Find the known States and organizations a sentence names (longest name first, so
    "United Nations Convention against ..." is an instrument, not the United Nations)."""

    def __init__(self, reference: Graph) -> None:
        named: dict[str, URIRef] = {}
        self._agents: set[URIRef] = set()
        for cls in _TRIGGER_CLASSES + _OTHER_NAMED:
            for subject in reference.subjects(RDF.type, cls):
                if not isinstance(subject, URIRef):
                    continue
                if cls in _TRIGGER_CLASSES and subject != _UMBRELLA:
                    self._agents.add(subject)
                for prop in (RDFS.label, SKOS.altLabel, TIPKG.acronym):
                    for value in reference.objects(subject, prop):
                        if isinstance(value, Literal) and value.language in (None, "en"):
                            named.setdefault(str(value), subject)
        self._names = named
        ordered = sorted((n for n in named if len(n) >= 3), key=lambda n: (-len(n), n))
        self._regex = re.compile(
            r"(?<![\w-])(?:" + "|".join(re.escape(n) for n in ordered) + r")(?![\w-])"
        )

    def agents(self, sentence: str) -> list[tuple[str, URIRef]]:
        """Return the (printed name, IRI) of each State or organization the sentence names."""
        found = []
        for match in self._regex.finditer(sentence):
            iri = self._names[match.group()]
            if iri in self._agents:
                found.append((match.group(), iri))
        return found


def item_references(sentence: str) -> list[str]:
    """Return the agenda items a sentence refers to ("agenda item 2" -> "2")."""
    return [n + (letter or "") for n, letter in _ITEM_REFERENCE.findall(sentence)]


def has_cue(sentence: str, cue_words: tuple[str, ...]) -> str | None:
    """Return the first word of ``cue_words`` the sentence uses, if any."""
    lowered = sentence.lower()
    for word in cue_words:
        if re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", lowered):
            return word
    return None


def unread(
    sentence: str,
    triggers: Triggers,
    cue_words: tuple[str, ...],
    read: bool,
    people: tuple[str, ...] = (),
    item: str | None = None,
    check_items: bool = False,
) -> str | None:
    """Why a sentence no row of the table read would lose facts, or None.

    A sentence that names a State, organization or person and speaks of statements,
    attendance or offices (a cue word) is never left to text. Where nothing else in the
    paragraph was read, a sentence naming a State or person, or (in a report) an agenda
    item other than the one its section is about, is not understood either. Names of
    organizations elsewhere are recorded as mentions.
    """
    agents = triggers.agents(sentence)
    persons = [name for name in people if name in sentence]
    cue = has_cue(sentence, cue_words)
    excerpt = sentence if len(sentence) <= 100 else sentence[:97] + "..."
    if (agents or persons) and cue:
        names = ", ".join([name for name, _ in agents] + persons)
        return (
            f'names {names} and speaks of "{cue}", but no row of sentences.toml reads it: '
            f'"{excerpt}"'
        )
    if read:
        return None
    states = [name for name, iri in agents if "/state/" in str(iri)]
    if states or persons:
        return f'names {", ".join(states + persons)}, but nothing reads it: "{excerpt}"'
    others = [i for i in item_references(sentence) if i != item] if check_items else []
    if others:
        return f'refers to agenda item {others[0]}, but nothing reads it: "{excerpt}"'
    return None
