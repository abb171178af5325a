"""Read who chaired a meeting and who led its panels: officers, panellists, facilitators
and the presentations they gave."""

from __future__ import annotations

import re

from rdflib import RDF, RDFS, Literal, URIRef

from tipkg.extract.document import slug
from tipkg.extract.report_state import Paragraph, ReportState, items
from tipkg.extract.resolve import ExtractError
from tipkg.vocab import ID, TIPKG

_HONORIFIC = re.compile(r"^(Mr|Mrs|Ms|Dr|H\.E\.)\.?\s+")
# One person: everything up to "(State)", then a comma, "and" or the end.
_PERSON = re.compile(
    r"\s*(?:and\s+)?(?P<described>[^()]+?)\s*\((?P<state>[^()]+)\)"
    r"(?:\s*,\s*(?:and\s+)?|,?\s+and\s+|\s*$)"
)
_ROLES = {
    "chair": TIPKG.Chair,
    "chaired": TIPKG.Chair,
    "co-chair": TIPKG.CoChair,
    "co-chairs": TIPKG.CoChair,
    "co-chaired": TIPKG.CoChair,
}


def people(state: ReportState, text: str, paragraph: Paragraph) -> list[URIRef]:
    """Read "Name, Title, Office (State), and Name (State)" into person resources.

    Persons are separated after their State in parentheses, by a comma, "and" or both,
    so two persons joined by "and" stay two persons.

    Raises:
        ExtractError: the text is not a list of persons with their States, or an
            affiliation is not known to the reference data.
    """
    doc = state.doc
    where = doc.where(paragraph.block)
    entries = list(_PERSON.finditer(text))
    consumed = "".join(match.group() for match in entries)
    if not entries or len(consumed.strip()) != len(text.strip()):
        raise ExtractError(
            f'{where}: expected persons written "Name, Title (State)" and joined by commas '
            f'or "and"; got {text[:80]!r}'
        )
    found = []
    for entry in entries:
        described = entry.group("described").strip()
        honorific = _HONORIFIC.match(described)
        if honorific:
            described = described[honorific.end() :]
        chunks = [c.strip() for c in described.split(",")]
        name, rest = chunks[0], chunks[1:]
        person = ID[f"person/{slug(name)}"]
        doc.add(person, RDF.type, TIPKG.Person)
        doc.text_value(person, RDFS.label, name)
        if honorific:
            doc.add(person, TIPKG.honorific, Literal(honorific.group(1).rstrip(".") + "."))
        doc.add(person, TIPKG.fromState, doc.names.resolve(entry.group("state"), where))
        affiliation_at = next(
            (i for i in range(len(rest)) if doc.names.get(", ".join(rest[i:]))), None
        )
        if affiliation_at is not None:
            doc.add(
                person,
                TIPKG.affiliation,
                doc.names.resolve(", ".join(rest[affiliation_at:]), where),
            )
            if affiliation_at:
                doc.text_value(person, TIPKG.jobTitle, ", ".join(rest[:affiliation_at]))
        elif rest:
            doc.text_value(person, TIPKG.jobTitle, ", ".join(rest))
        doc.source(person, paragraph.iri)
        state.people[name] = person
        found.append(person)
    return found


def read_officers(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool:
    """The meeting was opened by X (State), Chair of ... / chaired by ..."""
    role = _ROLES.get(match.group("role").lower(), TIPKG.Chair)
    holders = people(state, match.group("persons"), paragraph)
    if role == TIPKG.Chair and len(holders) > 1 and "co-" in match.group("role").lower():
        role = TIPKG.CoChair
    doc = state.doc
    for person in holders:
        office = URIRef(f"{state.meeting.iri}/office/{str(person).rsplit('/', 1)[1]}")
        doc.add(office, RDF.type, TIPKG.Office)
        doc.add(office, TIPKG.holder, person)
        doc.add(office, TIPKG.officeOf, state.meeting.body)
        doc.add(office, TIPKG.role, role)
        doc.add(office, TIPKG.atMeeting, state.meeting.iri)
        doc.source(office, paragraph.iri)
    return True


def read_panel(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool | str:
    """The discussion under item N was facilitated / led by the following panellists: ..."""
    groups = match.groupdict()
    under = items(groups["items"]) if groups.get("items") else []
    number = under[0] if under else paragraph.item
    if number is None:
        return "cannot tell which agenda item this discussion was under"
    if groups.get("panellists"):
        role: URIRef | None = TIPKG.Panellist
    elif groups.get("verb") == "facilitated":
        role = TIPKG.Facilitator
    else:
        role = TIPKG.Panellist if params.get("role") == "Panellist" else None
    doc = state.doc
    for person in people(state, groups["persons"], paragraph):
        panel = URIRef(f"{state.meeting.item(number)}/panel/{str(person).rsplit('/', 1)[1]}")
        doc.add(panel, RDF.type, TIPKG.PanelRole)
        doc.add(panel, TIPKG.participant, person)
        doc.add(panel, TIPKG.participationIn, state.meeting.iri)
        doc.add(panel, TIPKG.underItem, state.meeting.item(number))
        if role is not None:
            doc.add(panel, TIPKG.role, role)
        doc.source(panel, paragraph.iri)
    return True


def read_presentation(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool | str:
    """Ms. X described ... (a panellist's presentation, in the summary of an item)."""
    from tipkg.extract.report_attendance import statement

    family = match.group("family")
    person = next((iri for name, iri in state.people.items() if name.split()[-1] == family), None)
    if person is None:
        honorific = match.group("honorific")
        return f"{honorific}. {family} is not one of the panellists or facilitators named before"
    if paragraph.item is None:
        return "a presentation outside the summary of an agenda item"
    doc = state.doc
    doc.add(person, TIPKG.honorific, Literal(match.group("honorific") + "."))
    doc.add(person, TIPKG.familyName, Literal(family))
    iri = statement(state, person, [paragraph.item], TIPKG.Presentation, paragraph)
    if match.group("deliverer"):
        doc.add(
            iri,
            TIPKG.deliveredBy,
            doc.names.resolve(match.group("deliverer"), doc.where(paragraph.block)),
        )
    return True
