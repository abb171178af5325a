"""Read who chaired a meeting and who led its panels: officers, panellists, facilitators
and the presentations they gave."""

from __future__ import annotations

import re

from rdflib import RDF, RDFS, Literal, URIRef

from tipkg.extract.document import slug
from tipkg.extract.report_state import Paragraph, ReportState, items
from tipkg.extract.resolve import ExtractError
from tipkg.vocab import ID, TIPKG

TITLES = r"Mr|Mrs|Ms|Dr|H\.E\.|Judge|Professor|Prof|Ambassador"
_HONORIFIC = re.compile(rf"^({TITLES})\.?\s+")
_ABBREVIATED = ("Mr", "Mrs", "Ms", "Dr", "Prof")
# Where one person ends and the next begins inside a stretch without a State: before a
# title ("..., Council of Europe, Mr. Rahul Mehta"), or at "and" before a title.
_NEXT_PERSON = re.compile(rf"(?:,\s*(?:and\s+)?|,?\s+and\s+)(?=(?:{TITLES})\.?\s)")
_LIST_END = re.compile(r"^(?:\s*,\s*(?:and\s+)?|,?\s+and\s+|\s*$)")
_ROLES = {
    "chair": TIPKG.Chair,
    "chaired": TIPKG.Chair,
    "co-chair": TIPKG.CoChair,
    "co-chairs": TIPKG.CoChair,
    "co-chaired": TIPKG.CoChair,
    "vice-chair": TIPKG.ViceChair,
    "vice-chairs": TIPKG.ViceChair,
    "rapporteur": TIPKG.Rapporteur,
}


def honorific(printed: str) -> str:
    """Return a printed title as recorded: "Ms" -> "Ms.", "Judge" -> "Judge"."""
    bare = printed.rstrip(".")
    return f"{bare}." if bare in _ABBREVIATED else bare


def people(state: ReportState, text: str, paragraph: Paragraph) -> list[URIRef]:
    """Read "Name, Title, Office (State), Ms. Name and Mr. Name (State), and Name, Office"
    into person resources.

    The list is cut after each State in parentheses, and inside a stretch without one
    before each title (Ms., Judge, ...): persons joined by "and" stay two persons. A State
    printed once after persons joined by "and" is the State of each of them; a person
    with an organization and no State has none.

    Raises:
        ExtractError: the text is not a list of persons.
    """
    doc = state.doc
    where = doc.where(paragraph.block)
    found: list[URIRef] = []
    for stretch, state_name in _stretches(doc, text):
        persons = [p.strip() for p in _NEXT_PERSON.split(stretch) if p.strip()]
        if not persons:
            raise ExtractError(
                f'{where}: expected persons written "Name, Title (State)"; got {text[:80]!r}'
            )
        for index, described in enumerate(persons):
            last = index == len(persons) - 1
            shares = state_name is not None and (last or "," not in described)
            found.append(_person(state, described, state_name if shares else None, paragraph))
    if not found:
        raise ExtractError(
            f'{where}: expected persons written "Name, Title (State)"; got {text[:80]!r}'
        )
    return found


def _stretches(doc: object, text: str) -> list[tuple[str, str | None]]:
    """Cut a list of persons after each "(State)": (text before, State) pairs, and the
    rest of the list, if any, without a State."""
    names = doc.names  # type: ignore[attr-defined]
    stretches: list[tuple[str, str | None]] = []
    start = 0
    for match in re.finditer(r"\(([^()]+)\)", text):
        iri = names.get(match.group(1))
        if iri is None or "/state/" not in str(iri):
            continue  # an acronym in parentheses, not a State
        stretches.append((text[start : match.start()].strip(), match.group(1)))
        end = _LIST_END.match(text[match.end() :])
        start = match.end() + (end.end() if end else 0)
    rest = text[start:].strip().removeprefix("and ").strip()
    if rest:
        stretches.append((rest, None))
    return [(re.sub(r"^(?:and\s+)", "", s).strip().rstrip(","), n) for s, n in stretches]


def _person(
    state: ReportState, described: str, state_name: str | None, paragraph: Paragraph
) -> URIRef:
    """Describe one person: "Ms. Name, Title, Office" with their State, if printed."""
    doc = state.doc
    where = doc.where(paragraph.block)
    described = re.sub(r"^and\s+", "", described.strip())
    title = _HONORIFIC.match(described)
    if title:
        described = described[title.end() :]
    chunks = [c.strip() for c in described.split(",") if c.strip()]
    name, rest = chunks[0], chunks[1:]
    person = ID[f"person/{slug(name)}"]
    doc.add(person, RDF.type, TIPKG.Person)
    doc.text_value(person, RDFS.label, name)
    if title:
        doc.add(person, TIPKG.honorific, Literal(honorific(title.group(1))))
    if state_name is not None:
        doc.add(person, TIPKG.fromState, doc.names.resolve(state_name, where))
    affiliation_at = next((i for i in range(len(rest)) if doc.names.get(", ".join(rest[i:]))), None)
    if affiliation_at is not None:
        doc.add(
            person, TIPKG.affiliation, doc.names.resolve(", ".join(rest[affiliation_at:]), where)
        )
        if affiliation_at:
            doc.text_value(person, TIPKG.jobTitle, ", ".join(rest[:affiliation_at]))
    elif rest:
        doc.text_value(person, TIPKG.jobTitle, ", ".join(rest))
    doc.source(person, paragraph.iri)
    state.people[name] = person
    return person


