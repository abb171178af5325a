"""What each kind of resource shows first on its page, and how what links to it is
grouped: the page design per kind (LodView and Wikidata put the key statements first;
the rest follows, grouped by property)."""

from __future__ import annotations

from dataclasses import dataclass

T = "https://w3id.org/tipkg/def#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True)
class Kind:
    """A kind of resource: how to tell it, what it shows first, what links to it first.

    ``text`` is the property whose text is the resource's key content (a recommendation's
    or a paragraph's words), shown first as prose; ``key`` the properties listed under
    it; ``incoming`` the properties of what links to it, in the order they are shown
    (the others follow); ``schema`` the schema.org type of its JSON-LD block.
    """

    name: str
    types: tuple[str, ...]
    key: tuple[str, ...]
    text: str = ""
    incoming: tuple[str, ...] = ()
    schema: str = "Thing"
    needs: str = ""  # a property that tells the kind when no type does (a document's symbol)


def _t(names: str) -> tuple[str, ...]:
    return tuple(T + n for n in names.split())


KINDS = (
    Kind(
        "recommendation",
        _t("Recommendation"),
        _t(
            "recommendationNumber adoptedAt aboutAgendaItem topic cites addressee forwardedTo "
            "inSection"
        ),
        text=T + "text",
        schema="CreativeWork",
    ),
    Kind(
        "document",
        (),
        (
            *_t("symbol title"),
            RDF_TYPE,
            *_t("issued distribution documentationFor preparedFor beforeMeeting revisionOf"),
            RDFS + "seeAlso",
        ),
        incoming=_t("documentation partOfDocument"),
        schema="CreativeWork",
        needs=T + "symbol",
    ),
    Kind(
        "meeting",
        _t("Meeting"),
        _t("startDate endDate venue format ofBody openingTime"),
        incoming=_t(
            "itemOf adoptedAt plenaryOf atMeeting participationIn preparedFor beforeMeeting"
        ),
        schema="Event",
    ),
    Kind(
        "state",
        _t("State MemberState NonMemberObserverState"),
        _t("iso3166Alpha3 iso3166Alpha2 m49Code unMemberSince wikidataEntity"),
        incoming=_t("participant speaker"),
        schema="Country",
    ),
    Kind(
        "statement",
        _t("Statement"),
        _t("speaker deliveredBy underItem atMeeting statementKind speakerStatus"),
        schema="Thing",
    ),
    Kind(
        "participation",
        _t("Participation PanelRole"),
        _t("participant participationIn participationStatus role underItem listedIn"),
    ),
    Kind(
        "agenda item",
        _t("AgendaItem"),
        _t("itemNumber title itemOf annotation documentation noDocumentationForeseen topic"),
        incoming=_t("aboutAgendaItem underItem scheduledItem consideredItem"),
        schema="Event",
    ),
    Kind(
        "paragraph",
        _t("Paragraph SummaryParagraph Footnote SubParagraph"),
        _t("paragraphNumber letter partOfDocument inSection aboutAgendaItem topic mentions cites"),
        text=T + "text",
        incoming=_t("source"),
        schema="CreativeWork",
    ),
    Kind(
        "organization",
        _t(
            "IntergovernmentalOrganization UnitedNationsEntity NationalInstitution "
            "Organization Network RegionalEconomicIntegrationOrganization ObserverEntity "
            "Body WorkingGroup ConferenceOfTheParties Bureau Secretariat Office"
        ),
        (*_t("acronym"), SKOS + "altLabel", *_t("parentOrganization ofState wikidataEntity")),
        incoming=_t("participant speaker ofBody"),
        schema="Organization",
    ),
    Kind(
        "person",
        _t("Person"),
        _t("honorific jobTitle affiliation fromState"),
        incoming=_t("participant holder deliveredBy"),
        schema="Person",
    ),
    Kind(
        "act",
        _t("Resolution Decision"),
        _t("actNumber actDate adoptedBy adoptedAtSession concernsMeeting publishedAs title"),
        text=T + "text",
        incoming=_t("provisionOf cites"),
        schema="Legislation",
    ),
)
GENERIC = Kind("resource", (), (), schema="Thing")


def kind_of(types: set[str], properties: set[str]) -> Kind:
    """The kind a resource's types (or, for documents, its symbol) make it; else generic."""
    for kind in KINDS:
        if types & set(kind.types) or (kind.needs and kind.needs in properties):
            return kind
    return GENERIC


#: What a group of incoming links is split by: participants by their status, a State's
#: participations and statements by meeting.
SPLIT_INCOMING = {
    ("meeting", T + "participationIn"): T + "participationStatus",
    ("state", T + "participant"): "meeting",
    ("state", T + "speaker"): "meeting",
    ("organization", T + "participant"): "meeting",
    ("organization", T + "speaker"): "meeting",
}
#: Groups of incoming links shown open (the rest are folded when long).
OPEN_LIMIT = 40

#: Headings of what links to a resource, by the property it links by; others read
#: "“{property}” this".
INCOMING_TITLES = {
    T + "itemOf": "Agenda items",
    T + "adoptedAt": "Adopted here",
    T + "plenaryOf": "Plenary meetings",
    T + "atMeeting": "Statements, officers and attendance lists",
    T + "participationIn": "Participants",
    T + "preparedFor": "Documents prepared for it",
    T + "beforeMeeting": "Documents before it",
    T + "participant": "Participations",
    T + "speaker": "Statements",
    T + "holder": "Offices held",
    T + "deliveredBy": "Statements delivered",
    T + "partOfDocument": "Paragraphs and sections",
    T + "documentation": "Documentation for",
    T + "aboutAgendaItem": "Recommendations, sections and paragraphs about it",
    T + "underItem": "Statements and roles under it",
    T + "scheduledItem": "Scheduled",
    T + "consideredItem": "Considered at",
    T + "source": "Facts taken from it",
    T + "provisionOf": "Provisions",
    T + "cites": "Cited by",
    T + "inSection": "Contents",
    T + "ofBody": "Meetings",
    T + "subParagraph": "Part of",
    T + "listedIn": "Listed",
    T + "mentions": "Mentioned in",
    T + "topic": "On this topic",
}
