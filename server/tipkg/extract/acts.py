"""Read the acts a text cites and what they provided: decisions of the extended Bureau
("On 30 July 2021, the extended Bureau agreed ..."), and what a resolution or decision of
the Conference decided, requested, encouraged or acknowledged."""

from __future__ import annotations

import hashlib
import re

from rdflib import RDF, RDFS, XSD, URIRef

from tipkg.extract import parse
from tipkg.extract.document import BUREAU, DocumentGraph, Meeting
from tipkg.extract.patterns import sentences
from tipkg.extract.resolve import normalize
from tipkg.extract.text import Block
from tipkg.vocab import ID, TIPKG

_PROVISION_VERBS = {
    "decided": TIPKG.Decides,
    "requested": TIPKG.Requests,
    "encouraged": TIPKG.Encourages,
    "acknowledged": TIPKG.Acknowledges,
}


def bureau_decision(doc: DocumentGraph, meeting: Meeting, sentence: str, para: URIRef) -> bool:
    """Read "On 30 July 2021, the extended Bureau ... agreed ..." into a decision.

    "At its meeting (held) on ..." records that the Bureau decided at a meeting.
    """
    match = re.search(
        r"(?:([Aa]t its meeting(?: held)? on)|\b[Oo]n) (\d{1,2} \w+ \d{4}), the extended Bureau"
        r"(?: of the Conference(?: of the Parties)?)?(?: also| further)? agreed,?\s*(.*)",
        sentence,
    ) or re.search(
        r"[Tt]he extended Bureau(?: of the Conference(?: of the Parties)?)?, "
        r"(?:(at its meeting(?: held)? on)|on) (\d{1,2} \w+ \d{4}),"
        r"(?: also| further)? agreed,?\s*(.*)",
        sentence,
    )
    if not match:
        return False
    day = parse.date_range(match.group(2))
    if not day:
        return False
    iri = ID[f"decision/cop-extended-bureau/{day[0].isoformat()}"]
    rest = match.group(3).rstrip(".")
    procedure = None
    if match.group(1):
        procedure = TIPKG.DecisionAtMeeting
    if re.search(r"silence procedure", rest):
        procedure = TIPKG.SilenceProcedure
        rest = re.sub(
            r"^(?:(?:by means of|through|using) (?:a |the )?silence procedure),?\s*", "", rest
        )
    doc.add(iri, RDF.type, TIPKG.Decision)
    doc.add(iri, TIPKG.adoptedBy, BUREAU)
    doc.typed(iri, day[0].isoformat(), TIPKG.actDate, XSD.date)
    doc.text_value(iri, RDFS.label, f"Decision of the extended Bureau of {match.group(2)}")
    doc.text_value(iri, TIPKG.text, f"agreed {rest}")
    if procedure is not None:
        doc.add(iri, TIPKG.procedure, procedure)
    # "the twelfth meeting of the Working Group" names the meeting a decision settles;
    # "its tenth meeting" only refers back to an earlier one.
    mentioned = {
        number
        for word in re.findall(r"\b(\w+) meeting of the Working Group", rest)
        if (number := parse.ordinal(word))
    }
    for number in sorted(mentioned):
        doc.add(iri, TIPKG.concernsMeeting, ID[f"meeting/{meeting.body_key}/{number}"])
    plan = re.search(r"\bmeeting plan for (\d{4})", rest)
    this_year = plan and meeting.start and int(plan.group(1)) == meeting.start.year
    if this_year or (
        not mentioned and re.search(r"\b(the|that) meeting\b(?! plan)|\bthe Working Group\b", rest)
    ):
        doc.add(iri, TIPKG.concernsMeeting, meeting.iri)
    doc.source(iri, para)
    doc.add(para, TIPKG.cites, iri)
    return True


def provisions(doc: DocumentGraph, block: Block, para: URIRef) -> set[str]:
    """Read what a cited act of the Conference decided, requested, encouraged or acknowledged.

    A provision belongs to the act cited before its verb ("In its resolution 8/2, the
    Conference decided ..."); a sentence opening "In that decision" or "In the same
    resolution" continues the act of the sentence before, whatever it cites later.

    Returns:
        The sentences that stated provisions.
    """
    act: URIRef | None = None
    read: set[str] = set()
    for sentence in sentences(block.text):
        verbs = list(
            re.finditer(
                r"\b(?:also |further |, inter alia, )?"
                r"(decided|requested|encouraged|acknowledged)\b",
                sentence,
            )
        )
        before = sentence[: verbs[0].start()] if verbs else sentence
        cited = list(re.finditer(r"\b(resolution|decision) (\d{1,2})/(\d{1,2})\b", before))
        continued = re.search(
            r"\bIn (that|the same) (decision|resolution)|\b(also|further)\b", sentence
        )
        if cited:
            last = cited[-1]
            act = doc.act(last.group(1), last.group(2), last.group(3), block)
        elif not continued:
            act = None if not re.match(r"(The Conference|In that)", sentence) else act
        if act is None or "Conference" not in sentence:
            continue
        for index, verb in enumerate(verbs):
            end = verbs[index + 1].start() if index + 1 < len(verbs) else len(sentence)
            clause = sentence[verb.start(1) : end].strip().rstrip(",.").removesuffix(", and")
            clause = re.sub(r",? and$", "", clause).strip()
            provision = URIRef(f"{act}/provision/{_key(clause)}")
            doc.add(provision, RDF.type, TIPKG.Provision)
            doc.add(provision, TIPKG.provisionOf, act)
            doc.add(provision, TIPKG.action, _PROVISION_VERBS[verb.group(1)])
            doc.text_value(provision, TIPKG.text, clause)
            doc.source(provision, para)
            read.add(sentence)
        title = re.search(
            r"(?:resolution|decision) \d+/\d+, entitled [“\"]([^”\"]+)[”\"]", sentence
        )
        if title:
            doc.text_value(act, TIPKG.title, title.group(1))
    return read


def _key(clause: str) -> str:
    """Return a stable key for a provision: the same wording in two documents is one resource."""
    return hashlib.sha1(normalize(clause).encode("utf-8")).hexdigest()[:10]