def read_officers(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool:
    """The meeting was opened by X (State), Chair of ... / chaired by ..."""
    role = _ROLES.get(match.group("role").lower(), TIPKG.Chair)
    _offices(state, people(state, match.group("persons"), paragraph), role, paragraph)
    return True


def read_officers_elected(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool | str:
    """The Working Group elected the following officers: / Chair: X (State) / ..."""
    lines = [re.match(r"([\w-]+(?: [\w-]+)?):\s+(.+)$", c.text) for c in paragraph.children]
    if not lines or not all(lines):
        return 'expected the officers listed under the paragraph as "Chair: Name (State)"'
    for line in lines:
        role = _ROLES.get(line.group(1).lower()) if line else None
        if line is None or role is None:
            return f"{line.group(1) if line else '?'!r} is not an office the vocabulary knows"
        _offices(state, people(state, line.group(2), paragraph), role, paragraph)
    return True


def read_officers_as(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool | str:
    """The Working Group elected X (State) as Chair and Y (State) as Vice-Chair."""
    pairs = re.findall(
        r"(.+?) as (Chair|Co-Chair|Vice-Chair|Rapporteur)(?:,? and |$)", match.group("officers")
    )
    if not pairs:
        return 'expected "NAME (State) as Chair"'
    for persons, office in pairs:
        role = _ROLES[office.lower()]
        _offices(state, people(state, persons, paragraph), role, paragraph)
    return True


def _offices(state: ReportState, holders: list[URIRef], role: URIRef, paragraph: Paragraph) -> None:
    doc = state.doc
    for person in holders:
        office = URIRef(f"{state.meeting.iri}/office/{str(person).rsplit('/', 1)[1]}")
        doc.add(office, RDF.type, TIPKG.Office)
        doc.add(office, TIPKG.holder, person)
        doc.add(office, TIPKG.officeOf, state.meeting.body)
        doc.add(office, TIPKG.role, role)
        doc.add(office, TIPKG.atMeeting, state.meeting.iri)
        doc.source(office, paragraph.iri)


def read_panel(
    state: ReportState, paragraph: Paragraph, match: re.Match[str], params: dict[str, str]
) -> bool | str:
    """The discussion under item N was facilitated / led by the following panellists: ..."""
    groups = match.groupdict()
    under = items(groups["items"]) if groups.get("items") else []
    number = under[0] if under else paragraph.item
    if number is None:
        return "cannot tell which agenda item this discussion was under"
    doc = state.doc
    persons = people(state, groups["persons"], paragraph)
    if groups.get("panellists"):
        role: URIRef | None = TIPKG.Panellist
    elif groups.get("verb") == "facilitated" or len(persons) == 1:
        role = TIPKG.Facilitator  # one person who led or facilitated the discussion
    else:
        role = None
    for person in persons:
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
    """Ms. X (and Mr. Y) described ... : a panellist's presentation, in the summary of an
    item; the person is found by the name printed after the title, which may be the
    family name printed last ("Ms. Axam") or first ("Professor Li")."""
    from tipkg.extract.report_attendance import statement

    if paragraph.item is None:
        return "a presentation outside the summary of an agenda item"
    doc = state.doc
    name = rf"({TITLES})\.?\s+([\w’'-]+(?: [A-Z][\w’'-]+)*)"
    speakers = re.findall(name, match.group("speakers"))
    # "..., and Judge X presented ...": a further speaker of the same sentence
    speakers += [
        (printed, family)
        for printed, family in re.findall(rf"(?:, and |; | and ){name} [a-z]", match.group("rest"))
        if _by_family_name(state, family) is not None
    ]
    found = []
    for printed, family in speakers:
        person = _by_family_name(state, family)
        if person is None and params.get("final") != "yes":
            # the panel may be listed later in the report (in its "Statements" section)
            state.deferred.append((paragraph, match, {**params, "final": "yes"}))
            return True
        if person is None:
            return f"{printed} {family} is not one of the panellists or facilitators named"
        found.append((printed, family, person))
    for printed, family, person in found:
        doc.add(person, TIPKG.honorific, Literal(honorific(printed)))
        doc.add(person, TIPKG.familyName, Literal(family))
        iri = statement(state, person, [paragraph.item], TIPKG.Presentation, paragraph)
        if match.groupdict().get("deliverer"):
            doc.add(
                iri,
                TIPKG.deliveredBy,
                doc.names.resolve(match.group("deliverer"), doc.where(paragraph.block)),
            )
    return True


def _by_family_name(state: ReportState, family: str) -> URIRef | None:
    """The person named before whose name ends (or else begins) with ``family``."""
    for name, iri in state.people.items():
        if name == family or name.endswith(f" {family}"):
            return iri
    for name, iri in state.people.items():
        if name.startswith(f"{family} "):
            return iri
    return None
